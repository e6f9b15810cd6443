"""Hardening of issue 5: two-factor login required for the head, Lotsen and partner users (and
reset by the head only), security headers with a Content-Security-Policy without inline script,
the admin behind the portal's login, staff sessions that end after an hour of inactivity."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from auditlog.models import LogEntry
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from accounts.models import OutgoingEmail, User
from accounts.tasks import send_pending_emails
from tests import factories
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PORTAL_PAGES = ["home", "case_list", "triage", "notifications"]


@pytest.mark.parametrize(
    "factory", [factories.LotseFactory, factories.HeadFactory, factories.PartnerUserFactory]
)
@pytest.mark.parametrize("page", PORTAL_PAGES)
def test_without_an_authenticator_app_every_page_leads_to_its_setup(
    factory: type[factories.UserFactory], page: str
) -> None:
    user = factory.create(mfa=False)
    client = Client()
    client.force_login(user)

    response = client.get(reverse(page))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_account_pages_stay_reachable_to_set_it_up() -> None:
    client = Client()
    client.force_login(factories.LotseFactory.create(mfa=False))

    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302


def test_company_users_need_no_second_factor(company_user: User) -> None:
    assert company_user.mfa_enabled_at is None
    client = Client()
    client.force_login(company_user)
    assert client.get(reverse("home")).status_code == 200


def test_the_requirement_can_be_switched_off_for_a_local_demo(settings: Settings) -> None:
    settings.MFA_REQUIRED = False
    client = Client()
    client.force_login(factories.LotseFactory.create(mfa=False))
    assert client.get(reverse("home")).status_code == 200


def test_mfa_enabled_at_follows_the_authenticator() -> None:
    lotse = factories.LotseFactory.create(mfa=False)
    assert lotse.mfa_enabled_at is None
    factories.set_up_totp(lotse)
    assert lotse.mfa_enabled_at is not None
    Authenticator.objects.filter(user=lotse).delete()
    lotse.refresh_from_db()
    assert lotse.mfa_enabled_at is None


def test_a_lotse_cannot_switch_two_factor_login_off(lotse: User) -> None:
    totp = Authenticator.objects.get(user=lotse, type=Authenticator.Type.TOTP)
    assert get_adapter().can_delete_authenticator(totp) is False


def test_the_head_resets_a_lost_second_factor(
    head: User, lotse: User, client_for: Callable[[User | None], Client]
) -> None:
    response = client_for(head).post(reverse("user_mfa_reset", args=[lotse.pk]))

    assert response.status_code == 302
    lotse.refresh_from_db()
    assert lotse.mfa_enabled_at is None
    assert not Authenticator.objects.filter(user=lotse).exists()
    entry = LogEntry.objects.get(object_id=lotse.pk, changes__two_factor_login__isnull=False)
    assert entry.actor == head
    # The user is told, so a reset they did not ask for is noticed.
    send_pending_emails()
    (message,) = [m for m in mail.outbox if m.to == [lotse.email]]
    assert head.full_name in message.body
    assert OutgoingEmail.objects.get(to=lotse.email).sent_at is not None
    # Their next page is the setup again.
    assert client_for(lotse).get(reverse("home"))["Location"] == reverse("mfa_activate_totp")


def test_only_the_head_resets(
    lotse: User, other_lotse: User, client_for: Callable[[User | None], Client]
) -> None:
    response = client_for(lotse).post(reverse("user_mfa_reset", args=[other_lotse.pk]))

    assert response.status_code == 403
    assert Authenticator.objects.filter(user=other_lotse).exists()


# ---- headers, cookies, admin, sessions ---------------------------------------------------


def test_every_page_sends_the_security_headers(client: Client) -> None:
    response = client.get(reverse("intake"))

    policy = response["Content-Security-Policy"]
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_no_template_has_inline_script_or_event_handlers() -> None:
    """The CSP would block them: every script is a file under static/."""
    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+=\"", text):
            offenders.append(str(path))
    assert not offenders


def test_over_https_cookies_are_secure_and_hsts_is_sent(settings: Settings, lotse: User) -> None:
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": lotse.email, "password": PASSWORD}, secure=True
    )
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    assert "max-age=31536000" in response["Strict-Transport-Security"]
    anonymous = Client()
    csrf = anonymous.get(reverse("account_login"), secure=True).cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"]
    assert csrf["httponly"]


def test_the_admin_login_is_the_portals_with_its_second_factor(client: Client) -> None:
    response = client.get(reverse("admin:login"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_staff_session_ends_after_an_hour_without_activity(lotse: User) -> None:
    client = Client()
    client.force_login(lotse)
    with time_machine.travel(timedelta(minutes=50), tick=False):
        assert client.get(reverse("home")).status_code == 200  # activity extends the session
    with time_machine.travel(timedelta(minutes=100), tick=False):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(timedelta(minutes=161), tick=False):
        response = client.get(reverse("case_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
