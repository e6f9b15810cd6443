"""The Lotsen's workspace in the browser (issue 4): a Lotse finds a case by the newcomer's name,
adds a note, schedules a follow-up and changes the status, and sees all three on the timeline,
newest first; the head reassigns two cases in bulk. axe-core checks the dashboard (Lotse and
head), the case list, the case file, the newcomer file, triage and the duplicate comparison.

The staff pages speak German; strings of the workspace that are not translated yet show in
English, so the names a test looks for match both."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from cases.models import Case, CaseEvent, Category, Document, EventKind, Status
from migrants.models import (
    CEFRLevel,
    ConsentMethod,
    ConsentRecord,
    ConsentScope,
    HouseholdMember,
    LanguageSkill,
    Newcomer,
    Qualification,
    ResidencePermit,
    ResidenceTitle,
)
from migrants.services import ensure_checklist
from tests.e2e.helpers import assert_no_axe_violations, assert_unique_ids, screenshot
from tests.factories import CaseFactory, HeadFactory, LotseFactory, NewcomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LogIn = Callable[[Page, User], None]


def either(*names: str) -> re.Pattern[str]:
    """A whole accessible name in any of the given wordings (German or, untranslated, English)."""
    # Playwright hands the pattern to JavaScript between slashes: a slash must be escaped.
    wordings = "|".join(re.escape(name).replace("/", r"\/") for name in names)
    # Label text keeps the template's leading white space, which a regular expression sees.
    return re.compile(rf"^\s*({wordings})", re.I)


ADD_A_NOTE = either("Notiz hinzufügen", "Add a note")
SCHEDULE_A_FOLLOW_UP = either(
    "Wiedervorlage planen", "Wiedervorlage anlegen", "Schedule a follow-up"
)
CHANGE_STATUS = either("Status ändern", "Change status")
TIMELINE = either("Verlauf", "Zeitleiste", "Timeline")
DUE_ON = either("Fällig am", "Due on")
TASK = either("Aufgabe", "Task")
NEW_STATUS = either("Neuer Status", "New status")
WITH_SELECTED = either("Mit den ausgewählten Fällen", "With the selected cases")
ACTION = either("Aktion", "Action")
OWNER = either("Zuständig", "Verantwortlich", "Owner")
APPLY = either("Anwenden", "Ausführen", "Apply")
CASELOAD = either("Fälle je Lotse/Lotsin", "Caseload per Lotse")
WAITING_FOR_NEWCOMER = "Wartet auf die neuzugewanderte Person"


@dataclass
class Center:
    """One small Welcome Center: two Lotsen, the head, and the cases they work on."""

    lotse: User
    other_lotse: User
    head: User
    amina: Newcomer
    housing: Case  # Amina's housing case, the one the Lotse works on
    recognition: Case
    oleksandr: Case
    ravi: Case
    intake: Newcomer  # a new intake, flagged as a possible duplicate of Amina


@pytest.fixture
def center(password: str) -> Center:
    today = timezone.localdate()
    now = timezone.now()
    lotse = LotseFactory.create(
        password=password, email="lena.lotz@welcome-center.example", full_name="Lena Lotz"
    )
    other_lotse = LotseFactory.create(
        password=password, email="lars.lange@welcome-center.example", full_name="Lars Lange"
    )
    head = HeadFactory.create(
        password=password, email="heike.leitner@welcome-center.example", full_name="Heike Leitner"
    )

    amina = NewcomerFactory.create(
        first_name="Amina",
        last_name="Haddad",
        email="amina.haddad@example.net",
        phone="+4915112345678",
        birth_date=date(1994, 3, 14),
        nationality="SY",
        country_of_origin="SY",
        preferred_language="ar",
        arrival_date=today - timedelta(days=40),
        profession="Pflegefachkraft",
        intake_submitted_at=now - timedelta(days=40),
        triaged_at=now - timedelta(days=39),
    )
    HouseholdMember.objects.create(
        newcomer=amina, relation=HouseholdMember.Relation.CHILD, birth_year=today.year - 4
    )
    LanguageSkill.objects.create(newcomer=amina, language="de", level=CEFRLevel.A2)
    LanguageSkill.objects.create(newcomer=amina, language="ar", level=CEFRLevel.C2)
    Qualification.objects.create(
        newcomer=amina,
        title="Bachelor of Nursing",
        country="SY",
        year=2016,
        reference_occupation="Pflegefachfrau",
        is_regulated=True,
        documents_complete_on=today - timedelta(days=120),  # the decision is overdue
    )
    ResidencePermit.objects.create(
        newcomer=amina,
        title=ResidenceTitle.values[0],
        issued_on=today - timedelta(days=300),
        expires_on=today + timedelta(days=60),  # expires soon: highlighted
    )
    ConsentRecord.objects.create(
        newcomer=amina,
        scope=ConsentScope.PROCESSING,
        text_version="2026-01",
        language="ar",
        method=ConsentMethod.INTAKE_FORM,
        given_at=now - timedelta(days=40),
    )
    checklist = ensure_checklist(amina, child_birth_years=[today.year - 4])
    checklist[0].done_on = today - timedelta(days=30)
    checklist[0].done_by = lotse
    checklist[0].save()

    def case(newcomer: Newcomer, category: str, status: str, days_ago: int) -> Case:
        opened = now - timedelta(days=days_ago)
        made = CaseFactory.create(
            newcomer=newcomer,
            category=category,
            status=status,
            owner=lotse,
            opened_at=opened,
            last_activity_at=opened,
        )
        CaseEvent.objects.create(
            case=made, kind=EventKind.OPENED, actor=lotse, created_at=opened, new_value="intake"
        )
        return made

    housing = case(amina, Category.HOUSING, Status.IN_PROGRESS, 39)
    housing.summary = "2-Zimmer-Wohnung in Annaberg-Buchholz ab Mai"
    housing.save()
    Document.objects.create(
        newcomer=amina,
        case=housing,
        kind=Document.Kind.CERTIFICATE,
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="zeugnis.pdf"),
        original_name="zeugnis.pdf",
        content_type="application/pdf",
        size=15,
        uploaded_by=lotse,
    )
    recognition = case(amina, Category.RECOGNITION, Status.NEW, 39)
    oleksandr = case(
        NewcomerFactory.create(first_name="Oleksandr", last_name="Bondarenko", nationality="UA"),
        Category.LANGUAGE,
        Status.IN_PROGRESS,
        20,
    )
    ravi = case(
        NewcomerFactory.create(first_name="Ravi", last_name="Kumar"),
        Category.WORK,
        Status.WAITING_PARTNER,
        10,
    )

    # Amina again, through the public form: waiting for triage, flagged as a possible duplicate.
    intake = NewcomerFactory.create(
        first_name="Amina",
        last_name="Haddad",
        email="amina.haddad@example.net",
        preferred_language="ar",
        intake_submitted_at=now - timedelta(hours=2),
        possible_duplicate_of=amina,
    )
    CaseFactory.create(newcomer=intake, category=Category.CHILDCARE, owner=None)
    return Center(lotse, other_lotse, head, amina, housing, recognition, oleksandr, ravi, intake)


def test_lotse_finds_a_case_by_name_and_works_on_it(
    page: Page, live_server: LiveServer, log_in: LogIn, center: Center
) -> None:
    log_in(page, center.lotse)

    # The search on the dashboard finds the case by the newcomer's name.
    search = page.get_by_role("search")
    search.get_by_role("searchbox").fill("Haddad")
    search.get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"/cases/\?q=Haddad$"))
    rows = page.get_by_role("table").get_by_role("row").filter(has_text="Amina Haddad")
    # Housing and recognition, and the childcare case of her new intake (a possible duplicate).
    expect(rows).to_have_count(3)
    expect(page.get_by_role("table")).not_to_contain_text("Bondarenko")
    rows.filter(has_text="Wohnen").get_by_role("link", name=center.housing.reference).click()

    expect(page).to_have_url(live_server.url + f"/cases/{center.housing.reference}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(center.housing.reference)
    expect(page.get_by_role("main")).to_contain_text("Amina Haddad")

    # The case file's actions run inline (htmx): the page is never loaded again, which this
    # mark on the window would not survive.
    page.evaluate("window.stayedOnPage = true")

    # An empty note is refused: the error shows where the note is typed, and the focus is there.
    note = page.get_by_role("region", name=ADD_A_NOTE)
    note.get_by_role("button").click()
    expect(note.get_by_role("textbox")).to_be_focused()
    expect(note.locator(".invalid-feedback")).to_be_visible()

    # A note.
    note = page.get_by_role("region", name=ADD_A_NOTE)
    note.get_by_role("textbox").fill("Angerufen: Besichtigung am Montag um 10 Uhr.")
    note.get_by_role("button").click()
    expect(
        page.get_by_role("status").filter(has_text=re.compile("Note added|Notiz"))
    ).to_be_visible()
    # The form is empty again, and the focus back on its heading.
    expect(note.get_by_role("textbox")).to_have_value("")
    expect(note.get_by_role("heading")).to_be_focused()

    # A follow-up in a week.
    due = timezone.localdate() + timedelta(days=7)
    follow_up = page.get_by_role("region", name=SCHEDULE_A_FOLLOW_UP)
    follow_up.get_by_label(DUE_ON).fill(due.isoformat())
    follow_up.get_by_label(TASK).fill("Nachfragen, wie die Besichtigung war")
    follow_up.get_by_role("button").last.click()
    expect(
        page.get_by_role("status").filter(has_text=re.compile("Follow-up scheduled|Wiedervorlage"))
    ).to_be_visible()

    # Waiting for the newcomer now.
    status = page.get_by_role("region", name=CHANGE_STATUS)
    status.get_by_label(NEW_STATUS).select_option(label=WAITING_FOR_NEWCOMER)
    status.get_by_role("button", name=CHANGE_STATUS).click()
    expect(page.get_by_role("status").filter(has_text=WAITING_FOR_NEWCOMER)).to_be_visible()
    status_cell = page.get_by_role("main").locator("dd").filter(has_text=WAITING_FOR_NEWCOMER)
    badge = status_cell.get_by_text(WAITING_FOR_NEWCOMER)
    expect(badge).to_be_visible()
    # A long status wraps inside its column rather than running over the next one.
    badge_box = badge.bounding_box()
    cell_box = status_cell.bounding_box()
    assert badge_box is not None
    assert cell_box is not None
    assert badge_box["x"] + badge_box["width"] <= cell_box["x"] + cell_box["width"] + 1

    # All three on the timeline, newest first, above the case's opening.
    entries = page.get_by_role("region", name=TIMELINE).get_by_role("listitem")
    expect(entries).to_have_count(4)
    expect(entries.nth(0)).to_contain_text("Statusänderung")
    expect(entries.nth(0)).to_contain_text(f"In Bearbeitung → {WAITING_FOR_NEWCOMER}")
    expect(entries.nth(1)).to_contain_text("Wiedervorlage")
    expect(entries.nth(1)).to_contain_text("Nachfragen, wie die Besichtigung war")
    expect(entries.nth(2)).to_contain_text("Notiz")
    expect(entries.nth(2)).to_contain_text("Besichtigung am Montag um 10 Uhr")
    expect(entries.nth(3)).to_contain_text("Fall eröffnet")
    for entry in (entries.nth(0), entries.nth(1), entries.nth(2)):
        expect(entry).to_contain_text("Lena Lotz")
    assert page.evaluate("window.stayedOnPage") is True
    screenshot(page, "case-file-de")

    center.housing.refresh_from_db()
    assert center.housing.status == Status.WAITING_NEWCOMER
    assert [f.due_on for f in center.housing.follow_ups.all()] == [due]
    kinds = list(center.housing.events.values_list("kind", flat=True))
    assert kinds == [EventKind.STATUS, EventKind.FOLLOW_UP, EventKind.NOTE, EventKind.OPENED]


def test_without_javascript_the_case_file_actions_are_plain_forms(
    browser: Browser, live_server: LiveServer, log_in: LogIn, center: Center
) -> None:
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    try:
        log_in(page, center.lotse)
        page.goto(live_server.url + f"/cases/{center.housing.reference}/")
        note = page.get_by_role("region", name=ADD_A_NOTE)
        note.get_by_role("button").click()  # refused: the page comes back with the error
        expect(
            page.get_by_role("region", name=ADD_A_NOTE).locator(".invalid-feedback")
        ).to_be_visible()
        note = page.get_by_role("region", name=ADD_A_NOTE)
        note.get_by_role("textbox").fill("Ohne JavaScript notiert.")
        note.get_by_role("button").click()
        expect(page).to_have_url(live_server.url + f"/cases/{center.housing.reference}/")
        entries = page.get_by_role("region", name=TIMELINE).get_by_role("listitem")
        expect(entries.nth(0)).to_contain_text("Ohne JavaScript notiert.")
    finally:
        context.close()
    assert center.housing.events.filter(kind=EventKind.NOTE).count() == 1


def test_an_inline_action_that_fails_keeps_the_text_and_says_so(
    page: Page, live_server: LiveServer, log_in: LogIn, center: Center
) -> None:
    log_in(page, center.lotse)
    page.goto(live_server.url + f"/cases/{center.housing.reference}/")
    note = page.get_by_role("region", name=ADD_A_NOTE)
    note.get_by_role("textbox").fill("Wichtige Notiz")
    # The server fails (as a proxy would answer 502): nothing is sent again by itself.
    page.route("**/note/", lambda route: route.fulfill(status=502, body="Bad Gateway"))
    note.get_by_role("button").click()
    expect(page.get_by_role("status")).to_contain_text("Das hat nicht geklappt")
    expect(note.get_by_role("textbox")).to_have_value("Wichtige Notiz")
    page.unroute("**/note/")
    assert not center.housing.events.filter(kind=EventKind.NOTE).exists()
    # Sent again by the Lotse, it works.
    note.get_by_role("button").click()
    expect(page.get_by_role("status")).to_contain_text("Notiz")
    assert center.housing.events.filter(kind=EventKind.NOTE).count() == 1


def test_an_inline_action_after_the_session_ended_leads_to_the_login(
    page: Page, live_server: LiveServer, log_in: LogIn, center: Center
) -> None:
    log_in(page, center.lotse)
    case_url = f"/cases/{center.housing.reference}/"
    page.goto(live_server.url + case_url)
    page.context.clear_cookies(name="sessionid")  # the CSRF cookie stays, as after a long break
    note = page.get_by_role("region", name=ADD_A_NOTE)
    note.get_by_role("textbox").fill("Nach der Pause")
    note.get_by_role("button").click()
    # Not an empty page: the login, and back to the case file after it.
    expect(page).to_have_url(
        re.compile(re.escape(reverse("account_login")) + r"\?next=" + re.escape(case_url))
    )
    assert not center.housing.events.filter(kind=EventKind.NOTE).exists()


def test_head_reassigns_two_cases_in_bulk(
    page: Page, live_server: LiveServer, log_in: LogIn, center: Center
) -> None:
    log_in(page, center.head)

    # From the caseload on the head's dashboard to Lena's open cases.
    caseload = page.get_by_role("region", name=CASELOAD)
    caseload.get_by_role("link", name="Lena Lotz").click()
    table = page.get_by_role("table")
    moving = [center.housing, center.oleksandr]
    staying = [center.recognition, center.ravi]
    for case in moving + staying:
        expect(table.get_by_role("row").filter(has_text=case.reference)).to_have_count(1)
    screenshot(page, "case-list-de")

    for case in moving:
        table.get_by_role("row").filter(has_text=case.reference).get_by_role("checkbox").check()
    bulk = page.get_by_role("group", name=WITH_SELECTED)
    bulk.get_by_label(ACTION).select_option("reassign")
    bulk.get_by_label(OWNER).select_option(label="Lars Lange")
    bulk.get_by_role("button", name=APPLY).click()

    notice = page.get_by_role("status").filter(has_text="Lars Lange")
    expect(notice).to_contain_text("2")
    # Back on Lena's list: the two cases have left it, the others are still hers.
    table = page.get_by_role("table")
    for case in moving:
        expect(table.get_by_role("row").filter(has_text=case.reference)).to_have_count(0)
    for case in staying:
        expect(table.get_by_role("row").filter(has_text=case.reference)).to_have_count(1)

    # And on Lars's list, reached the same way.
    page.get_by_role("navigation").get_by_role("link", name=either("Startseite", "Home")).click()
    page.get_by_role("region", name=CASELOAD).get_by_role("link", name="Lars Lange").click()
    table = page.get_by_role("table")
    for case in moving:
        row = table.get_by_role("row").filter(has_text=case.reference)
        expect(row).to_contain_text("Lars Lange")

    for case in moving:
        case.refresh_from_db()
        assert case.owner == center.other_lotse
        newest = case.events.first()
        assert newest is not None
        assert newest.kind == EventKind.ASSIGNMENT
    assert {case.owner for case in Case.objects.filter(pk__in=[c.pk for c in staying])} == {
        center.lotse
    }


def check_pages(page: Page, live_server: LiveServer, persona: str, pages: dict[str, str]) -> None:
    """axe-core (and unique element ids) on each page; one report with every page's findings."""
    reports = {}
    for name, path in pages.items():
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status == 200, f"{name}: {response.status}"
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        screenshot(page, f"{persona}-{name.replace(' ', '-').replace(',', '')}")
        try:
            assert_no_axe_violations(page)
            assert_unique_ids(page)
        except AssertionError as error:
            reports[name] = str(error)
    assert not reports, "\n\n".join(f"== {name} ==\n{report}" for name, report in reports.items())


def test_lotse_pages_have_no_accessibility_violations(
    page: Page, live_server: LiveServer, log_in: LogIn, center: Center
) -> None:
    amina = center.amina
    # A change on the file, so that its history shows its table.
    amina.profession = "Pflegefachfrau"
    amina.save()
    log_in(page, center.lotse)
    check_pages(
        page,
        live_server,
        "lotse",
        {
            "dashboard": reverse("home"),
            "case list": reverse("case_list"),  # redirects to "my open cases"
            "case list, searched": reverse("case_list") + "?q=Haddad",
            "case file": reverse("case_detail", args=[center.housing.reference]),
            "newcomer file": reverse("newcomer_detail", args=[center.amina.pk]),
            # The newcomer file's own pages: its edit form, its history and one form for each
            # kind of row (the same template, each with its own fields).
            "newcomer edit": reverse("newcomer_edit", args=[amina.pk]),
            "newcomer history": reverse("newcomer_history", args=[amina.pk]),
            "household member": reverse(
                "household_member_edit", args=[amina.pk, amina.household.get().pk]
            ),
            "language": reverse("language_skill_add", args=[amina.pk]),
            "residence permit": reverse(
                "residence_permit_edit", args=[amina.pk, amina.residence_permits.get().pk]
            ),
            "qualification": reverse(
                "qualification_edit", args=[amina.pk, amina.qualifications.get().pk]
            ),
            "triage": reverse("triage"),
            "duplicate": reverse("duplicate_compare", args=[center.intake.pk]),
        },
    )


def test_head_pages_have_no_accessibility_violations(
    page: Page, live_server: LiveServer, log_in: LogIn, center: Center
) -> None:
    log_in(page, center.head)
    check_pages(
        page,
        live_server,
        "head",
        {
            "dashboard": reverse("home"),
            "case list": reverse("case_list") + "?status=open",
            "triage": reverse("triage"),  # with the head's "assign to" forms
        },
    )
