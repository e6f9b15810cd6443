"""The newcomers' rights under the GDPR: erasure by anonymisation (Art. 17), which also serves
withdrawal of consent and the retention period, and who is due for it."""

from __future__ import annotations

import logging
from datetime import date, datetime

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import DateTimeField, Exists, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import OutgoingEmail, User
from cases.models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    Document,
    EventKind,
    FollowUp,
    Outcome,
    Referral,
    ReferralMessage,
    Status,
)
from companies.models import Introduction
from migrants.models import (
    ConsentRecord,
    ConsentScope,
    HouseholdMember,
    Newcomer,
    Qualification,
    ResidencePermit,
)
from privacy.guards import redaction_allowed
from privacy.models import RetentionPolicy

logger = logging.getLogger(__name__)

REDACTED = "[anonymised]"

# What survives an anonymisation, because the statistics and the ESF+ report count it
# (README, "Data protection"): category, dates and outcome of cases; gender, year of birth,
# country of origin, nationality, kind of arrival, employment status and education on entry;
# language levels; recognition outcomes; consent records (the proof of the lawful basis).
NEWCOMER_BLANKED_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "coming_from",
    "current_place",
    "target_place",
    "profession",
    "target_company_name",
)
# Timeline entries whose values are statuses, priorities, staff names or dates keep them.
EVENT_KINDS_KEEPING_VALUES = (
    EventKind.OPENED,
    EventKind.STATUS,
    EventKind.PRIORITY,
    EventKind.ASSIGNMENT,
    EventKind.FOLLOW_UP,
    EventKind.REFERRAL,
)


OPEN_REFERRAL_STATUSES = (Referral.Status.SENT, Referral.Status.ACCEPTED)


class AlreadyAnonymised(Exception):
    pass


def anonymise_newcomer(newcomer: Newcomer, *, by: User | None, reason: str) -> Newcomer:
    """Irreversibly remove everything that identifies the newcomer, keep what statistics
    count, and log that (and why) it happened. `by` is None for the retention job."""
    with transaction.atomic():
        newcomer = Newcomer.objects.select_for_update().get(pk=newcomer.pk)
        if newcomer.anonymised_at is not None:
            raise AlreadyAnonymised(newcomer.reference)
        now = timezone.now()
        documents = list(Document.objects.filter(newcomer=newcomer).values_list("file", flat=True))
        email = newcomer.email
        # The signals would copy every old value into new audit entries: exactly the data
        # being erased. One entry below records the erasure instead.
        with disable_auditlog():
            _blank_newcomer(newcomer, now=now)
            _blank_related(newcomer, now=now)
        _redact_outbox(email)
        with redaction_allowed():
            _redact_audit_trail(newcomer)
        LogEntry.objects.log_create(
            newcomer,
            force_log=True,
            action=LogEntry.Action.DELETE,
            changes={"anonymised": [None, reason]},
            actor=by,
        )
        # Files go only once the rows that point to them are surely gone.
        transaction.on_commit(lambda: _delete_files(documents))
    logger.info("Newcomer %s anonymised (%s).", newcomer.reference, reason)
    return newcomer


def _blank_newcomer(newcomer: Newcomer, *, now: datetime) -> None:
    for field in NEWCOMER_BLANKED_FIELDS:
        setattr(newcomer, field, "")
    # The year of birth stays for the age groups of the statistics; day and month go.
    if newcomer.birth_date:
        newcomer.birth_date = date(newcomer.birth_date.year, 1, 1)
    newcomer.target_company = None
    newcomer.anonymised_at = now
    newcomer.save()


def _blank_related(newcomer: Newcomer, *, now: datetime) -> None:
    HouseholdMember.objects.filter(newcomer=newcomer).update(first_name="")
    Qualification.objects.filter(newcomer=newcomer).update(
        title=REDACTED, profession="", reference_occupation="", required_measure=""
    )
    ResidencePermit.objects.filter(newcomer=newcomer).update(
        notes="", issued_on=None, expires_on=None, renewal_applied_on=None
    )
    cases = Case.objects.filter(newcomer=newcomer)
    # Erasure on request can come while cases are open: they end, counted as withdrawn.
    cases.filter(status__in=(*OPEN_STATUSES, Status.RESOLVED)).update(
        status=Status.CLOSED, closed_at=now, outcome=Outcome.WITHDRAWN
    )
    cases.update(summary="")
    events = CaseEvent.objects.filter(case__in=cases)
    events.update(text="")
    events.exclude(kind__in=EVENT_KINDS_KEEPING_VALUES).update(old_value="", new_value="")
    Referral.objects.filter(case__in=cases).update(request=REDACTED, answer="", decline_reason="")
    ReferralMessage.objects.filter(referral__case__in=cases).update(text=REDACTED, author_name="")
    Referral.objects.filter(case__in=cases, status__in=OPEN_REFERRAL_STATUSES).update(
        status=Referral.Status.WITHDRAWN, closed_at=now
    )
    FollowUp.objects.filter(case__in=cases).update(text=REDACTED)
    FollowUp.objects.filter(case__in=cases, done_at__isnull=True).update(done_at=now)
    Document.objects.filter(newcomer=newcomer).delete()
    # Introductions stay for the figures (proposed, hired); their free texts go.
    Introduction.objects.filter(newcomer=newcomer).update(note_to_company="", decline_reason="")


def _redact_outbox(email: str) -> None:
    """Mail to the newcomer (the intake confirmation) holds their name. Mail to staff names
    only references, by design."""
    if email:
        OutgoingEmail.objects.filter(to__iexact=email).update(
            to="anonymised@invalid", subject=REDACTED, body_text=REDACTED, body_html=""
        )


def _redact_audit_trail(newcomer: Newcomer) -> None:
    """Keep who did what to which record and when; blank the values and names, which are the
    personal data being erased."""
    entries = LogEntry.objects.filter(additional_data__newcomer=newcomer.pk)
    for entry in entries.only("pk", "changes").iterator(chunk_size=500):
        redacted = {field: [REDACTED, REDACTED] for field in (entry.changes or {})}
        LogEntry.objects.filter(pk=entry.pk).update(changes=redacted)
    entries.update(object_repr=newcomer.reference, changes_text="", serialized_data=None)


def _delete_files(names: list[str]) -> None:
    storage = Document._meta.get_field("file").storage  # type: ignore[attr-defined]
    for name in names:
        storage.delete(name)


# ---- retention ---------------------------------------------------------------------------


def with_retention_start(newcomers: QuerySet[Newcomer]) -> QuerySet[Newcomer]:
    """Annotate `retention_start`: when the newcomer's last case closed (a resolved case
    counts from its last activity), or when the record was created if there never was a
    case; and `has_open_case`."""
    last_closed = (
        Case.objects.filter(newcomer=OuterRef("pk"))
        .values("newcomer")
        .annotate(last=Max(Coalesce("closed_at", "last_activity_at")))
        .values("last")
    )
    return newcomers.annotate(
        retention_start=Coalesce(Subquery(last_closed, output_field=DateTimeField()), "created_at"),
        has_open_case=Exists(
            Case.objects.filter(newcomer=OuterRef("pk"), status__in=OPEN_STATUSES)
        ),
    )


def due_for_erasure(*, on: datetime | None = None, months: int | None = None) -> QuerySet[Newcomer]:
    """Newcomers whose retention period has run out by `on` (default: now): no open case, and
    `months` (default: the head's policy) since the last one closed."""
    on = on or timezone.now()
    months = months or RetentionPolicy.current().months
    cutoff = on - relativedelta(months=months)
    return (
        with_retention_start(Newcomer.objects.not_anonymised())
        .filter(has_open_case=False, retention_start__lte=cutoff)
        .order_by("retention_start", "pk")
    )


def consent_withdrawn() -> QuerySet[Newcomer]:
    """Newcomers who withdrew their consent to processing and still wait for the head to
    anonymise them. Not automatic: erasure is irreversible and the head checks first (an open
    case may rest on another legal basis, a withdrawal may have been recorded in error)."""
    withdrawn = ConsentRecord.objects.filter(
        newcomer=OuterRef("pk"), scope=ConsentScope.PROCESSING, withdrawn_at__isnull=False
    )
    return Newcomer.objects.not_anonymised().filter(Exists(withdrawn)).order_by("reference")


def retention_due_date(newcomer: Newcomer, *, months: int) -> datetime:
    """When the annotated newcomer falls due (for display; the query decides)."""
    return newcomer.retention_start + relativedelta(months=months)  # type: ignore[attr-defined]


def apply_retention(*, on: datetime | None = None) -> int:
    """Anonymise everyone who is due. Each newcomer in their own transaction, so one failure
    stops nobody else's erasure."""
    count = 0
    for newcomer in due_for_erasure(on=on).only("pk").iterator(chunk_size=200):
        try:
            anonymise_newcomer(newcomer, by=None, reason="retention")
        except AlreadyAnonymised:
            continue
        count += 1
    return count
