from __future__ import annotations

from django import forms

from reminders.models import ReminderRules, parse_numbers


class ReminderRulesForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ReminderRules
        fields = [
            "follow_ups",
            "referrals",
            "escalations",
            "escalation_working_days",
            "permits",
            "permit_warning_days",
            "intakes",
            "inactive_cases",
            "inactivity_days",
            "check_ins",
            "check_in_months",
            "procedures_81a",
        ]

    def clean_permit_warning_days(self) -> str:
        # Stored in one spelling ("90, 30"), so that the audit trail shows real changes only.
        return _normalise(self.cleaned_data["permit_warning_days"], reverse=True)

    def clean_check_in_months(self) -> str:
        return _normalise(self.cleaned_data["check_in_months"], reverse=False)


def _normalise(value: str, *, reverse: bool) -> str:
    # The model's validator has already refused anything but distinct whole numbers, but it
    # runs after clean_<field> (in _post_clean): leave malformed input as typed for it.
    try:
        numbers = parse_numbers(value)
    except ValueError:
        return value
    return ", ".join(str(n) for n in sorted(numbers, reverse=reverse))
