"""Writing the demo's rows fast: COPY on PostgreSQL, bulk_create elsewhere (SQLite).

Rows are plain tuples (or small records read out as tuples), never model instances: building
a model instance and having bulk_create take it apart again costs far more than the row itself,
and the timeline alone has about seven rows per case. Children point at their parents by
primary keys handed out in Python (Keys), so a whole chunk is built before any of it is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from dataclasses import fields
from itertools import count
from operator import attrgetter
from typing import Any

from django.db import connection, models
from django.db.backends.utils import CursorDebugWrapper

BATCH_SIZE = 2000  # rows per INSERT where bulk_create writes
COPY_READ_SIZE = 1 << 20

Row = tuple[Any, ...]


class Table:
    """The columns a kind of row fills, by field attname, in the order of the row's values.

    With `record`, rows are instances of that dataclass, its fields named like the columns;
    without, they are tuples. Columns left out get the database's default: the primary key for
    rows nothing points at, and what stays NULL."""

    def __init__(
        self,
        model: type[models.Model],
        columns: Sequence[str] = (),
        *,
        record: type[Any] | None = None,
    ) -> None:
        self.model = model
        self.columns = tuple(f.name for f in fields(record)) if record else tuple(columns)
        self._as_tuple = attrgetter(*self.columns) if record else None

    def tuples(self, rows: Sequence[Any]) -> Sequence[Row]:
        return list(map(self._as_tuple, rows)) if self._as_tuple else rows

    def copy_sql(self) -> str:
        """COPY in CSV, where an unquoted empty value is NULL. Python's csv writes "" that way
        too, so the NOT NULL columns are read with FORCE_NOT_NULL: there an empty value is the
        empty string. A nullable text column could not tell the two apart, so none may be
        written."""
        quote = connection.ops.quote_name
        meta = self.model._meta
        by_attname = {field.attname: field for field in meta.concrete_fields}
        columns = [by_attname[name] for name in self.columns]
        for field in columns:
            if field.null and isinstance(field, models.CharField | models.TextField):
                raise ValueError(f"{meta.label}.{field.name}: nullable text cannot be copied")
        names = ", ".join(quote(_column(field)) for field in columns)
        options = "FORMAT csv"
        if not_null := [quote(_column(field)) for field in columns if not field.null]:
            options += f", FORCE_NOT_NULL ({', '.join(not_null)})"
        return f"COPY {quote(meta.db_table)} ({names}) FROM STDIN WITH ({options})"


def write_rows(table: Table, rows: Sequence[Any]) -> int:
    """Write rows of one table in as few statements as the database allows."""
    if not rows:
        return 0
    values = table.tuples(rows)
    if connection.vendor == "postgresql":
        _copy(table.copy_sql(), values)
    else:
        model, columns = table.model, table.columns
        objs = [model(**dict(zip(columns, row, strict=True))) for row in values]
        model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
    return len(rows)


def _copy(sql: str, rows: Sequence[Row]) -> None:
    buffer = io.StringIO()
    # str() of a date, an aware datetime, a bool or a number is what PostgreSQL reads back.
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    buffer.seek(0)
    with connection.cursor() as cursor:
        # Logged like any query where queries are logged (DEBUG, CaptureQueriesContext).
        logged = cursor.debug_sql(sql) if isinstance(cursor, CursorDebugWrapper) else nullcontext()
        with logged:
            cursor.cursor.copy_expert(sql, buffer, size=COPY_READ_SIZE)


class Keys:
    """Primary keys handed out in Python, for rows whose children are built before either is
    written. Each table's own counter (its sequence on PostgreSQL) gives the first key; settle()
    moves the counter past the last key handed out, so that rows the portal adds later get
    fresh keys.

    On PostgreSQL the tables are locked against writes by other sessions until the transaction
    ends (readers go on), so nobody else takes a key from the same sequence meanwhile; this
    must run in a transaction. SQLite allows one writer at a time anyway, and advances its
    counter itself when a row comes with a larger key."""

    def __init__(self, *keyed: type[models.Model]) -> None:
        self.first = _first_free_keys(keyed)
        self.counters: dict[type[models.Model], Iterator[int]] = {
            model: count(first) for model, first in self.first.items()
        }

    def __getitem__(self, model: type[models.Model]) -> Iterator[int]:
        return self.counters[model]

    def settle(self) -> None:
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for model, counter in self.counters.items():
                last = next(counter) - 1
                if last >= self.first[model]:
                    cursor.execute(
                        "SELECT setval(pg_get_serial_sequence(%s, %s), %s)",
                        [model._meta.db_table, _pk_column(model), last],
                    )


def _first_free_keys(keyed: Sequence[type[models.Model]]) -> dict[type[models.Model], int]:
    quote = connection.ops.quote_name
    first = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(quote(model._meta.db_table) for model in keyed)
            cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
        for model in keyed:
            table, pk = model._meta.db_table, _pk_column(model)
            if connection.vendor == "postgresql":
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [table, pk])
                first[model] = cursor.fetchone()[0]
                continue
            cursor.execute(f"SELECT max({quote(pk)}) FROM {quote(table)}")  # noqa: S608
            highest = cursor.fetchone()[0] or 0
            if connection.vendor == "sqlite":  # AUTOINCREMENT never hands out a key twice
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                highest = max(highest, row[0] if row else 0)
            first[model] = highest + 1
    return first


def _pk_column(model: type[models.Model]) -> str:
    if model._meta.pk is None:
        raise ValueError(f"{model._meta.label} has no primary key")
    return _column(model._meta.pk)


def _column(field: models.Field[Any, Any]) -> str:
    if field.column is None:
        raise ValueError(f"{field} has no column")
    return field.column
