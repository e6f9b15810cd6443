"""Submitting the intake through the view: what is stored, what is sent, what is refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Notification, OutgoingEmail, User
from accounts.services import deliver_pending_emails
from cases.models import Case, CaseEvent, Document, Status
from migrants.consent import CONSENT_TEXT_VERSION, consent_digest
from migrants.models import ConsentRecord, HouseholdMember, LanguageSkill, Newcomer
from tests.brokers import UNREACHABLE, broker
from tests.migrants.intake_data import pdf, png, valid_intake
from welcome_center.celery import app as celery_app

TODAY = "2026-11-21 10:00 +01:00"
INTAKE = "/intake/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_today() -> object:
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def on_duty(lotse: User) -> User:
    lotse.is_on_duty = True
    lotse.save()
    return lotse


@pytest.fixture
def uploads(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path, "base_url": None},
        },
    }
    return tmp_path


def _submit(client: Client, data: dict, language: str = "de", **files) -> object:  # type: ignore[no-untyped-def]
    return client.post(INTAKE, {**data, **files}, HTTP_ACCEPT_LANGUAGE=language)


def test_the_intake_page_is_public(client: Client) -> None:
    response = client.get(INTAKE)
    assert response.status_code == 200
    assert b'name="consent_processing"' in response.content


def test_a_submission_stores_newcomer_consent_cases_uploads_and_timeline(
    client: Client, on_duty: User, uploads: Path
) -> None:
    response = _submit(client, valid_intake(), documents=[pdf(), png()])

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("intake_done") + "?t=")
    newcomer = Newcomer.objects.get()
    assert newcomer.reference.startswith("NC-2026-")
    assert newcomer.preferred_language == "de"
    assert newcomer.intake_submitted_at is not None
    assert newcomer.triaged_at is None
    assert str(newcomer.phone) == "+493711234567"
    consents = ConsentRecord.objects.filter(newcomer=newcomer).order_by("scope")
    assert [(c.scope, c.text_version, c.language, c.method) for c in consents] == [
        ("partners", CONSENT_TEXT_VERSION, "de", "intake_form"),
        ("processing", CONSENT_TEXT_VERSION, "de", "intake_form"),
    ]
    assert {c.text_digest for c in consents} == {consent_digest("de")}
    cases = Case.objects.filter(newcomer=newcomer).order_by("category")
    assert [(c.category, c.status, c.owner) for c in cases] == [
        ("childcare", Status.NEW, None),
        ("housing", Status.NEW, None),
        ("recognition", Status.NEW, None),
    ]
    assert all(c.reference.startswith("WC-2026-") for c in cases)
    assert CaseEvent.objects.filter(case__newcomer=newcomer, kind="opened").count() == 3
    assert HouseholdMember.objects.filter(newcomer=newcomer).count() == 3  # partner + 2 children
    assert LanguageSkill.objects.get(newcomer=newcomer, language="de").level == "B1"
    documents = Document.objects.filter(newcomer=newcomer).order_by("content_type")
    assert [d.content_type for d in documents] == ["application/pdf", "image/png"]
    for document in documents:
        stored = uploads / document.file.name
        assert stored.exists()
        assert document.original_name not in document.file.name  # random names on disk
    assert Notification.objects.filter(recipient=on_duty, url=reverse("triage")).count() == 1


def test_every_stored_row_of_an_intake_is_on_the_audit_trail(client: Client) -> None:
    _submit(client, valid_intake())
    newcomer = Newcomer.objects.get()
    created = LogEntry.objects.filter(action=LogEntry.Action.CREATE)
    logged = {(entry.content_type.model, entry.object_id) for entry in created}
    assert ("newcomer", newcomer.pk) in logged
    for case in newcomer.cases.all():
        assert ("case", case.pk) in logged
    for consent in newcomer.consents.all():
        assert ("consentrecord", consent.pk) in logged
    entry = created.get(content_type__model="newcomer")
    assert entry.changes["last_name"] == ["None", "Haddad"]


def test_the_confirmation_shows_the_reference_and_next_steps(client: Client) -> None:
    done = _submit(client, valid_intake(), language="en")["Location"]
    response = client.get(done, HTTP_ACCEPT_LANGUAGE="en")
    reference = Newcomer.objects.get().reference
    assert response.status_code == 200
    assert reference.encode() in response.content
    assert b"What happens next" in response.content


def test_the_confirmation_page_without_a_submission_leads_to_the_form(client: Client) -> None:
    assert client.get(reverse("intake_done"))["Location"] == reverse("intake")


def test_a_forged_confirmation_token_is_refused(client: Client) -> None:
    forged = reverse("intake_done") + "?t=NC-2026-00001:forged"
    assert client.get(forged)["Location"] == reverse("intake")


def test_the_newcomer_and_the_lotse_on_duty_get_an_email_after_commit(
    client: Client, on_duty: User, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    celery_app.conf.task_always_eager = True  # send in-process; the worker test proves the broker
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _submit(client, valid_intake(), language="en")
    finally:
        celery_app.conf.task_always_eager = False
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["amina.haddad@example.org", on_duty.email]
    to_newcomer = next(m for m in mail.outbox if m.to == ["amina.haddad@example.org"])
    assert "We have received your request" in to_newcomer.subject
    assert Newcomer.objects.get().reference in to_newcomer.body
    assert OutgoingEmail.objects.pending().count() == 0


def test_the_chosen_language_is_stored_and_arabic_is_right_to_left(client: Client) -> None:
    page = client.get(INTAKE, HTTP_ACCEPT_LANGUAGE="ar")
    assert b'dir="rtl"' in page.content
    assert b'lang="ar"' in page.content
    _submit(client, valid_intake(), language="ar")
    newcomer = Newcomer.objects.get()
    assert newcomer.preferred_language == "ar"
    assert {c.language for c in newcomer.consents.all()} == {"ar"}
    assert OutgoingEmail.objects.get(to=newcomer.email).language == "ar"


def test_bad_input_gets_400_keeps_what_was_typed_and_stores_nothing(client: Client) -> None:
    response = _submit(client, valid_intake(birth_date="2030-01-01", email="not-an-address"))
    assert response.status_code == 400
    assert b'value="Amina"' in response.content
    assert b"error-summary" in response.content
    assert Newcomer.objects.count() == 0
    assert Case.objects.count() == 0


def test_the_honeypot_stores_nothing_but_looks_like_success(client: Client) -> None:
    response = _submit(client, valid_intake(website="http://spam.example"))
    assert response.status_code == 302
    assert Newcomer.objects.count() == 0


def test_the_rate_limit_answers_429_and_keeps_the_form(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.INTAKE_RATE_LIMIT = 2
    for n in range(2):
        assert _submit(client, valid_intake(email=f"person{n}@example.org")).status_code == 302
    response = _submit(client, valid_intake(email="third@example.org"))
    assert response.status_code == 429
    assert b"third@example.org" in response.content
    assert Newcomer.objects.count() == 2


def test_a_submission_costs_a_fixed_number_of_queries(
    client: Client, on_duty: User, uploads: Path
) -> None:
    _submit(client, valid_intake(email="warm@example.org"))  # warm caches (content types, ...)
    with CaptureQueriesContext(connection) as queries:
        response = _submit(client, valid_intake(), documents=[pdf()])
    assert response.status_code == 302
    # Savepoints are the test's transaction wrapper; in production they are BEGIN and COMMIT.
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) <= 15, "\n".join(sql[:120] for sql in statements)


def test_a_same_email_is_flagged_as_possible_duplicate_not_merged(client: Client) -> None:
    _submit(client, valid_intake())
    _submit(client, valid_intake(first_name="Amina M."))
    first, second = Newcomer.objects.order_by("pk")
    assert second.possible_duplicate_of == first
    assert Case.objects.filter(newcomer=second).count() == 3


def test_same_name_and_birth_date_is_flagged_too(client: Client) -> None:
    _submit(client, valid_intake())
    _submit(client, valid_intake(email="", phone="+4915112345678", first_name="AMINA"))
    assert Newcomer.objects.order_by("pk").last().possible_duplicate_of is not None


def test_nothing_is_lost_when_the_broker_is_down(
    client: Client, on_duty: User, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with broker(broker_url=UNREACHABLE), django_capture_on_commit_callbacks(execute=True):
        response = _submit(client, valid_intake())
    assert response.status_code == 302
    assert Newcomer.objects.count() == 1
    assert OutgoingEmail.objects.pending().count() == 2
    assert mail.outbox == []
    # Once the broker is back, the periodic sweep sends what waited.
    assert deliver_pending_emails() == 2
    assert len(mail.outbox) == 2


def test_a_mail_server_outage_delays_but_does_not_lose_the_confirmation(
    client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    _submit(client, valid_intake())
    settings.EMAIL_BACKEND = "tests.migrants.failing_backend.FailingBackend"
    assert deliver_pending_emails() == 0
    email = OutgoingEmail.objects.get()
    assert email.sent_at is None
    assert "refused" in email.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel("2026-11-21 11:00 +01:00", tick=False):
        assert deliver_pending_emails() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("persona", [None, "partner_user", "company_user"])
def test_only_center_staff_reach_triage(
    request: pytest.FixtureRequest, client_for: Callable, persona: str | None
) -> None:
    user = request.getfixturevalue(persona) if persona else None
    response = client_for(user).get(reverse("triage"))
    assert response.status_code == (302 if user is None else 403)


def test_anonymous_can_submit_but_never_read_back(client: Client) -> None:
    _submit(client, valid_intake())
    newcomer = Newcomer.objects.get()
    for url in (reverse("triage"), reverse("duplicate_compare", args=[newcomer.pk])):
        assert client.get(url).status_code == 302
