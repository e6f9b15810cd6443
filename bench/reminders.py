"""Benchmark of the reminder sweep (issue 6): 1,000,000 follow-ups and 100,000 referrals, of
which 100,000 items are due today (90,000 follow-ups, 10,000 referrals), then the sweep: one
INSERT ... SELECT ... ON CONFLICT DO NOTHING per rule, one digest per person, all in one
transaction. Measured at a tenth of that size too: the number of queries must be the same.

Rows go in with COPY (cases/demo/copy.py), on a scratch PostgreSQL database that is flushed
first (BENCH_REMINDERS_DATABASE_URL, default wc_bench_rem). Run by `make bench` (bench/run.sh).
Prints figures; exits non-zero only if the query count grows with the rows.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 10
LOTSEN, PARTNERS, CONTACTS_PER_PARTNER = 40, 100, 3
FOLLOW_UPS_PER_CASE, REFERRALS_PER_CASE = 20, 2
# (follow-ups, referrals, items due): a tenth, then the size.
SIZES = (
    [(1_000_000, 100_000, 100_000)]
    if os.environ.get("BENCH_LARGE_ONLY")
    else [(100_000, 10_000, 10_000), (1_000_000, 100_000, 100_000)]
)


def template(model: Any, **given: Any) -> dict[str, Any]:
    """A value for every column a COPY must fill: the given ones, else the field's default,
    else NULL or "" (generated columns and the primary key are left to the database)."""
    row: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or getattr(field, "generated", False):
            continue
        if field.attname in given:
            row[field.attname] = given[field.attname]
        elif field.has_default():
            row[field.attname] = field.get_default()
        else:
            row[field.attname] = None if field.null else ""
    return row


def write(model: Any, base: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    """COPY rows that differ from `base` in a few columns (the same columns in every row)."""
    from cases.demo.copy import Table, write_rows

    varying = list(rows[0])
    fixed = [name for name in base if name not in varying]
    constant = tuple(base[name] for name in fixed)
    table = Table(model, [*varying, *fixed])
    write_rows(table, [tuple(row.values()) + constant for row in rows])


def build(follow_ups: int, referrals: int, due: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Role, User
    from cases.demo.copy import Keys
    from cases.demo.tables import flush_domain_data, foreign_keys_checked_once
    from cases.models import Case, FollowUp, Referral
    from migrants.models import Newcomer
    from partners.models import Partner, PartnerContact
    from reminders.models import ReminderRules

    today = timezone.localdate()
    now = timezone.now()
    cases = follow_ups // FOLLOW_UPS_PER_CASE
    due_referrals = due // 10
    due_follow_ups = due - due_referrals
    with transaction.atomic():
        flush_domain_data()
        ReminderRules.objects.all().delete()
        keys = Keys(User, Partner, PartnerContact, Newcomer, Case)
        with foreign_keys_checked_once():
            password = make_password(None)
            users = [next(keys[User]) for _ in range(LOTSEN)]
            write(
                User,
                template(User, password=password, role=Role.LOTSE, full_name="Lotse"),
                [{"id": pk, "email": f"lotse{pk}@bench.example"} for pk in users],
            )
            partners = [next(keys[Partner]) for _ in range(PARTNERS)]
            write(
                Partner,
                template(Partner, name="Partner", type="other"),
                [{"id": pk, "email": f"partner{pk}@bench.example"} for pk in partners],
            )
            contacts = []
            for partner in partners:
                for n in range(CONTACTS_PER_PARTNER):
                    contacts.append((next(keys[PartnerContact]), partner, n))
            write(
                PartnerContact,
                template(PartnerContact, name="Kontakt"),
                [
                    {"id": pk, "partner_id": p, "email": f"c{pk}@bench.example"}
                    for pk, p, _n in contacts
                ],
            )
            newcomers = [next(keys[Newcomer]) for _ in range(cases)]
            write(
                Newcomer,
                template(
                    Newcomer,
                    first_name="N",
                    last_name="N",
                    kind_of_arrival="abroad_eu",
                    updated_at=now,
                ),
                [{"id": pk, "reference": f"NB-{pk:08d}"} for pk in newcomers],
            )
            case_ids = [next(keys[Case]) for _ in range(cases)]
            write(
                Case,
                template(Case, category="housing", status="in_progress", last_activity_at=now),
                [
                    {
                        "id": pk,
                        "reference": f"WB-{pk:08d}",
                        "newcomer_id": newcomer,
                        "owner_id": users[i % LOTSEN],
                    }
                    for i, (pk, newcomer) in enumerate(zip(case_ids, newcomers, strict=True))
                ],
            )
            keys.settle()
            # Follow-ups: the first `due_follow_ups` are due (today or up to a month overdue),
            # the rest in the future; a fifth of all go to partner contacts.
            rows = []
            for i in range(follow_ups):
                case = case_ids[i % cases]
                late = i < due_follow_ups
                on = today - timedelta(days=i % 30) if late else today + timedelta(1 + i % 60)
                contact = contacts[i % len(contacts)][0] if i % 5 == 0 else None
                owner = None if contact else users[(i * 7) % LOTSEN]
                rows.append(
                    {"case_id": case, "due_on": on, "assignee_id": owner,
                     "assignee_contact_id": contact}
                )  # fmt: skip
            write(FollowUp, template(FollowUp, text="Nachfassen", created_by_id=users[0]), rows)
            rows = []
            for i in range(referrals):
                late = i < due_referrals
                # Overdue since yesterday: reminded, not yet escalated.
                answer_by = today - timedelta(days=1) if late else today + timedelta(1 + i % 20)
                pk, partner, _n = contacts[i % len(contacts)]
                rows.append(
                    {"case_id": case_ids[i % cases], "partner_id": partner, "contact_id": pk,
                     "answer_by": answer_by}
                )  # fmt: skip
            write(Referral, template(Referral, request="Bitte", created_by_id=users[0]), rows)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def sweep() -> tuple[float, int, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reminders.services import send_reminders

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = send_reminders()
        elapsed = time.perf_counter() - started
    if os.environ.get("BENCH_VERBOSE"):
        for query in queries.captured_queries:
            print(f"  {float(query['time']):7.3f} s  {query['sql'][:110]}")
    return elapsed, len(queries.captured_queries), result


def main() -> None:
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_REMINDERS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wc_bench_rem"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welcome_center.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from welcome_center.celery import app as celery_app

    if connection.vendor != "postgresql":
        raise SystemExit("bench/reminders.py needs PostgreSQL")
    call_command("migrate", verbosity=0)
    # The digests are handed to Celery after commit, as in production, but on a queue of the
    # benchmark's own that no worker reads and that is deleted afterwards.
    queue = f"bench-reminders-{uuid.uuid4().hex[:8]}"
    celery_app.conf.task_default_queue = queue
    counts = []
    try:
        for follow_ups, referrals, due in SIZES:
            started = time.perf_counter()
            build(follow_ups, referrals, due)
            built = time.perf_counter() - started
            elapsed, queries, result = sweep()
            again, queries_again, result_again = sweep()
            counts.append(queries)
            print(
                f"reminders: {follow_ups:>9,} follow-ups, {referrals:>7,} referrals "
                f"(built in {built:5.1f} s): sweep {elapsed:5.2f} s, {queries} queries, "
                f"{result.items:,} items, {result.emails} e-mails, "
                f"{result.notifications} notifications (target <= {TARGET_SECONDS} s); "
                f"run again: {again:4.2f} s, {queries_again} queries, {result_again.items} items"
            )
    finally:
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)
    if len(set(counts)) != 1:
        raise SystemExit(f"reminders: the query count grows with the rows: {counts}")
    print(f"reminders: the same {counts[0]} queries at both sizes")


if __name__ == "__main__":
    main()
