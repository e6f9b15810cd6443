"""Forms of the introduction steps (companies/introductions.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company


class ProposeForm(forms.Form):
    """The Lotse proposes a newcomer for a need. Without a consent on record to share with the
    company, the Lotse confirms the newcomer's oral consent, with when it was given."""

    note_to_company = forms.CharField(
        label=_("Note to the company"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The company reads this. Write nothing that identifies the newcomer."),
    )
    oral_consent = forms.BooleanField(label="", required=False)
    oral_consent_at = forms.DateTimeField(
        label=_("Agreed on"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, company: Company, has_consent: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if has_consent:
            del self.fields["oral_consent"]
            del self.fields["oral_consent_at"]
            return
        self.fields["oral_consent"].label = _(
            "The newcomer has agreed (orally) that the Welcome Center shares their profile, "
            "without name or contact details, with %(company)s."
        ) % {"company": company.name}
        self.fields["oral_consent"].required = True
        self.fields["oral_consent_at"].required = True
        self.fields["oral_consent_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    def clean_oral_consent_at(self) -> Any:
        value = self.cleaned_data.get("oral_consent_at")
        if value and value > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError(_("Consent cannot be given in the future."))
        return value


class HireForm(forms.Form):
    start = forms.DateField(
        label=_("Start of work"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_start(self) -> Any:
        start = self.cleaned_data["start"]
        today = timezone.localdate()
        if not today - timedelta(days=365) <= start <= today + timedelta(days=2 * 365):
            raise forms.ValidationError(
                _("Enter a start date within a year before or two years after today.")
            )
        return start


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=500, required=False)
