"""A company user invites a colleague: a new company login linked by a contact, an e-mail with
allauth's set-password link; the colleague sets a password and sees the same company. An
address that has a login gets a clear message and no second account."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import OutgoingEmail, Role, User
from companies.models import CompanyEvent

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
LINK = re.compile(r"https?://\S+/accounts/password/reset/key/\S+/")
NEW_PASSWORD = "Schwibbogen-im-Fenster-2026"


def test_a_colleague_is_invited_sets_a_password_and_sees_the_company(
    client_for: ClientFor, company_user: User
) -> None:
    response = client_for(company_user).post(
        reverse("colleague_invite"),
        {"name": "Max Meister", "position": "Werkstattleiter", "email": "Max@Metallbau.example"},
    )
    assert response.status_code == 302

    colleague = User.objects.get(email="max@metallbau.example")
    assert (colleague.role, colleague.company) == (Role.COMPANY, company_user.company)
    assert not colleague.has_usable_password()
    assert CompanyEvent.objects.filter(kind="contact", actor=company_user).exists()
    email = OutgoingEmail.objects.get(template="company-invitation")
    assert company_user.full_name in email.body_text
    match = LINK.search(email.body_text)
    assert match, email.body_text

    browser = Client()
    form_page = browser.get(urlsplit(match.group(0)).path, follow=True)
    browser.post(
        form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    browser.post(reverse("account_login"), {"login": colleague.email, "password": NEW_PASSWORD})
    home = browser.get(reverse("home"))
    assert home.status_code == 200
    assert home.context["company"] == company_user.company


def test_an_address_with_a_login_is_refused_with_a_message(
    client_for: ClientFor, company_user: User, lotse: User
) -> None:
    response = client_for(company_user).post(
        reverse("colleague_invite"), {"name": "Lena", "email": lotse.email}
    )
    assert response.status_code == 400
    said = str(response.context["form"].errors["email"])  # German, or English untranslated
    assert "already has a login" in said or "bereits eine Anmeldung" in said, said
    assert not OutgoingEmail.objects.exists()


def test_an_invalid_address_comes_back_with_the_form(
    client_for: ClientFor, company_user: User
) -> None:
    response = client_for(company_user).post(
        reverse("colleague_invite"), {"name": "Max", "email": "max@"}
    )
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
