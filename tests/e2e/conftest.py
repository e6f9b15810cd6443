"""Browser tests: pytest-playwright's fixtures pointed at Debian's Chromium (shared/TESTING.md).

One browser per session (pytest-playwright's `browser` is session-scoped); each test gets a
fresh context and page. Users and data are made per test with the models, against
pytest-django's live server.
"""

import os
import re
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import ConsoleMessage, Page, Response, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from accounts.models import Role, User
from cases.models import Case, Category, ReferenceSequence, Referral, Status
from companies.models import (
    Company,
    CompanyContact,
    NeedKind,
    QualificationLevel,
    Sector,
    SizeBand,
    SkilledWorkerNeed,
)
from migrants.models import CEFRLevel, KindOfArrival, Newcomer
from partners.models import Partner, PartnerContact, PartnerType
from tests.factories import set_up_totp, totp_code

# Playwright's sync API runs an event loop in the test thread; Django's ORM would refuse it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Without the background-networking flags Chromium tries to reach Google on the closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]

PASSWORD = "correct-horse-battery-staple"

# The page speaks German by default; until the catalogues are compiled some of the portal's
# own strings are still English, so each name a test looks for matches both.
EMAIL_LABEL = re.compile(r"E-Mail|Email", re.I)
PASSWORD_LABEL = re.compile(r"Passwort|Password", re.I)
LOG_IN_BUTTON = re.compile(r"^(Anmelden|Einloggen|Log in|Sign in)$", re.I)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # A German-speaking visitor: the portal's default language, chosen from Accept-Language.
    return {**browser_context_args, "locale": "de-DE"}


@pytest.fixture(autouse=True)
def _browser_friendly_settings(settings: Settings) -> None:
    # tests/conftest.py does the same for the whole suite; repeated here so that the browser
    # tests stand on their own. The manifest storage needs `collectstatic`; the live server serves static/ through the
    # finders. Assigning a new dict (not mutating) makes Django reset its storage cache.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # allauth counts failed logins in the cache: keep each test's count to itself rather than
    # sharing the file cache under var/ with earlier runs and the developer's own portal.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Real hashing costs about half a second per login and user; these tests are about pages.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def page(page: Page) -> Iterator[Page]:
    """pytest-playwright's page, failing the test if any stylesheet or script did not load or
    the browser blocked anything under the Content-Security-Policy."""
    broken: list[str] = []
    blocked: list[str] = []

    def record(response: Response) -> None:
        if "/static/" in response.url and response.status >= 400:
            broken.append(f"{response.status} {response.url}")

    def record_csp(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            blocked.append(message.text)

    page.on("response", record)
    page.on("console", record_csp)
    # A missing element should fail in seconds, not after Playwright's default 30 s.
    page.set_default_timeout(10_000)
    yield page
    assert not broken, f"static files failed to load: {broken}"
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"


def make_user(email: str, full_name: str, role: str) -> User:
    """A user as after their first login: with an authenticator app if their role needs one."""
    user = User.objects.create_user(email=email, password=PASSWORD, full_name=full_name, role=role)
    if role in settings.MFA_REQUIRED_ROLES:
        set_up_totp(user)
    return user


def enter_totp_code(page: Page) -> None:
    """allauth's second login step: the code of the authenticator app."""
    # A code typed in the last seconds of its 30-second step can reach the server in the next
    # one, which allauth refuses (no tolerance): a person would wait for the next code too.
    remaining = 30 - time.time() % 30
    if remaining < 5:
        time.sleep(remaining + 0.1)
    page.locator("input[name=code]").fill(totp_code())
    page.get_by_role(
        "button", name=re.compile(r"^(Anmeldung|Anmelden|Sign in|Log in)$", re.I)
    ).click()


@pytest.fixture
def password() -> str:
    """Every test user's password."""
    return PASSWORD


@pytest.fixture
def log_in(live_server: LiveServer) -> Callable[[Page, User], None]:
    """Log a user in through the real login form, as a person would."""

    def log_in(page: Page, user: User) -> None:
        page.goto(live_server.url + reverse("account_login"))
        page.get_by_label(EMAIL_LABEL).fill(user.email)
        page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
        page.get_by_role("button", name=LOG_IN_BUTTON).click()
        if user.mfa_enabled_at:
            expect(page).to_have_url(re.compile(re.escape(reverse("mfa_authenticate"))))
            enter_totp_code(page)
        expect(page).to_have_url(live_server.url + reverse("home"))

    return log_in


@pytest.fixture
def lotse() -> User:
    """A case worker with one open case that waits for a partner."""
    user = make_user("lotse@example.org", "Lena Lotse", Role.LOTSE)
    # References from the counter, as the app makes them, so an intake in the same test
    # cannot be handed the same number.
    references = ReferenceSequence.reserve({"NC": 1, "WC": 1})
    newcomer = Newcomer.objects.create(
        reference=references["NC"][0],
        first_name="Amira",
        last_name="Haddad",
        kind_of_arrival=KindOfArrival.ABROAD_THIRD_COUNTRY,
    )
    Case.objects.create(
        reference=references["WC"][0],
        newcomer=newcomer,
        category=Category.HOUSING,
        status=Status.WAITING_PARTNER,
        owner=user,
    )
    return user


@pytest.fixture
def head(lotse: User) -> User:
    """The head of center; the Lotse is there so that the caseload table has rows."""
    return make_user("leitung@example.org", "Hanna Leitung", Role.HEAD)


@pytest.fixture
def partner_user(lotse: User) -> User:
    """A user of the housing company, with one referral from the Lotse waiting for an answer."""
    user = make_user("partner@example.org", "Paul Partner", Role.PARTNER)
    partner = Partner.objects.create(name="Wohnungsbau Erzgebirge eG", type=PartnerType.HOUSING)
    contact = PartnerContact.objects.create(
        partner=partner, user=user, name=user.full_name, email=user.email, is_primary=True
    )
    Referral.objects.create(
        case=Case.objects.get(owner=lotse),
        partner=partner,
        contact=contact,
        request="Two-room flat near the hospital from May.",
        created_by=lotse,
        answer_by=timezone.localdate() + timedelta(days=5),
    )
    return user


@pytest.fixture
def company_user() -> User:
    """A user of an approved company with one open skilled-worker need."""
    user = make_user("firma@example.org", "Clara Firma", Role.COMPANY)
    company = Company.objects.create(
        name="Erzgebirgische Pflege GmbH",
        sector=Sector.CARE,
        size_band=SizeBand.MEDIUM,
        city="Annaberg-Buchholz",
        status=Company.Status.APPROVED,
    )
    CompanyContact.objects.create(company=company, user=user, name=user.full_name, email=user.email)
    SkilledWorkerNeed.objects.create(
        company=company,
        occupation="Pflegefachkraft",
        qualification_level=QualificationLevel.VOCATIONAL,
        german_level=CEFRLevel.B1,
        start_date=timezone.localdate() + timedelta(days=60),
        place="Annaberg-Buchholz",
        kind=NeedKind.PERMANENT,
    )
    return user


@pytest.fixture
def pending_company_user() -> User:
    """The applicant of a company registration the head has not approved yet: they have their
    home page (the registration's state) and their own account pages, nothing else."""
    user = make_user("neu@example.org", "Paul Pending", Role.COMPANY)
    company = Company.objects.create(
        name="Neu GmbH",
        sector=Sector.CARE,
        size_band=SizeBand.SMALL,
        city="Marienberg",
        status=Company.Status.PENDING,
    )
    CompanyContact.objects.create(company=company, user=user, name=user.full_name, email=user.email)
    return user
