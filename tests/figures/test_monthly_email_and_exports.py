"""The reports that run themselves: the monthly e-mail (at most once per month) and the
export that a Celery task writes (run here by calling the task function)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import OutgoingEmail, User
from figures import services, tasks
from figures.models import ExportJob, MonthlyReportLog
from tests import factories
from tests.figures.conftest import BERLIN, MARCH, Center

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
