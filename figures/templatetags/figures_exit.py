"""The prompt on the case file and the newcomer file to fill in the exit questionnaire once
the newcomer's last case has closed."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Exists, OuterRef

from cases.models import Case
from figures.models import ExitQuestionnaire
from migrants.models import Newcomer

register = template.Library()


@register.inclusion_tag("figures/_exit_prompt.html")
def exit_questionnaire_prompt(newcomer_id: int) -> dict[str, Any]:
    """One query: has the newcomer a case, any open one, and a questionnaire already?"""
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
