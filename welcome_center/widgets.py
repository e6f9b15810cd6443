"""Form widgets of the portal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def html_attributes(attrs: dict[str, Any]) -> SafeString:
    # As django/forms/widgets/attrs.html writes them: in order, False left out, True bare.
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class Select(forms.Select):
    """Django's Select with the same markup, written in Python. Django's template renders
    every option through an include and an attribute loop (about 30 µs an option), which
    makes the case list's filter selects (owners, partners, countries, ...) a large part of
    the page's time."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            format_html('<select name="{}"{}>', widget["name"], html_attributes(widget["attrs"]))
        ]
        # The whitespace of django/forms/widgets/select.html and select_option.html.
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    option["value"],
                    html_attributes(option["attrs"]),
                    option["label"],
                )
                for option in group_choices
            )
            if group_name:
                parts.append(mark_safe("\n  </optgroup>"))
        parts.append(mark_safe("\n</select>"))
        return mark_safe("".join(parts))  # noqa: S308 -- each part went through format_html
