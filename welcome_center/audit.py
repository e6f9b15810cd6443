"""The audit trail, on django-auditlog.

Changes to registered models (migrants/apps.py) are logged by its signals, with old and new
values and the actor that AuditlogMiddleware takes from the request. Workflows that insert many
rows at once (the intake) switch the signals off and log all their rows here in one INSERT.
Staff reads of a newcomer file, a case file or a document are logged as ACCESS entries."""

from __future__ import annotations

from collections.abc import Iterable

from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils import timezone

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


def record_created(objects: Iterable[Model], *, by: User | None = None) -> None:
    LogEntry.objects.bulk_create(
        _entry(
            instance,
            action=LogEntry.Action.CREATE,
            changes=model_instance_diff(None, instance) or {},
            by=by,
        )
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
