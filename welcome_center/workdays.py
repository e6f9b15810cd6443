"""Working days in the center's federal state: Monday to Friday minus the public holidays of
settings.CENTER_STATE (the `holidays` package). Answer-by dates of referrals and the
escalation and triage reminders count in these."""

from __future__ import annotations

import functools
from datetime import date, timedelta

import holidays
from django.conf import settings


@functools.cache
def _holidays(state: str, year: int) -> frozenset[date]:
    return frozenset(holidays.Germany(subdiv=state, years=year))


def is_working_day(day: date, *, state: str | None = None) -> bool:
    state = state or settings.CENTER_STATE
    return day.weekday() < 5 and day not in _holidays(state, day.year)


def add_working_days(start: date, days: int, *, state: str | None = None) -> date:
    """The date `days` working days after `start` (before it, for a negative number). Zero
    days gives `start` itself, working day or not."""
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    day = start
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day, state=state):
            remaining -= 1
    return day


def working_days_between(start: date, end: date, *, state: str | None = None) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, state=state):
            count += 1
    return count
