"""Company registration through allauth's sign-up: the person and the company are stored
(user with the company role, pending company, the contact that links them, the first timeline
entry), the applicant is written to, the center notified; a known address gets the same page
and no second account; a pending or rejected applicant sees only where things stand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Notification, OutgoingEmail, Role, User
from companies.models import Company, CompanyEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
NEW_PASSWORD = "Erzgebirge-Pyramide-2026"


def registration(**changes: Any) -> dict[str, Any]:
    data = {
        "full_name": "Jana Schmiede",
        "position": "Geschäftsführerin",
        "email": "jana@schmiede-aue.example",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "name": "Schmiede Aue GmbH",
        "legal_form": "GmbH",
        "sector": "crafts",
        "size_band": "10-49",
        "street": "Bahnhofstraße 1",
        "postcode": "08280",
        "city": "Aue-Bad Schlema",
        "chamber": "hwk",
        "website": "schmiede-aue.example",
    }
    return {**data, **changes}


def sign_up(client: Client, **changes: Any) -> Any:
    return client.post(reverse("account_signup"), registration(**changes))


def test_the_sign_up_page_asks_for_the_person_and_the_company() -> None:
    response = Client().get(reverse("account_signup"))
    assert response.status_code == 200
    fields = response.context["form"].fields
    for name in ("full_name", "email", "password1", "name", "legal_form", "sector"):
        assert name in fields
    for name in ("size_band", "street", "postcode", "city", "chamber", "website"):
        assert name in fields


def test_a_company_registers_and_is_pending_with_its_applicant_as_contact(lotse: User) -> None:
    client = Client()
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("company_registration_sent")
    user = User.objects.get(email="jana@schmiede-aue.example")
    assert (user.role, user.full_name) == (Role.COMPANY, "Jana Schmiede")
    assert user.check_password(NEW_PASSWORD)
    company = Company.objects.get()
    assert (company.name, company.status, company.chamber) == (
        "Schmiede Aue GmbH",
        Company.Status.PENDING,
        "hwk",
    )
    assert company.website == "https://schmiede-aue.example"
    assert user.company == company
    assert user.company_contact.position == "Geschäftsführerin"
    event = CompanyEvent.objects.get(company=company)
    assert (event.kind, event.actor, event.shared) == ("registered", user, True)
    email = OutgoingEmail.objects.get(template="company-registered")
    assert email.to == user.email
    assert "Schmiede Aue GmbH" in email.body_text
    # The Lotsen hear of it in the portal, with a link to the company file.
    note = Notification.objects.get(recipient=lotse)
    assert note.url == reverse("company_detail", args=[company.pk])
    # Not logged in: the registration page says what happens next.
    assert "_auth_user_id" not in client.session
    assert client.get(response["Location"]).status_code == 200


def test_a_known_address_gets_the_same_page_no_second_account_and_an_email(
    lotse: User,
) -> None:
    response = sign_up(Client(), email=lotse.email.upper())

    assert response.status_code == 302
    assert response["Location"] == reverse("company_registration_sent")
    assert User.objects.filter(email__iexact=lotse.email).count() == 1
    assert not Company.objects.exists()
    email = OutgoingEmail.objects.get()
    assert (email.template, email.to) == ("company-signup-existing", lotse.email)


def test_the_registration_form_refuses_missing_and_mismatched_fields() -> None:
    response = sign_up(Client(), name="", sector="", password2="something-else-entirely")
    assert response.status_code == 400  # the form again, with what to fix
    errors = response.context["form"].errors
    assert {"name", "sector", "password2"} <= set(errors)
    assert not User.objects.exists()
    assert not Company.objects.exists()


def test_a_short_password_is_refused() -> None:
    response = sign_up(Client(), password1="kurz", password2="kurz")
    assert "password1" in response.context["form"].errors
    assert not User.objects.exists()


def test_sign_up_is_rate_limited_per_address() -> None:
    client = Client()
    answers = [sign_up(client, email=f"a{n}@example.org").status_code for n in range(6)]
    assert answers[:5] == [302] * 5
    assert answers[5] == 429


def test_the_applicant_logs_in_and_sees_only_the_state_of_the_registration() -> None:
    sign_up(Client())
    client = Client()
    response = client.post(
        reverse("account_login"),
        {"login": "jana@schmiede-aue.example", "password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "companies/home.html" in [t.name for t in home.templates]
    assert home.context["company"].status == Company.Status.PENDING
    assert "needs" not in home.context
    for name in ("need_add", "service_request_add", "colleague_invite", "occupation_search"):
        assert client.get(reverse(name)).status_code == 403, name


def test_a_rejected_applicant_sees_the_reason(
    client_for: ClientFor, pending_company_user: User
) -> None:
    company = pending_company_user.company
    assert company is not None
    company.status = Company.Status.REJECTED
    company.rejection_reason = "Kein Sitz in der Region."
    company.save()

    response = client_for(pending_company_user).get(reverse("home"))

    assert response.status_code == 200
    assert "Kein Sitz in der Region." in response.content.decode()
    assert client_for(pending_company_user).get(reverse("need_add")).status_code == 403


def test_the_persona_password_still_logs_in(pending_company_user: User) -> None:
    # Company users need no second factor: the login goes straight to the home page.
    client = Client()
    client.post(
        reverse("account_login"), {"login": pending_company_user.email, "password": PASSWORD}
    )
    assert client.get(reverse("home")).status_code == 200
