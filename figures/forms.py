from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from figures.models import EmploymentOnLeaving, ExitQuestionnaire
from figures.periods import CUSTOM, KINDS, MONTH, Period, preset

# Longer ranges are possible in principle, but nobody reports over more than ten years and a
# bound keeps a mistyped year from scanning the whole history month by month.
MAX_DAYS = 3660


class PeriodForm(forms.Form):
    """The period chosen in the URL (?period=quarter, or ?period=custom&from=...&to=...)."""

    period = forms.ChoiceField(label=_("Period"), choices=KINDS, initial=MONTH, required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def add_prefix(self, field_name: str) -> str:
        # "from" is a Python keyword, so the URL's from/to are the fields start/end.
        return {"start": "from", "end": "to"}.get(field_name, field_name)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("period") != CUSTOM:
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if not start or not end:
            raise forms.ValidationError(_("Give both dates of the custom range."))
        if end < start:
            self.add_error("end", _("The end must not be before the start."))
        elif end - start > timedelta(days=MAX_DAYS):
            self.add_error("end", _("Choose a range of at most ten years."))
        return cleaned

    def get_period(self) -> Period:
        """The chosen period; this month when nothing (or nothing valid) was chosen."""
        if not self.is_bound or not self.is_valid():
            return preset(MONTH)
        kind = self.cleaned_data.get("period") or MONTH
        if kind == CUSTOM:
            return Period(CUSTOM, self.cleaned_data["start"], self.cleaned_data["end"])
        return preset(kind)


class ExitQuestionnaireForm(forms.ModelForm):
    employment = forms.ChoiceField(
        label=_("Employment on leaving"),
        choices=EmploymentOnLeaving.choices,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ExitQuestionnaire
        fields = ["employment", "in_education_or_training", "qualification_gained"]
        help_texts = {
            "in_education_or_training": _(
                "School, vocational training, studies or a course leading to a qualification."
            ),
            "qualification_gained": _(
                "A certificate or qualification gained while supported by the center, "
                "including a recognition decision."
            ),
        }
