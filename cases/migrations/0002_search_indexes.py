"""Indexes for the case search (cases/search.py) that only PostgreSQL has: trigram indexes for
contains-matching of names, e-mails, phones and references, and a German full-text index on
notes. Written as SQL because SQLite (the laptop default) has neither; there this is a no-op."""

from django.db import migrations

TRIGRAM_INDEXES = {
    "newcomer_first_name_trgm": ("migrants_newcomer", "first_name"),
    "newcomer_last_name_trgm": ("migrants_newcomer", "last_name"),
    "newcomer_email_trgm": ("migrants_newcomer", "email"),
    "newcomer_phone_trgm": ("migrants_newcomer", "phone"),
    "case_reference_trgm": ("cases_case", "reference"),
}
NOTE_INDEX = (
    "CREATE INDEX IF NOT EXISTS caseevent_note_fts ON cases_caseevent "
    "USING gin (to_tsvector('german'::regconfig, COALESCE(text, ''))) WHERE kind = 'note'"
)


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}) gin_trgm_ops)"
        )
    schema_editor.execute(NOTE_INDEX)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in [*TRIGRAM_INDEXES, "caseevent_note_fts"]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("migrants", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
