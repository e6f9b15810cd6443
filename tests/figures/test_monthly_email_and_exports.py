"""The reports that run themselves: the monthly e-mail (at most once per month) and the
export that a Celery task writes (by calling the task function, and once by a real worker),
also when the broker is down or a worker dies."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from time import sleep
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutgoingEmail, User
from accounts.services import deliver_pending_emails
from figures import services, tasks
from figures.models import ExportJob, MonthlyReportLog
from tests import factories
from tests.brokers import UNREACHABLE, broker
from tests.figures.conftest import BERLIN, MARCH, Center
from tests.test_celery_worker import Worker

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]


def test_the_monthly_email_goes_to_every_head_once_per_month(head: User, lotse: User) -> None:
    second_head = factories.HeadFactory.create(email="stellvertretung@welcome-center.example")
    with time_machine.travel(datetime(2026, 5, 1, 7, 0, tzinfo=BERLIN)):
        assert tasks.send_monthly_figures() is True
        assert tasks.send_monthly_figures() is False  # the second beat run of the day
    with time_machine.travel(datetime(2026, 5, 2, 7, 0, tzinfo=BERLIN)):
        assert tasks.send_monthly_figures() is False  # the next morning: still April's
    mails = OutgoingEmail.objects.filter(template="monthly-figures")
    assert sorted(mails.values_list("to", flat=True)) == sorted([head.email, second_head.email])
    assert "period=custom&from=2026-04-01&to=2026-04-30" in mails.first().body_text
    assert MonthlyReportLog.objects.get().month.isoformat() == "2026-04-01"
    with time_machine.travel(datetime(2026, 6, 1, 7, 0, tzinfo=BERLIN)):
        assert tasks.send_monthly_figures() is True  # May's
    assert mails.count() == 4


def test_the_monthly_email_carries_last_months_figures(center: Center, head: User) -> None:
    with time_machine.travel(datetime(2026, 4, 1, 7, 0, tzinfo=BERLIN)):
        services.send_monthly_figures()
    body = OutgoingEmail.objects.get(template="monthly-figures").body_text
    assert ": 4 (" in body  # 4 newcomers advised in March (see test_reports)


def test_a_long_participant_list_is_written_by_the_task_and_expires_after_a_day(
    center: Center, head: User, client_for: ClientFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "ASYNC_EXPORT_ROWS", 1)  # March has 2 participants
    client = client_for(head)
    response = client.post(reverse("figures_participants") + f"?{MARCH.query()}", {"format": "csv"})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("figures_export", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 3s"' in page
    assert f'href="{reverse("figures_export", args=[job.pk])}"' in page  # the plain refresh

    tasks.run_export(str(job.pk))
    tasks.run_export(str(job.pk))  # delivered twice: the claimed job is not written again

    job.refresh_from_db()
    assert (job.status, job.rows_total, job.rows_done) == ("done", 2, 2)
    partial = client.get(reverse("figures_export", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in partial.content.decode()  # finished: the polling stops
    download = client.get(reverse("figures_export_download", args=[job.pk]))
    lines = b"".join(download.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 3  # header, A, C
    assert lines[1].startswith(center.newcomers["A"].reference)
    # Someone else's export is not there for them.
    other = client_for(center.lotse).get(reverse("figures_export_download", args=[job.pk]))
    assert other.status_code == 404

    path = job.path
    with time_machine.travel(datetime(2026, 4, 16, 12, 1, tzinfo=BERLIN)):
        client = client_for(head)  # the session of yesterday has timed out
        assert client.get(reverse("figures_export_download", args=[job.pk])).status_code == 404
        assert tasks.delete_expired_exports() == 1
    assert not path.exists()
    assert not ExportJob.objects.exists()


def test_a_short_list_downloads_at_once(center: Center, head: User, client_for: ClientFor) -> None:
    response = client_for(head).post(
        reverse("figures_participants") + f"?{MARCH.query()}", {"format": "xlsx"}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not ExportJob.objects.exists()


def test_expiry_leaves_fresh_exports(head: User) -> None:
    job = ExportJob.objects.create(
        requested_by=head,
        kind="participants",
        format="csv",
        start=MARCH.start,
        end=MARCH.end,
        expires_at=datetime.now(tz=BERLIN) + timedelta(hours=1),
    )
    assert services.delete_expired_exports() == 0
    assert ExportJob.objects.filter(pk=job.pk).exists()


def test_the_monthly_email_waits_in_the_outbox_while_the_broker_is_down(
    center: Center, head: User, django_capture_on_commit_callbacks: Any
) -> None:
    with broker(broker_url=UNREACHABLE), django_capture_on_commit_callbacks(execute=True):
        assert services.send_monthly_figures() is not None

    email = OutgoingEmail.objects.pending().get(template="monthly-figures")
    assert deliver_pending_emails() == 1
    email.refresh_from_db()
    assert email.sent_at is not None
    assert services.send_monthly_figures() is None  # and the month is not sent again


def test_an_export_asked_for_while_the_broker_is_down_is_resumed_later(
    center: Center,
    head: User,
    client_for: ClientFor,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    monkeypatch.setattr(services, "ASYNC_EXPORT_ROWS", 1)
    url = reverse("figures_participants") + f"?{MARCH.query()}"
    with broker(broker_url=UNREACHABLE), django_capture_on_commit_callbacks(execute=True):
        response = client_for(head).post(url, {"format": "csv"})
    job = ExportJob.objects.get()
    assert response.status_code == 302  # the head is told it waits, not shown an error
    assert job.status == ExportJob.Status.PENDING

    queued: list[str] = []
    monkeypatch.setattr(tasks.run_export, "delay", queued.append)
    assert services.resume_exports(now=timezone.now() + timedelta(minutes=1)) == 0  # too soon
    assert services.resume_exports(now=timezone.now() + timedelta(minutes=3)) == 1
    assert queued == [str(job.pk)]
    tasks.run_export(queued[0])
    job.refresh_from_db()
    assert (job.status, job.rows_done) == (ExportJob.Status.DONE, 2)
    assert services.resume_exports(now=timezone.now() + timedelta(minutes=3)) == 0


def test_an_export_left_running_by_a_dead_worker_is_written_again(head: User) -> None:
    def running(progress_ago: timedelta) -> ExportJob:
        return ExportJob.objects.create(
            requested_by=head,
            kind="participants",
            format="csv",
            start=MARCH.start,
            end=MARCH.end,
            whole_center=True,
            status=ExportJob.Status.RUNNING,
            rows_done=1,
            heartbeat_at=timezone.now() - progress_ago,
            expires_at=timezone.now() + timedelta(days=1),
        )

    alive, dead = running(timedelta(minutes=1)), running(timedelta(minutes=6))
    assert services.run_export(str(alive.pk)) is None  # its worker is still writing it
    assert services.run_export(str(dead.pk)) is not None
    dead.refresh_from_db()
    assert dead.status == ExportJob.Status.DONE
    assert dead.path is not None
    assert dead.path.exists()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_writes_the_export(
    center: Center,
    head: User,
    client_for: ClientFor,
    monkeypatch: pytest.MonkeyPatch,
    celery_worker: Worker,
) -> None:
    monkeypatch.setattr(services, "ASYNC_EXPORT_ROWS", 1)
    url = reverse("figures_participants") + f"?{MARCH.query()}"
    response = client_for(head).post(url, {"format": "csv"})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("figures_export", args=[job.pk])

    for _ in range(120):  # the clock is frozen by `center`: count sleeps, not seconds
        job.refresh_from_db()
        if job.is_finished:
            break
        assert celery_worker.process.poll() is None, celery_worker.output()
        sleep(0.25)
    assert job.status == ExportJob.Status.DONE, celery_worker.output()
    # The worker wrote into its own VAR_DIR (a folder of this test).
    written = celery_worker.var_dir / "exports" / job.file_name
    lines = written.read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(";")[0] for line in lines[1:]] == [
        center.newcomers["A"].reference,
        center.newcomers["C"].reference,
    ]
