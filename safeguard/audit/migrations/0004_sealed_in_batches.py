"""Events are appended unsealed and sealed into the chain in batches (docs/decisions/0013).

The triggers still refuse DELETE (and TRUNCATE) and every UPDATE but one: the sealer filling the
chain columns (seal_seq, prev_hash, hash) of a row that has none yet, with nothing else changed.
Rows already chained keep their hashes and get their position (seal_seq) in id order.
"""

from django.db import migrations, models

SQLITE_COLUMNS = [
    "id", "created_at", "actor_id", "actor_label", "agency_id", "verb", "target_type", "target_id", "child_id",
    "request_id", "ip", "payload",
]
SQLITE_SEAL_ONLY = (
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent WHEN "
    "OLD.hash IS NOT NULL OR NEW.hash IS NULL OR NEW.seal_seq IS NULL OR "
    + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in SQLITE_COLUMNS)
    + " BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"
)
SQLITE_NO_UPDATE = """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"""
SQLITE_NO_DELETE = """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"""

POSTGRES_SEAL_ONLY = """CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.hash IS NULL AND NEW.hash IS NOT NULL AND NEW.seal_seq IS NOT NULL
       AND (to_jsonb(NEW) - 'hash' - 'prev_hash' - 'seal_seq') = (to_jsonb(OLD) - 'hash' - 'prev_hash' - 'seal_seq')
    THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit events are append-only';
END; $$ LANGUAGE plpgsql;"""
POSTGRES_NO_UPDATE = """CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;"""


def _number_existing_rows(schema_editor):
    table = "audit_auditevent"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE hash IS NOT NULL ORDER BY id")  # noqa: S608
        ids = [row[0] for row in cursor.fetchall()]
        cursor.executemany(f"UPDATE {table} SET seal_seq = %s WHERE id = %s",  # noqa: S608
                           [(n, pk) for n, pk in enumerate(ids, start=1)])
        cursor.execute("UPDATE audit_chainhead SET last_seq = %s", [len(ids)])


def lift_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        # Changing the columns rebuilds the table on SQLite; the guards are put back afterwards.
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_no_update;")
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_no_delete;")


def number_and_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update")
        _number_existing_rows(schema_editor)
        schema_editor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_update")
        schema_editor.execute(POSTGRES_SEAL_ONLY)
    else:
        _number_existing_rows(schema_editor)
        schema_editor.execute(SQLITE_SEAL_ONLY)
        schema_editor.execute(SQLITE_NO_DELETE)


def back_to_strict(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_NO_UPDATE)
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_no_update;")
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_no_delete;")


def restore_strict(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_NO_UPDATE)
        schema_editor.execute(SQLITE_NO_DELETE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_verb_without_choices")]

    operations = [
        migrations.RunPython(lift_guard, restore_strict, elidable=False),
        migrations.AddField(
            model_name="auditevent",
            name="seal_seq",
            field=models.BigIntegerField(blank=True, help_text="Position in the chain", null=True, unique=True),
        ),
        migrations.AddField(model_name="chainhead", name="last_seq", field=models.BigIntegerField(default=0)),
        migrations.AlterField(
            model_name="auditevent", name="hash",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditevent", name="prev_hash", field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(condition=models.Q(("hash__isnull", True)), fields=["id"], name="audit_unsealed"),
        ),
        migrations.RunPython(number_and_guard, back_to_strict, elidable=False),
    ]
