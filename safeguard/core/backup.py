"""Backup and restore of the whole database (issue 11 item 20).

SQLite: the online backup API (a consistent copy while the service runs, triggers included).
PostgreSQL: `pg_dump -Fc` and `pg_restore`, the client programs found on PATH. A restored database
keeps every audit row exactly (no JSON round trip), so `safeguard audit verify` passes on it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections


class BackupError(Exception):
    """What went wrong, in plain words."""


def _pg_env_and_args(settings_dict: dict) -> tuple[dict, list[str]]:
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    return env, args


def _client(program: str) -> str:
    found = shutil.which(program)
    if not found:
        raise BackupError(
            f"{program} is not on PATH. Install the PostgreSQL client programs (for example "
            f"`apt-get install postgresql-client`) in the same major version as the server, and try again."
        )
    return found


def database_backup(*, path: Path, alias: str = "default") -> Path:
    """Write a consistent copy of the database to `path` (which must not exist yet)."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} already exists: choose a new file name, so no backup is overwritten.")
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = connections[alias]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return path
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args(connection.settings_dict)
        name = connection.settings_dict["NAME"]
        result = subprocess.run(  # noqa: S603 - a fixed program and arguments, no shell
            [_client("pg_dump"), "--format=custom", "--file", str(path), *args, name],
            env=env, capture_output=True, text=True, check=False,
        )
        if result.returncode != 0:
            path.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}")
        return path
    raise BackupError(f"Backups of {connection.vendor} are not supported")


def database_restore(*, path: Path, alias: str = "default") -> None:
    """Replace the (new, empty) database with the backup at `path`."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    connection = connections[alias]
    if connection.vendor == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is not a sound SQLite backup.")
            connection.ensure_connection()
            source.backup(connection.connection)
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path} is not a SQLite backup: {error}") from None
        finally:
            source.close()
        connection.close()
        return
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args(connection.settings_dict)
        connection.close()
        result = subprocess.run(  # noqa: S603 - a fixed program and arguments, no shell
            [_client("pg_restore"), "--clean", "--if-exists", "--no-owner", "--exit-on-error", "--single-transaction",
             "--dbname", connection.settings_dict["NAME"], *args, str(path)],
            env=env, capture_output=True, text=True, check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}")
        return
    raise BackupError(f"Restoring {connection.vendor} is not supported")
