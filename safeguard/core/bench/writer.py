"""Bulk writing of generated rows: COPY on PostgreSQL, batched INSERTs elsewhere.

Rows are tuples in the order of the field names given; the table and column names come from the
model, so a renamed column needs no change here. Primary keys are allocated by the generator (so rows
can point at each other without reading anything back); the sequences are reset at the end.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction

BATCH = 5_000


class RowWriter:
    """Writes rows for one model. ``digest`` is a hash of every value written, for determinism."""

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
        self.digest.update(repr(rows).encode())
        self.count += len(rows)
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        if connection.vendor == "postgresql":
            json_at = [i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)]
            connection.ensure_connection()
            with connection.connection.cursor() as cursor:
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        values = list(row)
                        for i in json_at:
                            values[i] = json.dumps(values[i])
                        copy.write_row(values)
            return
        placeholders = ", ".join(["%s"] * len(self.fields))
        prepared = [
            [f.get_db_prep_save(value, connection) for f, value in zip(self.fields, row, strict=True)]
            for row in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", prepared)  # noqa: S608


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
