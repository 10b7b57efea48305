"""The signed-decision guard with its disposal exception (records 0002, 0003)."""

MESSAGE = "signed decision records cannot change: record a correction"
PERMITTED = "EXISTS (SELECT 1 FROM records_disposalpermit p WHERE p.child_id = OLD.child_id)"

SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS decision_signed_no_delete;",
    f"""CREATE TRIGGER decision_signed_no_delete BEFORE DELETE ON referrals_decisionrecord
       WHEN OLD.signed_at IS NOT NULL AND NOT {PERMITTED}
       BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS decision_signed_no_delete;",
    f"""CREATE TRIGGER decision_signed_no_delete BEFORE DELETE ON referrals_decisionrecord
       WHEN OLD.signed_at IS NOT NULL
       BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]

POSTGRES_FORWARD = [
    f"""CREATE OR REPLACE FUNCTION decision_signed_refuse_change() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE' AND {PERMITTED} THEN RETURN OLD; END IF;
         IF OLD.signed_at IS NOT NULL THEN RAISE EXCEPTION '{MESSAGE}'; END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql;""",
]
POSTGRES_BACKWARD = [
    f"""CREATE OR REPLACE FUNCTION decision_signed_refuse_change() RETURNS trigger AS $$
       BEGIN
         IF OLD.signed_at IS NOT NULL THEN RAISE EXCEPTION '{MESSAGE}'; END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql;""",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise RuntimeError("Safeguard supports SQLite and PostgreSQL only")
    for sql in POSTGRES_FORWARD if vendor == "postgresql" else SQLITE_FORWARD:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in POSTGRES_BACKWARD if vendor == "postgresql" else SQLITE_BACKWARD:
        schema_editor.execute(sql)
