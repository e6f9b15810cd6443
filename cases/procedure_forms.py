"""The form that dates the steps of a § 81a procedure (cases/procedure.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from cases.models import AcceleratedProcedure
from cases.procedure import STEPS, TARGETS, date_errors, target_text


class ProcedureForm(forms.ModelForm):
    class Meta:
        model = AcceleratedProcedure
        fields = list(STEPS)
        widgets = {step: forms.DateInput(attrs={"type": "date"}) for step in STEPS}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for step, target in TARGETS.items():
            self.fields[step].help_text = target_text(target)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        dates = {step: cleaned.get(step) for step in STEPS if step not in self.errors}
        for step, message in date_errors(dates, today=timezone.localdate()).items():
            self.add_error(step, message)
        return cleaned
