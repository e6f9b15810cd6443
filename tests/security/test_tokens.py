"""Tampered, forged, replayed and expired tokens are refused: allauth's password-reset and
e-mail-confirmation links, the signed intake confirmation (the project's one use of
django.core.signing), and the session cookie."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from allauth.account import app_settings as account_settings
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.sessions.backends.cache import SessionStore
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from migrants.views import CONFIRMATION_MAX_AGE, CONFIRMATION_SALT
from tests.conftest import PASSWORD
from tests.security.helpers import body, finish_login

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-long-passphrase-for-lena"
STAFF_PAGE = "/triage/"


def tamper(token: str) -> str:
    """The same token with its last character changed."""
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def logged_in(client: Client) -> bool:
    response = client.get(STAFF_PAGE)
    return response.status_code == 200


# ---- password reset ---------------------------------------------------------------------------

RESET_LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/key/(\w+)-([\w-]+)/)")


def reset_link(client: Client, email: str) -> tuple[str, str, str]:
    """(path, uidb36, key) of the link in the reset mail."""
    mail.outbox.clear()
    client.post(reverse("account_reset_password"), {"email": email})
    assert len(mail.outbox) == 1
    match = RESET_LINK.search(mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1), match.group(2), match.group(3)


def use_reset_link(client: Client, path: str) -> bool:
    """Open the link and, if the page offers it, set NEW_PASSWORD. True if the link worked."""
    response = client.get(path, follow=True)
    if (
        response.context is None
        or response.context.get("token_fail")
        or not response.redirect_chain
    ):
        return False
    form_url = response.redirect_chain[-1][0]
    assert form_url.endswith("-set-password/"), form_url
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    return True


def password_is(user: User, password: str) -> bool:
    user.refresh_from_db()
    return user.check_password(password)


def test_a_password_reset_link_works_once(lotse: User) -> None:
    client = Client()
    path, _uid, _key = reset_link(client, lotse.email)
    assert use_reset_link(client, path)
    assert password_is(lotse, NEW_PASSWORD)
    # Replayed: the key was made from the old password hash, so it is dead now.
    assert not use_reset_link(Client(), path)


@pytest.mark.parametrize("part", ["key", "uid"])
def test_a_tampered_password_reset_link_is_refused(
    lotse: User, other_lotse: User, part: str
) -> None:
    client = Client()
    _path, uid, key = reset_link(client, lotse.email)
    if part == "key":
        kwargs = {"uidb36": uid, "key": tamper(key)}
    else:  # the key of Lena's mail with the user id of Lars
        kwargs = {"uidb36": user_pk_to_url_str(other_lotse), "key": key}
    forged = reverse("account_reset_password_from_key", kwargs=kwargs)
    assert not use_reset_link(client, forged)
    assert password_is(lotse, PASSWORD)
    assert password_is(other_lotse, PASSWORD)


@pytest.mark.parametrize(("seconds", "works"), [(-60, True), (60, False)])
def test_a_password_reset_link_expires(lotse: User, seconds: int, works: bool) -> None:
    path, _uid, _key = reset_link(Client(), lotse.email)
    # In local time with its zone: the token counts in naive local time, and time-machine
    # moves the local zone to that of the destination.
    later = timezone.localtime() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + seconds)
    with time_machine.travel(later):
        assert use_reset_link(Client(), path) is works
    assert password_is(lotse, NEW_PASSWORD if works else PASSWORD)


def test_a_password_reset_link_dies_when_the_user_logs_in_meanwhile(lotse: User) -> None:
    # Django's token includes last_login: a link found later in the mailbox is useless.
    path, _uid, _key = reset_link(Client(), lotse.email)
    with time_machine.travel(timezone.localtime() + timedelta(minutes=5)):
        client = Client()
        response = client.post(
            reverse("account_login"), {"login": lotse.email, "password": PASSWORD}
        )
        assert finish_login(client, response).status_code == 302
        assert not use_reset_link(Client(), path)
    assert password_is(lotse, PASSWORD)


# ---- e-mail confirmation ---------------------------------------------------------------------


@pytest.fixture
def unconfirmed(lotse: User) -> EmailAddress:
    return EmailAddress.objects.create(user=lotse, email="neu@welcome-center.example")


def confirm(key: str) -> None:
    Client().post(reverse("account_confirm_email", kwargs={"key": key}))


def test_an_email_confirmation_key_confirms_its_address(unconfirmed: EmailAddress) -> None:
    confirm(EmailConfirmationHMAC(unconfirmed).key)
    unconfirmed.refresh_from_db()
    assert unconfirmed.verified


def test_a_tampered_or_expired_email_confirmation_key_is_refused(
    unconfirmed: EmailAddress,
) -> None:
    key = EmailConfirmationHMAC(unconfirmed).key
    confirm(tamper(key))
    days = account_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS
    with time_machine.travel(timezone.localtime() + timedelta(days=days, minutes=1)):
        confirm(key)
    unconfirmed.refresh_from_db()
    assert not unconfirmed.verified


# ---- the signed intake confirmation ---------------------------------------------------------


def confirmation(token: str) -> tuple[int, str]:
    response = Client().get(reverse("intake_done"), {"t": token})
    return response.status_code, body(response)


def test_the_intake_confirmation_shows_the_signed_reference() -> None:
    status, text = confirmation(signing.dumps("NC-2026-00042", salt=CONFIRMATION_SALT))
    assert status == 200
    assert "NC-2026-00042" in text


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(
            lambda: tamper(signing.dumps("NC-2026-00042", salt=CONFIRMATION_SALT)), id="tampered"
        ),
        pytest.param(lambda: signing.dumps("NC-2026-00042"), id="without-salt"),
        pytest.param(lambda: signing.dumps("NC-2026-00042", salt="other"), id="other-salt"),
        pytest.param(
            lambda: signing.dumps("NC-2026-00042", salt=CONFIRMATION_SALT, key="not-our-key"),
            id="other-key",
        ),
        pytest.param(
            # The payload of one reference with the signature of another.
            lambda: (
                signing.dumps("NC-2026-00042", salt=CONFIRMATION_SALT).split(":", 1)[0]
                + ":"
                + signing.dumps("NC-2026-00001", salt=CONFIRMATION_SALT).split(":", 1)[1]
            ),
            id="swapped-payload",
        ),
        pytest.param(lambda: "", id="empty"),
        pytest.param(lambda: "NC-2026-00042", id="unsigned"),
    ],
)
def test_a_forged_intake_confirmation_is_refused(forge) -> None:  # type: ignore[no-untyped-def]
    status, text = confirmation(forge())
    assert status == 302
    assert "NC-2026-00042" not in text


def test_an_expired_intake_confirmation_is_refused() -> None:
    token = signing.dumps("NC-2026-00042", salt=CONFIRMATION_SALT)
    with time_machine.travel(timezone.localtime() + timedelta(seconds=CONFIRMATION_MAX_AGE + 60)):
        status, text = confirmation(token)
    assert status == 302
    assert "NC-2026-00042" not in text


# ---- the session cookie -------------------------------------------------------------------


def login(client: Client, user: User) -> str:
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert finish_login(client, response).status_code == 302
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_a_tampered_or_forged_session_cookie_is_anonymous(lotse: User) -> None:
    client = Client()
    key = login(client, lotse)
    assert logged_in(client)
    for forged in (tamper(key), "0" * len(key), key + "x", "", "../../etc/passwd"):
        other = Client()
        other.cookies[settings.SESSION_COOKIE_NAME] = forged
        assert not logged_in(other), forged


def test_a_session_cookie_is_dead_after_logout(lotse: User) -> None:
    client = Client()
    key = login(client, lotse)
    client.post(reverse("account_logout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert not logged_in(replay)


def test_logging_in_gives_a_new_session_key(lotse: User) -> None:
    # Session fixation: a key planted before the login must not become the logged-in session.
    planted = SessionStore()
    planted["planted"] = True
    planted.create()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    assert login(client, lotse) != planted.session_key
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    assert not logged_in(replay)


def test_a_password_change_ends_the_other_sessions(lotse: User) -> None:
    stolen = Client()
    login(stolen, lotse)
    lotse.set_password(NEW_PASSWORD)
    lotse.save()
    assert not logged_in(stolen)
