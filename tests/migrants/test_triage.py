"""The Lotsen's side of the intake: triage, claiming, assigning, duplicates and merging."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from cases.models import Case, CaseEvent
from migrants.models import ConsentRecord, HouseholdMember, LanguageSkill, Newcomer
from tests.migrants.intake_data import valid_intake

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limit(settings) -> None:  # type: ignore[no-untyped-def]
    settings.INTAKE_RATE_LIMIT = 10**9


def _intake(**overrides: str) -> Newcomer:
    response = Client().post("/intake/", valid_intake(**overrides))
    assert response.status_code == 302
    return Newcomer.objects.order_by("-pk").first()


def test_triage_lists_waiting_intakes_oldest_first_with_language_and_needs(
    client_for: Callable[[User | None], Client], lotse: User
) -> None:
    first = _intake(email="first@example.org")
    second = _intake(email="second@example.org", last_name="Zaki")
    response = client_for(lotse).get(reverse("triage"))
    assert response.status_code == 200
    page = list(response.context["page"].object_list)
    assert page == [first, second]
    html = response.content.decode()
    assert html.index(first.reference) < html.index(second.reference)
    assert "Deutsch" in html


def test_a_lotse_claims_an_intake_and_owns_its_cases(
    client_for: Callable[[User | None], Client], lotse: User
) -> None:
    newcomer = _intake()
    response = client_for(lotse).post(reverse("triage_claim", args=[newcomer.pk]))
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.triaged_at is not None
    assert set(Case.objects.filter(newcomer=newcomer).values_list("owner", flat=True)) == {lotse.pk}
    assert (
        CaseEvent.objects.filter(case__newcomer=newcomer, kind="assignment", actor=lotse).count()
        == 3
    )
    assert list(Newcomer.objects.awaiting_triage()) == []


def test_the_head_assigns_an_intake_to_a_lotse(
    client_for: Callable[[User | None], Client], head: User, lotse: User
) -> None:
    newcomer = _intake()
    client_for(head).post(reverse("triage_claim", args=[newcomer.pk]), {"owner": lotse.pk})
    assert set(Case.objects.filter(newcomer=newcomer).values_list("owner", flat=True)) == {lotse.pk}


def test_a_lotse_cannot_assign_an_intake_to_someone_else(
    client_for: Callable[[User | None], Client], lotse: User, other_lotse: User
) -> None:
    newcomer = _intake()
    response = client_for(lotse).post(
        reverse("triage_claim", args=[newcomer.pk]), {"owner": other_lotse.pk}
    )
    assert response.status_code == 403
    assert not Case.objects.filter(newcomer=newcomer, owner__isnull=False).exists()


def test_an_intake_already_taken_cannot_be_claimed_again(
    client_for: Callable[[User | None], Client], lotse: User, other_lotse: User
) -> None:
    newcomer = _intake()
    client_for(lotse).post(reverse("triage_claim", args=[newcomer.pk]))
    response = client_for(other_lotse).post(reverse("triage_claim", args=[newcomer.pk]))
    assert response.status_code == 404
    assert set(Case.objects.filter(newcomer=newcomer).values_list("owner", flat=True)) == {lotse.pk}


def test_claiming_needs_a_post(client_for: Callable[[User | None], Client], lotse: User) -> None:
    newcomer = _intake()
    assert client_for(lotse).get(reverse("triage_claim", args=[newcomer.pk])).status_code == 405


@pytest.mark.parametrize("persona", ["partner_user", "company_user"])
def test_partners_and_companies_cannot_claim(
    request: pytest.FixtureRequest, client_for: Callable[[User | None], Client], persona: str
) -> None:
    newcomer = _intake()
    user = request.getfixturevalue(persona)
    assert client_for(user).post(reverse("triage_claim", args=[newcomer.pk])).status_code == 403


def test_duplicates_show_side_by_side(
    client_for: Callable[[User | None], Client], lotse: User
) -> None:
    original = _intake()
    duplicate = _intake(phone="+4915112345678")
    response = client_for(lotse).get(reverse("duplicate_compare", args=[duplicate.pk]))
    assert response.status_code == 200
    assert original.reference in response.content.decode()
    assert duplicate.reference in response.content.decode()


def test_merging_keeps_every_case_consent_and_timeline_entry(
    client_for: Callable[[User | None], Client], lotse: User
) -> None:
    original = _intake(phone="")
    duplicate = _intake(
        phone="+4915112345678",
        need_housing="",
        need_recognition="",
        need_school="on",
        german_level="B2",
        other_language="uk",
        other_language_level="C1",
    )
    case_ids = set(Case.objects.values_list("pk", flat=True))
    consent_ids = set(ConsentRecord.objects.values_list("pk", flat=True))
    event_ids = set(CaseEvent.objects.values_list("pk", flat=True))

    response = client_for(lotse).post(reverse("duplicate_merge", args=[duplicate.pk]))

    assert response.status_code == 302
    assert not Newcomer.objects.filter(pk=duplicate.pk).exists()
    assert set(Case.objects.filter(newcomer=original).values_list("pk", flat=True)) == case_ids
    assert (
        set(ConsentRecord.objects.filter(newcomer=original).values_list("pk", flat=True))
        == consent_ids
    )
    assert event_ids < set(
        CaseEvent.objects.filter(case__newcomer=original).values_list("pk", flat=True)
    )
    assert CaseEvent.objects.filter(kind="merge").count() == len(case_ids)
    original.refresh_from_db()
    assert str(original.phone) == "+4915112345678"  # a blank filled from the duplicate
    # The original's German level wins; the duplicate's extra language comes over.
    assert LanguageSkill.objects.get(newcomer=original, language="de").level == "B1"
    assert LanguageSkill.objects.filter(newcomer=original, language="uk").exists()
    assert HouseholdMember.objects.filter(newcomer=original).count() == 6


def test_not_a_duplicate_clears_the_flag(
    client_for: Callable[[User | None], Client], lotse: User
) -> None:
    _intake()
    duplicate = _intake(phone="+4915112345678")
    client_for(lotse).post(reverse("duplicate_dismiss", args=[duplicate.pk]))
    duplicate.refresh_from_db()
    assert duplicate.possible_duplicate_of is None
    assert Newcomer.objects.count() == 2


def test_triage_costs_the_same_queries_for_few_and_many_intakes(
    client_for: Callable[[User | None], Client], head: User, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(head)
    _intake(email="one@example.org")
    client.get(reverse("triage"))
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("triage"))
    for n in range(12):
        _intake(email=f"p{n}@example.org", last_name=f"Person{n}")
    with django_assert_max_num_queries(10) as many:
        client.get(reverse("triage"))
    assert len(many.captured_queries) == len(few.captured_queries)
