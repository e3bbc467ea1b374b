"""The audit table refuses changes in the database itself (等保2.0: audit records protected).

Every UPDATE, DELETE and TRUNCATE of core_auditrecord fails, from any connection, with two
exceptions:
- deleting an account clears `actor_id` (the model's on_delete=SET_NULL) and nothing else; the
  record keeps `actor_name`, so it still says who acted;
- `gaoxin purge_audit` deletes rows older than 180 days (the legal floor, fixed here whatever
  AUDIT_RETENTION_DAYS says): inside its own transaction it sets `gaoxin.audit_purge` (PostgreSQL,
  SET LOCAL) or puts a row in gaoxin_audit_purge (SQLite, removed before commit, so no other
  connection ever sees it).
The table's owner can still drop the triggers: a deployment that must stop even that runs the
application as a role that does not own the table.
"""

from django.db import migrations

FLOOR_DAYS = 180  # frozen with this migration; core.retention.FLOOR_DAYS is the same number
MESSAGE = "core_auditrecord is append-only"

PG_INSTALL = f"""
CREATE OR REPLACE FUNCTION gaoxin_audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    unlinked core_auditrecord;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL THEN
            unlinked := OLD;
            unlinked.actor_id := NULL;
            IF NEW IS NOT DISTINCT FROM unlinked THEN
                RETURN NEW;
            END IF;
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        IF current_setting('gaoxin.audit_purge', true) = 'on'
                AND OLD.time < now() - interval '{FLOOR_DAYS} days' THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation',
              HINT = 'Records older than the retention period are removed by gaoxin purge_audit.';
END;
$$;
CREATE TRIGGER core_auditrecord_guard BEFORE UPDATE OR DELETE ON core_auditrecord
    FOR EACH ROW EXECUTE FUNCTION gaoxin_audit_guard();
CREATE TRIGGER core_auditrecord_no_truncate BEFORE TRUNCATE ON core_auditrecord
    FOR EACH STATEMENT EXECUTE FUNCTION gaoxin_audit_guard();
"""

PG_REMOVE = """
DROP TRIGGER IF EXISTS core_auditrecord_no_truncate ON core_auditrecord;
DROP TRIGGER IF EXISTS core_auditrecord_guard ON core_auditrecord;
DROP FUNCTION IF EXISTS gaoxin_audit_guard();
"""

# SQLite stores times as 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC, so text comparison orders them.
SQLITE_DELETE = f"""
CREATE TRIGGER core_auditrecord_no_delete BEFORE DELETE ON core_auditrecord
WHEN NOT EXISTS (SELECT 1 FROM gaoxin_audit_purge)
    OR OLD."time" >= strftime('%Y-%m-%d %H:%M:%f', 'now', '-{FLOOR_DAYS} days')
BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END
"""
SQLITE_UPDATE = """
CREATE TRIGGER core_auditrecord_no_update BEFORE UPDATE ON core_auditrecord
WHEN NOT (OLD."actor_id" IS NOT NULL AND NEW."actor_id" IS NULL AND {unchanged})
BEGIN SELECT RAISE(ABORT, '{message}: UPDATE refused'); END
"""


def _sqlite_update(columns) -> str:
    unchanged = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in columns if c != "actor_id")
    return SQLITE_UPDATE.format(unchanged=unchanged, message=MESSAGE)


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    # params=None: the SQL is sent as written (no %-placeholders to fill).
    if vendor == "postgresql":
        schema_editor.execute(PG_INSTALL, params=None)
    elif vendor == "sqlite":
        record = apps.get_model("core", "AuditRecord")
        columns = [f.column for f in record._meta.concrete_fields]
        schema_editor.execute(
            "CREATE TABLE gaoxin_audit_purge (token integer NOT NULL)", params=None
        )
        schema_editor.execute(SQLITE_DELETE, params=None)
        schema_editor.execute(_sqlite_update(columns), params=None)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_REMOVE, params=None)
    elif vendor == "sqlite":
        for sql in (
            "DROP TRIGGER IF EXISTS core_auditrecord_no_update",
            "DROP TRIGGER IF EXISTS core_auditrecord_no_delete",
            "DROP TABLE IF EXISTS gaoxin_audit_purge",
        ):
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0007_number_sequences")]
    operations = [migrations.RunPython(install, remove)]
