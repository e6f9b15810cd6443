"""Support cases, their timeline, referrals to partners, follow-ups and documents."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from accounts.models import User


class Category(models.TextChoices):
    HOUSING = "housing", _("Housing")
    RECOGNITION = "recognition", _("Recognition of qualifications")
    LANGUAGE = "language", _("Language")
    CHILDCARE = "childcare", _("Childcare")
    SCHOOL = "school", _("School")
    AUTHORITIES = "authorities", _("Authorities and residence")
    WORK = "work", _("Work and career")
    SOCIAL = "social", _("Arriving and leisure")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    NEW = "new", _("new")
    IN_PROGRESS = "in_progress", _("in progress")
    WAITING_NEWCOMER = "waiting_newcomer", _("waiting for the newcomer")
    WAITING_PARTNER = "waiting_partner", _("waiting for a partner")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")


OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.WAITING_NEWCOMER, Status.WAITING_PARTNER)

# Which status may follow which. Closing asks for an outcome; a closed case can be reopened.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.NEW: (
        Status.IN_PROGRESS,
        Status.WAITING_NEWCOMER,
        Status.WAITING_PARTNER,
        Status.CLOSED,
    ),
    Status.IN_PROGRESS: (
        Status.WAITING_NEWCOMER,
        Status.WAITING_PARTNER,
        Status.RESOLVED,
        Status.CLOSED,
    ),
    Status.WAITING_NEWCOMER: (
        Status.IN_PROGRESS,
        Status.WAITING_PARTNER,
        Status.RESOLVED,
        Status.CLOSED,
    ),
    Status.WAITING_PARTNER: (
        Status.IN_PROGRESS,
        Status.WAITING_NEWCOMER,
        Status.RESOLVED,
        Status.CLOSED,
    ),
    Status.RESOLVED: (Status.CLOSED, Status.IN_PROGRESS),
    Status.CLOSED: (Status.IN_PROGRESS,),
}


class Priority(models.IntegerChoices):
    # Integers, so that "sort by priority" is a plain ORDER BY.
    LOW = 1, _("low")
    NORMAL = 2, _("normal")
    HIGH = 3, _("high")
    URGENT = 4, _("urgent")


class Outcome(models.TextChoices):
    ACHIEVED = "achieved", _("goal achieved")
    PARTLY = "partly", _("partly achieved")
    REFERRED = "referred", _("handed over to a partner for good")
    WITHDRAWN = "withdrawn", _("newcomer withdrew or no longer reachable")
    LEFT_REGION = "left_region", _("newcomer left the region")
    DUPLICATE = "duplicate", _("duplicate")


def label_of(choices: type[models.Choices], value: object) -> str:
    """The label of a stored choice, in the active language. `Choices(value)` is one dict
    lookup; `get_FOO_display()` hashes, and so translates, every label of the field on each
    call, which adds up on lists (three columns of fifty rows on the case list)."""
    try:
        return str(choices(value).label)
    except ValueError:  # not one of the choices: shown as stored, as get_FOO_display() does
        return str(value)


class ReferenceSequence(models.Model):
    """Counters behind the human-readable references (WC-2026-00042): one row per prefix and
    year, advanced by one atomic UPSERT so two intakes never get the same number."""

    prefix = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="referencesequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_value}"

    @classmethod
    def next_reference(cls, prefix: str, *, year: int | None = None, count: int = 1) -> list[str]:
        """Reserve `count` consecutive references and return them."""
        return cls.reserve({prefix: count}, year=year)[prefix]

    @classmethod
    def reserve(cls, counts: dict[str, int], *, year: int | None = None) -> dict[str, list[str]]:
        """Reserve consecutive references for several prefixes in one statement."""
        year = year or timezone.localdate().year
        wanted = {prefix: count for prefix, count in counts.items() if count > 0}
        if not wanted:
            return {prefix: [] for prefix in counts}
        table = connection.ops.quote_name(cls._meta.db_table)
        rows = ", ".join(["(%s, %s, %s)"] * len(wanted))
        # Both PostgreSQL and SQLite (3.35+) understand ON CONFLICT ... RETURNING. EXCLUDED is
        # the row that was proposed, so each prefix advances by its own count.
        sql = (
            f"INSERT INTO {table} (prefix, year, last_value) VALUES {rows} "  # noqa: S608
            f"ON CONFLICT (prefix, year) DO UPDATE SET "
            f"last_value = {table}.last_value + EXCLUDED.last_value "
            "RETURNING prefix, last_value"
        )
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # A reservation of its own (the intake's) need not wait for the disk: whatever
            # commits with these references later flushes the log up to its own commit, and
            # so this one with it. Lost in a crash, it only hands out numbers nobody stored.
            # SET LOCAL in the same query string: that query is its transaction.
            sql = f"SET LOCAL synchronous_commit TO OFF; {sql}"
        params: list[object] = []
        for prefix, count in wanted.items():
            params += [prefix, year, count]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            last = dict(cursor.fetchall())
        result = {prefix: [] for prefix in counts}
        for prefix, count in wanted.items():
            first = last[prefix] - count + 1
            result[prefix] = [
                format_reference(prefix, year, n) for n in range(first, last[prefix] + 1)
            ]
        return result


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:05d}"


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: User) -> CaseQuerySet:
        """Lotsen and the head see every case of the center; nobody else sees a case."""
        if user.is_authenticated and user.is_center_staff:
            return self.all()
        return self.none()

    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def owned_by(self, user: User) -> CaseQuerySet:
        return self.filter(owner=user)

    def unassigned(self) -> CaseQuerySet:
        return self.filter(owner__isnull=True)

    def with_overdue_follow_up(self, today: date | None = None) -> CaseQuerySet:
        today = today or timezone.localdate()
        overdue = FollowUp.objects.filter(
            case=OuterRef("pk"), done_at__isnull=True, due_on__lt=today
        )
        return self.filter(Exists(overdue))


class Case(models.Model):
    """One concern of one newcomer, owned by one Lotse."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    newcomer = models.ForeignKey(
        "migrants.Newcomer",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("newcomer"),
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    # Indexed by case_owner_status_idx, which leads with the owner.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="owned_cases",
        verbose_name=_("owner"),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="cases",
        verbose_name=_("company"),
    )
    need = models.ForeignKey(
        "companies.SkilledWorkerNeed",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="cases",
        verbose_name=_("skilled-worker need"),
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="case_category_valid"
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="case_status_valid"),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="case_priority_valid"
            ),
            # A closed case has a closing time and an outcome; an open one has neither.
            models.CheckConstraint(
                condition=(Q(status="closed") & Q(closed_at__isnull=False) & ~Q(outcome=""))
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="case_closed_iff_closed_at_and_outcome",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "status", "-opened_at"], name="case_owner_status_idx"),
            # Most cases have no company or need: indexing only the others keeps every new
            # case (an intake opens several) from writing two index entries for nothing.
            models.Index(
                fields=["company"], condition=Q(company__isnull=False), name="case_company_idx"
            ),
            models.Index(fields=["need"], condition=Q(need__isnull=False), name="case_need_idx"),
            models.Index(fields=["status", "-opened_at"], name="case_status_opened_idx"),
            # The list's filters by topic, status and priority, and the count of its pages:
            # with the id in the index, that count is an index-only scan (4.8 -> 1.4 ms for
            # open housing cases of high priority with an overdue follow-up, at 100,000 cases).
            models.Index(
                fields=["category", "status", "priority"],
                include=["id"],
                name="case_category_priority_idx",
            ),
            models.Index(
                fields=["last_activity_at"],
                condition=Q(
                    status__in=["new", "in_progress", "waiting_newcomer", "waiting_partner"]
                ),
                name="case_open_activity_idx",
            ),
            # A Lotse's open cases, newest first: the case list's default page reads its 50
            # rows off this index, and the dashboard's counts read only the index (index-only
            # scans), never the table.
            models.Index(
                fields=["owner", "-opened_at", "-id"],
                include=["status", "newcomer"],
                condition=Q(
                    status__in=["new", "in_progress", "waiting_newcomer", "waiting_partner"]
                ),
                name="case_open_owner_idx",
            ),
            # All open cases, newest first: a filtered list of open cases walks this index
            # until it has a page, instead of sorting every match.
            models.Index(
                fields=["-opened_at", "-id"],
                condition=Q(
                    status__in=["new", "in_progress", "waiting_newcomer", "waiting_partner"]
                ),
                name="case_open_opened_idx",
            ),
            # The newcomers who left the region (the figures' check-ins): a few rows in
            # every hundred cases.
            models.Index(
                fields=["newcomer", "closed_at"],
                condition=Q(outcome=Outcome.LEFT_REGION),
                name="case_left_region_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_additional_data(self) -> dict[str, int]:
        # The newcomer the entry concerns: see migrants.models.Newcomer.get_additional_data.
        return {"newcomer": self.newcomer_id}

    @property
    def category_label(self) -> str:
        return label_of(Category, self.category)

    @property
    def status_label(self) -> str:
        return label_of(Status, self.status)

    @property
    def priority_label(self) -> str:
        return label_of(Priority, self.priority)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS.get(self.status, ())


class EventKind(models.TextChoices):
    OPENED = "opened", _("case opened")
    NOTE = "note", _("note")
    STATUS = "status", _("status change")
    ASSIGNMENT = "assignment", _("assignment")
    PRIORITY = "priority", _("priority change")
    REFERRAL = "referral", _("referral")
    FOLLOW_UP = "follow_up", _("follow-up")
    DOCUMENT = "document", _("document")
    MERGE = "merge", _("merge of duplicates")
    PROCEDURE = "procedure", _("§ 81a procedure")


class ReferralStep(models.TextChoices):
    """What a referral timeline entry records (CaseEvent.new_value of kind "referral")."""

    SENT = "sent", _("sent")
    OPENED = "opened", _("opened by the partner")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    QUESTION = "question", _("question from the partner")
    ANSWER = "answer", _("answer to the partner")
    COMPLETED = "completed", _("completed")
    WITHDRAWN = "withdrawn", _("withdrawn")


class CaseEventQuerySet(models.QuerySet["CaseEvent"]):
    def visible_to(self, user: User) -> CaseEventQuerySet:
        return self.filter(case__in=Case.objects.visible_to(user))


class CaseEvent(models.Model):
    """One entry on a case's timeline. Written by the services, never edited."""

    Kind = EventKind

    # Indexed by caseevent_case_time_idx, which leads with the case.
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        db_index=False,
        related_name="events",
        verbose_name=_("case"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("by"),
    )
    # Who acted when nobody was logged in: the partner contact who answered through the link.
    actor_name = models.CharField(
        _("by (without login)"), max_length=150, blank=True, default="", db_default=""
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    text = models.TextField(_("text"), max_length=5000, blank=True)
    old_value = models.CharField(_("old value"), max_length=200, blank=True)
    new_value = models.CharField(_("new value"), max_length=200, blank=True)
    referral = models.ForeignKey(
        "Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="events",
        verbose_name=_("referral"),
    )
    follow_up = models.ForeignKey(
        "FollowUp",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="events",
        verbose_name=_("follow-up"),
    )
    document = models.ForeignKey(
        "Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="events",
        verbose_name=_("document"),
    )

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="caseevent_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["case", "-created_at"], name="caseevent_case_time_idx"),
            # Most entries have no actor (the intake's), referral, follow-up or document: only
            # the others are indexed (for the deletions that set them to NULL), so a new entry
            # writes one or two index entries rather than five.
            *(
                models.Index(
                    fields=[name],
                    condition=Q(**{f"{name}__isnull": False}),
                    name=f"caseevent_{name}_idx",
                )
                for name in ("actor", "referral", "follow_up", "document")
            ),
            # The reopenings the figures count (a status leaving "closed"): a few rows among
            # the many of the timeline.
            models.Index(
                fields=["created_at"],
                condition=Q(kind=EventKind.STATUS, old_value=Status.CLOSED),
                name="caseevent_reopened_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_kind_display()}"

    def _label(self, value: str) -> str:
        """Statuses and priorities are stored as values, so that each reader sees them in
        their own language; anything else (names, dates) is shown as stored."""
        choices: dict[str, str] = {}
        if self.kind == EventKind.STATUS:
            choices = dict(Status.choices)
        elif self.kind == EventKind.PRIORITY:
            choices = {str(number): label for number, label in Priority.choices}
        elif self.kind == EventKind.REFERRAL:
            choices = dict(ReferralStep.choices)
        return str(choices.get(value, value))

    @property
    def old_label(self) -> str:
        return self._label(self.old_value)

    @property
    def new_label(self) -> str:
        return self._label(self.new_value)

    @property
    def follow_up_moved_from(self) -> date | None:
        """For a follow-up given a new date: the date it had before."""
        if self.kind != EventKind.FOLLOW_UP or self.new_value == "done" or not self.old_value:
            return None
        try:
            return date.fromisoformat(self.old_value)
        except ValueError:
            return None

    @property
    def follow_up_due(self) -> date | None:
        """The due date a follow-up entry was scheduled for (stored as ISO text)."""
        if self.kind != EventKind.FOLLOW_UP or self.new_value == "done":
            return None
        try:
            return date.fromisoformat(self.new_value)
        except ValueError:
            return None


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, user: User) -> ReferralQuerySet:
        """Staff see all referrals; a partner user only those sent to their organisation."""
        if not user.is_authenticated:
            return self.none()
        if user.is_center_staff:
            return self.all()
        if user.partner is not None:
            return self.filter(partner=user.partner)
        return self.none()

    def awaiting_answer(self) -> ReferralQuerySet:
        return self.filter(status__in=[Referral.Status.SENT, Referral.Status.ACCEPTED])

    def overdue(self, today: date | None = None) -> ReferralQuerySet:
        today = today or timezone.localdate()
        return self.filter(status=Referral.Status.SENT, answer_by__lt=today)


class Referral(models.Model):
    """One concern of a case handed to one partner, with a date by which an answer is due."""

    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        COMPLETED = "completed", _("completed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("case")
    )
    partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("partner"),
    )
    contact = models.ForeignKey(
        "partners.PartnerContact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("contact person"),
    )
    request = models.TextField(_("request"), max_length=3000)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SENT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    answer_by = models.DateField(_("answer expected by"))
    opened_at = models.DateTimeField(_("first opened by the partner"), null=True, blank=True)
    answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("completed or declined"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=1000, blank=True)
    answer = models.TextField(_("answer"), max_length=3000, blank=True)
    # The newcomer's consent to share name, contact and request with partners that this
    # referral rests on: from the intake, or oral consent recorded by the Lotse before sending.
    consent = models.ForeignKey(
        "migrants.ConsentRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("consent to share"),
    )
    # Part of the partner's signed link: a new nonce makes every earlier link of this
    # referral invalid (cases/referrals.py).
    link_nonce = models.UUIDField(_("link key"), default=uuid.uuid4, editable=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["sent", "accepted", "declined", "completed", "withdrawn"]),
                name="referral_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="referral_decline_has_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["partner", "status", "-sent_at"], name="referral_partner_status_idx"
            ),
            # INCLUDE: the dashboard reads the case ids of overdue referrals from the index.
            models.Index(
                fields=["answer_by"],
                include=["case"],
                condition=Q(status="sent"),
                name="referral_unanswered_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.partner}"

    def get_additional_data(self) -> dict[str, int]:
        # The newcomer the entry concerns: see migrants.models.Newcomer.get_additional_data.
        return {"newcomer": self.case.newcomer_id}


class ReferralMessage(models.Model):
    """A question of the partner or the Lotse's answer, on one referral."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="messages", verbose_name=_("referral")
    )
    from_partner = models.BooleanField(_("from the partner"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # Who wrote it when no one was logged in: the partner contact the link was sent to.
    author_name = models.CharField(_("name"), max_length=150, blank=True)
    text = models.TextField(_("text"), max_length=2000)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("referral message")
        verbose_name_plural = _("referral messages")
        ordering = ["referral", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral}: {self.created_at:%Y-%m-%d %H:%M}"

    def get_additional_data(self) -> dict[str, int]:
        # The newcomer the entry concerns: see migrants.models.Newcomer.get_additional_data.
        return {"newcomer": self.referral.case.newcomer_id}


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def visible_to(self, user: User) -> FollowUpQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_center_staff:
            return self.all()
        if user.partner is not None:
            return self.filter(assignee_contact__partner=user.partner)
        return self.none()

    def pending(self) -> FollowUpQuerySet:
        return self.filter(done_at__isnull=True)

    def due(self, today: date | None = None) -> FollowUpQuerySet:
        return self.pending().filter(due_on__lte=today or timezone.localdate())


class FollowUp(models.Model):
    """A dated task on a case, for a Lotse or for a partner's contact person."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("case")
    )
    due_on = models.DateField(_("due on"))
    text = models.CharField(_("task"), max_length=500)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("assigned to"),
    )
    assignee_contact = models.ForeignKey(
        "partners.PartnerContact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("assigned to partner contact"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "pk"]
        constraints = [
            # Exactly one assignee: a Lotse or a partner contact (a contact may lose its account,
            # so SET_NULL there may leave none; the reminder sweep then tells the case owner).
            models.CheckConstraint(
                condition=Q(assignee__isnull=True) | Q(assignee_contact__isnull=True),
                name="followup_single_assignee",
            ),
        ]
        indexes = [
            # INCLUDE: the dashboard reads the case ids of due follow-ups from the index.
            models.Index(
                fields=["due_on"],
                include=["case"],
                condition=Q(done_at__isnull=True),
                name="followup_pending_due_idx",
            ),
            models.Index(
                fields=["assignee", "due_on"],
                condition=Q(done_at__isnull=True),
                name="followup_assignee_due_idx",
            ),
            models.Index(
                fields=["case", "due_on"],
                condition=Q(done_at__isnull=True),
                name="followup_case_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.due_on}: {self.text}"

    def get_additional_data(self) -> dict[str, int]:
        # The newcomer the entry concerns: see migrants.models.Newcomer.get_additional_data.
        return {"newcomer": self.case.newcomer_id}


class DocumentQuerySet(models.QuerySet["Document"]):
    def visible_to(self, user: User) -> DocumentQuerySet:
        if user.is_authenticated and user.is_center_staff:
            return self.all()
        return self.none()


def document_path(document: Document, filename: str) -> str:
    # The stored name is random: a newcomer's file name may itself be personal data.
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Document(models.Model):
    """An uploaded file of a newcomer (CV, certificate, letter), optionally on one case."""

    class Kind(models.TextChoices):
        CV = "cv", _("CV")
        CERTIFICATE = "certificate", _("certificate or diploma")
        LETTER = "letter", _("letter or decision")
        OTHER = "other", _("other")

    newcomer = models.ForeignKey(
        "migrants.Newcomer",
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("newcomer"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("case"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__lte=20 * 1024 * 1024), name="document_size_limit"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_additional_data(self) -> dict[str, int]:
        # The newcomer the entry concerns: see migrants.models.Newcomer.get_additional_data.
        return {"newcomer": self.newcomer_id}


class AcceleratedProcedure(models.Model):
    """The § 81a AufenthG accelerated procedure for skilled workers, as a structured part of a
    case: each step dated; the legal targets (recognition decided within two months,
    embassy appointment and visa decision each within three weeks) give due dates, and a step
    past its due date is overdue (highlighted in the case file and reminded)."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="procedure_81a", verbose_name=_("case")
    )
    power_of_attorney_on = models.DateField(_("power of attorney signed"), null=True, blank=True)
    agreement_on = models.DateField(
        _("agreement with the foreigners authority"), null=True, blank=True
    )
    recognition_started_on = models.DateField(_("recognition started"), null=True, blank=True)
    recognition_decided_on = models.DateField(_("recognition decided"), null=True, blank=True)
    preapproval_on = models.DateField(
        _("pre-approval (Vorabzustimmung) issued"), null=True, blank=True
    )
    embassy_appointment_on = models.DateField(_("embassy appointment"), null=True, blank=True)
    visa_decided_on = models.DateField(_("visa decided"), null=True, blank=True)
    arrived_on = models.DateField(_("arrival"), null=True, blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now)

    class Meta:
        verbose_name = _("§ 81a accelerated procedure")
        verbose_name_plural = _("§ 81a accelerated procedures")
        constraints = [
            models.CheckConstraint(
                condition=Q(recognition_decided_on__isnull=True)
                | Q(recognition_started_on__isnull=False),
                name="procedure81a_decision_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"§ 81a: {self.case}"

    def get_additional_data(self) -> dict[str, int]:
        # The newcomer the entry concerns: see migrants.models.Newcomer.get_additional_data.
        return {"newcomer": self.case.newcomer_id}
