"""A small center with every edge case of the figures, for March 2026, seen on 15 April 2026.

Numbers in the tests are worked out by hand from these rows; each test says how.

Newcomers (owner of each case in brackets; L = the `lotse` persona, O = `other_lotse`; in
the code `mine` and `theirs`):
- A: female, born 15 Jun 1990, Ukrainian, from abroad (third country), unemployed, ISCED 5-8,
  foreign background yes. Two cases in two categories: A1 housing (L) opened 5 Mar 10:00,
  closed 15 Mar 10:00 (10 days); A2 language (O) opened 10 Mar, still in progress.
- B: male, born 20 Mar 2010, Polish (EU), in education, ISCED 0-2. B1 recognition (L) opened
  10 Feb 10:00, closed 20 Feb, reopened 2 Mar, closed again 12 Mar 10:00 (30 days from opening).
- C: anonymised on 1 Apr: diverse, birth date 1 Jan 1970 (the year only), Syrian, third
  country, unemployed, ISCED 3-4. C1 authorities (O) opened 31 Mar 23:30 (still March in
  Berlin), closed 1 Apr 00:30 (April).
- D: female, returnee, Indian. D1 work (L) opened 28 Feb 23:59:59, closed 1 Mar 00:00:00 (one
  second later, in March).
- E: E1 other (O) opened 1 Apr 00:00, new: outside March.
- F, G, H, J: started work around September 2025 (the check-ins, see check_in tests).

Referrals to one partner: R1 on A1 sent 5 Mar, due 8 Mar, answered 7 Mar (2 days, on time);
R2 on B1 sent 3 Mar, due 5 Mar, answered 9 Mar (6 days, late); R3 on A2 sent 20 Mar, due 25
Mar, never answered; R4 on D1 sent 25 Feb (outside).

Companies: need N1 of `company` registered 10 Mar, filled, with introduction I1 of A by L
(proposed 11 Mar, hired, started 25 Mar); need N2 of `company` registered 1 Feb, open, with
introduction I2 of B by O (proposed 20 Mar); a service request of `other_company` on 2 Mar
(owner O).

Exit questionnaires: B left 12 Mar employed with a qualification; D left 1 Mar
self-employed; F left 1 Oct 2025 (outside).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import User
from cases.models import Case, CaseEvent, Category, EventKind, Outcome, Referral, Status
from companies.models import Company, Introduction, SkilledWorkerNeed
from figures.models import EmploymentOnLeaving, ExitQuestionnaire
from figures.periods import CUSTOM, Period
from migrants.models import (
    EducationLevel,
    EmploymentStatus,
    ForeignBackground,
    Gender,
    KindOfArrival,
    Newcomer,
)
from partners.models import Partner
from tests import factories
from tests.test_celery_worker import celery_worker  # noqa: F401 (a fixture, shared)

BERLIN = ZoneInfo("Europe/Berlin")
MARCH = Period(CUSTOM, date(2026, 3, 1), date(2026, 3, 31))
TODAY = datetime(2026, 4, 15, 12, 0, tzinfo=BERLIN)


def at(day: str, clock: str = "10:00:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=BERLIN)


@dataclass
class Center:
    lotse: User
    other: User
    partner: Partner
    newcomers: dict[str, Newcomer]
    cases: dict[str, Case]


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


def _case(
    key: str,
    newcomer: Newcomer,
    category: str,
    owner: User,
    opened: datetime,
    closed: datetime | None = None,
    outcome: str = Outcome.ACHIEVED,
) -> Case:
    return factories.CaseFactory.create(
        reference=f"WC-2026-{key}",
        newcomer=newcomer,
        category=category,
        owner=owner,
        opened_at=opened,
        status=Status.CLOSED if closed else Status.IN_PROGRESS,
        closed_at=closed,
        outcome=outcome if closed else "",
    )


@pytest.fixture
def center(
    frozen: None,
    lotse: User,
    other_lotse: User,
    partner: Partner,
    company: Company,
    other_company: Company,
) -> Center:
    mine, theirs = lotse, other_lotse
    nc = factories.NewcomerFactory.create
    newcomers = {
        "A": nc(
            gender=Gender.FEMALE,
            birth_date=date(1990, 6, 15),
            country_of_origin="UA",
            nationality="UA",
            kind_of_arrival=KindOfArrival.ABROAD_THIRD_COUNTRY,
            employment_status_on_entry=EmploymentStatus.UNEMPLOYED,
            education_level=EducationLevel.ISCED_5_8,
            foreign_background=ForeignBackground.YES,
        ),
        "B": nc(
            gender=Gender.MALE,
            birth_date=date(2010, 3, 20),
            country_of_origin="PL",
            nationality="PL",
            kind_of_arrival=KindOfArrival.ABROAD_EU,
            employment_status_on_entry=EmploymentStatus.IN_EDUCATION,
            education_level=EducationLevel.ISCED_0_2,
            foreign_background=ForeignBackground.YES,
        ),
        "C": nc(
            first_name="",
            last_name="",
            gender=Gender.DIVERSE,
            birth_date=date(1970, 1, 1),
            country_of_origin="SY",
            nationality="SY",
            kind_of_arrival=KindOfArrival.ABROAD_THIRD_COUNTRY,
            employment_status_on_entry=EmploymentStatus.UNEMPLOYED,
            education_level=EducationLevel.ISCED_3_4,
            anonymised_at=at("2026-04-01"),
        ),
        "D": nc(
            gender=Gender.FEMALE,
            birth_date=date(2000, 1, 1),
            country_of_origin="IN",
            nationality="IN",
            kind_of_arrival=KindOfArrival.RETURNEE,
        ),
        "E": nc(country_of_origin="VN", nationality="VN"),
    }
    A, B, C, D, E = (newcomers[k] for k in "ABCDE")
    cases = {
        "A1": _case("A1", A, Category.HOUSING, mine, at("2026-03-05"), at("2026-03-15")),
        "A2": _case("A2", A, Category.LANGUAGE, theirs, at("2026-03-10")),
        "B1": _case("B1", B, Category.RECOGNITION, mine, at("2026-02-10"), at("2026-03-12")),
        "C1": _case(
            "C1",
            C,
            Category.AUTHORITIES,
            theirs,
            at("2026-03-31", "23:30:00"),
            at("2026-04-01", "00:30:00"),
            Outcome.WITHDRAWN,
        ),
        "D1": _case(
            "D1", D, Category.WORK, mine, at("2026-02-28", "23:59:59"), at("2026-03-01", "00:00:00")
        ),
        "E1": _case("E1", E, Category.OTHER, theirs, at("2026-04-01", "00:00:00")),
    }
    # B1's history: closed on 20 Feb, reopened on 2 Mar (the timeline keeps both changes).
    for when, old, new in (
        ("2026-02-20", "in_progress", "closed"),
        ("2026-03-02", "closed", "in_progress"),
        ("2026-03-12", "in_progress", "closed"),
    ):
        CaseEvent.objects.create(
            case=cases["B1"],
            kind=EventKind.STATUS,
            actor=mine,
            created_at=at(when),
            old_value=old,
            new_value=new,
        )
    ref = factories.ReferralFactory.create
    ref(
        case=cases["A1"],
        partner=partner,
        sent_at=at("2026-03-05"),
        answer_by=date(2026, 3, 8),
        answered_at=at("2026-03-07"),
        status=Referral.Status.ACCEPTED,
    )
    ref(
        case=cases["B1"],
        partner=partner,
        sent_at=at("2026-03-03"),
        answer_by=date(2026, 3, 5),
        answered_at=at("2026-03-09"),
        status=Referral.Status.ACCEPTED,
    )
    ref(case=cases["A2"], partner=partner, sent_at=at("2026-03-20"), answer_by=date(2026, 3, 25))
    ref(
        case=cases["D1"],
        partner=partner,
        sent_at=at("2026-02-25"),
        answer_by=date(2026, 3, 1),
        answered_at=at("2026-02-26"),
        status=Referral.Status.ACCEPTED,
    )

    need = factories.SkilledWorkerNeedFactory.create
    n1 = need(company=company, created_at=at("2026-03-10"), status=SkilledWorkerNeed.Status.FILLED)
    n2 = need(company=company, created_at=at("2026-02-01"))
    factories.IntroductionFactory.create(
        need=n1,
        newcomer=A,
        proposed_by=mine,
        proposed_at=at("2026-03-11"),
        status=Introduction.Status.HIRED,
        agreed_at=at("2026-03-12"),
        hired_on=date(2026, 3, 25),
    )
    factories.IntroductionFactory.create(
        need=n2, newcomer=B, proposed_by=theirs, proposed_at=at("2026-03-20")
    )
    factories.ServiceRequestFactory.create(
        company=other_company, owner=theirs, created_at=at("2026-03-02")
    )

    exit_ = ExitQuestionnaire.objects.create
    exit_(
        newcomer=B,
        left_on=date(2026, 3, 12),
        employment=EmploymentOnLeaving.EMPLOYED,
        qualification_gained=True,
        filled_by=mine,
    )
    exit_(
        newcomer=D,
        left_on=date(2026, 3, 1),
        employment=EmploymentOnLeaving.SELF_EMPLOYED,
        filled_by=mine,
    )
    _check_in_newcomers(mine, theirs)
    return Center(mine, theirs, partner, newcomers, cases)


def _check_in_newcomers(mine: User, theirs: User) -> None:
    """For March 2026 the check-in cohort started work from 1 to 30 September 2025 (the same
    days six months earlier; 31 March has no 31 September)... see the check-in tests."""
    nc = factories.NewcomerFactory.create
    f = nc(started_work_on=date(2025, 9, 15), country_of_origin="", nationality="IN")
    _case("F1", f, Category.WORK, mine, at("2025-08-01"), at("2025-10-01"))
    ExitQuestionnaire.objects.create(
        newcomer=f, left_on=date(2025, 10, 1), employment=EmploymentOnLeaving.EMPLOYED
    )
    g = nc(started_work_on=date(2025, 9, 30))
    _case("G1", g, Category.WORK, theirs, at("2025-08-01"), at("2026-01-10"), Outcome.LEFT_REGION)
    h = nc()  # hired through an introduction, no start date on the file
    factories.IntroductionFactory.create(
        newcomer=h,
        proposed_by=theirs,
        status=Introduction.Status.HIRED,
        agreed_at=at("2025-08-20"),
        hired_on=date(2025, 9, 1),
    )
    _case("H1", h, Category.WORK, theirs, at("2025-07-01"), at("2025-09-01"))
    j = nc(started_work_on=date(2025, 10, 1))
    _case("J1", j, Category.WORK, mine, at("2025-07-01"), at("2025-09-01"))
