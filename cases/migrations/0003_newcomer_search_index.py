"""One trigram index over the newcomer's generated search_text (name, e-mail, phone), replacing
the four per-column ones: PostgreSQL's planner preferred a sequential scan to OR-ing four
bitmap scans. PostgreSQL only, like 0002."""

from django.db import migrations

OLD = ["newcomer_first_name_trgm", "newcomer_last_name_trgm", "newcomer_email_trgm", "newcomer_phone_trgm"]


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in OLD:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS newcomer_search_trgm ON migrants_newcomer "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS newcomer_search_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_search_indexes"),
        ("migrants", "0002_newcomer_search_text"),
    ]

    operations = [migrations.RunPython(create, drop)]
