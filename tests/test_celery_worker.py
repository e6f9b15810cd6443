"""The outbox and Celery for real: a worker process takes the task from the broker the suite
uses (Redis in CI, kombu's filesystem transport on a bare laptop) and sends the e-mail;
with the broker down nothing is lost; and the delivery service's retry and give-up rules.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.db import connection, transaction
from django.utils import timezone
from pytest_django.fixtures import Settings

from accounts.models import OutgoingEmail
from accounts.services import CLAIM_LEASE, deliver_email, deliver_pending_emails
from tests.brokers import UNREACHABLE, broker
from welcome_center import emails
from welcome_center.celery import app as celery_app

BASE_DIR = Path(settings.BASE_DIR)
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=timezone.get_fixed_timezone(60))


class BrokenBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise ConnectionRefusedError("mail server refused the connection")


def welcome(to: str = "neu@welcome-center.example") -> OutgoingEmail:
    return emails.welcome_user(
        to=to, language="de", full_name="Nora Neu", login_url="http://testserver/accounts/login/"
    )


# A real worker -------------------------------------------------------------------------------


def worker_database_url() -> str:
    """The URL of the database this test runs on, for a process outside pytest."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    var_dir: Path
    log: Path

    @property
    def mail_dir(self) -> Path:
        return self.var_dir / "mail"

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@pytest.fixture
def celery_worker(transactional_db: None, tmp_path: Path) -> Iterator[Worker]:
    """`celery -A welcome_center worker` on the suite's broker and test database, consuming a
    queue of its own (so no other worker on the same Redis takes its task, nor it theirs).

    Its VAR_DIR is a temporary folder: its e-mail files land there, and on the filesystem
    transport this process publishes into that folder's broker too."""
    var_dir = tmp_path / "var"
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "welcome_center.settings",
        "DATABASE_URL": worker_database_url(),
        "DB_CONN_MAX_AGE": "0",
        "VAR_DIR": str(var_dir),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    }
    log = tmp_path / "worker.log"
    command = [
        sys.executable, "-m", "celery", "-A", "welcome_center", "worker", "-l", "info",
        "-Q", queue, "-P", "solo", "--concurrency", "1",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    conf: dict[str, Any] = {"task_default_queue": queue}
    if str(celery_app.conf.broker_url).startswith("filesystem"):
        folder = var_dir / "broker"
        for sub in ("queue", "processed"):
            (folder / sub).mkdir(parents=True)
        conf["broker_transport_options"] = {
            **celery_app.conf.broker_transport_options,
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "processed_folder": str(folder / "processed"),
        }
    with broker(**conf), log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            yield Worker(process, var_dir, log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def wait_until_sent(email: OutgoingEmail, worker: Worker, timeout: float = 30) -> OutgoingEmail:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        email.refresh_from_db()
        if email.sent_at is not None:
            return email
        assert worker.process.poll() is None, f"the worker died:\n{worker.output()}"
        time.sleep(0.25)
    pytest.fail(f"not sent within {timeout} s; worker output:\n{worker.output()}")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_worker_sends_the_welcome_email_after_commit(celery_worker: Worker) -> None:
    with transaction.atomic():
        email = welcome("nora.neu@welcome-center.example")
        assert email.sent_at is None  # nothing leaves before the transaction commits

    email = wait_until_sent(email, celery_worker)

    assert email.attempts == 1
    assert email.last_error == ""
    files = list(celery_worker.mail_dir.glob("*.log"))
    assert len(files) == 1, celery_worker.output()
    message = files[0].read_text()
    assert "To: nora.neu@welcome-center.example" in message
    assert "text/html" in message


@pytest.mark.django_db
def test_commits_in_one_second_wake_the_sender_once_after_it(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accounts.tasks import send_pending_emails

    wakes: list[dict[str, Any]] = []
    monkeypatch.setattr(send_pending_emails, "apply_async", lambda **options: wakes.append(options))
    for n in range(3):  # three transactions, e.g. three intakes within a second
        with django_capture_on_commit_callbacks(execute=True):
            welcome(f"person{n}@welcome-center.example")
    # One sweep, at the end of the window: it finds all three rows, committed before it runs.
    assert wakes == [{"countdown": emails.WAKE_SECONDS}]
    assert deliver_pending_emails() == 3

    emails.cache.delete(emails.WAKE_KEY)  # the window has passed
    with django_capture_on_commit_callbacks(execute=True):
        welcome("later@welcome-center.example")
    assert len(wakes) == 2


# The broker is down --------------------------------------------------------------------------


@pytest.mark.django_db
def test_email_waits_for_the_sweep_when_the_broker_is_down(
    django_capture_on_commit_callbacks: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="welcome_center.emails")
    with broker(broker_url=UNREACHABLE):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            email = welcome()
        assert len(callbacks) == 1

    # The publish failed, quietly for the caller, and the row waits in the outbox.
    assert "Broker unreachable" in caplog.text
    assert OutgoingEmail.objects.pending().get() == email
    assert mail.outbox == []

    assert deliver_pending_emails() == 1
    assert [m.to for m in mail.outbox] == [["neu@welcome-center.example"]]
    email.refresh_from_db()
    assert email.sent_at is not None


# Delivering one row --------------------------------------------------------------------------


@pytest.mark.django_db
def test_delivery_sends_once_with_the_html_alternative() -> None:
    email = welcome()
    assert deliver_email(email.pk) is True
    assert deliver_email(email.pk) is False  # a second worker or the sweep finds nothing to do
    [message] = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    assert [mimetype for _html, mimetype in message.alternatives] == ["text/html"]
    email.refresh_from_db()
    assert (email.attempts, email.last_error) == (1, "")
    assert email not in OutgoingEmail.objects.pending()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_failed_delivery_records_the_error_and_backs_off(settings: Settings) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    email = welcome()

    assert deliver_email(email.pk) is False
    email.refresh_from_db()
    assert email.last_error == "mail server refused the connection"
    assert email.attempts == 1
    assert email.next_attempt_at == NOW + timedelta(minutes=2)
    assert email.failed_at is None
    assert not OutgoingEmail.objects.due().exists()  # not before its next attempt

    with time_machine.travel(NOW + timedelta(minutes=2), tick=False):
        assert deliver_email(email.pk) is False
    email.refresh_from_db()
    assert email.attempts == 2
    assert email.next_attempt_at == NOW + timedelta(minutes=2 + 4)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_delivery_gives_up_after_max_attempts(settings: Settings) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    email = welcome()
    OutgoingEmail.objects.filter(pk=email.pk).update(attempts=OutgoingEmail.MAX_ATTEMPTS - 1)

    assert deliver_email(email.pk) is False
    email.refresh_from_db()
    assert email.attempts == OutgoingEmail.MAX_ATTEMPTS
    assert email.failed_at == NOW
    assert email not in OutgoingEmail.objects.pending()
    assert deliver_pending_emails() == 0


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_claimed_row_is_left_alone_until_its_lease_runs_out() -> None:
    # A worker that claimed the row and died mid-send: nobody sends it during the lease...
    email = welcome()
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=NOW + CLAIM_LEASE)
    assert deliver_pending_emails() == 0
    # ...and afterwards the sweep does.
    with time_machine.travel(NOW + CLAIM_LEASE, tick=False):
        assert deliver_pending_emails() == 1
    assert len(mail.outbox) == 1
