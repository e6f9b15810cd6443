"""The foundation's browser journey on the demo data itself: `seed_demo` builds the center, the
demo Lotse logs in through the real form, is made to set up two-factor login with an
authenticator app on this first login (settings.MFA_REQUIRED_ROLES), and then sees their home
page with their cases; axe-core finds no WCAG 2.1 AA violation on the login page, the two-factor
setup or the home page."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from tests.e2e.helpers import assert_no_axe_violations
from tests.factories import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_LOTSE = "lotse@demo.welcome-center.example"
DEMO_PASSWORD = "demo-password-for-the-browser-test"


def test_the_demo_lotse_logs_in_and_sees_the_home_page(page: Page, live_server: LiveServer) -> None:
    call_command("seed_demo", password=DEMO_PASSWORD, verbosity=0)

    page.goto(live_server.url + reverse("account_login"))
    assert_no_axe_violations(page)
    page.get_by_label(re.compile(r"E-Mail|Email", re.I)).fill(DEMO_LOTSE)
    page.get_by_label(re.compile(r"Passwort|Password", re.I)).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile(r"^(Anmelden|Log in)$", re.I)).click()

    # Nothing but the two-factor setup until it is done; allauth first asks for the password
    # once more, as for every change of the second factor.
    expect(page).to_have_url(re.compile(re.escape(reverse("account_reauthenticate"))))
    page.get_by_label(re.compile(r"Passwort|Password", re.I)).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile(r"^(Bestätigen|Confirm)$", re.I)).click()
    expect(page).to_have_url(re.compile(re.escape(reverse("mfa_activate_totp"))))
    assert_no_axe_violations(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(totp_code(secret))
    page.get_by_role("button", name=re.compile(r"^(Aktivieren|Activate)$", re.I)).click()
    expect(page).not_to_have_url(re.compile(re.escape(reverse("mfa_activate_totp"))))
    assert User.objects.get(email=DEMO_LOTSE).mfa_enabled_at is not None

    page.goto(live_server.url + reverse("home"))
    expect(page).to_have_url(live_server.url + reverse("home"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jana")
    open_cases = page.get_by_role("link", name=re.compile(r"^\d+$")).first
    expect(open_cases).to_be_visible()
    assert int(open_cases.inner_text()) > 0  # the demo Lotse has cases of her own
    assert_no_axe_violations(page)
