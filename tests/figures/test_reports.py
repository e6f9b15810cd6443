"""The figures on the fixed center of conftest.py, for March 2026; every number is counted
by hand from the rows listed there."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cases.models import Case, Category, Status
from figures.aggregates import median_by
from figures.esf import esf_report
from figures.periods import CUSTOM, Period
from figures.reports import (
    DAYS_TO_CLOSE,
    Scope,
    case_figures,
    check_in_figures,
    company_figures,
    newcomer_figures,
    referral_figures,
)
from tests.figures.conftest import MARCH, Center

pytestmark = pytest.mark.django_db


def test_newcomers_advised_count_each_newcomer_once(center: Center) -> None:
    figures = newcomer_figures(Scope(), MARCH)
    # A (two cases, counted once), B (reopened and closed in March), C (anonymised, opened
    # 31 Mar 23:30) and D (closed 1 Mar 00:00). E opened 1 Apr 00:00: not March.
    assert figures.total == 4
    # New: first case at the center in March: A (5 Mar) and C (31 Mar); B and D began in Feb.
    assert figures.new == 2
    assert figures.by_origin == [("IN", 1), ("PL", 1), ("SY", 1), ("UA", 1)]
    assert figures.by_arrival == [("abroad_third", 2), ("abroad_eu", 1), ("returnee", 1)]


def test_by_month_counts_cases_opened_and_closed_in_berlin_time(center: Center) -> None:
    [march] = newcomer_figures(Scope(), MARCH).by_month
    assert march.month == date(2026, 3, 1)
    # Opened: A1, A2, C1 (23:30 on 31 Mar is still March in Berlin). Closed: A1, B1 and D1
    # (at 00:00 on 1 Mar); C1 closed at 00:30 on 1 Apr.
    assert (march.cases_opened, march.cases_closed, march.new_newcomers) == (3, 3, 2)


def test_a_lotse_sees_their_own_caseload(center: Center) -> None:
    figures = newcomer_figures(Scope(center.lotse.pk), MARCH)
    # L owns A1, B1, D1: newcomers A, B, D; of these only A's first case opened in March.
    assert (figures.total, figures.new) == (3, 1)
    cases = case_figures(Scope(center.lotse.pk), MARCH)
    assert (cases.opened, cases.closed) == (1, 3)  # A1 opened; A1, B1, D1 closed


def test_cases_by_category_with_median_days_to_close(center: Center) -> None:
    rows = {row.category: row for row in case_figures(Scope(), MARCH).by_category}
    assert (rows["housing"].opened, rows["housing"].closed) == (1, 1)
    assert rows["housing"].median_days_to_close == 10.0  # 5 Mar -> 15 Mar
    # B1 counts once, at its last closing, 30 days after it opened; and once as reopened.
    assert (rows["recognition"].opened, rows["recognition"].closed) == (0, 1)
    assert rows["recognition"].median_days_to_close == 30.0
    assert rows["recognition"].reopened == 1
    assert rows["work"].median_days_to_close == 0.0  # one second
    assert (rows["language"].opened, rows["language"].closed) == (1, 0)
    assert (rows["authorities"].opened, rows["authorities"].closed) == (1, 0)
    assert rows["other"].opened == 0  # E1: April


def test_open_cases_by_status_today(center: Center) -> None:
    # Today (15 Apr) open: A2 in progress, E1 in progress (the fixture's open cases).
    assert case_figures(Scope(), MARCH).open_by_status == [(Status.IN_PROGRESS, 2)]


def test_referrals_by_partner(center: Center) -> None:
    [row] = referral_figures(Scope(), MARCH)
    # R1, R2, R3 sent in March (R4 in Feb). Answered R1 (2 days) and R2 (6 days): median 4.
    # On time: R1 of R1, R2 and R3 (unanswered past its date) = 1 of 3.
    assert (row.sent, row.answered, row.on_time, row.due) == (3, 2, 1, 3)
    assert row.median_days == 4.0
    assert row.on_time_percent == 33
    [mine] = referral_figures(Scope(center.lotse.pk), MARCH)
    assert (mine.sent, mine.on_time_percent, mine.median_days) == (2, 50, 4.0)  # R1, R2


def test_company_figures(center: Center) -> None:
    figures = company_figures(Scope(), MARCH)
    # Advised: `company` (introductions I1, I2) and `other_company` (its service request).
    assert figures.advised == 2
    # N1 registered in March and filled; N2 in February. I1 and I2 proposed, I1 hired 25 Mar.
    assert (figures.needs_registered, figures.needs_filled) == (1, 1)
    assert (figures.matches_proposed, figures.hires) == (2, 1)
    mine = company_figures(Scope(center.lotse.pk), MARCH)
    assert (mine.advised, mine.needs_registered, mine.matches_proposed, mine.hires) == (1, 1, 1, 1)


def test_check_ins_six_months_after_starting_work(center: Center) -> None:
    figures = check_in_figures(Scope(), MARCH)
    # Started 1-30 Sep 2025: F (15 Sep), G (30 Sep) and H (hired 1 Sep through an
    # introduction); J (1 Oct) is outside. G's case closed as "left the region".
    assert (figures.cohort_start, figures.cohort_end) == (date(2025, 9, 1), date(2025, 9, 30))
    assert (figures.hired, figures.still_employed, figures.share) == (3, 2, 67)
    # L's caseload: F only (G and H are O's).
    assert check_in_figures(Scope(center.lotse.pk), MARCH).hired == 1


def test_esf_report_counts_entries_and_leavers_by_gender(center: Center) -> None:
    report = esf_report(Scope(), MARCH)
    columns = ("total", "female", "male", "diverse", "not_stated")
    counts = {
        row.indicator.key: dict(zip(columns, row.counts, strict=True))
        for row in report.entries + report.exits
    }
    # Entering in March: A (female) and C (diverse, anonymised): their first cases.
    assert counts["participants"] == {
        "total": 2,
        "female": 1,
        "male": 0,
        "diverse": 1,
        "not_stated": 0,
    }
    # A: 15 Jun 1990 -> 5 Mar 2026 = 35 (birthday still to come). C: 1 Jan 1970 -> 56.
    assert counts["age_30_54"]["female"] == 1
    assert counts["age_55_plus"]["diverse"] == 1
    assert counts["age_under_18"]["total"] == counts["age_18_29"]["total"] == 0
    assert counts["employment_unemployed"]["total"] == 2
    assert counts["education_isced_5_8"]["total"] == counts["education_isced_3_4"]["total"] == 1
    assert counts["third_country"]["total"] == 2  # Ukrainian and Syrian
    assert counts["foreign_background_yes"]["total"] == 1  # A
    assert counts["foreign_background_not_stated"]["total"] == 1  # C
    # Leaving in March: B (employed, qualification) and D (self-employed); F left in Oct.
    assert counts["leavers"] == {"total": 2, "female": 1, "male": 1, "diverse": 0, "not_stated": 0}
    assert counts["in_employment"]["total"] == 2
    assert counts["self_employed"]["female"] == 1
    assert counts["qualification"]["male"] == 1
    assert counts["in_education"]["total"] == 0


def test_esf_report_of_a_lotse(center: Center) -> None:
    report = esf_report(Scope(center.lotse.pk), MARCH)
    # A's first case A1 is L's; C's is O's. B and D left with L's cases.
    assert report.row("participants").total == 1
    assert report.row("leavers").total == 2


def test_a_period_that_ends_before_the_boundary_leaves_the_late_case_out(center: Center) -> None:
    until_30th = Period(CUSTOM, date(2026, 3, 1), date(2026, 3, 30))
    figures = newcomer_figures(Scope(), until_30th)
    assert (figures.total, figures.new) == (3, 1)  # without C (31 Mar 23:30)


@pytest.mark.parametrize("in_database", [True, False])
def test_median_in_the_database_and_by_window_functions_agree(
    center: Center, in_database: bool
) -> None:
    # Add two more closed housing cases of 1 and 4 days: housing has 10, 1, 4 -> 4 (odd);
    # work has D1 (one second) and, with one more of 3 days, the mean of the two (even).
    base = center.cases["A1"]
    for days, category in ((1, Category.HOUSING), (4, Category.HOUSING), (3, Category.WORK)):
        Case.objects.create(
            reference=f"WC-M-{days}",
            newcomer=base.newcomer,
            category=category,
            owner=center.lotse,
            opened_at=base.opened_at,
            status=Status.CLOSED,
            closed_at=base.opened_at + timedelta(days=days),
            outcome="achieved",
        )
    closed = Case.objects.filter(status=Status.CLOSED, closed_at__month=3)
    medians = median_by(closed, "category", DAYS_TO_CLOSE, in_database=in_database)
    assert medians["housing"] == timedelta(days=4)
    assert medians["work"] == (timedelta(seconds=1) + timedelta(days=3)) / 2
    assert medians["recognition"] == timedelta(days=30)
