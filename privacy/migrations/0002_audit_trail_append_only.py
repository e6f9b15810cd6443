"""PostgreSQL: a trigger makes the audit trail append-only, and an index finds a newcomer's
entries (see privacy/guards.py and Newcomer.get_additional_data)."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION portal_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND coalesce(current_setting('portal.audit_redaction', true), '') = 'on'
       AND NEW.id = OLD.id
       AND NEW.timestamp = OLD.timestamp
       AND NEW.action = OLD.action
       AND NEW.content_type_id = OLD.content_type_id
       AND NEW.object_pk = OLD.object_pk
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id THEN
        RETURN NEW;  -- redaction of values for an erasure; who, what and when stay
    END IF;
    RAISE EXCEPTION 'The audit trail is append-only: % of entry % refused.', TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER portal_audit_append_only
    BEFORE UPDATE OR DELETE ON auditlog_logentry
    FOR EACH ROW EXECUTE FUNCTION portal_audit_append_only();
CREATE INDEX portal_audit_newcomer_idx ON auditlog_logentry ((additional_data -> 'newcomer'));
CREATE INDEX portal_audit_actor_time_idx ON auditlog_logentry (actor_id, timestamp DESC);
CREATE INDEX portal_audit_time_idx ON auditlog_logentry (timestamp DESC);
"""

BACKWARD = """
DROP INDEX IF EXISTS portal_audit_time_idx;
DROP INDEX IF EXISTS portal_audit_actor_time_idx;
DROP INDEX IF EXISTS portal_audit_newcomer_idx;
DROP TRIGGER IF EXISTS portal_audit_append_only ON auditlog_logentry;
DROP FUNCTION IF EXISTS portal_audit_append_only();
"""


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(forward, backward)]
