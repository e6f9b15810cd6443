"""A real Celery worker on the suite's broker (Redis in CI) runs the reminder sweep it takes
from the queue, and sends the digest through the outbox: the whole path beat would start."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import OutgoingEmail, User
from reminders.tasks import send_reminders
from tests import factories
from tests.brokers import broker
from tests.test_celery_worker import BASE_DIR, Worker, worker_database_url
from welcome_center.celery import app as celery_app


@pytest.fixture
def reminder_worker(transactional_db: None, tmp_path: Path) -> Iterator[Worker]:
    """tests/test_celery_worker.py's worker, whose own default queue is the test's queue (see
    worker_settings.py): the digest it enqueues after the commit comes back to it."""
    var_dir = tmp_path / "var"
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.reminders.worker_settings",
        "REMINDER_TEST_QUEUE": queue,
        "DATABASE_URL": worker_database_url(),
        "DB_CONN_MAX_AGE": "0",
        "VAR_DIR": str(var_dir),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "welcome_center", "worker", "-l", "info",
        "-Q", queue, "-P", "solo", "--concurrency", "1",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    conf: dict[str, Any] = {"task_default_queue": queue}
    if str(celery_app.conf.broker_url).startswith("filesystem"):
        # Both processes must use the worker's folder (its VAR_DIR) as the broker.
        folder = var_dir / "broker"
        for sub in ("queue", "processed", "control"):
            (folder / sub).mkdir(parents=True)
        conf["broker_transport_options"] = {
            **celery_app.conf.broker_transport_options,
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "processed_folder": str(folder / "processed"),
        }
    log = tmp_path / "worker.log"
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


def wait_for_sent_digest(worker: Worker, timeout: float = 40) -> OutgoingEmail:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        email = OutgoingEmail.objects.filter(template="reminder-digest").first()
        if email is not None and email.sent_at is not None:
            return email
        assert worker.process.poll() is None, f"the worker died:\n{worker.output()}"
        time.sleep(0.25)
    pytest.fail(f"no digest sent within {timeout} s; worker output:\n{worker.output()}")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_sweep_and_sends_the_digest(
    reminder_worker: Worker, lotse: User
) -> None:
    follow_up = factories.FollowUpFactory.create(case__owner=lotse, due_on=timezone.localdate())

    send_reminders.delay()  # what beat does at 07:00

    email = wait_for_sent_digest(reminder_worker)
    assert email.to == lotse.email
    assert lotse.reminders.get().object_id == follow_up.pk
    [message] = [f.read_text() for f in reminder_worker.mail_dir.glob("*.log")]
    assert f"To: {lotse.email}" in message
    assert follow_up.case.reference in message
