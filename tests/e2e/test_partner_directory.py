"""The partner directory in the browser: a Lotse filters the directory by a category, opens a
partner, mistypes a contact's e-mail (the form comes back with the error), corrects it and sees
the contact on the partner page as the one who receives referrals by default. axe-core checks
every page on the way, the refused form included.

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

from accounts.models import User
from cases.models import Category, Referral
from partners.models import Partner, PartnerService, PartnerType
from tests.e2e.helpers import assert_no_axe_violations, assert_unique_ids, screenshot
from tests.factories import CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LogIn = Callable[[Page, User], None]


def partner(name: str, type: str, *categories: str, city: str = "Aue-Bad Schlema") -> Partner:
    created = Partner.objects.create(name=name, type=type, city=city, response_days=5)
    for category in categories:
        PartnerService.objects.create(partner=created, category=category)
    return created


@pytest.fixture
def kita(lotse: User) -> Partner:
    """The Kita the Lotse looks for, with one referral awaiting its answer; two partners the
    filter must leave out."""
    kita = partner("Kita Sonnenschein", PartnerType.KITA, Category.CHILDCARE)
    partner("IQ Netzwerk Sachsen", PartnerType.IQ_NETWORK, Category.RECOGNITION, city="Chemnitz")
    partner("Wohnungsbau Aue", PartnerType.HOUSING, Category.HOUSING)
    case = CaseFactory.create(owner=lotse, category=Category.CHILDCARE)
    Referral.objects.create(
        case=case,
        partner=kita,
        request="Ein Kita-Platz ab Mai für ein Kind von drei Jahren.",
        created_by=lotse,
        answer_by=timezone.localdate() + timedelta(days=5),
    )
    return kita


def check_page(page: Page, name: str) -> None:
    assert_no_axe_violations(page)
    assert_unique_ids(page)
    screenshot(page, name)


def test_lotse_filters_the_directory_opens_a_partner_and_adds_a_contact(
    page: Page, live_server: LiveServer, log_in: LogIn, lotse: User, kita: Partner
) -> None:
    log_in(page, lotse)

    # From the navigation to the directory: every active partner, by name.
    page.get_by_role("navigation").locator(f"a[href='{reverse('partner_list')}']").click()
    expect(page).to_have_url(live_server.url + reverse("partner_list"))
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(4)  # the header and three partners
    check_page(page, "partner-directory")

    # Filtered by the category served, the address keeps the filter.
    search = page.get_by_role("search")
    search.locator("select[name=category]").select_option(Category.CHILDCARE.value)
    search.get_by_role("button").first.click()
    expect(page).to_have_url(re.compile(r"/partners/\?.*category=childcare"))
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(2)
    expect(page.get_by_role("table")).not_to_contain_text("IQ Netzwerk")
    check_page(page, "partner-directory-filtered")

    # The partner page: its open referral links to the case.
    rows.get_by_role("link", name="Kita Sonnenschein").click()
    expect(page).to_have_url(live_server.url + reverse("partner_detail", args=[kita.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kita Sonnenschein")
    case = kita.referrals.get().case
    expect(page.get_by_role("link", name=case.reference)).to_be_visible()
    check_page(page, "partner-page")

    # A contact, first with a mistyped address: the form comes back with what was typed.
    page.locator(f"a[href='{reverse('contact_add', args=[kita.pk])}']").click()
    check_page(page, "contact-form")
    form = page.get_by_role("main").locator("form")
    form.locator("input[name=name]").fill("Petra Platz")
    form.locator("input[name=position]").fill("Leiterin")
    form.locator("input[name=email]").fill("petra.platz@")
    form.locator("input[name=make_primary]").check()
    form.get_by_role("button").first.click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(form.locator("input[name=name]")).to_have_value("Petra Platz")
    expect(form.locator("input[name=email]")).to_have_attribute("aria-invalid", "true")
    check_page(page, "contact-form-refused")

    form.locator("input[name=email]").fill("petra.platz@kita-sonnenschein.example")
    form.get_by_role("button").first.click()

    expect(page).to_have_url(live_server.url + reverse("partner_detail", args=[kita.pk]))
    expect(page.get_by_role("status")).to_contain_text("Petra Platz")
    contacts = page.get_by_role("region", name=re.compile(r"Kontakt|Contact", re.I))
    expect(contacts.get_by_role("listitem").filter(has_text="Petra Platz").first).to_contain_text(
        "petra.platz@kita-sonnenschein.example"
    )
    assert kita.contacts.get().is_primary
    check_page(page, "partner-page-with-contact")
