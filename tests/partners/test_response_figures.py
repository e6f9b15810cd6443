"""The median response time and the share answered on time, on PostgreSQL's percentile_cont
and on the Python fallback SQLite uses: both paths must agree, on odd and even counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection

from accounts.models import User
from cases.models import Referral
from partners.figures import NO_FIGURES, response_figures
from partners.models import Partner
from tests.factories import CaseFactory, PartnerFactory
from tests.partners.helpers import SENT, referral

pytestmark = pytest.mark.django_db

# Both paths on PostgreSQL; only the fallback where the database has no percentile_cont.
PATHS = [False, True] if connection.vendor == "postgresql" else [False]
LATER = date(2026, 4, 1)  # every answer-by date of these tests has passed


@pytest.fixture(autouse=True)
def _after_every_answer_by_date() -> object:
    with time_machine.travel(LATER, tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize("in_database", PATHS)
def test_median_of_an_odd_number_of_answers_is_the_middle_one(
    partner: Partner, lotse: User, in_database: bool
) -> None:
    case = CaseFactory.create(owner=lotse)
    for hours in (2, 30, 200):
        referral(case, partner, answered_after=timedelta(hours=hours))

    figures = response_figures([partner.pk], in_database=in_database)[partner.pk]

    assert figures.median == timedelta(hours=30)
    assert figures.median_days == pytest.approx(1.25)
    assert figures.answered == 3


@pytest.mark.parametrize("in_database", PATHS)
def test_median_of_an_even_number_of_answers_is_the_mean_of_the_middle_two(
    partner: Partner, lotse: User, in_database: bool
) -> None:
    case = CaseFactory.create(owner=lotse)
    for days in (1, 2, 4, 30):
        referral(case, partner, answered_after=timedelta(days=days))

    figures = response_figures([partner.pk], in_database=in_database)[partner.pk]

    assert figures.median == timedelta(days=3)


@pytest.mark.parametrize("in_database", PATHS)
def test_unanswered_referrals_do_not_count_in_the_median_but_late_ones_count_against_time(
    partner: Partner, lotse: User, in_database: bool
) -> None:
    case = CaseFactory.create(owner=lotse)
    answer_by = (SENT + timedelta(days=7)).date()
    referral(case, partner, answered_after=timedelta(days=1), answer_by=answer_by)  # on time
    referral(case, partner, answered_after=timedelta(days=10), answer_by=answer_by)  # late
    referral(case, partner, answer_by=answer_by)  # never answered, past its date
    referral(case, partner, answer_by=LATER + timedelta(days=5))  # not due yet: not counted
    referral(case, partner, answer_by=answer_by, status=Referral.Status.WITHDRAWN)  # not counted

    figures = response_figures([partner.pk], in_database=in_database)[partner.pk]

    assert figures.median == timedelta(days=5, hours=12)
    assert (figures.answered, figures.on_time, figures.due) == (2, 1, 3)
    assert figures.on_time_percent == 33


@pytest.mark.parametrize("in_database", PATHS)
def test_an_answer_late_on_the_answer_by_day_is_on_time_in_berlin(
    partner: Partner, lotse: User, in_database: bool
) -> None:
    # 23:30 in Berlin is already the next day in UTC: the day counts in the center's zone.
    case = CaseFactory.create(owner=lotse)
    answer_by = SENT.date() + timedelta(days=2)
    answered_after = timedelta(days=2, hours=14, minutes=30)  # 09:00 + 14:30 = 23:30
    referral(case, partner, answered_after=answered_after, answer_by=answer_by)

    figures = response_figures([partner.pk], in_database=in_database)[partner.pk]

    assert (figures.on_time, figures.due, figures.on_time_percent) == (1, 1, 100)


@pytest.mark.parametrize("in_database", PATHS)
def test_figures_are_per_partner_and_a_partner_without_referrals_has_none(
    partner: Partner, other_partner: Partner, lotse: User, in_database: bool
) -> None:
    quiet = PartnerFactory.create()
    case = CaseFactory.create(owner=lotse)
    referral(case, partner, answered_after=timedelta(days=1))
    referral(case, other_partner, answered_after=timedelta(days=9))

    figures = response_figures([partner.pk, other_partner.pk, quiet.pk], in_database=in_database)

    assert figures[partner.pk].median == timedelta(days=1)
    assert figures[other_partner.pk].median == timedelta(days=9)
    assert quiet.pk not in figures
    assert NO_FIGURES.median is None
    assert NO_FIGURES.on_time_percent is None


def test_a_partner_who_never_answers_has_no_median_and_none_on_time(
    partner: Partner, lotse: User
) -> None:
    referral(CaseFactory.create(owner=lotse), partner)

    figures = response_figures([partner.pk])[partner.pk]

    assert figures.median is None
    assert figures.median_days is None
    assert figures.on_time_percent == 0
