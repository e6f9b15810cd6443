"""The audit trail, on django-auditlog.

Changes to registered models (migrants/apps.py) are logged by its signals, with old and new
values and the actor that AuditlogMiddleware takes from the request. Workflows that insert many
rows at once (the intake) switch the signals off and log all their rows here in one INSERT.
Staff reads of a newcomer file, a case file or a document are logged as ACCESS entries."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from auditlog.diff import get_field_value, model_instance_diff, track_field
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils import timezone
from django.utils.encoding import smart_str

from accounts.models import User


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
    # The same linkage log_create stores (see Newcomer.get_additional_data).
    additional_data = getattr(instance, "get_additional_data", None)
    return LogEntry(
        content_type=ContentType.objects.get_for_model(instance),
        object_pk=str(instance.pk),
        object_id=instance.pk,
        object_repr=str(instance)[:2000],
        action=action,
        changes=changes,
        actor=by,
        timestamp=timezone.now(),
        additional_data=additional_data() if callable(additional_data) else None,
    )


@cache
def _tracked_fields(model: type[Model]) -> tuple[Any, ...] | None:
    """The fields django-auditlog's diff looks at for `model` (its registration's include and
    exclude lists applied), or None where it masks fields, which creation_changes leaves to
    auditlog itself."""
    options = auditlog.get_model_fields(model)
    if options["mask_fields"]:
        return None
    fields = [field for field in model._meta.get_fields() if track_field(field)]
    if options["include_fields"]:
        fields = [field for field in fields if field.name in options["include_fields"]]
    return tuple(field for field in fields if field.name not in options["exclude_fields"])


def creation_changes(instance: Model) -> dict[str, Any]:
    """What `model_instance_diff(None, instance)` returns, at about a third of its cost: the
    field list is worked out once per model, and the old side of a new row is always "None".
    The intake logs a dozen new rows per submission (tests/test_audit.py compares the two)."""
    fields = _tracked_fields(type(instance))
    if fields is None:
        return model_instance_diff(None, instance) or {}
    changes: dict[str, Any] = {}
    for field in fields:
        # Compared before smart_str, as auditlog does: an empty foreign key (None, not
        # "None") is logged as changed from "None" to "None".
        value = get_field_value(instance, field)
        if value != "None":
            changes[field.name] = ("None", smart_str(value))
    return changes


def record_created(objects: Iterable[Model], *, by: User | None = None) -> None:
    LogEntry.objects.bulk_create(
        _entry(instance, action=LogEntry.Action.CREATE, changes=creation_changes(instance), by=by)
        for instance in objects
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
