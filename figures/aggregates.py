"""Medians computed by the database, grouped.

PostgreSQL has `percentile_cont(0.5)` (partners.figures.Median, shared with the partner
page). SQLite has no such aggregate, so there the database ranks the values of each group with
window functions and returns only the one or two middle rows; their mean is the median exactly
as percentile_cont computes it (the middle value, or the mean of the two middle values). Either
way no group's rows are loaded to be counted in Python.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, Expression, F, QuerySet, Window
from django.db.models.functions import RowNumber

from partners.figures import Median


def median_by(
    queryset: QuerySet[Any],
    group: str,
    value: Expression,
    *,
    in_database: bool | None = None,
) -> dict[Any, timedelta]:
    """{group value: median of `value`} over the rows of `queryset` where `value` is set.
    `in_database` picks percentile_cont (default on PostgreSQL) or the window-function path."""
    rows = queryset.order_by().annotate(median_value=value).filter(median_value__isnull=False)
    if in_database is None:
        in_database = connection.vendor == "postgresql"
    if in_database:
        grouped = rows.values(group).annotate(median=Median(F("median_value")))
        return {row[group]: row["median"] for row in grouped}
    ranked = rows.annotate(
        median_rank=Window(RowNumber(), partition_by=[F(group)], order_by=F("median_value").asc()),
        median_count=Window(Count("pk"), partition_by=[F(group)]),
    )
    # Integer division: for 4 rows the 2nd and 3rd, for 5 rows the 3rd only.
    middle = ranked.filter(
        median_rank__gte=(F("median_count") + 1) / 2,
        median_rank__lte=(F("median_count") + 2) / 2,
    ).values_list(group, "median_value")
    found: dict[Any, list[timedelta]] = defaultdict(list)
    for key, duration in middle:
        found[key].append(duration)
    return {key: sum(values, timedelta()) / len(values) for key, values in found.items()}


def days(duration: timedelta | None) -> float | None:
    return None if duration is None else round(duration / timedelta(days=1), 1)


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None
