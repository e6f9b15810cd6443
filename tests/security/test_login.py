"""Login hardening: the login and the password reset answer the same for known and unknown
addresses (allauth's ACCOUNT_PREVENT_ENUMERATION), failed logins are throttled per address and
per client (ACCOUNT_RATE_LIMITS, on the test's local-memory cache), also behind the proxy, and
weak passwords are refused by the validators and by every form that sets a password."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests import factories
from tests.conftest import PASSWORD
from tests.security.helpers import body, finish_login

pytestmark = pytest.mark.django_db

UNKNOWN = "niemand@welcome-center.example"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def normalised(text: str, email: str) -> str:
    """The page without what differs by design: the typed address and the CSRF token."""
    return CSRF_INPUT.sub("", text).replace(email, "EMAIL")


WRONG = "wrong-password-123"


def attempt(client: Client, email: str, password: str = WRONG, **extra: str) -> int:
    """One login through the form, including the second factor when the password was right."""
    data = {"login": email, "password": password}
    response = client.post(reverse("account_login"), data, **extra)  # type: ignore[arg-type]
    return finish_login(client, response, **extra).status_code


def signed_in(client: Client) -> bool:
    return client.get("/triage/").status_code == 200


# ---- no user enumeration ----------------------------------------------------------------------


def test_a_failed_login_looks_the_same_for_known_unknown_and_inactive_addresses(
    lotse: User,
) -> None:
    inactive = factories.LotseFactory.create(password=PASSWORD, is_active=False)
    pages = {}
    for email in (lotse.email, UNKNOWN, inactive.email):
        response = Client().post(
            reverse("account_login"), {"login": email, "password": "wrong-password-123"}
        )
        assert response.status_code == 400
        pages[email] = normalised(body(response), email)
    assert len(set(pages.values())) == 1
    assert "EMAIL" in pages[UNKNOWN]  # the address is echoed back, and was normalised away


def test_the_password_reset_looks_the_same_for_known_and_unknown_addresses(lotse: User) -> None:
    answers = {}
    for email in (lotse.email, UNKNOWN):
        client = Client()
        response = client.post(reverse("account_reset_password"), {"email": email})
        done = client.get(response["Location"])
        answers[email] = (response.status_code, response["Location"], normalised(body(done), email))
    assert answers[lotse.email] == answers[UNKNOWN]
    # Only the mailbox learns whether it has an account: each address got one mail.
    assert sorted(message.to[0] for message in mail.outbox) == sorted([lotse.email, UNKNOWN])


# ---- throttling -------------------------------------------------------------------------------

PER_ADDRESS = 5  # ACCOUNT_RATE_LIMITS "5/5m/key"
PER_CLIENT = 10  # "10/m/ip"


def test_rate_limits_are_configured_for_login_failures() -> None:
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == f"{PER_CLIENT}/m/ip,{PER_ADDRESS}/5m/key"


def test_an_address_is_locked_after_five_failures_even_for_the_right_password(
    lotse: User,
) -> None:
    start = timezone.localtime()
    with time_machine.travel(start, tick=False):
        for _ in range(PER_ADDRESS):
            attempt(Client(), lotse.email)
        client = Client()
        response = client.post(
            reverse("account_login"), {"login": lotse.email, "password": PASSWORD}
        )
        assert not signed_in(client)
        assert "Anmeldeversuche" in body(response) or "login attempts" in body(response)
    # Five minutes later the address may try again.
    with time_machine.travel(start + timedelta(minutes=5, seconds=1), tick=False):
        client = Client()
        attempt(client, lotse.email, PASSWORD)
        assert signed_in(client)


def test_an_unknown_address_is_locked_like_a_known_one(lotse: User) -> None:
    with time_machine.travel(timezone.localtime(), tick=False):
        for email in (lotse.email, UNKNOWN):
            for _ in range(PER_ADDRESS):
                attempt(Client(), email)
        known = Client().post(reverse("account_login"), {"login": lotse.email, "password": "x"})
        unknown = Client().post(reverse("account_login"), {"login": UNKNOWN, "password": "x"})
    assert normalised(body(known), lotse.email) == normalised(body(unknown), UNKNOWN)


def test_a_client_is_throttled_after_ten_failures_on_different_addresses(lotse: User) -> None:
    with time_machine.travel(timezone.localtime(), tick=False):
        for n in range(PER_CLIENT):
            attempt(Client(), f"guess{n}@welcome-center.example")
        client = Client()
        attempt(client, lotse.email, PASSWORD)
        assert not signed_in(client)


def test_a_forged_forwarded_for_header_does_not_escape_the_client_limit(lotse: User) -> None:
    # Without a trusted proxy (TRUST_X_FORWARDED_FOR=false) the header is the attacker's word.
    with time_machine.travel(timezone.localtime(), tick=False):
        for n in range(PER_CLIENT):
            attempt(Client(), f"guess{n}@x.example", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        client = Client()
        attempt(client, lotse.email, PASSWORD, HTTP_X_FORWARDED_FOR="10.0.1.1")
        assert not signed_in(client)


def test_behind_the_proxy_each_client_has_its_own_limit(lotse: User, settings: object) -> None:
    # The proxy's own address is REMOTE_ADDR for everybody: counting that would let one
    # attacker lock the whole center out of the login.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # type: ignore[attr-defined]
    with time_machine.travel(timezone.localtime(), tick=False):
        for n in range(PER_CLIENT):
            attempt(Client(), f"guess{n}@x.example", HTTP_X_FORWARDED_FOR="203.0.113.7")
        client = Client()
        attempt(client, lotse.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.20")
        assert signed_in(client)


CLIENT_ADDRESSES = """
import django, json
django.setup()
from allauth.core.internal.httpkit import get_client_ip
from django.test import RequestFactory
from migrants.ratelimit import client_address
request = RequestFactory().get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.7")
print(json.dumps([get_client_ip(request), client_address(request)]))
"""


@pytest.mark.parametrize(("trust", "client"), [("true", "203.0.113.7"), ("false", "10.9.9.9")])
def test_login_and_intake_limits_see_the_same_client_address(trust: str, client: str) -> None:
    """settings.py is read once per process: a fresh one with the deployment's variable."""
    env = {
        **os.environ,
        "TRUST_X_FORWARDED_FOR": trust,
        "DJANGO_SETTINGS_MODULE": "welcome_center.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", CLIENT_ADDRESSES],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [client, client]


# ---- strong passwords -------------------------------------------------------------------------

WEAK = {
    "short": "kurz-123",
    "common": "password1234",
    "numeric": "123456789012",
    "like the name": "LenaLotz2026",
    "like the address": "lena.lotz@welcome-center",
}


@pytest.mark.parametrize("password", WEAK.values(), ids=WEAK.keys())
def test_weak_passwords_are_refused(password: str) -> None:
    user = User(email="lena.lotz@welcome-center.example", full_name="Lena Lotz")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_strong_password_is_accepted() -> None:
    user = User(email="lena.lotz@welcome-center.example", full_name="Lena Lotz")
    validate_password("Fichtelberg-Schneeball-7", user)


def test_the_change_password_form_refuses_a_weak_password(lotse: User) -> None:
    client = Client()
    client.force_login(lotse)
    weak = "password1234"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": weak, "password2": weak},
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    lotse.refresh_from_db()
    assert lotse.check_password(PASSWORD)


def test_the_admin_refuses_a_weak_password_for_a_new_user(head: User) -> None:
    client = Client()
    client.force_login(head)
    weak = "123456789012"
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "neu@welcome-center.example",
            "full_name": "Neu",
            "role": "lotse",
            "usable_password": "true",
            "password1": weak,
            "password2": weak,
        },
    )
    assert response.status_code == 400
    assert response.context["adminform"].form.errors
    assert not User.objects.filter(email="neu@welcome-center.example").exists()
