"""The one parser for record numbers that arrive as text or JSON (issue 11 item 14).

A record number is ASCII digits ("²" and "٣" are digits to Python, not to the database) within a
64-bit signed integer (20 digits overflow PostgreSQL's bigint and SQLite's integer). Anything else is
"no such record" or a plain 400 — never a ValueError or a database error turned into a 500.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

MAX_ID = 2**63 - 1


def parse_id(value: Any) -> int | None:
    """The record number in ``value``, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class IdField(serializers.IntegerField):
    """A record number in an API body: a whole number from 1 to the largest the database holds."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, float):  # 1e30, 2.5: not record numbers
            self.fail("invalid")
        return super().to_internal_value(data)
