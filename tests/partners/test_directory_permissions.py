"""Nobody but Lotsen and the head gets anything of the directory: partner users (not even
their own organisation's entry), company users and anonymous visitors. The full URL x role
matrix is in tests/test_permissions.py; this proves that a refused request changes nothing
and shows no other partner's data."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from partners.models import Partner, PartnerContact
from tests.factories import PartnerContactFactory

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]


def directory_urls(partner: Partner, contact: PartnerContact) -> list[str]:
    return [
        reverse("partner_list"),
        reverse("partner_add"),
        reverse("partner_detail", args=[partner.pk]),
        reverse("partner_edit", args=[partner.pk]),
        reverse("contact_add", args=[partner.pk]),
        reverse("contact_edit", args=[partner.pk, contact.pk]),
    ]


@pytest.mark.parametrize("who", ["partner_user", "other_partner_user", "company_user"])
def test_partner_and_company_users_get_a_403_on_every_directory_page(
    client_for: ClientFor, partner: Partner, who: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)
    contact = PartnerContactFactory.create(partner=partner, name="Geheime Person")
    client = client_for(user)

    for url in directory_urls(partner, contact):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Geheime Person" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client_for: ClientFor, partner: Partner) -> None:
    contact = PartnerContactFactory.create(partner=partner)
    for url in directory_urls(partner, contact):
        response = client_for(None).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_a_partner_user_cannot_change_another_partner_or_its_contacts(
    client_for: ClientFor, partner_user: User, other_partner: Partner
) -> None:
    contact = PartnerContactFactory.create(partner=other_partner, name="Fremd", is_primary=False)
    client = client_for(partner_user)
    posts = [
        reverse("partner_edit", args=[other_partner.pk]),
        reverse("partner_set_active", args=[other_partner.pk]),
        reverse("contact_add", args=[other_partner.pk]),
        reverse("contact_edit", args=[other_partner.pk, contact.pk]),
        reverse("contact_set_primary", args=[other_partner.pk, contact.pk]),
        reverse("contact_invite", args=[other_partner.pk, contact.pk]),
    ]

    for url in posts:
        response = client.post(url, {"name": "Übernommen", "email": "x@x.example", "active": "0"})
        assert response.status_code == 403, url

    other_partner.refresh_from_db()
    contact.refresh_from_db()
    assert other_partner.is_active
    assert other_partner.contacts.count() == 1
    assert (contact.name, contact.is_primary, contact.user) == ("Fremd", False, None)


def test_the_partner_users_home_shows_their_organisation_only(
    client_for: ClientFor, partner_user: User, partner: Partner, other_partner: Partner
) -> None:
    page = client_for(partner_user).get(reverse("home")).content.decode()

    assert partner.name in page
    assert other_partner.name not in page
    assert list(Partner.objects.visible_to(partner_user)) == [partner]
