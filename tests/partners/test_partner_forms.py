"""Creating and editing partners: the categories as checkboxes, server-side validation with
a 400 and the form again, messages, deactivation, and every change on the audit trail."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.models import User
from cases.models import Category
from partners.models import Partner, PartnerService, PartnerType
from tests.factories import PartnerFactory
from tests.partners.helpers import german

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]


def partner_data(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Kita Sonnenschein",
        "type": PartnerType.KITA,
        "categories": [Category.CHILDCARE, Category.SCHOOL],
        "response_days": "5",
        "street": "Schulstraße 3",
        "postcode": "08280",
        "city": "Aue-Bad Schlema",
        "email": "leitung@sonnenschein.example",
        "phone": "",
        "website": "",
        "notes": "",
        **overrides,
    }


def categories(partner: Partner) -> set[str]:
    return set(partner.services.values_list("category", flat=True))


def message_texts(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_add_form_offers_every_category_as_a_checkbox(
    client_for: ClientFor, lotse: User
) -> None:
    page = client_for(lotse).get(reverse("partner_add")).content.decode()

    checkboxes = re.findall(r'<input type="checkbox"[^>]* name="categories" value="(\w+)"', page)
    assert checkboxes == Category.values
    assert "<legend" in page  # the group of checkboxes has its name


def test_a_lotse_adds_a_partner_with_its_categories(client_for: ClientFor, lotse: User) -> None:
    response = client_for(lotse).post(reverse("partner_add"), partner_data())

    partner = Partner.objects.get(name="Kita Sonnenschein")
    assert response.status_code == 302
    assert response["Location"] == reverse("partner_detail", args=[partner.pk])
    assert categories(partner) == {Category.CHILDCARE, Category.SCHOOL}
    assert partner.is_active
    assert any("Kita Sonnenschein" in text for text in message_texts(response))
    created = LogEntry.objects.get_for_object(partner).get(action=LogEntry.Action.CREATE)
    assert created.actor == lotse
    assert (
        LogEntry.objects.get_for_model(PartnerService)
        .filter(action=LogEntry.Action.CREATE, actor=lotse)
        .count()
        == 2
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("type", "spaceport"),
        ("categories", []),
        ("categories", ["gardening"]),
        ("response_days", "0"),
        ("response_days", "61"),
        ("response_days", "soon"),
        ("email", "not-an-address"),
        ("website", "javascript:alert(1)"),
    ],
)
def test_a_bad_partner_is_refused_with_a_400_and_the_form_again(
    client_for: ClientFor, head: User, field: str, value: Any
) -> None:
    response = client_for(head).post(reverse("partner_add"), partner_data(**{field: value}))

    assert response.status_code == 400
    assert field in response.context["form"].errors
    # What was typed comes back, so nothing has to be typed twice.
    assert "Schulstraße 3" in response.content.decode()
    assert not Partner.objects.exists()
    assert not LogEntry.objects.get_for_model(Partner).exists()


def test_a_partner_without_categories_is_told_to_tick_one(
    client_for: ClientFor, lotse: User
) -> None:
    response = client_for(lotse).post(reverse("partner_add"), partner_data(categories=[]))

    assert response.context["form"].errors["categories"] == [
        german("Tick at least one category this partner serves.")
    ]


def test_the_same_partner_in_the_same_town_is_refused_but_another_town_is_fine(
    client_for: ClientFor, lotse: User
) -> None:
    PartnerFactory.create(name="Kita Sonnenschein", city="Aue-Bad Schlema")
    client = client_for(lotse)

    twin = client.post(reverse("partner_add"), partner_data(name="kita sonnenschein"))
    elsewhere = client.post(reverse("partner_add"), partner_data(city="Zwönitz"))

    assert twin.status_code == 400
    assert "name" in twin.context["form"].errors
    assert elsewhere.status_code == 302
    assert Partner.objects.filter(name="Kita Sonnenschein").count() == 2


def test_editing_shows_the_current_categories_and_changes_them(
    client_for: ClientFor, lotse: User
) -> None:
    partner = PartnerFactory.create(name="Kita Sonnenschein", city="Aue-Bad Schlema")
    PartnerService.objects.create(partner=partner, category=Category.CHILDCARE)
    PartnerService.objects.create(partner=partner, category=Category.SOCIAL)
    client = client_for(lotse)
    url = reverse("partner_edit", args=[partner.pk])

    form = client.get(url).context["form"]
    response = client.post(
        url, partner_data(categories=[Category.CHILDCARE, Category.SCHOOL], response_days="8")
    )

    assert set(form.initial["categories"]) == {Category.CHILDCARE, Category.SOCIAL}
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.response_days == 8
    assert categories(partner) == {Category.CHILDCARE, Category.SCHOOL}
    changed = LogEntry.objects.get_for_object(partner).get(action=LogEntry.Action.UPDATE)
    assert changed.actor == lotse
    assert changed.changes_dict["response_days"] == ["5", "8"]
    assert (
        LogEntry.objects.get_for_model(PartnerService)
        .filter(action=LogEntry.Action.DELETE, actor=lotse)
        .count()
        == 1
    )


def test_a_bad_edit_changes_nothing(client_for: ClientFor, lotse: User) -> None:
    partner = PartnerFactory.create(name="Kita Sonnenschein", city="Aue-Bad Schlema")
    PartnerService.objects.create(partner=partner, category=Category.CHILDCARE)

    response = client_for(lotse).post(
        reverse("partner_edit", args=[partner.pk]),
        partner_data(categories=[Category.SCHOOL], response_days="0"),
    )

    assert response.status_code == 400
    partner.refresh_from_db()
    assert partner.response_days == 5
    assert categories(partner) == {Category.CHILDCARE}


def test_a_lotse_deactivates_and_reactivates_a_partner(
    client_for: ClientFor, lotse: User, partner: Partner
) -> None:
    client = client_for(lotse)
    url = reverse("partner_set_active", args=[partner.pk])

    client.post(url, {"active": "0"})
    partner.refresh_from_db()
    listed_while_inactive = client.get(reverse("partner_list")).context["page"].object_list
    assert not partner.is_active
    assert partner not in listed_while_inactive

    response = client.post(url, {"active": "1"})
    partner.refresh_from_db()
    assert partner.is_active
    assert response["Location"] == reverse("partner_detail", args=[partner.pk])
    changes = [
        entry.changes_dict["is_active"]
        for entry in LogEntry.objects.get_for_object(partner).filter(action=LogEntry.Action.UPDATE)
    ]
    assert sorted(changes) == [["False", "True"], ["True", "False"]]


def test_deactivation_is_a_post(client_for: ClientFor, lotse: User, partner: Partner) -> None:
    response = client_for(lotse).get(reverse("partner_set_active", args=[partner.pk]))

    assert response.status_code == 405
    partner.refresh_from_db()
    assert partner.is_active
