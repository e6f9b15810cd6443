"""Query counts of the directory and the partner page, pinned at two data sizes so that they
cannot grow with the data (an N+1 would show as a difference)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cases.models import Case, Category, Referral
from partners.models import Partner, PartnerContact, PartnerService, PartnerType
from tests.factories import CaseFactory, PartnerUserFactory

pytestmark = pytest.mark.django_db

# session user, unread notifications, count, page of partners, their categories, their
# response figures: the list; partner, categories, contacts with logins, open referrals and
# their count, figures: the partner page.
LIST_QUERIES = 6
DETAIL_QUERIES = 8
SMALL, LARGE = 5, 60

ClientFor = Callable[[User | None], Client]


@pytest.fixture
def measure(django_assert_num_queries: Any) -> Callable[[Client, str, int], int]:
    def run(client: Client, url: str, expected: int) -> int:
        client.get(url)  # warm-up: per-process caches (content types) are not the page's cost
        with django_assert_num_queries(expected) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries)

    return run


def add_partners(count: int, case: Case, by: User) -> None:
    """`count` partners with two categories, two contacts (one who logs in) and three
    referrals each: one open, one answered, one completed."""
    start = Partner.objects.count()
    partners = Partner.objects.bulk_create(
        Partner(name=f"Partner {start + n:03d}", type=PartnerType.CLUB, city="Aue")
        for n in range(count)
    )
    PartnerService.objects.bulk_create(
        PartnerService(partner=partner, category=category)
        for partner in partners
        for category in (Category.SOCIAL, Category.WORK)
    )
    PartnerContact.objects.bulk_create(
        PartnerContact(partner=partner, name="Kontakt", email="k@example.org", is_primary=True)
        for partner in partners
    )
    for partner in partners:
        PartnerUserFactory.create(partner_contact__partner=partner, mfa=False)
    _referrals(partners, case, by)


def _referrals(partners: list[Partner], case: Case, by: User) -> None:
    sent = timezone.now() - timedelta(days=20)
    Referral.objects.bulk_create(
        Referral(
            case=case,
            partner=partner,
            request="Bitte",
            created_by=by,
            sent_at=sent,
            answer_by=(sent + timedelta(days=7)).date(),
            status=status,
            answered_at=None if status == Referral.Status.SENT else sent + timedelta(days=n + 1),
        )
        for n, partner in enumerate(partners)
        for status in (Referral.Status.SENT, Referral.Status.ACCEPTED, Referral.Status.COMPLETED)
    )


def test_the_directory_costs_the_same_queries_at_5_and_60_partners(
    client_for: ClientFor, lotse: User, measure: Callable[[Client, str, int], int]
) -> None:
    case = CaseFactory.create(owner=lotse)
    client = client_for(lotse)
    url = f"{reverse('partner_list')}?category=work&sort=-open"

    add_partners(SMALL, case, lotse)
    measure(client, url, LIST_QUERIES)
    add_partners(LARGE - SMALL, case, lotse)
    measure(client, url, LIST_QUERIES)

    rows = client.get(url).context["page"].object_list
    assert len(rows) == 25
    assert all(row.open_referrals == 2 and row.figures.answered == 2 for row in rows)


def test_the_partner_page_costs_the_same_queries_with_few_and_many_contacts_and_referrals(
    client_for: ClientFor, lotse: User, measure: Callable[[Client, str, int], int]
) -> None:
    case = CaseFactory.create(owner=lotse)
    add_partners(1, case, lotse)
    partner = Partner.objects.get()
    client = client_for(lotse)
    url = reverse("partner_detail", args=[partner.pk])

    measure(client, url, DETAIL_QUERIES)
    for _ in range(20):
        PartnerUserFactory.create(partner_contact__partner=partner, mfa=False)
    more_cases = CaseFactory.create_batch(3, owner=lotse)
    for other_case in more_cases:
        _referrals([partner] * 10, other_case, lotse)
    measure(client, url, DETAIL_QUERIES)

    assert partner.contacts.count() == 22
    assert client.get(url).context["open_referral_count"] == 62
