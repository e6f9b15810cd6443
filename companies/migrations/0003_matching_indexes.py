"""Trigram indexes for matching (companies/matching.py): a need's occupation is compared with
the newcomers' professions and their qualifications' titles, professions and reference
occupations with pg_trgm's `%`, which these indexes answer instead of a scan of every row.
PostgreSQL only, like cases/migrations/0002; on SQLite matching is a contains-match."""

from django.db import migrations

TRIGRAM_INDEXES = {
    "newcomer_profession_trgm": ("migrants_newcomer", "profession"),
    "qualification_title_trgm": ("migrants_qualification", "title"),
    "qualification_profession_trgm": ("migrants_qualification", "profession"),
    "qualification_refocc_trgm": ("migrants_qualification", "reference_occupation"),
}


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0002_occupations_services_introductions"),
        ("migrants", "0004_consent_for_companies"),
        ("cases", "0002_search_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]
