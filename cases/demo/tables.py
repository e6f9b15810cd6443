"""The tables of the demo: which ones seed_demo writes and flushes, and what happens around a
bulk load on PostgreSQL (foreign keys checked once at the end, fresh planner statistics)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.core.management.color import no_style
from django.db import connection, models, transaction

from accounts.models import Notification, OutgoingEmail, User
from cases.models import (
    AcceleratedProcedure,
    Case,
    CaseEvent,
    Document,
    FollowUp,
    ReferenceSequence,
    Referral,
    ReferralMessage,
)
from companies.models import (
    Company,
    CompanyContact,
    CompanyEvent,
    Introduction,
    ServiceRequest,
    SkilledWorkerNeed,
)
from figures.models import ExitQuestionnaire, ExportJob
from migrants.models import (
    ArrivalChecklistEntry,
    ConsentRecord,
    HouseholdMember,
    LanguageSkill,
    Newcomer,
    Qualification,
    ResidencePermit,
)
from partners.models import Partner, PartnerContact, PartnerService
from reminders.models import Reminder

# The tables seed_demo fills, parents before children.
INSERT_ORDER: tuple[type[models.Model], ...] = (
    User,
    Partner,
    PartnerService,
    PartnerContact,
    Company,
    CompanyContact,
    SkilledWorkerNeed,
    ServiceRequest,
    Newcomer,
    HouseholdMember,
    LanguageSkill,
    Qualification,
    ResidencePermit,
    ConsentRecord,
    ArrivalChecklistEntry,
    Case,
    Referral,
    FollowUp,
    CaseEvent,
    Introduction,
    ExitQuestionnaire,
)

# Every table of domain data, children before parents, emptied in one statement each: the ORM's
# delete() would load every row to send the audit log's signals, which takes minutes at scale.
# A model added later that points at one of these belongs here too (tests/test_seed_demo.py
# checks).
FLUSH_ORDER: tuple[type[models.Model], ...] = (
    ExitQuestionnaire,
    ExportJob,
    CompanyEvent,
    ServiceRequest,
    Introduction,
    AcceleratedProcedure,
    Reminder,
    CaseEvent,
    FollowUp,
    ReferralMessage,
    Referral,
    Document,
    Case,
    ArrivalChecklistEntry,
    HouseholdMember,
    LanguageSkill,
    Qualification,
    ResidencePermit,
    ConsentRecord,
    Newcomer,
    SkilledWorkerNeed,
    CompanyContact,
    Company,
    PartnerService,
    PartnerContact,
    Partner,
    Notification,
    OutgoingEmail,
)


@contextmanager
def foreign_keys_checked_once() -> Iterator[None]:
    """On PostgreSQL, drop the foreign keys of the domain tables for a while, then add them back.

    PostgreSQL checks a foreign key row by row (Django's keys are deferred: all at COMMIT), and
    at scale that is most of the time of a load or a delete. Added back, each key is checked
    once for all rows in one join ("Populating a Database" in the PostgreSQL manual). It all
    runs in one transaction, so a failure leaves the schema as it was; other sessions wait for
    these tables until it ends."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in (*FLUSH_ORDER, *INSERT_ORDER)]
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Run the checks still pending from earlier in the transaction: PostgreSQL will not
            # alter a table that has some.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(FOREIGN_KEYS_SQL, [tables])
            keys = cursor.fetchall()
            for drop, _ in keys:
                cursor.execute(drop)
        yield
        with connection.cursor() as cursor:
            for _, add in keys:
                cursor.execute(add)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's keys are all deferred


FOREIGN_KEYS_SQL = """
SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I', conrelid::regclass, conname),
    format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', conrelid::regclass, conname,
           pg_get_constraintdef(oid))
FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
"""


@contextmanager
def indexes_built_once(loaded: Sequence[type[models.Model]]) -> Iterator[None]:
    """On PostgreSQL, drop the plain indexes of these tables (on columns, used by no
    constraint) for a while, then build them again: one sort per index for all rows instead of
    an insertion per row ("Remove Indexes", in the same section of the manual). Primary keys
    and unique constraints stay and are enforced throughout. Same transaction as above."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in loaded]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(PLAIN_INDEXES_SQL, [tables])
            indexes = cursor.fetchall()
            for drop, _ in indexes:
                cursor.execute(drop)
        yield
        with connection.cursor() as cursor:
            for _, create in indexes:
                cursor.execute(create)


# Partial and expression indexes stay: PostgreSQL would give their definitions back reworded.
PLAIN_INDEXES_SQL = """
SELECT format('DROP INDEX %%s', indexrelid::regclass), pg_get_indexdef(indexrelid)
FROM pg_index WHERE indrelid = ANY(%s::regclass[]) AND indpred IS NULL AND indexprs IS NULL
    AND NOT EXISTS (SELECT FROM pg_constraint WHERE conindid = indexrelid)
"""


def flush_domain_data() -> None:
    """Delete all domain data, its audit trail and uploads, and every user who is not a
    superuser. Reference counters stay, so no reference on an old letter is handed out again."""
    uploads = list(Document.objects.values_list("file", flat=True))
    with foreign_keys_checked_once():
        # The audit trail of these rows holds their old values: the same personal data. It is
        # append-only (privacy/guards.py) against everything but emptying the whole table,
        # which only this demo command does: seed_demo refuses a database holding other data
        # unless told --flush.
        tables = [LogEntry._meta.db_table] + [model._meta.db_table for model in FLUSH_ORDER]
        with connection.cursor() as cursor:  # TRUNCATE on PostgreSQL, DELETE on SQLite
            for statement in connection.ops.sql_flush(no_style(), tables):
                cursor.execute(statement)
        with disable_auditlog():
            User.objects.filter(is_superuser=False).delete()
    # Files go only once the rows are surely gone.
    transaction.on_commit(lambda: _delete_uploads(uploads))


def _delete_uploads(names: list[str]) -> None:
    storage = Document._meta.get_field("file").storage  # type: ignore[attr-defined]
    for name in names:
        storage.delete(name)


def analyze() -> None:
    """Fresh planner statistics for the tables just loaded (PostgreSQL only). Autovacuum would
    gather them a minute later; benchmarks and the first page views should not wait for that."""
    if connection.vendor != "postgresql":
        return
    loaded: tuple[type[models.Model], ...] = (*INSERT_ORDER, ReferenceSequence)
    tables = {model._meta.db_table for model in loaded}
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(sorted(map(connection.ops.quote_name, tables)))}")
