"""The public intake in the browser (issue 3): a newcomer picks a language with the buttons at
the top, fills in the form, attaches a PDF and sends it; a Lotse then finds the intake in the
triage list and takes it over. axe-core checks the form, its error state and the confirmation
in German, English and Arabic; the form also works without JavaScript and by keyboard alone."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from cases.models import Status
from migrants.models import ConsentRecord, Newcomer
from tests.e2e.helpers import (
    assert_no_axe_violations,
    assert_no_sideways_scroll,
    assert_unique_ids,
    is_focused,
    screenshot,
    tab_to,
)
from tests.factories import LotseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LogIn = Callable[[Page, User], None]

REFERENCE = re.compile(r"^NC-\d{4}-\d{5}$")


@dataclass(frozen=True)
class Language:
    """What a newcomer reads on the intake page in one language."""

    code: str
    direction: str
    button: str  # the language's own name on its button
    heading: str
    first_name: str
    last_name: str
    email: str
    kind_of_arrival: str
    housing: str  # the need's tick box
    housing_text: str
    documents: str
    consent: str  # the start of the consent tick box's label
    submit: str
    check_fields: str
    thanks: str
    # The newcomer typed in, and the Lotse who reads the triage list in their browser language.
    newcomer: tuple[str, str]
    lotse_locale: str
    lotse_language: str
    take_over: str
    triage: str
    housing_for_lotse: str


GERMAN = Language(
    code="de",
    direction="ltr",
    button="Deutsch",
    heading="Unterstützung beim Welcome Center anfragen",
    first_name="Vorname",
    last_name="Nachname",
    email="E-Mail",
    kind_of_arrival="Art des Zuzugs",
    housing="Wohnen",
    housing_text="Wohnen: Was brauchen Sie?",
    documents="Dokumente (freiwillig)",
    consent="Ich bin einverstanden, dass das Welcome Center meine Daten",
    submit="Anfrage senden",
    check_fields="Bitte prüfen Sie die markierten Felder",
    thanks="Vielen Dank: Wir haben Ihre Anfrage erhalten",
    newcomer=("Jana", "Nowak"),
    lotse_locale="de-DE",
    lotse_language="de",
    take_over="Übernehmen",
    triage="Eingänge sichten",
    housing_for_lotse="Wohnen",
)
ENGLISH = Language(
    code="en",
    direction="ltr",
    button="English",
    heading="Ask the Welcome Center for support",
    first_name="First name",
    last_name="Last name",
    email="E-mail",
    kind_of_arrival="Kind of arrival",
    housing="Housing",
    housing_text="Housing: what do you need?",
    documents="Documents (optional)",
    consent="I agree that the Welcome Center stores and uses my data",
    submit="Send my request",
    check_fields="Please check the marked fields",
    thanks="Thank you: we have received your request",
    newcomer=("Priya", "Sharma"),
    # A Lotse whose browser asks for English works in English.
    lotse_locale="en-GB",
    lotse_language="en",
    take_over="Take over",
    triage="Triage",
    housing_for_lotse="Housing",
)
ARABIC = Language(
    code="ar",
    direction="rtl",
    button="العربيّة",
    heading="اطلب الدعم من Welcome Center",
    first_name="الاسم الأول",
    last_name="اسم العائلة",
    email="البريد الإلكتروني",
    kind_of_arrival="نوع القدوم",
    housing="السكن",
    housing_text="السكن: ماذا تحتاج؟",
    documents="المستندات (اختياري)",
    consent="أوافق على أن يحفظ Welcome Center بياناتي",
    submit="إرسال طلبي",
    check_fields="يرجى التحقق من الحقول المعلّمة",
    thanks="شكرًا لك: لقد استلمنا طلبك",
    newcomer=("أمل", "الحداد"),
    lotse_locale="de-DE",
    lotse_language="de",
    take_over="Übernehmen",
    triage="Eingänge sichten",
    housing_for_lotse="Wohnen",
)
LANGUAGES = [pytest.param(language, id=language.code) for language in (GERMAN, ENGLISH, ARABIC)]


@pytest.fixture
def lotse(password: str) -> User:
    # Made here rather than with the shared `lotse` fixture, whose case carries hand-written
    # references (NC-2026-00001) that the intake's reference counter would hand out again.
    return LotseFactory.create(
        email="lotse.triage@welcome-center.example", full_name="Tom Triage", password=password
    )


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    """A small, real PDF: one empty page."""
    path = tmp_path / "lebenslauf.pdf"
    path.write_bytes(
        b"%PDF-1.4\n"
        b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
        b"trailer << /Root 1 0 R >>\n"
        b"%%EOF\n"
    )
    return path


def open_intake_in(page: Page, live_server: LiveServer, language: Language) -> None:
    """Open the intake page and choose the language with its button, as a person does."""
    page.goto(live_server.url + reverse("intake"))
    choose = page.get_by_role("button", name=language.button, exact=True)
    choose.click()
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language.code)
    expect(html).to_have_attribute("dir", language.direction)
    expect(page.get_by_role("heading", level=1)).to_have_text(language.heading)
    # The chosen language's button says that it is the current one.
    expect(page.get_by_role("button", name=language.button, exact=True)).to_have_attribute(
        "aria-current", "true"
    )


def fill_in_required_fields(page: Page, language: Language, email: str) -> None:
    first_name, last_name = language.newcomer
    page.get_by_label(language.first_name).fill(first_name)
    page.get_by_label(language.last_name).fill(last_name)
    page.get_by_label(language.email).fill(email)
    page.get_by_label(language.kind_of_arrival).select_option("abroad_third")
    page.get_by_role("checkbox", name=language.housing, exact=True).check()
    page.get_by_label(language.housing_text).fill("2-room flat near Annaberg from May")
    page.get_by_role("checkbox", name=re.compile("^" + re.escape(language.consent))).check()


def read_reference(page: Page, language: Language) -> str:
    expect(page.get_by_role("heading", level=1)).to_have_text(language.thanks)
    reference = page.get_by_role("main").get_by_text(re.compile(r"NC-\d{4}-\d{5}"))
    expect(reference).to_be_visible()
    text = reference.inner_text().strip()
    assert REFERENCE.match(text), text
    return text


@pytest.mark.parametrize("language", LANGUAGES)
def test_form_and_its_error_state_have_no_accessibility_violations(
    page: Page, live_server: LiveServer, language: Language
) -> None:
    open_intake_in(page, live_server, language)
    screenshot(page, f"intake-{language.code}")
    assert_no_axe_violations(page)
    assert_unique_ids(page)
    # Mobile first: no sideways scrolling, on a desktop or on a small phone, in either direction.
    assert_no_sideways_scroll(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert_no_sideways_scroll(page)
    screenshot(page, f"intake-phone-{language.code}")
    page.set_viewport_size({"width": 1280, "height": 720})

    # Sent with nothing filled in: the summary lists what is missing and the focus moves to
    # the first field that needs attention (or to the summary), so nobody has to hunt for it.
    page.get_by_role("button", name=language.submit, exact=True).click()
    summary = page.get_by_role("alert").filter(has_text=language.check_fields)
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link").first).to_contain_text(language.first_name)
    first_name = page.get_by_label(language.first_name)
    page.wait_for_function(
        "() => ['id_first_name', 'error-summary'].includes(document.activeElement?.id)"
    )
    assert is_focused(first_name) or is_focused(summary)
    expect(first_name).to_have_attribute("aria-invalid", "true")
    # The message is tied to the field, so a screen reader reads it with the field.
    described_by = first_name.get_attribute("aria-describedby") or ""
    messages = " ".join(
        page.locator(f"[id='{name}']").inner_text() for name in described_by.split()
    )
    assert messages.strip(), "the first name's error message is not tied to the field"
    expect(page.locator("html")).to_have_attribute("lang", language.code)
    screenshot(page, f"intake-errors-{language.code}")
    assert_no_axe_violations(page)
    assert_unique_ids(page)
    assert not Newcomer.objects.exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_newcomer_sends_the_intake_and_a_lotse_takes_it_over(
    page: Page,
    live_server: LiveServer,
    browser: Browser,
    log_in: LogIn,
    lotse: User,
    pdf: Path,
    language: Language,
) -> None:
    # The newcomer, on the public page without an account.
    email = f"newcomer.{language.code}@example.net"
    open_intake_in(page, live_server, language)
    fill_in_required_fields(page, language, email)
    page.get_by_label(language.documents).set_input_files(pdf)
    page.get_by_role("button", name=language.submit, exact=True).click()

    reference = read_reference(page, language)
    expect(page.locator("html")).to_have_attribute("lang", language.code)
    expect(page.locator("html")).to_have_attribute("dir", language.direction)
    screenshot(page, f"intake-done-{language.code}")
    assert_no_axe_violations(page)

    newcomer = Newcomer.objects.get(reference=reference)
    assert newcomer.email == email
    assert newcomer.preferred_language == language.code
    assert [document.original_name for document in newcomer.documents.all()] == [pdf.name]
    assert ConsentRecord.objects.get(newcomer=newcomer).language == language.code

    # A Lotse, in their own browser, finds the intake in triage and takes it over.
    context = browser.new_context(locale=language.lotse_locale)
    try:
        staff = context.new_page()
        staff.set_default_timeout(10_000)
        log_in(staff, lotse)
        staff.get_by_role("navigation").get_by_role("link", name=language.triage).click()
        expect(staff).to_have_url(live_server.url + reverse("triage"))
        expect(staff.locator("html")).to_have_attribute("lang", language.lotse_language)
        row = staff.get_by_role("row").filter(has_text=reference)
        expect(row).to_have_count(1)
        expect(row).to_contain_text(" ".join(language.newcomer))
        # The language in its own name, marked as such for screen readers (WCAG 3.1.2).
        language_cell = row.get_by_role(
            "cell", name=newcomer.get_preferred_language_display(), exact=True
        )
        expect(language_cell).to_have_attribute("lang", language.code)
        expect(row).to_contain_text(language.housing_for_lotse)

        row.get_by_role("button", name=re.compile("^" + language.take_over)).click()
        expect(staff.get_by_role("status")).to_contain_text(reference)
        expect(staff.get_by_role("row").filter(has_text=reference)).to_have_count(0)
    finally:
        context.close()

    newcomer.refresh_from_db()
    assert newcomer.triaged_at is not None
    case = newcomer.cases.get()
    assert case.owner == lotse
    assert case.status != Status.CLOSED


def test_form_works_without_javascript(
    browser: Browser, live_server: LiveServer, pdf: Path
) -> None:
    context = browser.new_context(locale="de-DE", java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(live_server.url + reverse("intake"))
        expect(page.locator("html")).to_have_attribute("lang", "de")

        # A mistake first: the server answers with the summary, no script needed.
        page.get_by_role("button", name=GERMAN.submit, exact=True).click()
        expect(page.get_by_role("alert")).to_contain_text(GERMAN.check_fields)

        fill_in_required_fields(page, GERMAN, "ohne.script@example.net")
        page.get_by_label(GERMAN.documents).set_input_files(pdf)
        page.get_by_role("button", name=GERMAN.submit, exact=True).click()
        reference = read_reference(page, GERMAN)
    finally:
        context.close()
    assert Newcomer.objects.get(reference=reference).documents.count() == 1


def test_form_can_be_filled_in_with_the_keyboard_alone(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + reverse("intake"))
    expect(page.locator("html")).to_have_attribute("lang", "de")

    first_name = page.get_by_label(GERMAN.first_name)
    tab_to(page, first_name)
    page.keyboard.type("Karim")
    page.keyboard.press("Tab")
    expect(page.get_by_label(GERMAN.last_name)).to_be_focused()
    page.keyboard.type("Mansour")

    tab_to(page, page.get_by_label(GERMAN.email))
    page.keyboard.type("karim.mansour@example.net")

    kind_of_arrival = page.get_by_label(GERMAN.kind_of_arrival)
    tab_to(page, kind_of_arrival)
    page.keyboard.press("ArrowDown")  # the first kind of arrival after the empty choice
    expect(kind_of_arrival).not_to_have_value("")

    housing = page.get_by_role("checkbox", name=GERMAN.housing, exact=True)
    tab_to(page, housing)
    page.keyboard.press("Space")
    expect(housing).to_be_checked()

    consent = page.get_by_role("checkbox", name=re.compile("^" + re.escape(GERMAN.consent)))
    tab_to(page, consent)
    expect(consent).not_to_be_checked()
    page.keyboard.press("Space")
    expect(consent).to_be_checked()

    submit = page.get_by_role("button", name=GERMAN.submit, exact=True)
    tab_to(page, submit)
    page.keyboard.press("Enter")
    reference = read_reference(page, GERMAN)
    newcomer = Newcomer.objects.get(reference=reference)
    assert (newcomer.first_name, newcomer.last_name) == ("Karim", "Mansour")
    assert newcomer.kind_of_arrival
