"""Issue 11 item 20: a backup restores into a fresh database and the audit chain verifies, same count.

SQLite always; PostgreSQL when the suite runs on it (DATABASE_URL), with pg_dump/pg_restore from PATH.
"""

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record, audit_verify
from tests.factories import user

ROOT = Path(__file__).resolve().parents[2]


def _safeguard(*args, env):
    return subprocess.run([sys.executable, "-m", "safeguard.manage", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=False)


def _fresh_database(tmp_path):
    """Environment for a process using a new, empty database; and how to drop it afterwards."""
    env = {**os.environ, "SAFEGUARD_TESTING": "1", "SAFEGUARD_AUDIT_ANCHOR_FILE": str(tmp_path / "anchors.log")}
    if connection.vendor == "sqlite":
        env.pop("DATABASE_URL", None)
        env["SAFEGUARD_SQLITE_PATH"] = str(tmp_path / "restored.sqlite3")
        return env, lambda: None
    import psycopg

    name = f"sg_restore_{uuid.uuid4().hex[:8]}"
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = f"{base}/{name}"

    def drop():
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return env, drop


def test_backup_restores_into_a_fresh_database_and_the_chain_verifies(committed_db, tmp_path, personas_committed):
    for i in range(1, 6):
        audit_record(verb=Verb.CHILD_VIEWED, target_type="children.child", target_id=i, child_id=i)
    before = audit_verify()
    assert before.ok and before.checked > 5
    backup = tmp_path / "safeguard.backup"
    call_command("backup", str(backup))
    assert backup.stat().st_size > 0
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(backup))

    env, drop = _fresh_database(tmp_path)
    try:
        restored = _safeguard("restore", str(backup), env=env)
        assert restored.returncode == 0, restored.stdout + restored.stderr
        verified = _safeguard("audit", "verify", env=env)
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert re.search(rf"verified: {before.checked} events, no break", verified.stdout)
    finally:
        drop()


@pytest.fixture
def personas_committed(committed_db):
    return user("ann_admin", None, "administrator")


def test_restore_says_plainly_when_the_file_is_missing(tmp_path, db):
    with pytest.raises(CommandError, match="There is no backup file"):
        call_command("restore", str(tmp_path / "nothing.backup"))
