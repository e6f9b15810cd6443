"""Workflows with side effects: the exit questionnaire, the monthly e-mail (at most once per
month) and the large exports that a Celery task writes."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from figures import esf, exports
from figures.models import (
    EXPORT_LIFETIME,
    ExitQuestionnaire,
    ExportJob,
    MonthlyReportLog,
    export_dir,
)
from figures.periods import CUSTOM, Period, last_month
from figures.reports import Scope, statistics
from figures.tables import Cell
from migrants.models import Newcomer
from welcome_center import emails

logger = logging.getLogger(__name__)

# Exports of more rows than this run as a Celery task, with a progress page.
ASYNC_EXPORT_ROWS = 10_000


# The exit questionnaire ------------------------------------------------------------------


def last_case_closed_on(newcomer: Newcomer) -> date | None:
    """The day the newcomer's last case closed, or None while any case is open (or none
    exists): the questionnaire is filled in once the last one closes."""
    cases = newcomer.cases.all()
    if not cases.exists() or cases.filter(closed_at__isnull=True).exists():
        return None
    last = cases.aggregate(last=Max("closed_at"))["last"]
    return timezone.localdate(last)


@transaction.atomic
def save_exit_questionnaire(
    newcomer: Newcomer,
    *,
    by: User,
    employment: str,
    in_education_or_training: bool,
    qualification_gained: bool,
    left_on: date,
) -> ExitQuestionnaire:
    questionnaire, _created = ExitQuestionnaire.objects.update_or_create(
        newcomer=newcomer,
        defaults={
            "left_on": left_on,
            "employment": employment,
            "in_education_or_training": in_education_or_training,
            "qualification_gained": qualification_gained,
            "filled_by": by,
            "filled_at": timezone.now(),
        },
    )
    return questionnaire


# The monthly e-mail ----------------------------------------------------------------------


def send_monthly_figures(today: date | None = None) -> MonthlyReportLog | None:
    """Mail last month's key figures to every head, at most once per month: the month's log
    row is inserted in the same transaction as the outbox rows, and a second run finds it and
    sends nothing. Returns the new log row, or None if the month was already sent."""
    period = last_month(today)
    with transaction.atomic():
        log, created = MonthlyReportLog.objects.get_or_create(month=period.start)
        if not created:
            return None
        stats = statistics(Scope(), period)
        url = settings.SITE_URL + reverse("figures_statistics") + "?" + period.query()
        heads = list(User.objects.filter(role=Role.HEAD, is_active=True).order_by("pk"))
        emails.queue_all([emails.monthly_figures(head, stats, url=url) for head in heads])
        log.recipients = len(heads)
        log.save(update_fields=["recipients"])
    return log


# Large exports ---------------------------------------------------------------------------


def scope_of(job: ExportJob) -> Scope:
    return Scope() if job.whole_center else Scope(job.requested_by_id)


def _participant_rows(scope: Scope, period: Period) -> Iterator[tuple[Cell, ...]]:
    for row in esf.participants(scope, period).iterator(chunk_size=2000):
        yield tuple(_cell(value) for value in row)


def _cell(value: Any) -> Cell:
    if isinstance(value, datetime):
        return timezone.localdate(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def participant_file(scope: Scope, period: Period, fmt: str) -> bytes:
    """A participant list small enough to build within the request."""
    path = export_dir() / f"inline-{timezone.now():%Y%m%d%H%M%S%f}.{fmt}"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        exports.write_rows(path, fmt, esf.participant_header(), _participant_rows(scope, period))
        return path.read_bytes()
    finally:
        path.unlink(missing_ok=True)


def start_export(*, by: User, period: Period, fmt: str, whole_center: bool) -> ExportJob:
    job = ExportJob.objects.create(
        requested_by=by,
        kind="participants",
        format=fmt,
        start=period.start,
        end=period.end,
        whole_center=whole_center,
        expires_at=timezone.now() + EXPORT_LIFETIME,
    )
    transaction.on_commit(lambda: _enqueue_export(job.pk))
    return job


def _enqueue_export(job_id: uuid.UUID) -> None:
    from figures.tasks import run_export

    try:
        run_export.delay(str(job_id))
    except Exception:
        # The broker is unreachable: the job waits, and resume_exports (beat, every minute)
        # hands it to a worker once the broker is back. The page meanwhile says "waiting".
        logger.warning("Broker unreachable; export %s left for the resume sweep", job_id)


# A waiting job younger than this is most likely in the queue already.
RESUME_AFTER = timedelta(minutes=2)


def resume_exports(now: datetime | None = None) -> int:
    """Hand again to Celery every export still waiting a while after it was asked for (the
    broker was down) or left running by a worker that died. A job queued twice is written
    once: run_export claims it first."""
    now = now or timezone.now()
    jobs = ExportJob.objects.claimable(now).filter(created_at__lt=now - RESUME_AFTER)
    job_ids = list(jobs.values_list("pk", flat=True))
    for job_id in job_ids:
        _enqueue_export(job_id)
    return len(job_ids)


def run_export(job_id: str) -> ExportJob | None:
    """Write the export's file; claim the job first, so that a task delivered twice writes it
    once."""
    claimed = (
        ExportJob.objects.claimable()
        .filter(pk=job_id)
        .update(status=ExportJob.Status.RUNNING, rows_done=0, heartbeat_at=timezone.now())
    )
    if not claimed:
        return None
    job = ExportJob.objects.get(pk=job_id)
    period = Period(CUSTOM, job.start, job.end)
    scope = scope_of(job)
    job.rows_total = esf.participants(scope, period).count()
    job.save(update_fields=["rows_total"])
    folder = export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{job.pk}.{job.format}"

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=done, heartbeat_at=timezone.now())

    try:
        written = exports.write_rows(
            folder / name,
            job.format,
            esf.participant_header(),
            _participant_rows(scope, period),
            progress=progress,
        )
    except Exception:
        logger.exception("Export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, finished_at=timezone.now()
        )
        raise
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE,
        rows_done=written,
        file_name=name,
        finished_at=now,
        expires_at=now + EXPORT_LIFETIME,
    )
    job.refresh_from_db()
    return job


def delete_expired_exports(now: datetime | None = None) -> int:
    """Delete the files and rows of exports past their day."""
    expired = list(ExportJob.objects.expired(now))
    for job in expired:
        if job.path is not None:
            job.path.unlink(missing_ok=True)
    ExportJob.objects.filter(pk__in=[job.pk for job in expired]).delete()
    return len(expired)
