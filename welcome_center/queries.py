"""Small query helpers shared by the apps."""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import QuerySet


def counts(**querysets: QuerySet[Any]) -> dict[str, int]:
    """The row count of each queryset, in one statement: `SELECT (SELECT COUNT(*) FROM ...) AS
    a, (...) AS b`. PostgreSQL plans each scalar subquery as it would plan the query alone, so
    a dashboard pays one round trip and one statement for its counts instead of one per
    count. All querysets must use the same database."""
    if not querysets:
        return {}
    aliases = {queryset.db for queryset in querysets.values()}
    if len(aliases) != 1:
        raise ValueError("counts() needs querysets of one database")
    connection = connections[aliases.pop()]
    quote = connection.ops.quote_name
    columns: list[str] = []
    params: list[Any] = []
    for name, queryset in querysets.items():
        query = queryset.order_by().values("pk").query
        sql, query_params = query.get_compiler(connection=connection).as_sql()
        # The SQL comes from Django's compiler with its parameters apart; the name is quoted.
        columns.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted) AS {quote(name)}")  # noqa: S608
        params.extend(query_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))
