"""A Lotse logs in through the real form with the code of their authenticator app and lands on
their home page; the public page, the
login page and every role's home page pass axe-core's WCAG 2.1 AA rules; the language switcher
and the skip link work."""

import re
from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from tests.e2e.conftest import enter_totp_code
from tests.e2e.helpers import assert_no_axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# German by default; strings of the portal's own not yet translated show in English.
EMAIL = re.compile(r"E-Mail|Email", re.I)
PASSWORD = re.compile(r"Passwort|Password", re.I)
LOG_IN = re.compile(r"^(Anmelden|Einloggen|Log in|Sign in)$", re.I)
MY_OPEN_CASES = re.compile(r"^(Meine offenen Fälle|My open cases)$", re.I)
LANGUAGE = re.compile(r"^(Sprache|Language)$", re.I)
WRONG_CREDENTIALS = re.compile(r"falsch|not correct", re.I)
SKIP_LINK = re.compile(r"Hauptinhalt|main content", re.I)

LogIn = Callable[[Page, User], None]


def test_lotse_logs_in_and_sees_their_home_page(
    page: Page, live_server: LiveServer, lotse: User, password: str
) -> None:
    page.goto(live_server.url + reverse("account_login"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    screenshot(page, "login-de")

    page.get_by_label(EMAIL).fill(lotse.email)
    page.get_by_label(PASSWORD).fill(password)
    page.get_by_role("button", name=LOG_IN).click()

    # The second factor: the code of the authenticator app, with a page axe finds clean.
    expect(page).to_have_url(live_server.url + reverse("mfa_authenticate"))
    assert_no_axe_violations(page)
    enter_totp_code(page)

    expect(page).to_have_url(live_server.url + reverse("home"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(lotse.get_short_name())
    expect(page.get_by_role("heading", name=MY_OPEN_CASES)).to_be_visible()
    screenshot(page, "home-lotse-de")


def test_stylesheets_load_and_style_the_page(page: Page, live_server: LiveServer) -> None:
    with page.expect_response(re.compile(r"/bootstrap\.min\.css$")) as stylesheet:
        page.goto(live_server.url + reverse("home"))
    assert stylesheet.value.status == 200
    # Bootstrap's reboot and the coloured navigation bar, not the browser's defaults.
    expect(page.locator("body")).to_have_css("margin", "0px")
    expect(page.get_by_role("navigation").first).not_to_have_css(
        "background-color", "rgba(0, 0, 0, 0)"
    )


def test_public_home_page_has_no_accessibility_violations(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(live_server.url + reverse("home"))
    assert_no_axe_violations(page)


def test_login_page_has_no_accessibility_violations(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + reverse("account_login"))
    assert_no_axe_violations(page)


def test_login_page_after_a_wrong_password_has_no_accessibility_violations(
    page: Page, live_server: LiveServer, lotse: User
) -> None:
    page.goto(live_server.url + reverse("account_login"))
    page.get_by_label(EMAIL).fill(lotse.email)
    page.get_by_label(PASSWORD).fill("not-the-password")
    page.get_by_role("button", name=LOG_IN).click()

    expect(page).to_have_url(live_server.url + reverse("account_login"))
    expect(page.get_by_role("main").get_by_text(WRONG_CREDENTIALS)).to_be_visible()
    screenshot(page, "login-error-de")
    assert_no_axe_violations(page)


@pytest.mark.parametrize(
    ("persona", "has_table"),
    [("lotse", False), ("head", True), ("partner_user", True), ("company_user", True)],
)
def test_home_page_of_each_role_has_no_accessibility_violations(
    page: Page, log_in: LogIn, persona: str, has_table: bool, request: pytest.FixtureRequest
) -> None:
    log_in(page, request.getfixturevalue(persona))

    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_be_visible()
    # The caseload, referral and needs tables are on the page for axe to check.
    expect(main.get_by_role("table")).to_have_count(1 if has_table else 0)
    screenshot(page, f"home-{persona}-de")
    assert_no_axe_violations(page)


def test_language_switcher_switches_to_english_and_back(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(live_server.url + reverse("home"))
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "de")
    footer = page.get_by_role("contentinfo")

    footer.get_by_role("combobox", name=LANGUAGE).select_option(label="English")
    footer.get_by_role("button").click()
    expect(html).to_have_attribute("lang", "en")
    expect(footer.get_by_role("combobox", name=LANGUAGE)).to_have_value("en")

    footer.get_by_role("combobox", name=LANGUAGE).select_option(label="Deutsch")
    footer.get_by_role("button").click()
    expect(html).to_have_attribute("lang", "de")
    expect(footer.get_by_role("combobox", name=LANGUAGE)).to_have_value("de")


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(live_server.url + reverse("home"))

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name=SKIP_LINK)
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
