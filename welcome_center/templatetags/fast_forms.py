"""`{% fast_form form %}`: a form in exactly the markup of crispy-forms' `{{ form|crispy }}`
(Bootstrap 5 pack), written directly in Python.

Crispy renders every field through half a dozen nested templates, about 0.2 ms a field: the
case file shows five forms, which made their markup most of the page's time. Here each field
is a few `format_html` calls. tests/test_fast_forms.py renders forms both ways and compares.

Covered: the input widgets (text, number, e-mail, date, textarea, ...), selects, a checkbox,
a file input, hidden fields, labels with the required mark, help texts (the id that the
widget's aria-describedby points at), field errors (is-invalid, the invalid-feedback block
with its ids) and the form's own errors (templates/bootstrap5/errors.html, which the project
overrides: rendered through that template). Anything else (radio buttons, multi-widgets, a
file input showing its current file, ...) falls back to crispy's own field template, so the
markup is crispy's in every case and only the common fields are fast.

A template library of welcome_center (no app of its own): registered in settings.TEMPLATES."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms import BoundField
from django.template.loader import get_template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from welcome_center.widgets import html_attributes

register = template.Library()

REQUIRED_MARK = mark_safe('<span class="asteriskField">*</span>')
NOTHING = mark_safe("")


@register.simple_tag
def fast_form(form: forms.BaseForm) -> SafeString:
    """The whole form, as `{{ form|crispy }}` writes it: the form's errors, then every field
    (hidden ones as their bare widget) in order."""
    parts = [_non_field_errors(form)]
    parts.extend(field_html(field) for field in form)
    return mark_safe("".join(parts))  # noqa: S308 -- each part is a SafeString built by escaping


def field_html(field: BoundField) -> SafeString:
    """One field as crispy's bootstrap5/field.html writes it (`|as_crispy_field`), with the
    context that `|crispy` gives it: labels and errors shown, no label or field classes."""
    if field.is_hidden:
        return mark_safe(str(field))  # noqa: S308 -- Django's rendered widget
    widget = field.field.widget
    if not _is_supported(field, widget):
        return _crispy_field(field)
    if isinstance(widget, forms.CheckboxInput):
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check{}">{}{}{}</div></div>',
            field.auto_id,
            _extra_classes(field),
            _widget(field, widget, "form-check-input"),
            # A checkbox's label has a for attribute even when the field has no id (crispy).
            _label(field, "form-check-label", always_for=True),
            _help_text_and_errors(field),
        )
    if isinstance(widget, forms.FileInput):
        control = _file_input(field)
    elif isinstance(widget, forms.Select):
        control = _widget(field, widget, "form-select") + _help_text_and_errors(field)
    else:
        control = _widget(field, widget, "form-control") + _help_text_and_errors(field)
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}{}</div>',
        field.auto_id,
        _extra_classes(field),
        _label(field, "form-label") if field.label else NOTHING,
        control,
    )


def _is_supported(field: BoundField, widget: forms.Widget) -> bool:
    """Whether field_html writes this field itself. Crispy gives a fieldset and legend to
    fields that ask for one (radio buttons, multi-widgets), adds its classes to the inner
    widgets of wrappers, and shows a file input's current file with a clear checkbox: those
    few keep crispy's template."""
    if field.use_fieldset or isinstance(widget, forms.RadioSelect | forms.MultiWidget):
        return False
    if hasattr(widget, "widgets") or hasattr(widget, "widget"):
        return False
    if isinstance(widget, forms.ClearableFileInput):
        return not widget.is_initial(field.value())
    return True


def _crispy_field(field: BoundField) -> SafeString:
    return mark_safe(  # noqa: S308 -- rendered by crispy's template, which escapes
        get_template("bootstrap5/field.html").render(
            {
                "field": field,
                "form_show_errors": True,
                "form_show_labels": True,
                "label_class": "",
                "field_class": "",
            }
        )
    )


def _non_field_errors(form: forms.BaseForm) -> SafeString:
    if not form.non_field_errors():
        return NOTHING
    # Through the template, not rewritten here: the project's templates/bootstrap5/errors.html
    # (role="alert") is the one to keep, and it is only rendered when a form was refused.
    return mark_safe(  # noqa: S308 -- rendered by a template, which escapes
        get_template("bootstrap5/errors.html").render({"form": form}).strip()
    )


def _widget_classes(widget: forms.Widget, classes: str) -> str:
    """The class attribute crispy's `{% crispy_field %}` gives a widget: its own classes, its
    class name in lower case ("textinput", "select", ...) and the pack's classes. Crispy
    writes them into widget.attrs; computed here without changing the form."""
    name = type(widget).__name__.lower()
    css: str = widget.attrs.get("class", "")
    if not css:
        css = name
    elif name not in css:  # crispy's own test: a substring, not a word
        css += f" {name}"
    for added in classes.split():
        if added not in css.split():
            css += f" {added}"
    return css


def _widget(field: BoundField, widget: forms.Widget, classes: str) -> SafeString:
    if field.errors:
        classes += " is-invalid"
    return field.as_widget(attrs={"class": _widget_classes(widget, classes)})


def _extra_classes(field: BoundField) -> str:
    # The form's error_css_class and required_css_class, if it has them.
    css = field.css_classes()
    return f" {css}" if css else ""


def _label(field: BoundField, css: str, *, always_for: bool = False) -> SafeString:
    required = field.field.required
    has_for = always_for or bool(field.id_for_label)
    return format_html(
        '<label{} class="{}{}">{}{}</label>',
        format_html(' for="{}"', field.id_for_label) if has_for else NOTHING,
        css,
        " requiredField" if required else "",
        field.label,
        REQUIRED_MARK if required else NOTHING,
    )


def _help_text_and_errors(field: BoundField) -> SafeString:
    """The errors, then the help text: crispy's order when `|crispy` sets neither
    help_text_inline nor error_text_inline."""
    errors = NOTHING
    if field.errors:
        # The ids are those Django's aria-describedby on the widget points at (crispy writes
        # field.errors.field_id, which Django sets to the field's auto_id).
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((number, field.auto_id, error) for number, error in enumerate(field.errors, 1)),
            ),
        )
    help_text = NOTHING
    if field.help_text:
        # Crispy writes help texts unescaped (`|safe`): they come from the code, not users.
        help_text = format_html(
            '<div {}class="form-text">{}</div>',
            format_html('id="{}_helptext" ', field.auto_id) if field.auto_id else NOTHING,
            mark_safe(str(field.help_text)),  # noqa: S308 -- as crispy: the code's own text
        )
    return errors + help_text


def _file_input(field: BoundField) -> SafeString:
    """crispy's bootstrap5/layout/field_file.html for a file input without a current file:
    the input written attribute by attribute in a div that carries is-invalid."""
    invalid = bool(field.errors)
    data: dict[str, Any] = field.subwidgets[0].data
    attrs: dict[str, Any] = data["attrs"]
    own_class = attrs.get("class")
    css = (
        "form-control" + (f" {own_class}" if own_class else "") + (" is-invalid" if invalid else "")
    )
    return format_html(
        '<div{}><input type="{}" name="{}" class="{}"{}{}>{}</div>',
        mark_safe(' class="is-invalid"') if invalid else NOTHING,
        data["type"],
        data["name"],
        css,
        mark_safe(" disabled") if field.field.disabled else NOTHING,
        html_attributes({name: value for name, value in attrs.items() if name != "class"}),
        _help_text_and_errors(field),
    )
