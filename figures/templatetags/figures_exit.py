"""The prompt on the case file and the newcomer file to fill in the exit questionnaire once
the newcomer's last case has closed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.db.models import Exists, OuterRef

from cases.models import Case
from figures.models import ExitQuestionnaire
from migrants.models import Newcomer

register = template.Library()


@register.inclusion_tag("figures/_exit_prompt.html")
def exit_questionnaire_prompt(
    newcomer_id: int, cases: Iterable[Case] | None = None
) -> dict[str, Any]:
    """With the newcomer's `cases` at hand (the newcomer file lists them anyway) a query only
    once all are closed; without, one query for everything."""
    if cases is not None:
        listed = list(cases)
        due = bool(listed) and all(case.closed_at is not None for case in listed)
        filled = due and ExitQuestionnaire.objects.filter(newcomer_id=newcomer_id).exists()
        return {"newcomer_id": newcomer_id, "due": due, "filled": filled}
    state = (
        Newcomer.objects.filter(pk=newcomer_id)
        .annotate(
            has_case=Exists(Case.objects.filter(newcomer=OuterRef("pk"))),
            has_open=Exists(Case.objects.filter(newcomer=OuterRef("pk"), closed_at__isnull=True)),
            filled=Exists(ExitQuestionnaire.objects.filter(newcomer=OuterRef("pk"))),
        )
        .values("has_case", "has_open", "filled")
        .first()
    ) or {}
    due = bool(state.get("has_case")) and not state.get("has_open")
    return {"newcomer_id": newcomer_id, "due": due, "filled": state.get("filled", False)}
