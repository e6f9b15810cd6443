"""A company registers, the head approves it, the company user logs in and adds a need.

The applicant fills in the public sign-up form (person and company) and lands on "registration
received", not logged in. The head logs in (with the code of her authenticator app), finds the
registration at the top of the company list, opens it and approves it. The applicant logs in,
sees the approved company's home, describes a need and picks its ISCO-08 code from the search
results that htmx shows while typing. axe-core checks every page on the way.

Form controls are found by their names: the labels are new strings whose German wording the
translators choose; axe-core checks that each control has a label."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import OutgoingEmail, User
from companies.models import Company, SkilledWorkerNeed
from tests.companies.conftest import ensure_occupations
from tests.e2e.helpers import assert_no_axe_violations, assert_unique_ids, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LogIn = Callable[[Page, User], None]
COMPANY_PASSWORD = "Erzgebirge-Pyramide-2026"
EMAIL = "jana@schmiede-aue.example"


@pytest.fixture(autouse=True)
def _occupations(transactional_db: None) -> None:
    ensure_occupations()


def check_page(page: Page, name: str) -> None:
    assert_no_axe_violations(page)
    assert_unique_ids(page)
    screenshot(page, name)


def register(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + reverse("home"))
    page.get_by_role("main").locator(f"a[href='{reverse('account_signup')}']").click()
    expect(page).to_have_url(live_server.url + reverse("account_signup"))
    check_page(page, "company-signup")
    form = page.get_by_role("main").locator("form")
    fields = {
        "full_name": "Jana Schmiede",
        "position": "Geschäftsführerin",
        "email": EMAIL,
        "password1": COMPANY_PASSWORD,
        "password2": COMPANY_PASSWORD,
        "name": "Schmiede Aue GmbH",
        "legal_form": "GmbH",
        "street": "Bahnhofstraße 1",
        "postcode": "08280",
        "city": "Aue-Bad Schlema",
        "website": "schmiede-aue.example",
    }
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("select[name=sector]").select_option("crafts")
    form.locator("select[name=size_band]").select_option("10-49")
    form.locator("select[name=chamber]").select_option("hwk")
    form.get_by_role("button").last.click()
    expect(page).to_have_url(live_server.url + reverse("company_registration_sent"))
    check_page(page, "company-registration-sent")


def approve(page: Page, live_server: LiveServer, log_in: LogIn, head: User) -> None:
    log_in(page, head)
    page.get_by_role("navigation").locator(f"a[href='{reverse('company_list')}']").click()
    expect(page).to_have_url(live_server.url + reverse("company_list"))
    first_row = page.get_by_role("table").get_by_role("row").nth(1)
    expect(first_row).to_contain_text("Schmiede Aue GmbH")
    check_page(page, "company-list")
    first_row.get_by_role("link").click()
    company = Company.objects.get(name="Schmiede Aue GmbH")
    expect(page).to_have_url(live_server.url + reverse("company_detail", args=[company.pk]))
    check_page(page, "company-file-pending")
    decision = page.locator(f"form[action='{reverse('company_decide', args=[company.pk])}']")
    decision.locator("input[name=decision][value=approve]").check()
    decision.get_by_role("button").click()
    expect(page.get_by_role("status")).to_contain_text("Schmiede Aue GmbH")
    check_page(page, "company-file-approved")
    assert OutgoingEmail.objects.filter(template="company-approved", to=EMAIL).exists()
    page.context.clear_cookies()


def test_a_company_registers_is_approved_by_the_head_and_adds_a_need(
    page: Page, live_server: LiveServer, log_in: LogIn, head: User
) -> None:
    register(page, live_server)
    approve(page, live_server, log_in, head)

    # The applicant logs in (no second factor for companies) and sees the company's home.
    page.goto(live_server.url + reverse("account_login"))
    page.locator("input[name=login]").fill(EMAIL)
    page.locator("input[name=password]").fill(COMPANY_PASSWORD)
    page.get_by_role("main").get_by_role("button").click()
    expect(page).to_have_url(live_server.url + reverse("home"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Schmiede Aue GmbH")
    check_page(page, "company-home-empty")

    # A need, with its ISCO-08 code picked from the results shown while typing.
    page.locator(f"a[href='{reverse('need_add')}']").click()
    expect(page).to_have_url(live_server.url + reverse("need_add"))
    check_page(page, "need-form")
    form = page.get_by_role("main").locator("form")
    form.locator("input[name=occupation]").fill("Schweißer/in (MAG)")
    form.locator("input[name=headcount]").fill("2")
    form.locator("input[name=occupation_query]").press_sequentially("Schweiß", delay=30)
    welder = form.locator("#occupation-results input[value='7212']")
    expect(welder).to_be_visible()
    welder.check()
    check_page(page, "need-form-search")
    form.locator("select[name=qualification_level]").select_option("vocational")
    form.locator("select[name=german_level]").select_option("B1")
    form.locator("select[name=kind]").select_option("permanent")
    start = (timezone.localdate() + timedelta(days=45)).isoformat()
    form.locator("input[name=start_date]").fill(start)
    form.locator("input[name=place]").fill("Aue-Bad Schlema")
    form.locator("button[name=action][value=save]").click()

    expect(page).to_have_url(live_server.url + reverse("home"))
    needs = page.get_by_role("region", name=re.compile(r"Bedarf|needs", re.I))
    expect(needs.get_by_role("table")).to_contain_text("Schweißer/in (MAG)")
    check_page(page, "company-home-with-need")
    need = SkilledWorkerNeed.objects.get()
    assert (need.occupation_code, need.headcount, need.company.name) == (
        "7212",
        2,
        "Schmiede Aue GmbH",
    )
