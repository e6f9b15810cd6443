"""Forms of the partner directory: a partner with the categories it serves, and a contact."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Category
from partners.models import Partner, PartnerContact

# The same range as the check constraint partner_response_days_range, said in words here.
MIN_RESPONSE_DAYS, MAX_RESPONSE_DAYS = 1, 60


class PartnerForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("Categories served"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Referrals of a case in one of these categories offer this partner first."),
        error_messages={"required": _("Tick at least one category this partner serves.")},
    )
    response_days = forms.IntegerField(
        label=_("Expected response time (working days)"),
        min_value=MIN_RESPONSE_DAYS,
        max_value=MAX_RESPONSE_DAYS,
        help_text=_("Between 1 and 60 working days. A new referral's answer-by date uses it."),
        error_messages={
            "min_value": _("Enter at least 1 working day."),
            "max_value": _("Enter at most 60 working days."),
        },
    )

    class Meta:
        model = Partner
        fields = [
            "name",
            "type",
            "categories",
            "response_days",
            "street",
            "postcode",
            "city",
            "email",
            "phone",
            "website",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["categories"] = list(
                self.instance.services.values_list("category", flat=True)
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        name, city = cleaned.get("name", ""), cleaned.get("city", "")
        # Two Kitas of one name in two towns are two partners; in one town, one is a typo.
        duplicate = Partner.objects.filter(name__iexact=name, city__iexact=city).exclude(
            pk=self.instance.pk
        )
        if name and duplicate.exists():
            self.add_error(
                "name",
                _("This partner is in the directory already: open it there instead."),
            )
        return cleaned


class ContactForm(forms.ModelForm):
    # Not the model field itself: the form would then check the one-primary constraint and
    # refuse a second primary, where the Lotse means "this one instead" (services.save_contact
    # moves the mark).
    make_primary = forms.BooleanField(
        label=_("Receives referrals by default"),
        required=False,
        help_text=_("Only one contact per partner; ticking it here takes it from the other."),
    )

    class Meta:
        model = PartnerContact
        fields = ["name", "position", "email", "phone", "language"]
        help_texts = {
            "language": _("E-mails to this person, such as the invitation, are in this language."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["make_primary"] = self.instance.is_primary

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()
