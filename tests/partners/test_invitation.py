"""Inviting a partner's contact to log in, end to end with the test client: the Lotse clicks
"invite", the e-mail waits in the outbox in the contact's language, the link (allauth's
password-reset key) lets the contact choose a password, they log in and must set up
two-factor login before anything else. An address that already has an account gets no
second one."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import OutgoingEmail, Role, User
from accounts.services import deliver_email
from partners.models import Partner, PartnerContact
from tests.factories import PartnerContactFactory

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
NEW_PASSWORD = "Erzgebirge-Pyramide-2026"
LINK = re.compile(r"https?://\S+/accounts/password/reset/key/\S+/")


@pytest.fixture
def contact(partner: Partner) -> PartnerContact:
    return PartnerContactFactory.create(
        partner=partner, name="Bernd Bescheid", email="bernd@lra.example", language="en"
    )


def invite(client: Client, contact: PartnerContact) -> list[str]:
    response = client.post(reverse("contact_invite", args=[contact.partner_id, contact.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("partner_detail", args=[contact.partner_id])
    return [str(message) for message in get_messages(response.wsgi_request)]


def invitation_link(email: OutgoingEmail) -> str:
    match = LINK.search(email.body_text)
    assert match, email.body_text
    assert f'href="{match.group(0)}"' in email.body_html
    return urlsplit(match.group(0)).path


def test_an_invited_contact_sets_a_password_logs_in_and_must_set_up_two_factor_login(
    client_for: ClientFor, lotse: User, contact: PartnerContact
) -> None:
    invite(client_for(lotse), contact)

    # The account: a partner user with no usable password, linked to the contact.
    contact.refresh_from_db()
    user = contact.user
    assert user is not None
    assert (user.email, user.role, user.language, user.full_name) == (
        "bernd@lra.example",
        Role.PARTNER,
        "en",
        "Bernd Bescheid",
    )
    assert not user.has_usable_password()
    assert user.partner == contact.partner

    # The e-mail: in the outbox, in the contact's language, with the link; then delivered.
    email = OutgoingEmail.objects.get(template="partner-invitation")
    assert (email.to, email.language) == ("bernd@lra.example", "en")
    with translation.override("en"):
        assert email.subject == f"Your login to the {settings.CENTER_NAME} portal"
    assert contact.partner.name in email.body_text
    assert lotse.full_name in email.body_text
    path = invitation_link(email)
    assert deliver_email(email.pk)
    assert mail.outbox[0].to == ["bernd@lra.example"]

    # The link: allauth moves the key into the session and shows the password form.
    browser = Client()
    response = browser.get(path, follow=True)
    assert response.status_code == 200
    assert "password1" in response.context["form"].fields
    response = browser.post(
        response.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # The link works once: the token hashes the password, which has changed.
    assert Client().get(path, follow=True).context.get("token_fail") is True

    # The login: no authenticator yet, so every page leads to the two-factor setup.
    response = browser.post(
        reverse("account_login"), {"login": "bernd@lra.example", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    response = browser.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_an_address_that_has_an_account_gets_a_clear_message_and_no_second_user(
    client_for: ClientFor, lotse: User, contact: PartnerContact, company_user: User
) -> None:
    contact.email = company_user.email.upper()  # the same address, spelled differently
    contact.save()

    messages = invite(client_for(lotse), contact)

    assert User.objects.filter(email__iexact=company_user.email).count() == 1
    contact.refresh_from_db()
    assert contact.user is None
    assert not OutgoingEmail.objects.filter(template="partner-invitation").exists()
    # In the Lotse's language (German unless they chose English).
    said = " ".join(messages)
    assert "belongs to another account" in said or "gehört zu einem anderen Konto" in said, said


def test_inviting_again_before_the_first_login_sends_a_fresh_link_to_the_same_user(
    client_for: ClientFor, lotse: User, contact: PartnerContact
) -> None:
    client = client_for(lotse)
    invite(client, contact)
    invite(client, contact)

    assert User.objects.filter(email="bernd@lra.example").count() == 1
    assert OutgoingEmail.objects.filter(template="partner-invitation").count() == 2


def test_a_contact_who_logs_in_already_is_not_invited_again(
    client_for: ClientFor, lotse: User, partner_user: User
) -> None:
    partner_user.last_login = partner_user.date_joined
    partner_user.save()
    contact = PartnerContact.objects.get(user=partner_user)

    messages = invite(client_for(lotse), contact)

    assert not OutgoingEmail.objects.filter(template="partner-invitation").exists()
    said = " ".join(messages)  # in the Lotse's language
    assert "logs in already" in said or "hat bereits eine Anmeldung" in said, said


def test_the_invitation_is_in_german_for_a_german_speaking_contact(
    client_for: ClientFor, lotse: User, contact: PartnerContact
) -> None:
    contact.language = "de"
    contact.save()

    invite(client_for(lotse), contact)

    email = OutgoingEmail.objects.get(template="partner-invitation")
    assert email.language == "de"
    with translation.override("de"):
        expected = translation.gettext("Hello %(full_name)s,") % {"full_name": "Bernd Bescheid"}
    assert email.body_text.startswith(expected)


def test_partner_and_company_users_cannot_invite(
    client_for: ClientFor, partner_user: User, company_user: User, contact: PartnerContact
) -> None:
    url = reverse("contact_invite", args=[contact.partner_id, contact.pk])

    for user in (partner_user, company_user):
        assert client_for(user).post(url).status_code == 403
    assert client_for(None).post(url).status_code == 302  # to the login
    contact.refresh_from_db()
    assert contact.user is None
    assert not OutgoingEmail.objects.exists()
