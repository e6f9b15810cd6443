"""The report figures as tables: what the page shows under each chart and what the CSV and
XLSX exports write. Built from the report functions' plain data, nothing queried here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_countries import countries

from cases.models import Category, Status
from figures.esf import COLUMNS, EsfReport
from figures.reports import Statistics
from migrants.models import KindOfArrival

Cell = str | int | float | None


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    # "bar" (horizontal bars), "column" (vertical bars, for months) or "" (no chart).
    chart: str = ""
    # The column the chart draws (the first column holds the labels).
    chart_column: int = 1
    notes: list[str] = field(default_factory=list)


def _country(code: str | None) -> str:
    if code is None:
        return _("all other countries")
    return str(countries.name(code)) or code if code else _("not stated")


def _summary(stats: Statistics) -> Table:
    n, c, co, ci = stats.newcomers, stats.cases, stats.companies, stats.check_ins
    share = "" if ci.share is None else f"{ci.share} %"
    return Table(
        "summary",
        _("Key figures"),
        (_("Figure"), _("Value")),
        [
            (_("Newcomers advised"), n.total),
            (_("of whom new"), n.new),
            (_("Cases opened"), c.opened),
            (_("Cases closed"), c.closed),
            (_("Companies advised"), co.advised),
            (_("Skilled-worker needs registered"), co.needs_registered),
            (_("of which filled"), co.needs_filled),
            (_("Matches proposed"), co.matches_proposed),
            (_("Hires"), co.hires),
            (_("Started work six months earlier"), ci.hired),
            (_("still employed in the region"), ci.still_employed),
            (_("Share still employed after six months"), share),
        ],
    )


def _months(stats: Statistics) -> Table:
    return Table(
        "months",
        _("By month"),
        (_("Month"), _("Cases opened"), _("Cases closed"), _("New newcomers")),
        [
            (
                date_format(row.month, "YEAR_MONTH_FORMAT"),
                row.cases_opened,
                row.cases_closed,
                row.new_newcomers,
            )
            for row in stats.newcomers.by_month
        ],
        chart="column",
    )


def _origins(stats: Statistics) -> Table:
    return Table(
        "origins",
        _("Newcomers by country of origin"),
        (_("Country of origin"), _("Newcomers")),
        [(_country(code), count) for code, count in stats.newcomers.by_origin],
        chart="bar",
    )


def _arrival(stats: Statistics) -> Table:
    return Table(
        "arrival",
        _("Newcomers by kind of arrival"),
        (_("Kind of arrival"), _("Newcomers")),
        [(str(KindOfArrival(kind).label), count) for kind, count in stats.newcomers.by_arrival],
        chart="bar",
    )


def _categories(stats: Statistics) -> Table:
    return Table(
        "categories",
        _("Cases by category"),
        (_("Category"), _("Opened"), _("Closed"), _("Reopened"), _("Median days to close")),
        [
            (
                str(Category(row.category).label),
                row.opened,
                row.closed,
                row.reopened,
                row.median_days_to_close,
            )
            for row in stats.cases.by_category
        ],
        chart="bar",
    )


def _open(stats: Statistics) -> Table:
    return Table(
        "open",
        _("Open cases by status (today)"),
        (_("Status"), _("Open cases")),
        [(str(Status(status).label), count) for status, count in stats.cases.open_by_status],
    )


def _referrals(stats: Statistics) -> Table:
    return Table(
        "referrals",
        _("Referrals by partner"),
        (
            _("Partner"),
            _("Median response time in days"),
            _("Sent"),
            _("Answered"),
            _("Answered on time (%)"),
        ),
        [
            (row.name, row.median_days, row.sent, row.answered, row.on_time_percent)
            for row in stats.referrals
        ],
        chart="bar",
    )


# The tables of the statistics page in order, by slug. Each reads only the parts of the
# figures it shows, so an export of one table runs only their queries.
STATISTICS_TABLES: dict[str, Callable[[Statistics], Table]] = {
    "summary": _summary,
    "months": _months,
    "origins": _origins,
    "arrival": _arrival,
    "categories": _categories,
    "open": _open,
    "referrals": _referrals,
}


def statistics_tables(stats: Statistics) -> list[Table]:
    return [build(stats) for build in STATISTICS_TABLES.values()]


def esf_table(report: EsfReport) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for section, section_rows in report.sections():
        rows.append((str(section), *([None] * len(COLUMNS))))
        rows.extend((str(row.indicator.label), *row.counts) for row in section_rows)
    return Table(
        "esf", _("ESF+ indicators"), (_("Indicator"), *(str(label) for _v, label in COLUMNS)), rows
    )
