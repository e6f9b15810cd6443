"""Helpers of the reminder tests: a clock set to a morning in Berlin, the sweep as beat runs
it, and what it left in the outbox."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import OutgoingEmail
from reminders.models import Reminder
from reminders.services import SweepResult, send_reminders

BERLIN = ZoneInfo("Europe/Berlin")


def morning(day: date) -> datetime:
    """07:00 in Berlin, when beat runs the sweep."""
    return datetime.combine(day, time(7, 0), tzinfo=BERLIN)


@pytest.fixture
def sweep_on() -> Callable[[date], SweepResult]:
    """`sweep_on(day)`: travel to that morning and run the sweep (as the beat task does)."""

    def run(day: date) -> SweepResult:
        with time_machine.travel(morning(day), tick=False):
            return send_reminders()

    return run


@pytest.fixture
def clock() -> Iterator[Callable[[date], None]]:
    """`clock(day)` moves the frozen clock to that morning (for building data "today")."""
    traveller: time_machine.travel | None = None

    def move(day: date) -> None:
        nonlocal traveller
        if traveller is not None:
            traveller.stop()
        traveller = time_machine.travel(morning(day), tick=False)
        traveller.start()

    yield move
    if traveller is not None:
        traveller.stop()


def items(**filters: object) -> list[tuple[str, str, str]]:
    """(rule, period, recipient) of every reminder item, in creation order."""
    rows = Reminder.objects.filter(**filters).order_by("pk").select_related("recipient_user")
    return [
        (r.rule, r.period, r.recipient_user.email if r.recipient_user else r.recipient_email)
        for r in rows
    ]


def digests() -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(template="reminder-digest").order_by("pk"))
