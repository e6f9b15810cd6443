"""Forms of the company side: the public registration (allauth's sign-up form with the person
and the company), the Lotse's decision, colleagues, skilled-worker needs with their ISCO-08
code, service requests and the company timeline."""

from __future__ import annotations

from datetime import date
from typing import Any

from allauth.account.forms import SignupForm
from django import forms
from django.conf import settings
from django.forms.models import fields_for_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.models import Case
from companies import services
from companies.models import (
    Company,
    Occupation,
    ServiceKind,
    ServiceRequest,
    SkilledWorkerNeed,
)

# The company's part of the registration, in the order the form asks for it.
COMPANY_FIELDS = [
    "name",
    "legal_form",
    "sector",
    "size_band",
    "street",
    "postcode",
    "city",
    "chamber",
    "website",
]


class CompanySignupForm(SignupForm):
    """allauth's sign-up form (e-mail, password twice, its validators and rate limit) with the
    person and the company added.

    Nobody learns here whether an address has an account already: the form accepts it like
    any other, and the same "registration received" page follows. The owner of an existing
    account is told by e-mail instead (services.tell_existing_account)."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    position = forms.CharField(
        label=_("Your position in the company"),
        max_length=150,
        required=False,
        help_text=_("For example: managing director, HR."),
    )

    field_order = ["full_name", "position", "email", "password1", "password2", *COMPANY_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        company_fields = fields_for_model(
            Company,
            fields=COMPANY_FIELDS,
            labels={"name": str(_("Name of the company"))},
            help_texts={
                "legal_form": str(_("For example GmbH, UG, e.K., GbR.")),
                "chamber": str(_("The chamber your company belongs to, if any.")),
            },
        )
        self.fields.update(company_fields)
        self.fields["email"].label = _("Your e-mail address")
        self.fields["email"].help_text = _("You log in with it; we write to you there.")
        self.order_fields(self.field_order)

    def validate_unique_email(self, value: str) -> str:
        # Never "this address is taken": that would tell anyone who has an account.
        self.account_already_exists = User.objects.filter(email__iexact=value).exists()
        return value

    def try_save(self, request: HttpRequest) -> tuple[User | None, HttpResponse]:
        """allauth logs in whoever this returns without a response; we return a response
        either way, so the page after sign-up is the same for a new and a known address."""
        data = self.cleaned_data
        if self.account_already_exists:
            services.tell_existing_account(data["email"])
        else:
            services.register_company(
                full_name=data["full_name"],
                position=data["position"],
                email=data["email"],
                password=data["password1"],
                language=_staff_language(),
                company={name: data[name] for name in COMPANY_FIELDS},
            )
        return None, redirect("company_registration_sent")


def _staff_language() -> str:
    """Mail to companies is in German or English, whichever the visitor's page spoke."""
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return language if language in settings.STAFF_LANGUAGES else settings.LANGUAGE_CODE


class DecisionForm(forms.Form):
    APPROVE, REJECT = "approve", "reject"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve the registration")), (REJECT, _("Reject it"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for a rejection"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The applicant reads it in the e-mail and on their page."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == self.REJECT and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why the registration is rejected."))
        return cleaned


class ColleagueForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("Your colleague receives a link there to choose a password."),
    )

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class OccupationCodeField(forms.CharField):
    """An ISCO-08 unit group code, chosen from the list that ships with the portal."""

    def validate(self, value: str) -> None:
        super().validate(value)
        if value and not Occupation.objects.filter(code=value).exists():
            raise forms.ValidationError(
                _(
                    "%(code)s is not an ISCO-08 code. Search the list and choose one, or leave "
                    "the code empty."
                )
                % {"code": value},
                code="unknown",
            )


class NeedForm(forms.ModelForm):
    occupation_code = OccupationCodeField(
        label=_("ISCO-08 code"), max_length=4, required=False, strip=True
    )
    headcount = forms.IntegerField(
        label=_("Number of people"),
        min_value=1,
        max_value=500,
        initial=1,
        error_messages={
            "min_value": _("Enter at least one person."),
            "max_value": _("Enter at most 500 people; for more, please call us."),
        },
    )

    class Meta:
        model = SkilledWorkerNeed
        fields = [
            "occupation",
            "occupation_code",
            "headcount",
            "qualification_level",
            "german_level",
            "other_languages",
            "start_date",
            "place",
            "kind",
            "remarks",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "remarks": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "occupation": _("In your words, for example: welder (MAG), geriatric nurse."),
            "german_level": _("A1 is a beginner, B1 gets by at work, C1 is fluent."),
            "other_languages": _("For example: English B2."),
            "remarks": _("Anything else that matters: shifts, driving licence, housing."),
        }

    def clean_start_date(self) -> date:
        start: date = self.cleaned_data["start_date"]
        unchanged = self.instance.pk is not None and start == self.instance.start_date
        if not unchanged and start < timezone.localdate():
            raise forms.ValidationError(
                _("The start date is in the past. Enter today or a later date."), code="past"
            )
        return start


class NeedStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=SkilledWorkerNeed.Status.choices)


class ServiceRequestForm(forms.ModelForm):
    class Meta:
        model = ServiceRequest
        fields = ["kind", "need", "description"]
        widgets = {"kind": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 4})}
        labels = {"kind": _("What can we help with?")}
        help_texts = {
            "need": _("If the request concerns one of your needs."),
            "description": _(
                "What, when and for whom. Please no health or religious details of anyone."
            ),
        }

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ServiceKind.choices  # type: ignore[attr-defined]
        self.fields["need"].queryset = company.needs.open().order_by("start_date", "pk")  # type: ignore[attr-defined]


class ServiceUpdateForm(forms.Form):
    """A Lotse's work on a request: who owns it, its status, a linked case and a message that
    the company reads."""

    status = forms.ChoiceField(label=_("Status"), choices=ServiceRequest.Status.choices)
    owner = forms.TypedChoiceField(label=_("Lotse"), coerce=int, required=False, empty_value=None)
    case_reference = forms.CharField(
        label=_("Linked case (reference)"),
        max_length=20,
        required=False,
        help_text=_("For example WC-2026-00042; empty to unlink."),
    )
    text = forms.CharField(
        label=_("Message to the company"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The company sees it on its page. No personal data of newcomers."),
    )

    def __init__(self, *args: Any, staff: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("nobody yet")), *staff]  # type: ignore[attr-defined]

    def clean_case_reference(self) -> Case | None:
        reference = self.cleaned_data["case_reference"].strip().upper()
        if not reference:
            return None
        case = Case.objects.filter(reference=reference).first()
        if case is None:
            raise forms.ValidationError(
                _("No case has the reference %(ref)s.") % {"ref": reference}
            )
        return case


class CompanyNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    shared = forms.BooleanField(
        label=_("Show this note to the company"),
        required=False,
        help_text=_("Unticked, only the Welcome Center sees it."),
    )
