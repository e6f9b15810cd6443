"""The period a report covers: whole days in the center's time zone, from `start` to `end`
inclusive, chosen as this month, quarter or year, or as a custom range (all in the URL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MONTH, QUARTER, YEAR, CUSTOM = "month", "quarter", "year", "custom"
KINDS = (
    (MONTH, _("this month")),
    (QUARTER, _("this quarter")),
    (YEAR, _("this year")),
    (CUSTOM, _("custom range")),
)


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # inclusive

    @property
    def start_at(self) -> datetime:
        """The first moment of the period, in the center's time zone."""
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_at(self) -> datetime:
        """The first moment after the period (exclusive upper bound)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def months(self) -> list[date]:
        """The first day of every calendar month the period touches."""
        month = self.start.replace(day=1)
        result = []
        while month <= self.end:
            result.append(month)
            month += relativedelta(months=1)
        return result

    def shifted(self, months: int) -> Period:
        """The same days `months` months earlier (negative) or later."""
        return Period(
            CUSTOM,
            self.start + relativedelta(months=months),
            self.end + relativedelta(months=months),
        )

    def query(self) -> str:
        """The URL parameters that choose this period again."""
        if self.kind == CUSTOM:
            return urlencode({"period": CUSTOM, "from": self.start, "to": self.end})
        return urlencode({"period": self.kind})


def preset(kind: str, today: date | None = None) -> Period:
    """The calendar month, quarter or year that contains `today`."""
    today = today or timezone.localdate()
    if kind == YEAR:
        return Period(YEAR, date(today.year, 1, 1), date(today.year, 12, 31))
    if kind == QUARTER:
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return Period(QUARTER, first, first + relativedelta(months=3) - timedelta(days=1))
    first = today.replace(day=1)
    return Period(MONTH, first, first + relativedelta(months=1) - timedelta(days=1))


def last_month(today: date | None = None) -> Period:
    """The calendar month before the one of `today` (the monthly e-mail's period)."""
    first = (today or timezone.localdate()).replace(day=1)
    previous = first - relativedelta(months=1)
    return Period(CUSTOM, previous, first - timedelta(days=1))
