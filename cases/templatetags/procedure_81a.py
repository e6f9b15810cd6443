"""`{{ procedure|procedure_steps }}`: the steps of a § 81a procedure with due dates and what is
overdue, for the case file (cases/procedure.py)."""

from __future__ import annotations

from django import template

from cases import procedure
from cases.models import AcceleratedProcedure

register = template.Library()


@register.filter
def procedure_steps(accelerated: AcceleratedProcedure | str) -> list[procedure.StepState]:
    # A case without a procedure gives "" (the template engine's missing related object).
    if not isinstance(accelerated, AcceleratedProcedure):
        return []
    return procedure.steps(accelerated)
