"""The exit questionnaire (the ESF+ results on leaving), the log that keeps the monthly
e-mail to one per month, and the exports that run as Celery tasks."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from datetime import datetime

    from accounts.models import User

EXPORT_LIFETIME = timedelta(days=1)
# A running export whose task has not reported progress for this long is taken to be dead (its
# worker was killed) and may be claimed again; the task reports every 2,000 rows.
EXPORT_STALE_AFTER = timedelta(minutes=5)


class EmploymentOnLeaving(models.TextChoices):
    EMPLOYED = "employed", _("employed")
    SELF_EMPLOYED = "self_employed", _("self-employed")
    NOT_EMPLOYED = "not_employed", _("not in employment")


class ExitQuestionnaire(models.Model):
    """What the Lotse records when a newcomer's last case closes: the ESF+ results on
    leaving. One per newcomer; it stays (without any free text) when the newcomer is
    anonymised, so the funder's figures do not change."""

    newcomer = models.OneToOneField(
        "migrants.Newcomer",
        on_delete=models.CASCADE,
        related_name="exit_questionnaire",
        verbose_name=_("newcomer"),
    )
    # The day the newcomer's last case closed: the ESF+ "leaving" date.
    left_on = models.DateField(_("left on"))
    employment = models.CharField(
        _("employment on leaving"), max_length=16, choices=EmploymentOnLeaving.choices
    )
    in_education_or_training = models.BooleanField(
        _("in education or training on leaving"), default=False
    )
    qualification_gained = models.BooleanField(_("qualification gained"), default=False)
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filled in by"),
    )
    filled_at = models.DateTimeField(_("filled in"), default=timezone.now)

    class Meta:
        verbose_name = _("exit questionnaire")
        verbose_name_plural = _("exit questionnaires")
        ordering = ["-left_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(employment__in=EmploymentOnLeaving.values),
                name="exitquestionnaire_employment_valid",
            ),
        ]
        indexes = [models.Index(fields=["left_on"], name="exitquestionnaire_left_idx")]

    def __str__(self) -> str:
        return f"{self.newcomer.reference}: {self.left_on}"

    def get_additional_data(self) -> dict[str, int]:
        # The newcomer the entry concerns: see migrants.models.Newcomer.get_additional_data.
        return {"newcomer": self.newcomer_id}

    @property
    def in_employment(self) -> bool:
        return self.employment in (EmploymentOnLeaving.EMPLOYED, EmploymentOnLeaving.SELF_EMPLOYED)


class MonthlyReportLog(models.Model):
    """One row per month whose figures were mailed to the head(s): the unique month makes
    the monthly e-mail at-most-once, however often beat runs the task."""

    month = models.DateField(_("month"), unique=True)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class ExportJobQuerySet(models.QuerySet["ExportJob"]):
    def visible_to(self, user: User) -> ExportJobQuerySet:
        """An export belongs to whoever asked for it, while they are center staff."""
        if user.is_authenticated and user.is_center_staff:
            return self.filter(requested_by=user)
        return self.none()

    def expired(self, now: datetime | None = None) -> ExportJobQuerySet:
        return self.filter(expires_at__lte=now or timezone.now())

    def claimable(self, now: datetime | None = None) -> ExportJobQuerySet:
        """Waiting for a task, or running in a task that has died (no progress for
        EXPORT_STALE_AFTER)."""
        stale = (now or timezone.now()) - EXPORT_STALE_AFTER
        return self.filter(
            Q(status=ExportJob.Status.PENDING)
            | Q(status=ExportJob.Status.RUNNING, heartbeat_at__lt=stale)
        )


class ExportJob(models.Model):
    """A large export written by a Celery task into VAR_DIR/exports (never web-served) and
    downloaded through a permission-checked view until it expires a day later."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    kind = models.CharField(_("kind"), max_length=32)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    # The period and whose caseload: what the task needs to run the same report again.
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    whole_center = models.BooleanField(_("whole center"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    # Last sign of life of the task writing the file (claim and progress).
    heartbeat_at = models.DateTimeField(_("last progress"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["expires_at"], name="exportjob_expires_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.start} - {self.end} ({self.get_status_display()})"

    @property
    def path(self) -> Path | None:
        return export_dir() / self.file_name if self.file_name else None

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return round(100 * self.rows_done / self.rows_total) if self.rows_total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


def export_dir() -> Path:
    return Path(settings.VAR_DIR) / "exports"
