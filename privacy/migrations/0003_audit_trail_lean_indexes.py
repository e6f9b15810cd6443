"""Drops six of django-auditlog's own indexes on its log table, which every audited write pays
for (the intake writes a dozen entries) and no query of the portal uses:

- actor and timestamp: portal_audit_actor_time_idx and portal_audit_time_idx (0002) lead
  with the same columns and serve the audit trail's filters and order;
- action: four values, never a useful index on its own;
- cid, and the LIKE variants of cid and object_pk: the portal neither sets a correlation id
  nor searches for prefixes of either.

django-auditlog's model state still declares them; its later migrations find them by
introspection, so their absence does not break an upgrade. PostgreSQL only: SQLite has none
of the LIKE variants and serves `make run`, where writes are few."""

from django.db import migrations

INDEXES = {
    "auditlog_logentry_actor_id_959271d2": "(actor_id)",
    "auditlog_logentry_timestamp_37867bb0": '("timestamp")',
    "auditlog_logentry_action_229afe39": "(action)",
    "auditlog_logentry_cid_9f467263": "(cid)",
    "auditlog_logentry_cid_9f467263_like": "(cid varchar_pattern_ops)",
    "auditlog_logentry_object_pk_6e3219c0_like": "(object_pk varchar_pattern_ops)",
}


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}", params=None)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for name, columns in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON auditlog_logentry {columns}", params=None
            )


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0002_audit_trail_append_only"),
    ]

    operations = [migrations.RunPython(forward, backward)]
