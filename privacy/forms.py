from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from migrants.models import Newcomer
from privacy.models import RetentionPolicy

ACTION_CHOICES = [("", _("all"))] + [
    (str(value), label) for value, label in LogEntry.Action.choices
]


class AuditFilterForm(forms.Form):
    """The head's search of the audit trail: by person (who acted), by newcomer, by date."""

    actor = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.order_by("full_name"), required=False
    )
    newcomer = forms.CharField(
        label=_("Newcomer (reference)"),
        max_length=20,
        required=False,
        help_text=_("For example NC-2026-00042: the newcomer's record and everything about them."),
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    action = forms.TypedChoiceField(
        label=_("Action"), choices=ACTION_CHOICES, coerce=int, empty_value=None, required=False
    )

    def clean_newcomer(self) -> Newcomer | None:
        reference = self.cleaned_data["newcomer"].strip().upper()
        if not reference:
            return None
        newcomer = Newcomer.objects.filter(reference=reference).first()
        if newcomer is None:
            raise forms.ValidationError(
                _("No newcomer has the reference %(reference)s."), params={"reference": reference}
            )
        return newcomer

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data

    def filter(self, entries: QuerySet[LogEntry]) -> QuerySet[LogEntry]:
        data = self.cleaned_data
        conditions = Q()
        if data.get("actor"):
            conditions &= Q(actor=data["actor"])
        if data.get("newcomer"):
            conditions &= Q(additional_data__newcomer=data["newcomer"].pk)
        if data.get("date_from"):
            conditions &= Q(timestamp__date__gte=data["date_from"])
        if data.get("date_to"):
            conditions &= Q(timestamp__date__lte=data["date_to"])
        if data.get("action") is not None:
            conditions &= Q(action=data["action"])
        return entries.filter(conditions)


class EraseForm(forms.Form):
    """Erasure is irreversible: the head confirms twice, by ticking and by typing the
    reference."""

    understood = forms.BooleanField(
        label=_("I understand that this cannot be undone."), required=True
    )
    reference = forms.CharField(label=_("Type the newcomer's reference to confirm"), max_length=20)
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            ("request", _("request for erasure (Art. 17 GDPR)")),
            ("consent_withdrawn", _("consent withdrawn")),
            ("retention", _("retention period passed")),
        ],
    )

    def __init__(self, *args: Any, newcomer: Newcomer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.newcomer = newcomer

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip().upper()
        if reference != self.newcomer.reference:
            raise forms.ValidationError(
                _("This is not the reference of this newcomer (%(reference)s)."),
                params={"reference": self.newcomer.reference},
            )
        return reference


class RetentionPolicyForm(forms.ModelForm):
    class Meta:
        model = RetentionPolicy
        fields = ["months"]
