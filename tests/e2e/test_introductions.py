"""Introductions in the browser (issue 7): given an approved company with a need, a Lotse finds
a matching newcomer from the newcomer file, records the newcomer's oral consent and proposes
them; the company user sees the anonymised profile (no name) and shows interest; the Lotse
records the newcomer's agreement; the company sees name and contact. axe-core finds no
WCAG 2.1 AA violation on any page of the flow."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import Role, User
from cases.models import ReferenceSequence
from companies.models import (
    Company,
    CompanyContact,
    Introduction,
    NeedKind,
    QualificationLevel,
    Sector,
    SizeBand,
    SkilledWorkerNeed,
)
from migrants.models import CEFRLevel, ConsentRecord, KindOfArrival, Newcomer
from tests.e2e.conftest import make_user
from tests.e2e.helpers import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LogIn = Callable[[Page, User], None]


def either(*names: str) -> re.Pattern[str]:
    wordings = "|".join(re.escape(name) for name in names)
    return re.compile(rf"^\s*({wordings})", re.I)


@pytest.fixture
def need() -> SkilledWorkerNeed:
    company = Company.objects.create(
        name="Erzgebirge Metallbau GmbH", sector=Sector.INDUSTRY, size_band=SizeBand.SMALL,
        city="Aue-Bad Schlema", status=Company.Status.APPROVED,
    )  # fmt: skip
    return SkilledWorkerNeed.objects.create(
        company=company, occupation="Mechatroniker/in",
        qualification_level=QualificationLevel.VOCATIONAL, german_level=CEFRLevel.B1,
        start_date=timezone.localdate() + timedelta(days=60), place="Aue-Bad Schlema",
        kind=NeedKind.PERMANENT,
    )  # fmt: skip


@pytest.fixture
def company_user(need: SkilledWorkerNeed) -> User:
    user = make_user("personal@metallbau.example", "Clara Firma", Role.COMPANY)
    CompanyContact.objects.create(
        company=need.company, user=user, name=user.full_name, email=user.email
    )
    return user


@pytest.fixture
def amina() -> Newcomer:
    """A mechatronics technician with consent to processing from the intake."""
    newcomer = Newcomer.objects.create(
        reference=ReferenceSequence.next_reference("NC")[0], first_name="Amina",
        last_name="Haddad", email="amina.haddad@example.org", profession="Mechatronikerin",
        kind_of_arrival=KindOfArrival.ABROAD_THIRD_COUNTRY, target_place="Aue-Bad Schlema",
        arrival_date=timezone.localdate() + timedelta(days=20), arrival_is_planned=True,
    )  # fmt: skip
    newcomer.languages.create(language="de", level=CEFRLevel.B2)
    newcomer.qualifications.create(title="Diploma in Mechatronics", year=2019)
    ConsentRecord.objects.create(
        newcomer=newcomer, scope="processing", text_version="2026-11", language="de",
        method="intake_form",
    )  # fmt: skip
    return newcomer


def test_a_lotse_introduces_a_newcomer_who_the_company_sees_by_name_only_after_agreeing(
    page: Page, browser: Browser, live_server: LiveServer, log_in: LogIn,
    need: SkilledWorkerNeed, company_user: User, amina: Newcomer,
) -> None:  # fmt: skip
    lotse = make_user("lotse@example.org", "Lena Lotse", Role.LOTSE)
    log_in(page, lotse)

    # The Lotse finds the need from the newcomer's file.
    page.goto(live_server.url + reverse("newcomer_detail", args=[amina.pk]))
    page.get_by_role("link", name=either("Passende Bedarfe", "Matching needs")).click()
    expect(page.get_by_role("cell", name=need.company.name, exact=True)).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=either("Vorschlagen", "Propose")).click()
    assert_no_axe_violations(page)

    # No consent to share with this company yet: the Lotse records the oral consent.
    page.get_by_role("button", name=either("Dem Unternehmen vorschlagen", "Propose to")).click()
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    page.get_by_label(re.compile(r"mündlich|\(orally\)", re.I)).check()
    page.get_by_label(either("Hinweis an das Unternehmen", "Note to the company")).fill(
        "Kann sofort nach der Einreise anfangen."
    )
    page.get_by_role("button", name=either("Dem Unternehmen vorschlagen", "Propose to")).click()
    introduction = Introduction.objects.get()
    expect(page).to_have_url(
        live_server.url + reverse("introduction_detail", args=[introduction.pk])
    )
    assert_no_axe_violations(page)

    # The company, in a browser of its own: the profile, without the name.
    company_page = browser.new_context(locale="de-DE").new_page()
    company_page.set_default_timeout(10_000)
    log_in(company_page, company_user)
    company_page.get_by_role("link", name=either("Vorstellungen", "Introductions")).click()
    expect(company_page.get_by_text("Diploma in Mechatronics")).to_be_visible()
    content = company_page.content()
    for secret in ("Amina", "Haddad", "amina.haddad@example.org", amina.reference):
        assert secret not in content
    assert_no_axe_violations(company_page)
    company_page.get_by_role("button", name=either("Interesse zeigen", "Show interest")).click()
    expect(company_page.locator(".alert-success")).to_be_visible()
    assert "Haddad" not in company_page.content()
    assert_no_axe_violations(company_page)

    # The Lotse asks the newcomer and records the agreement.
    page.reload()
    page.get_by_role("button", name=either("Zustimmung", "Record the newcomer's agreement")).click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert_no_axe_violations(page)

    # Now the company sees name and contact.
    company_page.reload()
    expect(company_page.get_by_role("heading", name=re.compile("Amina Haddad"))).to_be_visible()
    expect(company_page.get_by_text("amina.haddad@example.org")).to_be_visible()
    assert_no_axe_violations(company_page)
    company_page.context.close()
