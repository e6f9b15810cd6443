"""Contacts of a partner: add, edit, the one contact who receives referrals by default (a DB
constraint holds it; the form moves the mark instead of refusing), validation, audit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import User
from partners.models import Partner
from tests.factories import PartnerContactFactory
from tests.partners.helpers import german

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]


def contact_data(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Bernd Bescheid",
        "position": "Sachgebietsleiter",
        "email": "Bernd.Bescheid@LRA.example",
        "phone": "+49 3733 831-0",
        "language": "de",
        **overrides,
    }


def primary_names(partner: Partner) -> list[str]:
    return list(partner.contacts.filter(is_primary=True).values_list("name", flat=True))


def test_a_lotse_adds_a_contact(client_for: ClientFor, lotse: User, partner: Partner) -> None:
    response = client_for(lotse).post(
        reverse("contact_add", args=[partner.pk]), contact_data(make_primary="on")
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("partner_detail", args=[partner.pk])
    contact = partner.contacts.get()
    assert (contact.name, contact.email, contact.is_primary) == (
        "Bernd Bescheid",
        "bernd.bescheid@lra.example",
        True,
    )
    assert str(contact.phone) == "+4937338310"
    assert contact.user is None
    created = LogEntry.objects.get_for_object(contact).get(action=LogEntry.Action.CREATE)
    assert created.actor == lotse


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", ""), ("email", ""), ("email", "bernd@"), ("phone", "call me"), ("language", "xx")],
)
def test_a_bad_contact_is_refused_with_a_400_and_the_form_again(
    client_for: ClientFor, lotse: User, partner: Partner, field: str, value: str
) -> None:
    response = client_for(lotse).post(
        reverse("contact_add", args=[partner.pk]), contact_data(**{field: value})
    )

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "Sachgebietsleiter" in response.content.decode()
    assert not partner.contacts.exists()


def test_ticking_default_on_a_second_contact_moves_the_mark(
    client_for: ClientFor, lotse: User, partner: Partner
) -> None:
    PartnerContactFactory.create(partner=partner, name="Alte Ansprechpartnerin", is_primary=True)

    response = client_for(lotse).post(
        reverse("contact_add", args=[partner.pk]), contact_data(make_primary="on")
    )

    assert response.status_code == 302
    assert primary_names(partner) == ["Bernd Bescheid"]


def test_editing_a_contact_keeps_or_clears_the_mark_as_ticked(
    client_for: ClientFor, lotse: User, partner: Partner
) -> None:
    contact = PartnerContactFactory.create(partner=partner, name="Bernd", is_primary=True)
    client = client_for(lotse)
    url = reverse("contact_edit", args=[partner.pk, contact.pk])

    form = client.get(url).context["form"]
    client.post(url, contact_data(name="Bernd B.", make_primary="on"))
    kept = primary_names(partner)
    client.post(url, contact_data(name="Bernd B."))

    assert form.initial["make_primary"] is True
    assert kept == ["Bernd B."]
    assert primary_names(partner) == []


def test_set_primary_moves_the_mark_and_logs_both_changes(
    client_for: ClientFor, lotse: User, partner: Partner
) -> None:
    old = PartnerContactFactory.create(partner=partner, name="Alt", is_primary=True)
    new = PartnerContactFactory.create(partner=partner, name="Neu")

    response = client_for(lotse).post(reverse("contact_set_primary", args=[partner.pk, new.pk]))

    assert response.status_code == 302
    assert primary_names(partner) == ["Neu"]
    for contact, change in ((old, ["True", "False"]), (new, ["False", "True"])):
        entry = LogEntry.objects.get_for_object(contact).get(action=LogEntry.Action.UPDATE)
        assert (entry.actor, entry.changes_dict["is_primary"]) == (lotse, change)


def test_the_database_allows_only_one_primary_contact_per_partner(partner: Partner) -> None:
    PartnerContactFactory.create(partner=partner, is_primary=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerContactFactory.create(partner=partner, is_primary=True)


def test_a_contact_of_another_partner_is_not_found_under_this_one(
    client_for: ClientFor, lotse: User, partner: Partner, other_partner: Partner
) -> None:
    theirs = PartnerContactFactory.create(partner=other_partner, name="Fremd")
    client = client_for(lotse)

    edit = client.post(reverse("contact_edit", args=[partner.pk, theirs.pk]), contact_data())
    primary = client.post(reverse("contact_set_primary", args=[partner.pk, theirs.pk]))

    assert (edit.status_code, primary.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert (theirs.name, theirs.is_primary) == ("Fremd", False)


def test_the_partner_page_says_in_words_who_receives_referrals_and_who_logs_in(
    client_for: ClientFor, lotse: User, partner: Partner, partner_user: User
) -> None:
    PartnerContactFactory.create(partner=partner, name="Bernd", is_primary=True)
    partner_user.last_login = partner_user.date_joined
    partner_user.save()

    page = client_for(lotse).get(reverse("partner_detail", args=[partner.pk])).content.decode()

    assert german("Receives referrals by default") in page
    assert german("Has a login") in page
    assert german("No login (answers by e-mail link)") in page
    # A contact who logs in already is not offered an invitation.
    assert page.count(f">{german('Invite to log in')}<") == 1
