"""The audit trail, on django-auditlog.

Changes to registered models (migrants/apps.py) are logged by its signals, with old and new
values and the actor that AuditlogMiddleware takes from the request. Workflows that insert many
rows at once (the intake) switch the signals off and log all their rows here in one INSERT.
Staff reads of a newcomer file, a case file or a document are logged as ACCESS entries."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from typing import Any

from auditlog.diff import get_field_value, model_instance_diff, track_field
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import DateTimeField, JSONField, Model
from django.utils import timezone
from django.utils.encoding import smart_str

from accounts.models import User


def register(model: type[Model], *, exclude: Iterable[str] = ()) -> None:
    """Put `model` on the audit trail with the values of its own row. Reverse relations (a
    newcomer's cases, household, ...) are not: django-auditlog would log each as
    "cases.Case.None" on every change and build a related manager to read it (a reverse
    one-to-one even costs a query)."""
    reverse = [
        field.name
        for field in model._meta.get_fields()
        if field.auto_created and not field.concrete
    ]
    auditlog.register(model, exclude_fields=[*exclude, *reverse])


def record_read(instance: Model, *, by: User, purpose: str = "") -> None:
    """A staff read; `purpose` marks reads that are more than a look (an export)."""
    extra = {}
    if purpose:
        get_additional_data = getattr(instance, "get_additional_data", None)
        data = get_additional_data() if callable(get_additional_data) else {}
        extra["additional_data"] = {**data, "purpose": purpose}
    LogEntry.objects.log_create(
        instance, force_log=True, action=LogEntry.Action.ACCESS, changes=None, actor=by, **extra
    )


def _entry(
    instance: Model, *, action: int, changes: dict[str, list[str]], by: User | None
) -> LogEntry:
    return LogEntry(
        content_type=ContentType.objects.get_for_model(instance),
        object_pk=str(instance.pk),
        object_id=instance.pk,
        object_repr=str(instance)[:2000],
        action=action,
        changes=changes,
        actor=by,
        timestamp=timezone.now(),
        additional_data=_additional_data(instance),
    )


def _additional_data(instance: Model) -> dict[str, Any] | None:
    # The same linkage log_create stores (see Newcomer.get_additional_data).
    additional_data = getattr(instance, "get_additional_data", None)
    return additional_data() if callable(additional_data) else None


# How creation_changes reads a field: a plain value, a foreign key's id, or (dates and times,
# JSON) through django-auditlog's own get_field_value.
PLAIN, FOREIGN_KEY, AUDITLOG = "plain", "foreign key", "auditlog"


@cache
def _tracked_fields(model: type[Model]) -> tuple[tuple[Any, str], ...] | None:
    """The fields django-auditlog's diff looks at for `model` (its registration's include and
    exclude lists applied), each with how to read it, or None where it masks fields, which
    creation_changes leaves to auditlog itself."""
    options = auditlog.get_model_fields(model)
    if options["mask_fields"]:
        return None
    fields = [field for field in model._meta.get_fields() if track_field(field)]
    if options["include_fields"]:
        fields = [field for field in fields if field.name in options["include_fields"]]
    return tuple(
        (field, _reading(field)) for field in fields if field.name not in options["exclude_fields"]
    )


def _reading(field: Any) -> str:
    if not getattr(field, "concrete", False) or isinstance(field, DateTimeField | JSONField):
        return AUDITLOG  # reverse relations too: auditlog knows what it makes of them
    if (field.one_to_one or field.many_to_one) and hasattr(field, "rel_class"):
        return FOREIGN_KEY
    return PLAIN


def creation_changes(instance: Model) -> dict[str, Any]:
    """What `model_instance_diff(None, instance)` returns, at a fraction of its cost: the
    field list and how to read each field are worked out once per model, plain values and
    foreign keys are read here as auditlog's get_field_value reads them (without its
    per-field settings lookups), and the old side of a new row is always "None". The intake
    logs a dozen new rows per submission (tests/test_audit.py compares the two)."""
    fields = _tracked_fields(type(instance))
    if fields is None:
        return model_instance_diff(None, instance) or {}
    ids_for_keys = not settings.AUDITLOG_USE_FK_STRING_REPRESENTATION
    changes: dict[str, Any] = {}
    for field, reading in fields:
        if reading == FOREIGN_KEY and ids_for_keys:
            value = smart_str(getattr(instance, field.attname), strings_only=True)
        elif reading in (AUDITLOG, FOREIGN_KEY):
            value = get_field_value(instance, field)
        else:
            value = str(smart_str(getattr(instance, field.attname)))
        # Compared before smart_str, as auditlog does: an empty foreign key (None, not
        # "None") is logged as changed from "None" to "None".
        if value != "None":
            changes[field.name] = ("None", smart_str(value))
    return changes


def record_created(objects: Iterable[Model], *, by: User | None = None) -> None:
    """A CREATE entry for each new row, in one INSERT. On PostgreSQL the entries travel as one
    JSON document that the database unpacks (jsonb_to_recordset): the intake logs a dozen rows
    per submission, and the ORM's bulk_create spent more time preparing their 200 values than
    the database spent storing them. tests/test_audit.py proves both ways store the same."""
    if connection.vendor != "postgresql":
        LogEntry.objects.bulk_create(
            _entry(
                instance, action=LogEntry.Action.CREATE, changes=creation_changes(instance), by=by
            )
            for instance in objects
        )
        return
    now = timezone.now()
    entries = [
        {
            "content_type_id": ContentType.objects.get_for_model(instance).pk,
            "object_pk": str(instance.pk),
            "object_id": instance.pk,
            "object_repr": str(instance)[:2000],
            "action": LogEntry.Action.CREATE,
            "changes_text": "",
            "changes": creation_changes(instance),
            "actor_id": by.pk if by else None,
            "timestamp": now.isoformat(),  # microseconds kept (DjangoJSONEncoder cuts them)
            "additional_data": _additional_data(instance),
        }
        for instance in objects
    ]
    if entries:
        with connection.cursor() as cursor:
            cursor.execute(_INSERT_CREATED, [json.dumps(entries, cls=DjangoJSONEncoder)])


# The columns record_created fills, with their types for jsonb_to_recordset; the others
# (serialized data, correlation id, remote address, actor's e-mail) stay NULL, as they do
# when bulk_create stores an unsaved LogEntry.
_CREATED_COLUMNS = {
    "content_type_id": "integer",
    "object_pk": "text",
    "object_id": "bigint",
    "object_repr": "text",
    "action": "smallint",
    "changes_text": "text",
    "changes": "jsonb",
    "actor_id": "bigint",
    "timestamp": "timestamptz",
    "additional_data": "jsonb",
}
_INSERT_CREATED = (
    f"INSERT INTO {LogEntry._meta.db_table} ({', '.join(_CREATED_COLUMNS)}) "  # noqa: S608
    f"SELECT {', '.join(_CREATED_COLUMNS)} FROM jsonb_to_recordset(%s::jsonb) AS entry("
    + ", ".join(f"{column} {kind}" for column, kind in _CREATED_COLUMNS.items())
    + ")"
)


def record_changed(
    changes: Iterable[tuple[Model, dict[str, list[str]]]], *, by: User | None = None
) -> None:
    """For changes written with one UPDATE over many rows, which sends no signals:
    `changes` pairs each instance with {field: [old, new]}."""
    LogEntry.objects.bulk_create(
        _entry(instance, action=LogEntry.Action.UPDATE, changes=diff, by=by)
        for instance, diff in changes
    )
