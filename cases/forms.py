from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.models import TRANSITIONS, Case, Document, FollowUp, Outcome, Priority, Status
from migrants.uploads import validate_upload
from partners.models import Partner, PartnerContact, PartnerService
from welcome_center.widgets import Select

CASE_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


class StatusForm(forms.Form):
    # The case file's selects use welcome_center.widgets.Select (Django's markup, written in
    # Python): the file shows six of them on every view.
    status = forms.ChoiceField(label=_("New status"), widget=Select)
    outcome = forms.ChoiceField(
        label=_("Outcome (when closing)"),
        required=False,
        choices=[("", "—"), *Outcome.choices],
        widget=Select,
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
    widget = Select  # on the case file and the case list, on every view

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
    """A dated task for a Lotse or, on a case referred to a partner, for the partner's contact
    person (who is reminded by e-mail)."""

    staff_fields = ("assignee",)
    assignee = OwnerField(label=_("For"), required=False)
    assignee_contact = forms.ModelChoiceField(
        label=_("Or for a partner's contact person"),
        queryset=PartnerContact.objects.none(),
        required=False,
        help_text=_("Contact persons of the partners this case was referred to."),
        widget=Select,
    )

    class Meta:
        model = FollowUp
        fields = ["due_on", "text", "assignee", "assignee_contact"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(
        self, *args: Any, contacts: QuerySet[PartnerContact] | None = None, **kwargs: Any
    ) -> None:
        # The case file also shows the note form, whose "text" would have the same element id:
        # the label "Task" would then point at the note's field.
        kwargs.setdefault("auto_id", "follow_up_%s")
        super().__init__(*args, **kwargs)
        if contacts is None:
            del self.fields["assignee_contact"]
        else:
            self.fields["assignee_contact"].queryset = contacts  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("assignee_contact"):
            data["assignee"] = None
        elif not data.get("assignee") and "assignee" not in self.errors:
            self.add_error("assignee", _("Please choose who does it."))
        return data

    def clean_due_on(self) -> Any:
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise ValidationError(_("A follow-up cannot be due in the past."))
        if (due_on - timezone.localdate()).days > 2 * 365:
            raise ValidationError(_("Please choose a date within the next two years."))
        return due_on

    def clean_assignee(self) -> User | None:
        if self.cleaned_data["assignee"] in (None, ""):
            return None
        return User.objects.center_staff().get(pk=self.cleaned_data["assignee"])


class MoveFollowUpForm(forms.Form):
    due_on = forms.DateField(label=_("New date"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_due_on(self) -> Any:
        return FollowUpForm.clean_due_on(self)  # type: ignore[arg-type]


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, JPEG, PNG or Word (DOCX), at most 10 MB.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Document.Kind.choices, widget=Select)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        upload.sniffed_type = validate_upload(
            upload, max_bytes=CASE_DOCUMENT_MAX_BYTES, allow_docx=True
        )
        return upload


class BulkForm(StaffChoicesMixin, forms.Form):
    """Reassign or reprioritise the cases ticked in the list, or every case of the list (all
    its pages: a Lotse who leaves has more than one page of cases)."""

    staff_fields = ("owner",)
    ACTIONS = [("reassign", _("Reassign to")), ("priority", _("Set priority"))]

    cases = forms.ModelMultipleChoiceField(
        queryset=Case.objects.none(), label=_("Cases"), required=False
    )
    # The list's filters (its query string): the view lists the cases again from them.
    whole_list = forms.BooleanField(required=False)
    list_query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
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

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("whole_list") and not data.get("cases") and "cases" not in self.errors:
            self.add_error("cases", _("Please tick at least one case."))
        if data.get("action") == "reassign" and not data.get("owner"):
            self.add_error("owner", _("Please choose the new owner."))
        if data.get("action") == "priority" and not data.get("priority"):
            self.add_error("priority", _("Please choose a priority."))
        return data


class ReferralForm(forms.Form):
    """A Lotse refers a case to a partner. Partners that serve the case's category come first;
    the answer-by date defaults to the partner's usual response time in working days."""

    partner = forms.ChoiceField(label=_("Partner"))
    request = forms.CharField(
        label=_("Request to the partner"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "The partner sees this text, the newcomer's name and contact details, nothing else "
            "of the file."
        ),
    )
    answer_by = forms.DateField(
        label=_("Answer expected by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for the partner's usual response time (working days)."),
    )
    oral_consent = forms.BooleanField(
        label=_(
            "The newcomer has agreed (orally) that the Welcome Center shares their name, contact "
            "details and this request with the partner."
        ),
        required=False,
    )
    oral_consent_at = forms.DateTimeField(
        label=_("Agreed on"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, case: Case, has_consent: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.has_consent = has_consent
        partners = list(
            Partner.objects.active()
            .annotate(
                serves=Exists(
                    PartnerService.objects.filter(partner=OuterRef("pk"), category=case.category)
                )
            )
            .order_by("-serves", "name")
        )
        self.partners = {str(partner.pk): partner for partner in partners}
        serving = [(str(p.pk), p.name) for p in partners if p.serves]  # type: ignore[attr-defined]
        others = [(str(p.pk), p.name) for p in partners if not p.serves]  # type: ignore[attr-defined]
        self.fields["partner"].choices = [
            ("", "—"),
            (_("Serving %(category)s") % {"category": case.get_category_display()}, serving),
            (_("Other partners"), others),
        ]
        if has_consent:
            del self.fields["oral_consent"]
            del self.fields["oral_consent_at"]
        else:
            self.fields["oral_consent"].required = True
            self.fields["oral_consent_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    def clean_partner(self) -> Any:
        partner = self.partners.get(self.cleaned_data["partner"])
        if partner is None:
            raise ValidationError(_("Please choose a partner from the list."))
        if not partner.email and not partner.contacts.exists():
            raise ValidationError(
                _("This partner has no e-mail address. Add one or a contact person first.")
            )
        return partner

    def clean_answer_by(self) -> Any:
        answer_by = self.cleaned_data["answer_by"]
        if answer_by and answer_by < timezone.localdate():
            raise ValidationError(_("The date must not be in the past."))
        return answer_by

    def clean_oral_consent_at(self) -> Any:
        given_at = self.cleaned_data.get("oral_consent_at")
        if given_at and given_at > timezone.now():
            raise ValidationError(_("Consent cannot be given in the future."))
        return given_at

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.has_consent and data.get("oral_consent") and not data.get("oral_consent_at"):
            self.add_error("oral_consent_at", _("When did the newcomer agree?"))
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can you not help?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CompleteForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer (what was done or decided)"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question to the Welcome Center"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReferralAnswerForm(forms.Form):
    """The Lotse's answer to a partner's question."""

    text = forms.CharField(
        label=_("Answer to the partner"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
