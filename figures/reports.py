"""The figures, as pure functions over querysets returning plain data (STYLE.md, "Reports").

Every function takes a `Scope` (the whole center for the head, a Lotse's own caseload) and a
`Period`, runs a fixed number of SQL aggregates whatever the amount of data, and returns
frozen dataclasses; `Statistics` gathers them, each computed when first read. The statistics
page, its charts, the CSV and XLSX exports, the ESF+ report and the monthly e-mail all call
these. The definitions are in README.md, "Figures".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DateField,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    When,
)
from django.db.models import Case as CaseWhen
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.models import Case, CaseEvent, Category, EventKind, Outcome, Referral, Status
from companies.models import Company, Introduction, ServiceRequest, SkilledWorkerNeed
from figures.aggregates import days, median_by, percent
from figures.models import EmploymentOnLeaving, ExitQuestionnaire
from figures.periods import Period
from migrants.models import Newcomer
from partners.figures import RESPONSE_TIME, Median
from partners.figures import _counted as response_counted

TOP_ORIGINS = 10
CHECK_IN_MONTHS = 6


@dataclass(frozen=True)
class Scope:
    """Whose figures: the whole center (`owner_id` None) or one Lotse's caseload, i.e. the
    cases they own and what hangs off them."""

    owner_id: int | None = None

    @property
    def whole_center(self) -> bool:
        return self.owner_id is None

    def cases(self) -> QuerySet[Case]:
        cases = Case.objects.order_by()
        return cases if self.owner_id is None else cases.filter(owner_id=self.owner_id)


def active_in(period: Period, prefix: str = "") -> Q:
    """Cases open at some time in the period: opened before its end and not closed before its
    start (a reopened case counts from its opening to its latest closing)."""
    return Q(**{f"{prefix}opened_at__lt": period.end_at}) & (
        Q(**{f"{prefix}closed_at__isnull": True})
        | Q(**{f"{prefix}closed_at__gte": period.start_at})
    )


def within(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start_at, f"{field}__lt": period.end_at})


def advised_newcomers(scope: Scope, period: Period) -> QuerySet[Newcomer]:
    """Newcomers with a case (of the scope) open at some time in the period, anonymised or
    not."""
    active = scope.cases().filter(active_in(period), newcomer=OuterRef("pk"))
    return Newcomer.objects.order_by().filter(Exists(active))


def first_cases(scope: Scope, period: Period) -> QuerySet[Case]:
    """The first case at the center of each newcomer whose first case opened in the period
    (ties broken by id), for the newcomers advised in the scope: the newcomers new in the
    period, one row each, with the case's `opened_at` as their entry."""
    earlier = Case.objects.filter(newcomer=OuterRef("newcomer_id")).filter(
        Q(opened_at__lt=OuterRef("opened_at"))
        | Q(opened_at=OuterRef("opened_at"), pk__lt=OuterRef("pk"))
    )
    cases = Case.objects.order_by().filter(within("opened_at", period)).filter(~Exists(earlier))
    if not scope.whole_center:
        active = scope.cases().filter(active_in(period), newcomer=OuterRef("newcomer_id"))
        cases = cases.filter(Exists(active))
    return cases


# Newcomers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthRow:
    month: date
    new_newcomers: int
    cases_opened: int
    cases_closed: int


@dataclass(frozen=True)
class NewcomerFigures:
    total: int
    new: int
    by_month: list[MonthRow]
    # (ISO code, count); "" is "not stated"; the 11th row (code None) is the rest.
    by_origin: list[tuple[str | None, int]]
    by_arrival: list[tuple[str, int]]


def _per_month(queryset: QuerySet[Any], field: str) -> dict[date, int]:
    rows = queryset.annotate(month=TruncMonth(field)).values("month").annotate(n=Count("pk"))
    return {timezone.localtime(row["month"]).date(): row["n"] for row in rows}


@dataclass(frozen=True)
class CaseCounts:
    """Cases opened in the period and cases closed in it, by month and by category."""

    opened_by_month: Counter[date]
    closed_by_month: Counter[date]
    opened_by_category: Counter[str]
    closed_by_category: Counter[str]


def _month_if(condition: Q, field: str) -> TruncMonth:
    """The first day of the month (in the center's time zone) of `field` where `condition`
    holds, else NULL. A date, so that the groups need no time zone in Python."""
    return TruncMonth(
        CaseWhen(When(condition, then=F(field)), default=None, output_field=DateTimeField()),
        output_field=DateField(),
    )


def case_counts(scope: Scope, period: Period) -> CaseCounts:
    """One pass over the cases opened or closed in the period for the month table and the
    category table: grouped by category, month of opening (none if opened before the period)
    and month of closing (none if not closed in it), some hundreds of groups a year, added
    up here."""
    opened_in = within("opened_at", period)
    closed_in = within("closed_at", period) & Q(status=Status.CLOSED)
    groups = (
        scope.cases()
        .filter(opened_in | closed_in)
        .values(
            "category",
            opened_month=_month_if(opened_in, "opened_at"),
            closed_month=_month_if(closed_in, "closed_at"),
        )
        .annotate(n=Count("pk"))
    )
    counts = CaseCounts(Counter(), Counter(), Counter(), Counter())
    for group in groups:
        if group["opened_month"] is not None:
            counts.opened_by_month[group["opened_month"]] += group["n"]
            counts.opened_by_category[group["category"]] += group["n"]
        if group["closed_month"] is not None:
            counts.closed_by_month[group["closed_month"]] += group["n"]
            counts.closed_by_category[group["category"]] += group["n"]
    return counts


def newcomer_figures(
    scope: Scope, period: Period, counts: CaseCounts | None = None
) -> NewcomerFigures:
    """`counts`: the period's case_counts, if the caller has them already."""
    counts = counts or case_counts(scope, period)
    advised = advised_newcomers(scope, period)
    new = _per_month(first_cases(scope, period), "opened_at")
    months = [
        MonthRow(
            month,
            new.get(month, 0),
            counts.opened_by_month[month],
            counts.closed_by_month[month],
        )
        for month in period.months()
    ]
    # Both breakdowns from one GROUP BY over both columns (a few dozen groups), added up here.
    by_origin: Counter[str] = Counter()
    by_arrival: Counter[str] = Counter()
    for row in advised.values("country_of_origin", "kind_of_arrival").annotate(n=Count("pk")):
        by_origin[row["country_of_origin"]] += row["n"]
        by_arrival[row["kind_of_arrival"]] += row["n"]
    return NewcomerFigures(
        total=sum(by_origin.values()),
        new=sum(new.values()),
        by_month=months,
        by_origin=_top_origins(by_origin),
        by_arrival=sorted(by_arrival.items(), key=lambda pair: (-pair[1], pair[0])),
    )


def _top_origins(counts: dict[str, int]) -> list[tuple[str | None, int]]:
    """The ten most frequent countries, then all other countries together (None), then
    "not stated" ("")."""
    stated = sorted(
        ((code, n) for code, n in counts.items() if code), key=lambda pair: (-pair[1], pair[0])
    )
    result: list[tuple[str | None, int]] = list(stated[:TOP_ORIGINS])
    rest = sum(n for _code, n in stated[TOP_ORIGINS:])
    if rest:
        result.append((None, rest))
    if counts.get(""):
        result.append(("", counts[""]))
    return result


# Cases -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryRow:
    category: str
    opened: int
    closed: int
    reopened: int
    median_days_to_close: float | None


@dataclass(frozen=True)
class CaseFigures:
    by_category: list[CategoryRow]
    open_by_status: list[tuple[str, int]]

    @property
    def opened(self) -> int:
        return sum(row.opened for row in self.by_category)

    @property
    def closed(self) -> int:
        return sum(row.closed for row in self.by_category)


DAYS_TO_CLOSE = ExpressionWrapper(F("closed_at") - F("opened_at"), output_field=DurationField())


def case_figures(scope: Scope, period: Period, counts: CaseCounts | None = None) -> CaseFigures:
    """`counts`: the period's case_counts, if the caller has them already."""
    counts = counts or case_counts(scope, period)
    cases = scope.cases()
    closed_in_period = within("closed_at", period) & Q(status=Status.CLOSED)
    medians = median_by(cases.filter(closed_in_period), "category", DAYS_TO_CLOSE)
    reopened = dict(
        CaseEvent.objects.filter(
            within("created_at", period),
            kind=EventKind.STATUS,
            old_value=Status.CLOSED,
            case__in=cases,
        )
        .values("case__category")
        .annotate(n=Count("case", distinct=True))
        .values_list("case__category", "n")
    )
    rows = [
        CategoryRow(
            category=category,
            opened=counts.opened_by_category[category],
            closed=counts.closed_by_category[category],
            reopened=reopened.get(category, 0),
            median_days_to_close=days(medians.get(category)),
        )
        for category in Category.values
    ]
    open_now = dict(
        cases.open().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    by_status = [
        (status, open_now.get(status, 0)) for status in Status.values if status in open_now
    ]
    return CaseFigures(by_category=rows, open_by_status=by_status)


# Referrals -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerRow:
    partner_id: int
    name: str
    sent: int
    answered: int
    on_time: int
    due: int
    median_days: float | None

    @property
    def on_time_percent(self) -> int | None:
        return percent(self.on_time, self.due)


def referral_figures(scope: Scope, period: Period) -> list[PartnerRow]:
    """Referrals sent in the period, by partner. "On time" as on the partner page
    (partners/figures.py): first answer on or before the answer-by date, out of the answered
    ones plus those still unanswered past their date."""
    referrals = Referral.objects.order_by().filter(within("sent_at", period))
    if not scope.whole_center:
        referrals = referrals.filter(case__owner_id=scope.owner_id)
    aggregates: dict[str, Aggregate] = {
        "sent": Count("pk"),
        "answered": Count("pk", filter=Q(answered_at__isnull=False)),
        "on_time": Count("pk", filter=Q(answered_at__date__lte=F("answer_by"))),
        "due": Count("pk", filter=response_counted(timezone.localdate())),
    }
    # On PostgreSQL the median comes from the same pass (percentile_cont leaves out the
    # unanswered, whose response time is NULL); elsewhere from median_by's window functions.
    in_database = connection.vendor == "postgresql"
    if in_database:
        aggregates["median"] = Median(RESPONSE_TIME)
    rows = list(referrals.values("partner_id", "partner__name").annotate(**aggregates))
    medians = (
        {row["partner_id"]: row["median"] for row in rows}
        if in_database
        else median_by(referrals, "partner_id", RESPONSE_TIME)
    )
    result = [
        PartnerRow(
            partner_id=row["partner_id"],
            name=row["partner__name"],
            sent=row["sent"],
            answered=row["answered"],
            on_time=row["on_time"],
            due=row["due"],
            median_days=days(medians.get(row["partner_id"])),
        )
        for row in rows
    ]
    return sorted(result, key=lambda row: (-row.sent, row.name))


# Companies and check-ins -----------------------------------------------------------------


@dataclass(frozen=True)
class CompanyFigures:
    advised: int
    needs_registered: int
    needs_filled: int
    matches_proposed: int
    hires: int


def company_figures(scope: Scope, period: Period) -> CompanyFigures:
    requests = ServiceRequest.objects.filter(within("created_at", period))
    introductions = Introduction.objects.order_by()
    cases = scope.cases().filter(active_in(period))
    if not scope.whole_center:
        requests = requests.filter(owner_id=scope.owner_id)
        introductions = introductions.filter(proposed_by_id=scope.owner_id)
    advised = Company.objects.filter(
        Exists(requests.filter(company=OuterRef("pk")))
        | Exists(introductions.filter(within("proposed_at", period), need__company=OuterRef("pk")))
        | Exists(cases.filter(company=OuterRef("pk")))
    ).count()
    needs = SkilledWorkerNeed.objects.order_by().filter(within("created_at", period))
    if not scope.whole_center:
        needs = needs.filter(
            Exists(introductions.filter(need=OuterRef("pk")))
            | Exists(ServiceRequest.objects.filter(need=OuterRef("pk"), owner_id=scope.owner_id))
        )
    need_counts = needs.aggregate(
        registered=Count("pk"), filled=Count("pk", filter=Q(status=SkilledWorkerNeed.Status.FILLED))
    )
    matches = introductions.aggregate(
        proposed=Count("pk", filter=within("proposed_at", period)),
        hires=Count(
            "pk",
            filter=Q(
                status=Introduction.Status.HIRED,
                hired_on__gte=period.start,
                hired_on__lte=period.end,
            ),
        ),
    )
    return CompanyFigures(
        advised=advised,
        needs_registered=need_counts["registered"],
        needs_filled=need_counts["filled"],
        matches_proposed=matches["proposed"],
        hires=matches["hires"],
    )


@dataclass(frozen=True)
class CheckInFigures:
    cohort_start: date
    cohort_end: date
    hired: int
    still_employed: int

    @property
    def share(self) -> int | None:
        return percent(self.still_employed, self.hired)


def check_in_figures(scope: Scope, period: Period) -> CheckInFigures:
    """Of the newcomers who started work six months before the period (their start date in
    the same days shifted back by six months), those still employed in the region: no case
    of theirs closed as "left the region" and no exit questionnaire saying "not in
    employment", up to the end of the period."""
    cohort_period = period.shifted(-CHECK_IN_MONTHS)
    # The start date is the newcomer file's, else the first hire's: the newcomers whose first
    # hire falls in the cohort's days, in one GROUP BY over the hires (a subquery per newcomer
    # would run for every newcomer of the center).
    first_hire_in_cohort = (
        Introduction.objects.order_by()
        .filter(status=Introduction.Status.HIRED)
        .values("newcomer_id")
        .annotate(first_hire=Min("hired_on"))
        .filter(first_hire__gte=cohort_period.start, first_hire__lte=cohort_period.end)
        .values("newcomer_id")
    )
    newcomers = Newcomer.objects.order_by().filter(
        Q(started_work_on__gte=cohort_period.start, started_work_on__lte=cohort_period.end)
        | Q(started_work_on__isnull=True, pk__in=first_hire_in_cohort)
    )
    if not scope.whole_center:
        newcomers = newcomers.filter(Exists(scope.cases().filter(newcomer=OuterRef("pk"))))
    # Who left, as two sets each hashed once (not a subquery per newcomer of the cohort).
    left = Case.objects.filter(outcome=Outcome.LEFT_REGION, closed_at__lt=period.end_at).values(
        "newcomer_id"
    )
    unemployed = ExitQuestionnaire.objects.filter(
        employment=EmploymentOnLeaving.NOT_EMPLOYED, left_on__lte=period.end
    ).values("newcomer_id")
    counts = newcomers.aggregate(
        hired=Count("pk"), still=Count("pk", filter=~Q(pk__in=left) & ~Q(pk__in=unemployed))
    )
    return CheckInFigures(cohort_period.start, cohort_period.end, counts["hired"], counts["still"])


# Everything of the statistics page, and the monthly e-mail's key figures --------------------


class Statistics:
    """All figures of a scope and period, each part computed when first read: the page and
    the summary read them all, an export of one table or the monthly e-mail only the parts
    they show."""

    def __init__(self, scope: Scope, period: Period) -> None:
        self.scope = scope
        self.period = period

    @cached_property
    def case_counts(self) -> CaseCounts:
        """Shared by the newcomers' month table and the cases' category table."""
        return case_counts(self.scope, self.period)

    @cached_property
    def newcomers(self) -> NewcomerFigures:
        return newcomer_figures(self.scope, self.period, self.case_counts)

    @cached_property
    def cases(self) -> CaseFigures:
        return case_figures(self.scope, self.period, self.case_counts)

    @cached_property
    def referrals(self) -> list[PartnerRow]:
        return referral_figures(self.scope, self.period)

    @cached_property
    def companies(self) -> CompanyFigures:
        return company_figures(self.scope, self.period)

    @cached_property
    def check_ins(self) -> CheckInFigures:
        return check_in_figures(self.scope, self.period)


def statistics(scope: Scope, period: Period) -> Statistics:
    return Statistics(scope, period)
