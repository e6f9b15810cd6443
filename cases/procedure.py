"""The § 81a AufenthG accelerated procedure on a case: its steps in order, the legal targets,
what is overdue, and the workflow that starts it and dates its steps (with timeline entries).

The targets (DOMAIN.md): the recognition body decides within two months of the start; the
embassy gives an appointment within three weeks of the pre-approval and decides on the visa
within three weeks of the appointment. A step is overdue from the day after its due date until
it is dated. `overdue_steps(today)` is what the reminders engine asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext

from accounts.models import User
from cases.models import AcceleratedProcedure, Case, CaseEvent, EventKind

# The steps in the order they happen; each date must be on or after the one before it.
STEPS: tuple[str, ...] = (
    "power_of_attorney_on",
    "agreement_on",
    "recognition_started_on",
    "recognition_decided_on",
    "preapproval_on",
    "embassy_appointment_on",
    "visa_decided_on",
    "arrived_on",
)


@dataclass(frozen=True)
class Target:
    """`step` is due `period` after `after` was dated."""

    step: str
    after: str
    period: relativedelta


TARGETS: dict[str, Target] = {
    target.step: target
    for target in (
        Target("recognition_decided_on", "recognition_started_on", relativedelta(months=2)),
        Target("embassy_appointment_on", "preapproval_on", relativedelta(weeks=3)),
        Target("visa_decided_on", "embassy_appointment_on", relativedelta(weeks=3)),
    )
}

# Steps that may lie ahead: an appointment is booked before it takes place, and the arrival
# planned. Every other step is dated when it happened.
MAY_BE_AHEAD = frozenset({"embassy_appointment_on", "arrived_on"})


def label(step: str) -> str:
    return str(AcceleratedProcedure._meta.get_field(step).verbose_name)


@dataclass(frozen=True)
class StepState:
    step: str
    label: str
    done_on: date | None
    due_on: date | None
    overdue: bool
    target: str


def target_text(target: Target) -> str:
    if target.period.months:
        return gettext("within %(n)d months of: %(step)s") % {
            "n": target.period.months,
            "step": label(target.after),
        }
    return gettext("within %(n)d weeks of: %(step)s") % {
        "n": target.period.days // 7,
        "step": label(target.after),
    }


def due_on(procedure: AcceleratedProcedure, step: str) -> date | None:
    target = TARGETS.get(step)
    start = getattr(procedure, target.after) if target else None
    return start + target.period if target and start else None


def steps(procedure: AcceleratedProcedure, today: date | None = None) -> list[StepState]:
    """Every step with its date, due date (where a target applies) and whether it is overdue."""
    today = today or timezone.localdate()
    states = []
    for step in STEPS:
        done = getattr(procedure, step)
        due = due_on(procedure, step)
        target = TARGETS.get(step)
        states.append(
            StepState(
                step=step,
                label=label(step),
                done_on=done,
                due_on=due,
                overdue=done is None and due is not None and due < today,
                target=target_text(target) if target else "",
            )
        )
    return states


@dataclass(frozen=True)
class OverdueStep:
    procedure: AcceleratedProcedure
    step: str
    due_on: date


def overdue_steps(today: date | None = None) -> list[OverdueStep]:
    """Every step past its target, of procedures on open cases, oldest due first: one query
    per target, each answered from the dates on the rows."""
    today = today or timezone.localdate()
    found = []
    for target in TARGETS.values():
        overdue = AcceleratedProcedure.objects.filter(
            Q(**{f"{target.step}__isnull": True, f"{target.after}__lt": today - target.period}),
            case__closed_at__isnull=True,
        ).select_related("case__owner", "case__newcomer")
        for procedure in overdue:
            due = due_on(procedure, target.step)
            # The filter is month arithmetic run backwards; check it forwards too.
            if due is not None and due < today:
                found.append(OverdueStep(procedure, target.step, due))
    return sorted(found, key=lambda item: (item.due_on, item.procedure.pk))


# ---- validation --------------------------------------------------------------------------


def date_errors(dates: dict[str, date | None], *, today: date) -> dict[str, str]:
    """{step: message} for dates that break the order or are implausible."""
    errors: dict[str, str] = {}
    earliest = today - timedelta(days=5 * 365)
    previous: tuple[str, date] | None = None
    for step in STEPS:
        value = dates.get(step)
        if value is None:
            continue
        if value < earliest:
            errors[step] = gettext("This date is more than five years ago.")
        elif value > today + timedelta(days=365) or (value > today and step not in MAY_BE_AHEAD):
            errors[step] = gettext("This step cannot be dated in the future.")
        elif previous is not None and value < previous[1]:
            errors[step] = gettext("This step cannot be before “%(step)s” (%(date)s).") % {
                "step": label(previous[0]),
                "date": formats.date_format(previous[1], "SHORT_DATE_FORMAT"),
            }
        previous = (step, value)
    # A step without its predecessor: recognition decided without a start, and so on.
    for before, step in pairwise(STEPS):
        if dates.get(step) and not dates.get(before) and step not in errors:
            errors[step] = gettext("Date “%(step)s” first.") % {"step": label(before)}
    return errors


# ---- the workflow ------------------------------------------------------------------------


@transaction.atomic
def start_procedure(case: Case, *, by: User) -> AcceleratedProcedure:
    procedure, created = AcceleratedProcedure.objects.get_or_create(case=case)
    if created:
        _event(case, by, "", "", gettext("§ 81a accelerated procedure started."))
    return procedure


@transaction.atomic
def date_steps(procedure: AcceleratedProcedure, dates: dict[str, date | None], *, by: User) -> int:
    """Store the step dates (already validated); one timeline entry per changed step. Returns
    how many steps changed."""
    old = {step: getattr(procedure, step) for step in STEPS}
    changed = [step for step in STEPS if step in dates and dates[step] != old[step]]
    if not changed:
        return 0
    for step in changed:
        setattr(procedure, step, dates[step])
    procedure.save(update_fields=changed)  # audited by its signal
    for step in changed:
        value = dates[step]
        text = (
            f"{label(step)}: {formats.date_format(value, 'SHORT_DATE_FORMAT')}"
            if value
            else gettext("%(step)s: date removed") % {"step": label(step)}
        )
        _event(
            procedure.case,
            by,
            old[step].isoformat() if old[step] else "",
            value.isoformat() if value else "",
            text,
        )
    return len(changed)


def _event(case: Case, by: User, old: str, new: str, text: str) -> None:
    now = timezone.now()
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.PROCEDURE,
        actor=by,
        created_at=now,
        old_value=old,
        new_value=new,
        text=text,
    )
    Case.objects.filter(pk=case.pk).update(last_activity_at=now)
