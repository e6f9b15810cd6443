"""Referrals in the browser (issue 6): a Lotse refers a case; the partner opens the link from
the e-mail (read from the outbox), accepts and asks a question; the Lotse answers; the partner
completes; the Lotse sees every step on the timeline. Then the same with a partner user who logs
in. axe-core finds no WCAG 2.1 AA violation on any page of these flows."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import OutgoingEmail, User
from cases.models import Case, Referral
from migrants.models import ConsentRecord
from partners.models import Partner, PartnerContact, PartnerType
from tests.e2e.helpers import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LogIn = Callable[[Page, User], None]


def either(*names: str) -> re.Pattern[str]:
    wordings = "|".join(re.escape(name) for name in names)
    return re.compile(rf"^\s*({wordings})", re.I)


def _link_from_outbox(template: str, live_server: LiveServer) -> str:
    email = OutgoingEmail.objects.filter(template=template).latest("created_at")
    match = re.search(r"https?://\S+(/r/\S+?/)", email.body_text)
    assert match, email.body_text
    return live_server.url + match.group(1)


@pytest.fixture
def housing_partner() -> Partner:
    partner = Partner.objects.create(
        name="Wohnungsbau Annaberg eG", type=PartnerType.HOUSING, response_days=3
    )
    partner.services.create(category="housing")
    PartnerContact.objects.create(
        partner=partner, name="Willi Wohnung", email="willi@wohnungsbau.example", is_primary=True
    )
    return partner


def _refer(page: Page, live_server: LiveServer, case: Case, partner: Partner) -> None:
    page.goto(live_server.url + reverse("case_detail", args=[case.reference]))
    page.get_by_role(
        "link", name=either("An einen Partner verweisen", "Refer to a partner")
    ).click()
    assert_no_axe_violations(page)
    page.get_by_label(either("Partner")).select_option(label=partner.name)
    page.get_by_label(either("Anliegen an den Partner", "Request to the partner")).fill(
        "Zwei-Zimmer-Wohnung nahe der Klinik ab Mai."
    )
    page.get_by_role("button", name=either("Verweisung senden", "Send the referral")).click()
    expect(page).to_have_url(live_server.url + reverse("case_detail", args=[case.reference]))


def test_a_partner_answers_by_the_link_in_the_email(
    page: Page, browser: Browser, live_server: LiveServer, log_in: LogIn, lotse: User,
    housing_partner: Partner,
) -> None:  # fmt: skip
    case = Case.objects.get(owner=lotse)
    ConsentRecord.objects.create(
        newcomer=case.newcomer, scope="partners", text_version="2026-11", language="de",
        method="intake_form",
    )  # fmt: skip
    log_in(page, lotse)
    _refer(page, live_server, case, housing_partner)
    assert_no_axe_violations(page)

    # The partner, in a browser of their own, without an account.
    partner_page = browser.new_context().new_page()
    partner_page.goto(_link_from_outbox("referral-sent", live_server))
    expect(partner_page.get_by_text("Amira Haddad")).to_be_visible()
    assert_no_axe_violations(partner_page)
    partner_page.get_by_role(
        "button", name=either("Verweisung annehmen", "Accept the referral")
    ).click()
    partner_page.get_by_label(
        either("Ihre Frage an das Welcome Center", "Your question to the Welcome Center")
    ).fill("Hat die Familie ein Haustier?")
    partner_page.get_by_role("button", name=either("Frage senden", "Send the question")).click()
    expect(partner_page.get_by_text("Hat die Familie ein Haustier?")).to_be_visible()
    assert_no_axe_violations(partner_page)

    page.reload()
    page.get_by_label(either("Antwort an den Partner", "Answer to the partner")).fill(
        "Nein, keine Tiere."
    )
    page.get_by_role("button", name=either("Senden", "Send"), exact=False).first.click()

    partner_page.goto(_link_from_outbox("referral-answer", live_server))
    expect(partner_page.get_by_text("Nein, keine Tiere.")).to_be_visible()
    partner_page.get_by_label(
        either(
            "Ihre Antwort (was getan oder entschieden wurde)",
            "Your answer (what was done or decided)",
        )
    ).fill("Wohnung in der Buchholzer Straße vermittelt.")
    partner_page.get_by_role(
        "button", name=either("Verweisung abschließen", "Complete the referral")
    ).click()
    # Completed: the link shows nothing of the newcomer any more.
    expect(partner_page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    expect(partner_page.get_by_text("Amira Haddad")).to_have_count(0)
    assert_no_axe_violations(partner_page)

    page.goto(live_server.url + reverse("case_detail", args=[case.reference]))
    timeline = page.locator(".timeline")
    for text in (
        "Hat die Familie ein Haustier?",
        "Nein, keine Tiere.",
        "Wohnung in der Buchholzer Straße vermittelt.",
    ):
        expect(timeline.get_by_text(text).first).to_be_visible()
    expect(timeline.get_by_text("Willi Wohnung").first).to_be_visible()
    assert Referral.objects.get(partner=housing_partner).status == "completed"
    assert_no_axe_violations(page)


def test_a_partner_user_answers_from_their_account(
    page: Page, live_server: LiveServer, log_in: LogIn, partner_user: User
) -> None:
    referral = Referral.objects.get(contact__user=partner_user)
    log_in(page, partner_user)
    page.get_by_role("link", name=referral.case.reference).click()
    expect(page.get_by_text("Two-room flat near the hospital from May.")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label(either("Warum können Sie nicht helfen?", "Why can you not help?")).fill(
        "Derzeit keine freie Wohnung."
    )
    page.get_by_role("button", name=either("Verweisung ablehnen", "Decline the referral")).click()
    expect(page.get_by_text("Derzeit keine freie Wohnung.")).to_be_visible()
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == (
        "declined",
        "Derzeit keine freie Wohnung.",
    )

    page.goto(live_server.url + reverse("partner_referrals") + "?show=closed")
    expect(page.get_by_role("link", name=referral.case.reference)).to_be_visible()
    assert_no_axe_violations(page)
