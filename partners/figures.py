"""How quickly partners answer referrals: plain data for the directory and the partner page.

The median response time is the median of `answered_at - sent_at` over a partner's answered
referrals. PostgreSQL computes it with `percentile_cont(0.5)`; SQLite (the development
default) has no such aggregate, so there the durations are read and the median is taken in
Python. Both give the same number (the mean of the two middle values for an even count), and
both cost one query for any number of partners.

"Answered on time" counts the referrals whose first answer came on or before the answer-by
date (in the center's time zone), out of those whose timeliness is known: the answered ones
plus those still unanswered after their date. A partner who never answers so shows 0 %, not
"no data"; withdrawn referrals that were never answered do not count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
)
from django.utils import timezone

from cases.models import Referral


class Median(Aggregate):
    """PostgreSQL's continuous median; NULLs (unanswered referrals) are ignored."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


RESPONSE_TIME = ExpressionWrapper(F("answered_at") - F("sent_at"), output_field=DurationField())


@dataclass(frozen=True)
class ResponseFigures:
    median: timedelta | None = None
    answered: int = 0
    on_time: int = 0
    # Answered ones plus those unanswered past their answer-by date.
    due: int = 0

    @property
    def median_days(self) -> float | None:
        return None if self.median is None else self.median / timedelta(days=1)

    @property
    def on_time_percent(self) -> int | None:
        return None if not self.due else round(100 * self.on_time / self.due)


NO_FIGURES = ResponseFigures()


def _counted(today: date) -> Q:
    """Referrals whose timeliness is known on `today`."""
    unanswered_late = Q(answered_at__isnull=True, answer_by__lt=today) & ~Q(
        status=Referral.Status.WITHDRAWN
    )
    return Q(answered_at__isnull=False) | unanswered_late


def response_figures(
    partner_ids: Iterable[int], *, in_database: bool | None = None
) -> dict[int, ResponseFigures]:
    """Figures for each of `partner_ids` (partners without referrals are left out: use
    `.get(pk, NO_FIGURES)`). `in_database` picks the median's path; by default the database's
    own where it has one."""
    ids = list(partner_ids)
    if not ids:
        return {}
    if in_database is None:
        in_database = connection.vendor == "postgresql"
    today = timezone.localdate()
    referrals = Referral.objects.filter(_counted(today), partner_id__in=ids).order_by()
    if in_database:
        return _aggregated(referrals)
    return _in_python(referrals)


def _aggregated(referrals: Any) -> dict[int, ResponseFigures]:
    rows = referrals.values("partner_id").annotate(
        median=Median(RESPONSE_TIME),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        on_time=Count("pk", filter=Q(answered_at__date__lte=F("answer_by"))),
        due=Count("pk"),
    )
    return {
        row["partner_id"]: ResponseFigures(
            median=row["median"], answered=row["answered"], on_time=row["on_time"], due=row["due"]
        )
        for row in rows
    }


def _in_python(referrals: Any) -> dict[int, ResponseFigures]:
    durations: dict[int, list[timedelta]] = defaultdict(list)
    on_time: dict[int, int] = defaultdict(int)
    due: dict[int, int] = defaultdict(int)
    rows = referrals.values_list("partner_id", "sent_at", "answered_at", "answer_by")
    for partner_id, sent_at, answered_at, answer_by in rows:
        due[partner_id] += 1
        if answered_at is None:
            continue
        durations[partner_id].append(answered_at - sent_at)
        if timezone.localdate(answered_at) <= answer_by:
            on_time[partner_id] += 1
    return {
        partner_id: ResponseFigures(
            median=_median(durations[partner_id]),
            answered=len(durations[partner_id]),
            on_time=on_time[partner_id],
            due=count,
        )
        for partner_id, count in due.items()
    }


def _median(durations: list[timedelta]) -> timedelta | None:
    """As percentile_cont(0.5): the middle value, or the mean of the two middle values."""
    if not durations:
        return None
    ordered = sorted(durations)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2
