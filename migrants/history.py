"""The newcomer file's history: the audit entries of one page as rows of field, old and new.

django-auditlog's `changes_display_dict` reads each foreign key's object with a query of its
own (the newcomer of every added row, the Lotse of every ticked checklist item): up to a query
per entry. Here the foreign keys of the whole page are read with one query per related model,
and auditlog formats the rest (choices, dates) as before."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignKey, Model

# Bookkeeping, not data: which row (the id) and whose (the newcomer, the file's own).
HIDDEN = {"id", "newcomer"}
NONE = "None"


def _foreign_keys(model: type[Model] | None, changes: dict[str, Any]) -> dict[str, ForeignKey]:
    if model is None:
        return {}
    fields = {}
    for name in changes:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a field removed since the entry was written
            continue
        if isinstance(field, ForeignKey):
            fields[name] = field
    return fields


def attach_changes(entries: Iterable[LogEntry]) -> None:
    """Give each entry `shown_changes`: a list of (field label, old, new) for the template."""
    entries = list(entries)
    wanted: dict[type[Model], set[str]] = defaultdict(set)
    plan = []
    for entry in entries:
        model = entry.content_type.model_class()
        changes = {k: v for k, v in entry.changes_dict.items() if k not in HIDDEN}
        keys = _foreign_keys(model, changes)
        for name, field in keys.items():
            wanted[field.related_model].update(v for v in changes[name] if v != NONE)
        plan.append((entry, changes, keys))
    names: dict[type[Model], dict[str, str]] = {}
    for related, pks in wanted.items():
        valid = [pk for pk in pks if str(pk).isdigit()]
        found = related._default_manager.in_bulk(valid)
        names[related] = {str(pk): str(obj) for pk, obj in found.items()}
    for entry, changes, keys in plan:
        stored = entry.changes  # lent to auditlog field by field below, then given back
        shown = []
        for name, values in changes.items():
            if name in keys:
                field = keys[name]
                lookup = names.get(field.related_model, {})
                old, new = (lookup.get(str(value), str(value)) for value in values)
                shown.append((str(field.verbose_name), _blank(old), _blank(new)))
                continue
            # auditlog formats the other fields (choices, dates) without a query, one at a
            # time so that each label stays with its values.
            entry.changes = {name: values}
            label, formatted = next(iter(entry.changes_display_dict.items()), (name, values))
            old, new = formatted
            shown.append((str(label), _blank(str(old)), _blank(str(new))))
        entry.changes = stored
        entry.shown_changes = shown  # type: ignore[attr-defined]


def _blank(value: str) -> str:
    return "—" if value in (NONE, "") else value
