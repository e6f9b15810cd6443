"""The audit trail is append-only.

On PostgreSQL a trigger (migrations/0002) refuses every UPDATE and DELETE of an audit entry,
whoever sends it: the UI, the admin, the ORM, a stray script. The one exception is the
redaction that erasure under Art. 17 needs (the old values in an entry are themselves the
personal data being erased): `redaction_allowed()` sets a transaction-local flag the trigger
checks, and the trigger still refuses to change who did what to which object and when.

On SQLite (the bare-laptop default) there is no session variable, so the model's own signals
refuse a save or delete of an existing entry instead; bulk updates are not caught there."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from auditlog.models import LogEntry
from django.db import connection, transaction
from django.db.models.signals import pre_delete, pre_save

REDACTION_SETTING = "portal.audit_redaction"
_redacting: contextvars.ContextVar[bool] = contextvars.ContextVar("redacting", default=False)


class AuditTrailIsAppendOnly(Exception):
    pass


@contextmanager
def redaction_allowed() -> Iterator[None]:
    """Inside an atomic block: lets this transaction rewrite the values of audit entries."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Redaction must run inside transaction.atomic().")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # set_config(..., true) is SET LOCAL: it ends with the transaction.
            cursor.execute("SELECT set_config(%s, 'on', true)", [REDACTION_SETTING])
    token = _redacting.set(True)
    try:
        yield
    finally:
        _redacting.reset(token)
        if connection.vendor == "postgresql" and not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'off', true)", [REDACTION_SETTING])


def _refuse_change(sender: type[LogEntry], instance: LogEntry, **kwargs: Any) -> None:
    if instance.pk is not None and not _redacting.get():
        raise AuditTrailIsAppendOnly("Audit entries cannot be changed.")


def _refuse_delete(sender: type[LogEntry], instance: LogEntry, **kwargs: Any) -> None:
    raise AuditTrailIsAppendOnly("Audit entries cannot be deleted.")


def connect() -> None:
    pre_save.connect(_refuse_change, sender=LogEntry, dispatch_uid="privacy.append_only_save")
    pre_delete.connect(_refuse_delete, sender=LogEntry, dispatch_uid="privacy.append_only_delete")
