"""Bulk writing of generated rows: COPY on PostgreSQL, batched INSERTs elsewhere.

Rows are tuples in the order of the field names given; the table and column names come from the
model, so a renamed column needs no change here. Primary keys are allocated by the generator (so rows
can point at each other without reading anything back); the sequences are reset at the end.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction

BATCH = 5_000


def _text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


# COPY's text format, by the Python type of the value (rows hold only these types).
_FORMATS: dict[type, Any] = {
    str: _text,
    int: str,
    float: repr,
    bool: lambda v: "t" if v else "f",
    type(None): lambda v: "\\N",
    datetime: datetime.isoformat,
    date: date.isoformat,
    dict: lambda v: _text(json.dumps(v, sort_keys=True)),
    list: lambda v: _text(json.dumps(v)),
}


def _format_for(kind: type) -> Any:
    """The format of a subclass (a ``TextChoices`` member is a ``str``), found once and kept."""
    for base in kind.__mro__:
        if base in _FORMATS:
            found = _FORMATS[base]
            _FORMATS[kind] = (lambda v, f=found, b=base: f(b(v))) if base in (str, int) else found
            return _FORMATS[kind]
    raise TypeError(f"No COPY format for {kind.__name__}")


def copy_line(row: tuple) -> str:
    """One row in COPY's text format: what is sent to PostgreSQL and what the digest is taken over."""
    formats = _FORMATS
    return "\t".join([(formats.get(type(v)) or _format_for(type(v)))(v) for v in row]) + "\n"


class RowWriter:
    """Writes rows for one model. ``digest`` is a hash of every row written (its COPY text line, on
    every database), for determinism."""

    def __init__(self, model: type[models.Model], fields: Sequence[str], digest: hashlib._Hash) -> None:
        self.model = model
        self.fields: list[Any] = [model._meta.get_field(name) for name in fields]
        self.digest = digest
        self.count = 0
        self.pending: list[tuple] = []

    def add(self, row: tuple) -> None:
        self.pending.append(row)
        if len(self.pending) >= BATCH:
            self.flush()

    def extend(self, rows: Iterable[tuple]) -> None:
        for row in rows:
            self.add(row)

    def flush(self) -> None:
        if not self.pending:
            return
        rows, self.pending = self.pending, []
        data = "".join([copy_line(row) for row in rows]).encode()
        self.digest.update(data)
        self.count += len(rows)
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            with connection.connection.cursor() as cursor:
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    copy.write(data)
            return
        placeholders = ", ".join(["%s"] * len(self.fields))
        prepared = [
            [f.get_db_prep_save(value, connection) for f, value in zip(self.fields, row, strict=True)]
            for row in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", prepared)  # noqa: S608


def without_indexes(models_loaded: Sequence[type[models.Model]]) -> Callable[[], None]:
    """On PostgreSQL, drop the secondary indexes of these tables for the load (inside its transaction)
    and return the step that builds them again: one sorted build per index is many times cheaper than
    keeping a B-tree (and the trigram GIN index) up to date row by row. Indexes that back a primary key
    or a unique constraint stay. Elsewhere, nothing to do."""
    if connection.vendor != "postgresql":
        return lambda: None
    tables = [m._meta.db_table for m in models_loaded]
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
               JOIN pg_class c ON c.relname = i.indexname
               JOIN pg_index x ON x.indexrelid = c.oid
               WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
                 AND NOT x.indisprimary AND NOT x.indisunique
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)""",
            [tables],
        )
        dropped = cursor.fetchall()
        for name, _definition in dropped:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")

    def rebuild() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _name, definition in dropped:
                cursor.execute(definition)

    return rebuild


def skip_foreign_key_checks() -> None:
    """On PostgreSQL, within the loading transaction, skip the per-row foreign key triggers: the
    generator makes only rows that point at rows it made. Needs a superuser; otherwise the checks
    simply stay on (slower, same result)."""
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass


def columns(model: type[models.Model], now: datetime, **values: Any) -> tuple[list[str], list]:
    """Every column a row of ``model`` is written with (its primary key first), and the row's values
    but the key: ``values`` as given, ``auto_now`` stamps ``now``, the model's defaults for the rest;
    a column with a database default is left to the database."""
    names, row = ["id"], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.name in values:
            value = values[field.name]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        elif field.has_default():
            value = field.get_default()
        elif field.has_db_default():
            continue
        else:
            value = None if field.null else field.get_default()
        names.append(field.name)
        row.append(value)
    return names, row


def next_id(model: type[models.Model]) -> int:
    """The first free primary key of ``model``'s table."""
    found = model._default_manager.aggregate(top=models.Max("pk"))["top"]
    return (found or 0) + 1


def finish(models_written: Sequence[type[models.Model]]) -> None:
    """Moves the id sequences past the rows written and refreshes the planner's statistics."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models_written)):
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            for model in models_written:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        else:
            cursor.execute("ANALYZE")


def vacuum() -> None:
    """After the load has committed, on PostgreSQL: ``VACUUM (ANALYZE)`` the database, as autovacuum
    would soon after a bulk load. Until a table is vacuumed its visibility map is empty, so the
    planner cannot answer from an index alone (a queue's counts read every row instead of the
    index), and a benchmark would measure a state no running system stays in for long; on machines
    where autovacuum is off it would stay there for ever. Inside a transaction (a test's) VACUUM
    cannot run; a test's few rows do not need it."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
