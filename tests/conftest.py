"""Test-wide setup and the personas every test can ask for (healthchecks' hc/test.py: Alice
owns, Bob is on her team, Charlie has no access; here one person per role, and an "other"
of each kind to prove that nobody sees what is not theirs)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from pytest_django.fixtures import Settings

from accounts.models import User
from companies.models import Company
from partners.models import Partner
from tests import factories
from welcome_center.celery import app as celery_app


def _database_label() -> str:
    db = django_settings.DATABASES["default"]
    test_name = db.get("TEST", {}).get("NAME") or f"test_{db['NAME']}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        server = f"{db.get('HOST') or 'socket'}:{db.get('PORT') or 5432}"
        return f"PostgreSQL on {server}, test database {test_name}"
    return f"{db['ENGINE'].rsplit('.', 1)[-1]} {test_name}"


def _broker_label() -> str:
    url = str(django_settings.CELERY_BROKER_URL)
    if "@" in url:  # never print a password
        scheme, rest = url.split("://", 1)
        url = f"{scheme}://***@{rest.rsplit('@', 1)[1]}"
    if url.startswith("filesystem://"):
        return f"filesystem ({django_settings.CELERY_BROKER_TRANSPORT_OPTIONS['data_folder_in']})"
    return url


def pytest_configure(config: pytest.Config) -> None:
    # CI must run on PostgreSQL; a missing DATABASE_URL there must fail, not fall back quietly.
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        engine = django_settings.DATABASES["default"]["ENGINE"]
        if engine != "django.db.backends.postgresql":
            pytest.exit(
                f"REQUIRE_POSTGRES=1 but the database engine is {engine}: "
                "set DATABASE_URL=postgres://... (the suite refuses to fall back to SQLite).",
                returncode=3,
            )
    # WhiteNoise reads these once, when a handler is built: the live server builds its handler
    # for the whole session, so they are set here rather than per test. WhiteNoise then serves
    # static/ through the finders and does not look for a collected STATIC_ROOT.
    django_settings.WHITENOISE_USE_FINDERS = True
    django_settings.WHITENOISE_AUTOREFRESH = True


def pytest_report_header(config: pytest.Config) -> str:
    return f"welcome center: database {_database_label()}; Celery broker {_broker_label()}"


@pytest.fixture(autouse=True)
def _test_settings(settings: Settings) -> None:
    # The production storage needs `collectstatic`'s manifest; tests serve static/ through the
    # finders (pytest-django's live_server wraps its handler in StaticFilesHandler). A new dict,
    # not a mutation, so that the override is undone and Django resets its storage cache.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Rate limits and sessions must not leak between tests, nor from the file cache under var/.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()  # locmem keeps its data per process, across settings changes
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _celery_not_eager(settings: Settings) -> Iterator[None]:
    # Eager mode would hide the broker; a test that wants a task's effect calls the task's
    # function or runs a real worker (tests/test_celery_worker.py).
    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = previous


# Personas -------------------------------------------------------------------------------------

# Every persona can log in with this password through the forms (hashed with MD5 in tests).
PASSWORD = "welcome-center-test-password"


@pytest.fixture
def head(db: None) -> User:
    return factories.HeadFactory.create(
        password=PASSWORD, email="leitung@welcome-center.example", full_name="Heike Leitner"
    )


@pytest.fixture
def lotse(db: None) -> User:
    return factories.LotseFactory.create(
        password=PASSWORD, email="lotse@welcome-center.example", full_name="Lena Lotz"
    )


@pytest.fixture
def other_lotse(db: None) -> User:
    return factories.LotseFactory.create(
        password=PASSWORD, email="lotse2@welcome-center.example", full_name="Lars Lange"
    )


@pytest.fixture
def partner(db: None) -> Partner:
    return factories.PartnerFactory.create(name="Ausländerbehörde Erzgebirgskreis")


@pytest.fixture
def other_partner(db: None) -> Partner:
    return factories.PartnerFactory.create(name="IQ Netzwerk Sachsen")


@pytest.fixture
def partner_user(partner: Partner) -> User:
    return factories.PartnerUserFactory.create(
        password=PASSWORD,
        email="abh@partner.example",
        full_name="Paula Partner",
        partner_contact__partner=partner,
    )


@pytest.fixture
def other_partner_user(other_partner: Partner) -> User:
    return factories.PartnerUserFactory.create(
        password=PASSWORD,
        email="iq@partner.example",
        full_name="Otto Other",
        partner_contact__partner=other_partner,
    )


@pytest.fixture
def company(db: None) -> Company:
    return factories.CompanyFactory.create(
        name="Erzgebirge Metallbau GmbH", status=Company.Status.APPROVED
    )


@pytest.fixture
def other_company(db: None) -> Company:
    return factories.CompanyFactory.create(
        name="Pflegeheim am Fichtelberg", status=Company.Status.APPROVED
    )


@pytest.fixture
def company_user(company: Company) -> User:
    return factories.CompanyUserFactory.create(
        password=PASSWORD,
        email="hr@metallbau.example",
        full_name="Clara Company",
        company_contact__company=company,
    )


@pytest.fixture
def other_company_user(other_company: Company) -> User:
    return factories.CompanyUserFactory.create(
        password=PASSWORD,
        email="hr@pflegeheim.example",
        full_name="Conrad Other",
        company_contact__company=other_company,
    )


@pytest.fixture
def pending_company_user(db: None) -> User:
    """The applicant of a registration not yet approved: they see their status page only."""
    return factories.CompanyUserFactory.create(
        password=PASSWORD,
        email="chef@neu-gmbh.example",
        full_name="Paul Pending",
        company_contact__company__name="Neu GmbH",
        company_contact__company__status=Company.Status.PENDING,
    )


@pytest.fixture
def client_for() -> Callable[[User | None], Client]:
    """`client_for(lotse)` is a test client logged in as the lotse; `client_for(None)` is
    anonymous."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
