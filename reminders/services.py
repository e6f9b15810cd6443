"""The reminder sweep: insert what is due, then tell each person once, in one transaction.

At most once: each rule is one INSERT ... SELECT ... ON CONFLICT DO NOTHING RETURNING into
reminders_reminder, whose unique constraints admit an item once per (rule, object, period,
recipient). Only the rows this sweep inserted come back, and only those are mailed. A second
sweep, concurrent or later, gets nothing back for the same items.

Nothing lost: the items, the digest e-mails (outbox rows) and the notifications commit together.
A worker that dies before the commit leaves nothing behind, so the next sweep (beat, or the
task redelivered thanks to acks_late) inserts and sends them. After the commit the outbox
guarantees delivery: Celery is asked to send each e-mail, and the outbox sweep sends what a
broker or mail-server outage left.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from auditlog.models import LogEntry
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from accounts.models import Notification, OutgoingEmail, User
from cases.models import Referral
from cases.referrals import link_for
from reminders import rules
from reminders.models import Reminder, ReminderRules, Rule, describe
from welcome_center import emails

if TYPE_CHECKING:
    from reminders.forms import ReminderRulesForm

logger = logging.getLogger(__name__)

# A digest lists this many items; the rest are "and N more" behind a link.
DIGEST_ITEMS = 50
# Any constant: sweeps on PostgreSQL take this transaction-level advisory lock, so that two at
# once queue up instead of both waiting on each other's rows (possible deadlocks, wasted work).
# The unique constraints, not the lock, are what make a reminder go out once.
SWEEP_LOCK = 0x5E3D_0007

RETURNED = (
    "id, rule, recipient_user_id, recipient_email, language, newcomer_id, reference, due_on, "
    "period, object_id"
)


@dataclass(frozen=True)
class SweepResult:
    items: int
    emails: int
    notifications: int


@dataclass
class Digest:
    """One recipient's new items in this sweep."""

    user_id: int | None
    email: str
    language: str
    rows: list[tuple[object, ...]] = field(default_factory=list)


def send_reminders(*, now: datetime | None = None) -> SweepResult:
    """The daily sweep (reminders.tasks.send_reminders). Safe to run any number of times."""
    now = now or timezone.now()
    with transaction.atomic():
        _wait_for_other_sweeps()
        settings_row = ReminderRules.current()
        rows: list[tuple[object, ...]] = []
        for select in rules.due(settings_row, now):
            rows += insert_items(select, now=now)
        result = _tell_recipients(rows)
    logger.info(
        "Reminders: %d new items, %d e-mails, %d notifications.",
        result.items,
        result.emails,
        result.notifications,
    )
    return result


def _wait_for_other_sweeps() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SWEEP_LOCK])
    # SQLite lets one writer at a time anyway.


def insert_items(select: rules.Select, *, now: datetime) -> list[tuple[object, ...]]:
    """Insert the rule's items that are not there yet; return the inserted rows (RETURNED).

    Works on PostgreSQL and on SQLite 3.35+ (both know ON CONFLICT DO NOTHING and RETURNING;
    SQLite needs the WHERE to tell the upsert's ON from a join's). Recipients that are users
    must be active; their own language wins over the rule's."""
    quote = connection.ops.quote_name
    table = quote(Reminder._meta.db_table)
    users = quote(User._meta.db_table)
    sql = (
        f"INSERT INTO {table} (rule, object_id, period, recipient_user_id, recipient_email, "  # noqa: S608
        "language, newcomer_id, reference, due_on, created_at) "
        "SELECT src.r_rule, src.r_object, src.r_period, src.r_user, "
        "CASE WHEN src.r_user IS NULL THEN src.r_email ELSE '' END, "
        "COALESCE(u.language, src.r_language), src.r_newcomer, src.r_reference, src.r_due_on, %s "
        f"FROM ({select.sql}) src LEFT JOIN {users} u ON u.id = src.r_user "
        "WHERE (u.id IS NOT NULL AND u.is_active = %s) "
        "OR (src.r_user IS NULL AND src.r_email IS NOT NULL AND src.r_email <> '') "
        f"ON CONFLICT DO NOTHING RETURNING {RETURNED}"
    )
    params = [connection.ops.adapt_datetimefield_value(now), *select.params, True]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _tell_recipients(rows: list[tuple[object, ...]]) -> SweepResult:
    digests = _group(rows)
    users = User.objects.in_bulk([d.user_id for d in digests if d.user_id is not None])
    links = _answer_links(digests)
    outgoing: list[OutgoingEmail] = []
    notifications: list[Notification] = []
    for digest in digests:
        user = users.get(digest.user_id) if digest.user_id is not None else None
        outgoing.append(_digest_email(digest, user, links))
        if user is not None:
            notifications.append(_notification(user, len(digest.rows)))
    emails.queue_all(outgoing)  # sent by Celery after commit; the outbox sweep if that fails
    Notification.objects.bulk_create(notifications)
    return SweepResult(len(rows), len(outgoing), len(notifications))


def _group(rows: list[tuple[object, ...]]) -> list[Digest]:
    by_recipient: dict[tuple[object, str], Digest] = {}
    for row in rows:
        user_id, email, language = row[2], str(row[3]), str(row[4])
        key = (user_id, email)
        if key not in by_recipient:
            by_recipient[key] = Digest(user_id, email, language)  # type: ignore[arg-type]
        by_recipient[key].rows.append(row)
    return list(by_recipient.values())


def _answer_links(digests: list[Digest]) -> dict[int, str]:
    """A partner contact without an account answers a referral by its signed link: their
    digest carries it. One query for the whole sweep."""
    ids = {
        int(row[9])  # type: ignore[call-overload]
        for digest in digests
        if digest.user_id is None
        for row in digest.rows
        if row[1] == Rule.REFERRAL
    }
    if not ids:
        return {}
    return {pk: link_for(referral) for pk, referral in Referral.objects.in_bulk(ids).items()}


def _line(row: tuple[object, ...], links: dict[int, str] | None = None) -> str:
    _pk, rule, _user, _email, _language, _newcomer, reference, due_on, period, object_id = row
    if isinstance(due_on, str):  # SQLite returns dates as text
        due_on = date.fromisoformat(due_on)
    line = describe(str(rule), str(period), due_on, str(reference))  # type: ignore[arg-type]
    link = (links or {}).get(int(object_id)) if rule == Rule.REFERRAL else None  # type: ignore[call-overload]
    return f"{line} {link}" if link else line


def _digest_email(
    digest: Digest, user: User | None, links: dict[int, str] | None = None
) -> OutgoingEmail:
    # Most urgent first: the oldest date at the top.
    ordered = sorted(digest.rows, key=lambda row: (str(row[7]), str(row[6]), str(row[1])))
    language = user.language if user else digest.language
    with translation.override(language):  # each line once, in the recipient's language
        lines = [_line(row, None if user else links) for row in ordered[:DIGEST_ITEMS]]
    return emails.reminder_digest(
        to=user.email if user else digest.email,
        language=language,
        name=user.get_short_name() if user else "",
        lines=lines,
        more=len(ordered) - len(lines),
        reminders_url=settings.SITE_URL + reverse("my_reminders") if user else "",
    )


def _notification(user: User, count: int) -> Notification:
    with translation.override(user.language):
        text = ngettext(
            "You have %(count)d new reminder.", "You have %(count)d new reminders.", count
        ) % {"count": count}
    return Notification(recipient=user, text=text, url=reverse("my_reminders"))


def change_rules(form: ReminderRulesForm, *, by: User) -> ReminderRules:
    """Save the head's changes to the rules and log them in the audit trail (old and new value
    of each changed field), in one transaction."""
    with transaction.atomic():
        before = ReminderRules.objects.select_for_update().get(pk=1)
        rules = form.save(commit=False)
        rules.updated_by = by
        rules.updated_at = timezone.now()
        rules.save()
        changes = {
            name: [str(getattr(before, name)), str(getattr(rules, name))]
            for name in form.changed_data
            if getattr(before, name) != getattr(rules, name)
        }
        if changes:
            LogEntry.objects.log_create(
                rules, force_log=True, action=LogEntry.Action.UPDATE, changes=changes, actor=by
            )
    return rules
