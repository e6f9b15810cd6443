"""The directory and the partner page: filters in the URL, active partners by default,
sorting, paging, and what each row and the partner page show."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from cases.models import Category, Referral
from partners.models import Partner, PartnerService, PartnerType
from partners.views import PARTNERS_PER_PAGE
from tests.factories import CaseFactory, PartnerContactFactory, PartnerFactory, PartnerUserFactory
from tests.partners.helpers import german, german_plural, referral

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]


def serving(partner: Partner, *categories: str) -> Partner:
    for category in categories:
        PartnerService.objects.create(partner=partner, category=category)
    return partner


def listed(client: Client, query: str = "") -> list[str]:
    response = client.get(f"{reverse('partner_list')}{query}")
    assert response.status_code == 200
    return [partner.name for partner in response.context["page"].object_list]


@pytest.fixture
def directory() -> dict[str, Partner]:
    return {
        "abh": serving(
            PartnerFactory.create(
                name="Ausländerbehörde Erzgebirgskreis",
                type=PartnerType.FOREIGNERS_AUTHORITY,
                city="Annaberg-Buchholz",
                response_days=10,
            ),
            Category.AUTHORITIES,
        ),
        "iq": serving(
            PartnerFactory.create(
                name="IQ Netzwerk Sachsen", type=PartnerType.IQ_NETWORK, city="Chemnitz"
            ),
            Category.RECOGNITION,
            Category.WORK,
        ),
        "kita": serving(
            PartnerFactory.create(name="Kita Sonnenschein", type=PartnerType.KITA, city="Aue"),
            Category.CHILDCARE,
        ),
        "closed": serving(
            PartnerFactory.create(
                name="Sprachschule (geschlossen)",
                type=PartnerType.LANGUAGE_SCHOOL,
                is_active=False,
            ),
            Category.LANGUAGE,
        ),
    }


def test_the_directory_lists_active_partners_by_name_by_default(
    client_for: ClientFor, lotse: User, directory: dict[str, Partner]
) -> None:
    assert listed(client_for(lotse)) == [
        "Ausländerbehörde Erzgebirgskreis",
        "IQ Netzwerk Sachsen",
        "Kita Sonnenschein",
    ]


def test_deactivated_partners_are_shown_on_request(
    client_for: ClientFor, lotse: User, directory: dict[str, Partner]
) -> None:
    client = client_for(lotse)
    assert listed(client, "?show=inactive") == ["Sprachschule (geschlossen)"]
    assert len(listed(client, "?show=all")) == 4


def test_the_directory_filters_by_type(
    client_for: ClientFor, head: User, directory: dict[str, Partner]
) -> None:
    assert listed(client_for(head), "?type=kita") == ["Kita Sonnenschein"]


def test_the_directory_filters_by_a_category_served_without_repeating_a_partner(
    client_for: ClientFor, lotse: User, directory: dict[str, Partner]
) -> None:
    client = client_for(lotse)
    assert listed(client, "?category=recognition") == ["IQ Netzwerk Sachsen"]
    assert listed(client, "?category=language") == []  # the language school is deactivated
    assert listed(client, "?category=language&show=all") == ["Sprachschule (geschlossen)"]


def test_the_directory_searches_names_case_insensitively(
    client_for: ClientFor, lotse: User, directory: dict[str, Partner]
) -> None:
    assert listed(client_for(lotse), "?q=netzwerk") == ["IQ Netzwerk Sachsen"]


def test_filters_combine(client_for: ClientFor, lotse: User, directory: dict[str, Partner]) -> None:
    client = client_for(lotse)
    assert listed(client, "?q=kita&category=childcare&type=kita") == ["Kita Sonnenschein"]
    assert listed(client, "?q=kita&category=work") == []


def test_an_unknown_filter_value_is_a_400_with_the_form(
    client_for: ClientFor, lotse: User, directory: dict[str, Partner]
) -> None:
    response = client_for(lotse).get(reverse("partner_list"), {"type": "spaceport"})

    assert response.status_code == 400
    assert response.context["filter"].errors["type"]
    assert german("Please check the filters.") in response.content.decode()


def test_the_directory_sorts_by_open_referrals_and_response_time(
    client_for: ClientFor, lotse: User, directory: dict[str, Partner]
) -> None:
    case = CaseFactory.create(owner=lotse)
    for _ in range(2):
        referral(case, directory["kita"])
    referral(case, directory["iq"])
    referral(case, directory["iq"], answered_after=timedelta(days=1), status="completed")
    client = client_for(lotse)

    assert listed(client, "?sort=-open")[:2] == ["Kita Sonnenschein", "IQ Netzwerk Sachsen"]
    assert listed(client, "?sort=-response")[0] == "Ausländerbehörde Erzgebirgskreis"
    assert listed(client, "?sort=city") == [
        "Ausländerbehörde Erzgebirgskreis",
        "Kita Sonnenschein",
        "IQ Netzwerk Sachsen",
    ]


def test_the_sort_links_say_the_current_direction(
    client_for: ClientFor, lotse: User, directory: dict[str, Partner]
) -> None:
    response = client_for(lotse).get(reverse("partner_list"), {"sort": "city", "type": "kita"})

    headers = response.context["headers"]
    assert headers["city"]["direction"] == "ascending"
    assert headers["city"]["url"] == "?sort=-city&type=kita"
    assert 'aria-sort="ascending"' in response.content.decode()


def test_the_directory_is_paginated(client_for: ClientFor, lotse: User) -> None:
    Partner.objects.bulk_create(
        Partner(name=f"Verein {n:02d}", type=PartnerType.CLUB) for n in range(30)
    )
    client = client_for(lotse)

    first = listed(client)
    second = listed(client, "?page=2")

    assert len(first) == PARTNERS_PER_PAGE
    assert second == [f"Verein {n:02d}" for n in range(PARTNERS_PER_PAGE, 30)]


def test_a_row_shows_type_categories_city_response_time_open_referrals_and_median(
    client_for: ClientFor, lotse: User, directory: dict[str, Partner]
) -> None:
    case = CaseFactory.create(owner=lotse)
    iq = directory["iq"]
    referral(case, iq)  # open
    referral(case, iq, answered_after=timedelta(days=2))  # accepted: still open
    referral(case, iq, answered_after=timedelta(days=4), status=Referral.Status.COMPLETED)

    response = client_for(lotse).get(reverse("partner_list"), {"q": "IQ"})

    row = response.context["page"].object_list[0]
    assert row.open_referrals == 2
    assert row.figures.median == timedelta(days=3)
    page = response.content.decode()
    for text in (
        "IQ Netzwerk",
        "Chemnitz",
        german("Recognition of qualifications"),
        german("Work and career"),
        german_plural("%(days)s working day", "%(days)s working days", 5),
        german("%(days)s days") % {"days": "3,0"},  # one decimal, German decimal comma
    ):
        assert text in page, text


def test_the_partner_page_shows_address_contacts_categories_and_figures(
    client_for: ClientFor, lotse: User, directory: dict[str, Partner]
) -> None:
    abh = directory["abh"]
    abh.street, abh.postcode = "Paulus-Jenisius-Straße 24", "09456"
    abh.save()
    PartnerContactFactory.create(partner=abh, name="Bernd Bescheid", is_primary=True)
    PartnerUserFactory.create(
        full_name="Lea Login", partner_contact__partner=abh, partner_contact__position="SGL"
    )
    case = CaseFactory.create(owner=lotse)
    referral(case, abh, answered_after=timedelta(days=2))
    late = referral(case, abh)

    response = client_for(lotse).get(reverse("partner_detail", args=[abh.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Paulus-Jenisius-Straße 24",
        "09456 Annaberg-Buchholz",
        "Bernd Bescheid",
        "Lea Login",
        german("Authorities and residence"),
        german_plural("%(days)s working day", "%(days)s working days", 10),
    ):
        assert text in page, text
    assert response.context["open_referral_count"] == 2
    assert reverse("case_detail", args=[late.case.reference]) in page
    assert response.context["figures"].median == timedelta(days=2)
    contacts = {contact.name: contact for contact in response.context["contacts"]}
    assert contacts["Bernd Bescheid"].is_primary
    assert contacts["Lea Login"].user_id is not None


def test_an_unknown_partner_is_a_404(client_for: ClientFor, lotse: User) -> None:
    assert client_for(lotse).get(reverse("partner_detail", args=[999_999])).status_code == 404


def test_the_navigation_links_the_directory_for_center_staff_only(
    client_for: ClientFor, lotse: User, partner_user: User, company_user: User
) -> None:
    link = f'href="{reverse("partner_list")}"'
    assert link in client_for(lotse).get(reverse("home")).content.decode()
    assert link not in client_for(partner_user).get(reverse("home")).content.decode()
    assert link not in client_for(company_user).get(reverse("home")).content.decode()
