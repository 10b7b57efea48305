"""The database refuses to change or delete a signed decision record, on SQLite and PostgreSQL.

The service refuses first (``DecisionLocked``); this is the guard for any other path (the shell,
a bulk update, a future bug). A correction is a new row pointing to the old one, so nothing ever
needs to update a signed row.
"""

from django.db import migrations

MESSAGE = "signed decision records cannot change: record a correction"

SQLITE_CREATE = [
    f"""CREATE TRIGGER decision_signed_no_update BEFORE UPDATE ON referrals_decisionrecord
       WHEN OLD.signed_at IS NOT NULL
       BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER decision_signed_no_delete BEFORE DELETE ON referrals_decisionrecord
       WHEN OLD.signed_at IS NOT NULL
       BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS decision_signed_no_update;",
    "DROP TRIGGER IF EXISTS decision_signed_no_delete;",
]

POSTGRES_CREATE = [
    f"""CREATE OR REPLACE FUNCTION decision_signed_refuse_change() RETURNS trigger AS $$
       BEGIN
         IF OLD.signed_at IS NOT NULL THEN RAISE EXCEPTION '{MESSAGE}'; END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER decision_signed_no_change BEFORE UPDATE OR DELETE ON referrals_decisionrecord
       FOR EACH ROW EXECUTE FUNCTION decision_signed_refuse_change();""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS decision_signed_no_change ON referrals_decisionrecord;",
    "DROP FUNCTION IF EXISTS decision_signed_refuse_change();",
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
    dependencies = [("referrals", "0002_assessments_decisions_approvals")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
