from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.models import TRANSITIONS, Case, Document, FollowUp, Outcome, Priority, Status
from migrants.uploads import validate_upload
from welcome_center.widgets import Select

CASE_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    outcome = forms.ChoiceField(
        label=_("Outcome (when closing)"), required=False, choices=[("", "—"), *Outcome.choices]
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (value, label) for value, label in Status.choices if value in TRANSITIONS[case.status]
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("status") == Status.CLOSED and not data.get("outcome"):
            self.add_error("outcome", _("Please choose an outcome to close the case."))
        return data


def staff_choices() -> list[tuple[int, str]]:
    """The Lotsen and the head: a handful, so a plain select is right. Views read them once
    per request and hand them to every form that needs them."""
    return list(User.objects.center_staff().values_list("pk", "full_name"))


class OwnerField(forms.TypedChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce=int, **kwargs)


class StaffChoicesMixin:
    """Forms with a person field take `staff=staff_choices()` from the view."""

    staff_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, staff: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name in self.staff_fields:
            self.fields[name].choices = staff  # type: ignore[attr-defined]


class ReassignForm(StaffChoicesMixin, forms.Form):
    staff_fields = ("owner",)
    owner = OwnerField(label=_("New owner"))

    def clean_owner(self) -> User:
        return User.objects.center_staff().get(pk=self.cleaned_data["owner"])


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Facts needed for the case only: no health, religion or ethnicity."),
    )


class FollowUpForm(StaffChoicesMixin, forms.ModelForm):
    staff_fields = ("assignee",)
    assignee = OwnerField(label=_("For"))

    class Meta:
        model = FollowUp
        fields = ["due_on", "text", "assignee"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The case file also shows the note form, whose "text" would have the same element id:
        # the label "Task" would then point at the note's field.
        kwargs.setdefault("auto_id", "follow_up_%s")
        super().__init__(*args, **kwargs)

    def clean_due_on(self) -> Any:
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise ValidationError(_("A follow-up cannot be due in the past."))
        if (due_on - timezone.localdate()).days > 2 * 365:
            raise ValidationError(_("Please choose a date within the next two years."))
        return due_on

    def clean_assignee(self) -> User:
        return User.objects.center_staff().get(pk=self.cleaned_data["assignee"])


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, JPEG, PNG or Word (DOCX), at most 10 MB.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Document.Kind.choices)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        upload.sniffed_type = validate_upload(
            upload, max_bytes=CASE_DOCUMENT_MAX_BYTES, allow_docx=True
        )
        return upload


class BulkForm(StaffChoicesMixin, forms.Form):
    """Reassign or reprioritise the cases ticked in the list."""

    staff_fields = ("owner",)
    ACTIONS = [("reassign", _("Reassign to")), ("priority", _("Set priority"))]

    cases = forms.ModelMultipleChoiceField(queryset=Case.objects.none(), label=_("Cases"))
    # Select: the list's bulk form renders on every page of the list (welcome_center.widgets).
    action = forms.ChoiceField(choices=ACTIONS, label=_("Action"), widget=Select)
    owner = OwnerField(required=False, label=_("Owner"), widget=Select)
    priority = forms.TypedChoiceField(
        coerce=int, required=False, choices=Priority.choices, label=_("Priority"), widget=Select
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        # The case list's filters have "owner" and "priority" too: own element ids, so that
        # each label points at its own field.
        kwargs.setdefault("auto_id", "bulk_%s")
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "—"), *self.fields["owner"].choices]
        self.fields["cases"].queryset = Case.objects.visible_to(user).select_related("owner")
        self.fields["cases"].error_messages["required"] = _("Please tick at least one case.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") == "reassign" and not data.get("owner"):
            self.add_error("owner", _("Please choose the new owner."))
        if data.get("action") == "priority" and not data.get("priority"):
            self.add_error("priority", _("Please choose a priority."))
        return data
