"""The database refuses to change or delete a signed meeting decision, on SQLite and PostgreSQL
(as referrals' migration 0003 does for decision records). The service refuses first; this guards
every other path. A correction is a new row pointing to the old one."""

from django.db import migrations

MESSAGE = "signed meeting decisions cannot change: record a correction"
TABLE = "meetings_decision"

SQLITE_CREATE = [
    f"""CREATE TRIGGER meeting_decision_signed_no_update BEFORE UPDATE ON {TABLE}
       WHEN OLD.signed_at IS NOT NULL
       BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER meeting_decision_signed_no_delete BEFORE DELETE ON {TABLE}
       WHEN OLD.signed_at IS NOT NULL
       BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS meeting_decision_signed_no_update;",
    "DROP TRIGGER IF EXISTS meeting_decision_signed_no_delete;",
]

POSTGRES_CREATE = [
    f"""CREATE OR REPLACE FUNCTION meeting_decision_signed_refuse_change() RETURNS trigger AS $$
       BEGIN
         IF OLD.signed_at IS NOT NULL THEN RAISE EXCEPTION '{MESSAGE}'; END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql;""",
    f"""CREATE TRIGGER meeting_decision_signed_no_change BEFORE UPDATE OR DELETE ON {TABLE}
       FOR EACH ROW EXECUTE FUNCTION meeting_decision_signed_refuse_change();""",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS meeting_decision_signed_no_change ON {TABLE};",
    "DROP FUNCTION IF EXISTS meeting_decision_signed_refuse_change();",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise RuntimeError("Safeguard supports SQLite and PostgreSQL only")
    for sql in POSTGRES_CREATE if vendor == "postgresql" else SQLITE_CREATE:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in POSTGRES_DROP if vendor == "postgresql" else SQLITE_DROP:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_meetings")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
