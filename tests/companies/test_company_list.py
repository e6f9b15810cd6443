"""The Lotse's company list (pending registrations first, then companies with open needs;
filters; paging) and company file, with their query counts pinned at two data sizes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from companies.models import Company, CompanyEvent
from tests.factories import (
    CompanyFactory,
    CompanyUserFactory,
    IntroductionFactory,
    ServiceRequestFactory,
    SkilledWorkerNeedFactory,
)

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]

# session user, unread notifications, count, page of companies (open needs and requests as
# subqueries in the same SELECT).
LIST_QUERIES = 4
# session user, unread notifications, company, contacts with logins, needs, service requests
# with owners and cases, introductions with needs and newcomers, timeline.
DETAIL_QUERIES = 8
SMALL, LARGE = 3, 30


def names(client: Client, **params: str) -> list[str]:
    response = client.get(reverse("company_list"), params)
    assert response.status_code == 200
    return [company.name for company in response.context["page"].object_list]


def test_pending_first_then_open_needs_then_the_rest(client_for: ClientFor, lotse: User) -> None:
    quiet = CompanyFactory.create(name="A Ruhig GmbH")
    busy = CompanyFactory.create(name="B Gefragt GmbH")
    SkilledWorkerNeedFactory.create(company=busy)
    SkilledWorkerNeedFactory.create(company=quiet, status="filled")
    CompanyFactory.create(name="C Neu GmbH", status=Company.Status.PENDING)

    assert names(client_for(lotse)) == ["C Neu GmbH", "B Gefragt GmbH", "A Ruhig GmbH"]


def test_the_filters(client_for: ClientFor, head: User) -> None:
    busy = CompanyFactory.create(name="Pflege Plus", sector="care")
    SkilledWorkerNeedFactory.create(company=busy)
    CompanyFactory.create(name="Metall Meier", sector="crafts")
    CompanyFactory.create(name="Neu Pflege", sector="care", status=Company.Status.PENDING)
    client = client_for(head)

    assert names(client, sector="care") == ["Neu Pflege", "Pflege Plus"]
    assert names(client, status="pending") == ["Neu Pflege"]
    assert names(client, open_needs="yes") == ["Pflege Plus"]
    assert names(client, open_needs="no") == ["Neu Pflege", "Metall Meier"]
    assert names(client, q="pflege") == ["Neu Pflege", "Pflege Plus"]
    assert client.get(reverse("company_list"), {"status": "nonsense"}).status_code == 400


def test_the_list_is_paged(client_for: ClientFor, lotse: User) -> None:
    CompanyFactory.create_batch(30)
    client = client_for(lotse)
    assert len(names(client)) == 25
    assert len(names(client, page="2")) == 5


@pytest.fixture
def measure(django_assert_num_queries: Any) -> Callable[[Client, str, int], None]:
    def run(client: Client, url: str, expected: int) -> None:
        client.get(url)  # warm-up: per-process caches (content types) are not the page's cost
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200

    return run


def add_companies(count: int) -> None:
    for company in CompanyFactory.create_batch(count):
        SkilledWorkerNeedFactory.create_batch(2, company=company)
        ServiceRequestFactory.create(company=company)


def test_the_list_costs_the_same_queries_at_two_sizes(
    client_for: ClientFor, lotse: User, measure: Callable[[Client, str, int], None]
) -> None:
    client = client_for(lotse)
    url = reverse("company_list") + "?open_needs=yes&sector=crafts"
    add_companies(SMALL)
    measure(client, url, LIST_QUERIES)
    add_companies(LARGE - SMALL)
    measure(client, url, LIST_QUERIES)
    rows = client.get(url).context["page"].object_list
    assert all(row.open_needs == 2 and row.open_requests == 1 for row in rows)


def test_the_company_file_costs_the_same_queries_with_little_and_much(
    client_for: ClientFor, lotse: User, measure: Callable[[Client, str, int], None]
) -> None:
    company = CompanyFactory.create()
    client = client_for(lotse)
    url = reverse("company_detail", args=[company.pk])

    def add_some() -> None:
        CompanyUserFactory.create(company_contact__company=company)
        need = SkilledWorkerNeedFactory.create(company=company)
        IntroductionFactory.create(need=need)
        ServiceRequestFactory.create(company=company, owner=lotse)
        CompanyEvent.objects.create(company=company, kind="note", actor=lotse, text="Notiz")

    add_some()
    measure(client, url, DETAIL_QUERIES)
    for _ in range(8):
        add_some()
    measure(client, url, DETAIL_QUERIES)
    page = client.get(url)
    assert len(page.context["introductions"]) == 9


def test_the_company_file_shows_everything_and_a_note_form(
    client_for: ClientFor, lotse: User, company_user: User
) -> None:
    company = company_user.company
    assert company is not None
    need = SkilledWorkerNeedFactory.create(company=company, occupation="Elektroniker/in")
    introduction = IntroductionFactory.create(need=need)
    client = client_for(lotse)

    response = client.post(
        reverse("company_note", args=[company.pk]), {"text": "Telefoniert.", "shared": "on"}
    )
    assert response.status_code == 302
    refused = client.post(reverse("company_note", args=[company.pk]), {"text": ""})
    assert refused.status_code == 400

    page = client.get(reverse("company_detail", args=[company.pk])).content.decode()
    for text in (
        "Elektroniker/in",
        introduction.newcomer.reference,
        "Telefoniert.",
        "Clara Company",
    ):
        assert text in page
    assert CompanyEvent.objects.get(kind="note").shared
