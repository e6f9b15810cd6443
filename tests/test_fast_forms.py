"""`{% fast_form %}` (welcome_center/templatetags/fast_forms.py) writes exactly the markup of
crispy's `{{ form|crispy }}`: each form of the case file unbound, bound and valid, and bound
with errors, rendered both ways and compared as HTML (whitespace aside), plus a form with
the widgets the case file does not use and those left to crispy's template."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.template import Context, Template
from django.test.html import parse_html
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict

from accounts.models import User
from cases.forms import DocumentForm, FollowUpForm, NoteForm, ReassignForm, StatusForm
from cases.models import Case, Status
from partners.models import PartnerContact
from tests.factories import CaseFactory
from welcome_center.templatetags import fast_forms

CRISPY = Template("{% load crispy_forms_tags %}{{ form|crispy }}")
FAST = Template("{% load fast_forms %}{% fast_form form %}")

MakeForm = Callable[[], forms.BaseForm]


def assert_same_markup(make: MakeForm) -> str:
    """Render two instances of the same form (crispy writes its classes into the widgets, so
    one instance each) and compare; returns the markup for further checks."""
    expected = CRISPY.render(Context({"form": make()}))
    actual = FAST.render(Context({"form": make()}))
    assert parse_html(actual) == parse_html(expected), f"\n{actual}\n!=\n{expected}"
    return actual


def _pdf() -> MultiValueDict[str, UploadedFile]:
    upload = SimpleUploadedFile("Bescheid.pdf", b"%PDF-1.4 a letter", "application/pdf")
    return MultiValueDict({"file": [upload]})


def _case_file_forms(case: Case, lotse: User) -> dict[str, dict[str, MakeForm]]:
    """Each form of the case file as the view makes it, in three states."""
    staff = [(lotse.pk, lotse.full_name)]
    contacts = PartnerContact.objects.all()
    today = timezone.localdate()

    def follow_up(data: dict[str, Any] | None) -> MakeForm:
        return lambda: FollowUpForm(
            data, initial={"assignee": lotse.pk}, staff=staff, contacts=contacts
        )

    return {
        "status": {
            "unbound": lambda: StatusForm(case=case),
            "valid": lambda: StatusForm({"status": Status.IN_PROGRESS}, case=case),
            # A field error and an error that clean() adds to another field.
            "errors": lambda: StatusForm({"status": Status.CLOSED, "note": "x" * 2001}, case=case),
        },
        "note": {
            "unbound": NoteForm,
            "valid": lambda: NoteForm({"text": "Rückruf am Montag"}),
            "errors": lambda: NoteForm({"text": ""}),
        },
        "follow_up": {
            "unbound": follow_up(None),
            "valid": follow_up(
                {"due_on": today.isoformat(), "text": "Anrufen", "assignee": lotse.pk}
            ),
            "errors": follow_up({"due_on": (today - timedelta(days=1)).isoformat(), "text": ""}),
        },
        "reassign": {
            "unbound": lambda: ReassignForm(initial={"owner": lotse.pk}, staff=staff),
            "valid": lambda: ReassignForm({"owner": lotse.pk}, staff=staff),
            "errors": lambda: ReassignForm({"owner": "0"}, staff=staff),
        },
        "document": {
            "unbound": DocumentForm,
            "valid": lambda: DocumentForm({"kind": "letter"}, _pdf()),
            "errors": lambda: DocumentForm({"kind": "<script>"}, MultiValueDict()),
        },
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["status", "note", "follow_up", "reassign", "document"])
@pytest.mark.parametrize("state", ["unbound", "valid", "errors"])
@pytest.mark.parametrize("language", ["de", "en"])
def test_the_case_file_forms_render_as_crispy_renders_them(
    lotse: User,
    partner_user: User,
    name: str,
    state: str,
    language: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every field of the case file takes the fast path, none crispy's template.
    monkeypatch.setattr(fast_forms, "_crispy_field", None)
    case = CaseFactory.create(owner=lotse)
    make = _case_file_forms(case, lotse)[name][state]
    if state != "unbound":
        assert make().is_valid() is (state == "valid")
    with translation.override(language):
        markup = assert_same_markup(make)
    if state == "errors":
        assert "is-invalid" in markup
        assert "invalid-feedback" in markup


class EverythingForm(forms.Form):
    """Widgets and states the case file does not have today."""

    error_css_class = "has-error"
    required_css_class = "required"

    token = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(label="Name <b>", help_text="As in the <em>passport</em>.")
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"class": "wide"}))
    count = forms.IntegerField(min_value=1, disabled=False)
    agree = forms.BooleanField(help_text="Needed.")
    optional_flag = forms.BooleanField(required=False, label="")
    fixed = forms.CharField(disabled=True, required=False, initial="fest")
    untitled = forms.CharField(label="", required=False)
    # Left to crispy's template: a fieldset with a legend, and sub-widgets.
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple, required=False
    )
    when = forms.SplitDateTimeField(required=False)
    upload = forms.FileField(required=False, help_text="PDF")

    def clean(self) -> dict[str, Any]:
        raise ValidationError(["First <problem>.", "Second problem."])


EVERYTHING_DATA = {
    "token": "",
    "name": "Ada",
    "email": "no-address",
    "count": "0",
    "choice": "c",
    "when_0": "2026-13-01",
}


@pytest.mark.parametrize(
    "make",
    [
        EverythingForm,
        lambda: EverythingForm(EVERYTHING_DATA),
        lambda: EverythingForm(EVERYTHING_DATA, auto_id="x_%s"),
        lambda: EverythingForm(EVERYTHING_DATA, auto_id=False),
        lambda: EverythingForm(
            {**EVERYTHING_DATA, "agree": "on", "optional_flag": "on", "count": "3"},
            MultiValueDict({"upload": [SimpleUploadedFile("a.txt", b"")]}),
        ),
    ],
    ids=["unbound", "errors", "own-ids", "no-ids", "other-errors"],
)
def test_other_widgets_render_as_crispy_renders_them(make: MakeForm) -> None:
    markup = assert_same_markup(make)
    if make().is_bound:
        assert 'role="alert"' in markup  # the project's errors.html, not crispy's


class CurrentFileForm(forms.Form):
    upload = forms.FileField(required=False)


class StoredFile:
    url = "/media/a.pdf"
    name = "a.pdf"

    def __str__(self) -> str:
        return self.name


def test_a_file_input_with_its_current_file_renders_as_crispy_renders_it() -> None:
    assert_same_markup(lambda: CurrentFileForm(initial={"upload": StoredFile()}))
