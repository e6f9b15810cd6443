"""The ranking of matches: a fixed set of newcomers and needs gives a known order, with the
reasons stated, on PostgreSQL (trigram similarity) and SQLite (contains) alike."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone, translation

from companies import matching
from companies.models import (
    Company,
    Introduction,
    NeedKind,
    QualificationLevel,
    SkilledWorkerNeed,
)
from migrants.models import EducationLevel, KindOfArrival, Newcomer
from tests import factories
from tests.matching.helpers import newcomer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def fits(row: Any) -> dict[str, bool]:
    return {key: bool(getattr(row, f"fits_{key}")) for key in matching.CRITERIA}


@pytest.fixture
def need(company: Company) -> SkilledWorkerNeed:
    return factories.SkilledWorkerNeedFactory.create(
        company=company,
        occupation="Mechatroniker/in",
        qualification_level=QualificationLevel.VOCATIONAL,
        german_level="B1",
        start_date=TODAY + timedelta(days=60),
        place="Aue-Bad Schlema",
        kind=NeedKind.PERMANENT,
    )


@pytest.fixture
def people() -> dict[str, Newcomer]:
    """Four eligible newcomers with a known fit, and three who must never be listed."""
    aue = "Aue-Bad Schlema"
    return {
        # Everything fits.
        "anna": newcomer(
            first_name="Anna", profession="Mechatroniker", german="B2",
            arrival_date=TODAY - timedelta(days=100), current_place=aue,
            education_level=EducationLevel.ISCED_3_4,
        ),
        # Fits by a qualification only; arrives after the start; German too low.
        "bora": newcomer(
            first_name="Bora", profession="Koch", german="A2",
            arrival_date=TODAY + timedelta(days=120), arrival_is_planned=True,
            education_level=EducationLevel.ISCED_3_4,
            qualifications=[{"title": "Diplom", "reference_occupation": "Mechatroniker/in"}],
        ),
        # Occupation and German fit; an intern from Chemnitz with little schooling.
        "chen": newcomer(
            first_name="Chen", profession="Mechatroniker", german="B1",
            arrival_date=TODAY + timedelta(days=30), arrival_is_planned=True,
            current_place="Chemnitz", kind_of_arrival=KindOfArrival.INTERN,
            education_level=EducationLevel.ISCED_0_2,
        ),
        # Everything but the occupation.
        "dana": newcomer(
            first_name="Dana", profession="Pflegefachkraft", german="NATIVE",
            target_place=aue, kind_of_arrival=KindOfArrival.ABROAD_EU,
            education_level=EducationLevel.ISCED_3_4,
        ),
        "anonymised": newcomer(
            first_name="", profession="Mechatroniker", german="C1",
            anonymised_at=timezone.now(),
        ),
        "no_consent": newcomer(first_name="Nina", profession="Mechatroniker", consent=False),
        "withdrawn": newcomer(first_name="Wim", profession="Mechatroniker", german="C1"),
    }  # fmt: skip


@pytest.fixture(autouse=True)
def _withdraw_one(people: dict[str, Newcomer]) -> None:
    people["withdrawn"].consents.update(withdrawn_at=timezone.now())


def test_newcomers_for_a_need_come_in_a_known_order(
    need: SkilledWorkerNeed, people: dict[str, Newcomer]
) -> None:
    ranked = list(matching.newcomers_for(need))
    assert [row.first_name for row in ranked] == ["Anna", "Chen", "Dana", "Bora"]


def test_each_newcomer_for_a_need_carries_its_reasons(
    need: SkilledWorkerNeed, people: dict[str, Newcomer]
) -> None:
    rows = {row.first_name: row for row in matching.newcomers_for(need)}
    every = dict.fromkeys(matching.CRITERIA, True)
    assert fits(rows["Anna"]) == every
    assert fits(rows["Bora"]) == {
        **every, "german": False, "available": False, "place": False,
    }  # fmt: skip
    assert fits(rows["Chen"]) == {**every, "place": False, "education": False, "kind": False}
    assert fits(rows["Dana"]) == {**every, "occupation": False}
    assert rows["Anna"].german_level == "B2"
    with translation.override("en"):
        labels = [str(reason.label) for reason in matching.reasons(rows["Bora"])]
    assert labels[0] == "occupation or qualification fits"
    assert "German below the level required" in labels


def test_the_score_is_the_weighted_sum_of_the_reasons(
    need: SkilledWorkerNeed, people: dict[str, Newcomer]
) -> None:
    rows = {row.first_name: row for row in matching.newcomers_for(need)}
    # Dana meets everything but the occupation: no similarity is added.
    assert rows["Dana"].score == pytest.approx(50.0)
    # Anna meets everything; on PostgreSQL her profession is the need's occupation exactly.
    similarity = 15.0 if connection.vendor == "postgresql" else 0.0
    assert rows["Anna"].score == pytest.approx(85.0 + similarity)


def test_anonymised_newcomers_and_those_without_consent_to_processing_are_never_listed(
    need: SkilledWorkerNeed, people: dict[str, Newcomer]
) -> None:
    listed = set(matching.newcomers_for(need).values_list("pk", flat=True))
    for key in ("anonymised", "no_consent", "withdrawn"):
        assert people[key].pk not in listed


def test_a_newcomer_already_proposed_for_the_need_is_marked(
    need: SkilledWorkerNeed, people: dict[str, Newcomer]
) -> None:
    factories.IntroductionFactory.create(need=need, newcomer=people["chen"])
    rows = {row.first_name: row for row in matching.newcomers_for(need)}
    assert rows["Chen"].introduced
    assert not rows["Anna"].introduced


def test_a_closed_introduction_does_not_mark_the_newcomer(
    need: SkilledWorkerNeed, people: dict[str, Newcomer]
) -> None:
    factories.IntroductionFactory.create(
        need=need, newcomer=people["chen"], status=Introduction.Status.WITHDRAWN
    )
    rows = {row.first_name: row for row in matching.newcomers_for(need)}
    assert not rows["Chen"].introduced


def test_ranking_a_page_of_newcomers_costs_the_same_queries_for_4_and_24_newcomers(
    need: SkilledWorkerNeed,
    people: dict[str, Newcomer],
    django_assert_max_num_queries: Any,
) -> None:
    # On PostgreSQL: the similar professions and titles (a few words), then the ranking.
    with django_assert_max_num_queries(2) as small:
        assert len(list(matching.newcomers_for(need)[:25])) == 4
    for number in range(20):
        newcomer(first_name=f"More{number}", profession="Mechatroniker", german="B1")
    with django_assert_max_num_queries(2) as large:
        assert len(list(matching.newcomers_for(need)[:25])) == 24
    assert len(small.captured_queries) == len(large.captured_queries)


# ---- the other way round: needs for a newcomer ----------------------------------------------


@pytest.fixture
def needs(company: Company, need: SkilledWorkerNeed) -> dict[str, SkilledWorkerNeed]:
    pending = factories.CompanyFactory.create(status=Company.Status.PENDING)
    make = factories.SkilledWorkerNeedFactory.create
    return {
        "mechatronics": need,
        # Occupation fits; German, place and start do not.
        "chemnitz": make(
            company=company, occupation="Mechatroniker/in", german_level="C1",
            place="Chemnitz", start_date=TODAY + timedelta(days=5),
        ),
        # Neither the occupation nor the start date; everything else.
        "care": make(
            company=company, occupation="Pflegefachkraft", german_level="A2",
            place="Aue-Bad Schlema", qualification_level=QualificationLevel.UNSKILLED,
            start_date=TODAY + timedelta(days=10),
        ),
        "withdrawn": make(
            company=company, occupation="Mechatroniker/in",
            status=SkilledWorkerNeed.Status.WITHDRAWN,
        ),
        "filled": make(
            company=company, occupation="Mechatroniker/in", status=SkilledWorkerNeed.Status.FILLED
        ),
        "pending_company": make(company=pending, occupation="Mechatroniker/in"),
    }  # fmt: skip


def test_open_needs_for_a_newcomer_come_in_a_known_order(
    needs: dict[str, SkilledWorkerNeed],
) -> None:
    person = newcomer(
        first_name="Ewa", profession="Mechatronikerin", german="B2",
        arrival_date=TODAY + timedelta(days=20), arrival_is_planned=True,
        target_place="aue-bad schlema", education_level=EducationLevel.ISCED_3_4,
        qualifications=[{"title": "Technikerin", "reference_occupation": "Mechatroniker/in"}],
    )  # fmt: skip
    ranked = list(matching.needs_for(person))
    assert [row.pk for row in ranked] == [
        needs["mechatronics"].pk,
        needs["chemnitz"].pk,
        needs["care"].pk,
    ]
    rows = {row.pk: row for row in ranked}
    every = dict.fromkeys(matching.CRITERIA, True)
    assert fits(rows[needs["mechatronics"].pk]) == every
    assert fits(rows[needs["chemnitz"].pk]) == {
        **every, "german": False, "available": False, "place": False,
    }  # fmt: skip
    assert fits(rows[needs["care"].pk]) == {**every, "occupation": False, "available": False}


def test_a_newcomer_without_german_or_places_meets_neither(
    needs: dict[str, SkilledWorkerNeed],
) -> None:
    person = newcomer(first_name="Finn", profession="Mechatroniker", arrival_is_planned=True)
    rows = {row.pk: row for row in matching.needs_for(person)}
    assert not any(row.fits_german or row.fits_place or row.fits_available for row in rows.values())
    assert rows[needs["mechatronics"].pk].fits_occupation


def test_the_isco_title_of_a_need_counts_as_its_occupation(company: Company) -> None:
    from companies.models import Occupation

    Occupation.objects.update_or_create(
        code="7233",
        defaults={
            "title_de": "Landmaschinenmechaniker",
            "title_en": "Agricultural and industrial machinery mechanics",
        },
    )
    need = factories.SkilledWorkerNeedFactory.create(
        company=company, occupation="Schlosser (m/w/d)", occupation_code="7233"
    )
    person = newcomer(first_name="Gero", profession="Landmaschinenmechaniker")
    rows = {row.first_name: row for row in matching.newcomers_for(need)}
    assert rows["Gero"].fits_occupation
    assert {row.pk for row in matching.needs_for(person) if row.fits_occupation} == {need.pk}
