"""Validation the pages and the API share (issue 11 item 15): the forms and the serializers call
these, so the API never stores what a form refuses.

- Dates people enter are real dates: not before 1900 (``EARLIEST_YEAR``, as the GOV.UK date field
  refuses), and not in the future where the form says so (something that happened, a birth).
- Long free text has the same ceiling on both sides (``DETAILS_MAX_LENGTH``).
- Column lengths hold on SQLite as on PostgreSQL: :func:`length_checks` gives the check constraints
  SQLite needs (it does not enforce ``max_length``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from rest_framework import serializers

EARLIEST_YEAR = 1900
DETAILS_MAX_LENGTH = 10_000


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def validate_real_date(value: dt.date | dt.datetime | None) -> None:
    """Refuse a date before 1900: a mistyped year, not a real record."""
    if value is not None and _as_date(value).year < EARLIEST_YEAR:
        raise ValidationError(f"Enter a real date, in {EARLIEST_YEAR} or later", code="too_early")


def validate_not_future(value: dt.date | dt.datetime | None) -> None:
    """Refuse a moment in the future (something that has happened, a birth)."""
    if value is None:
        return
    if isinstance(value, dt.datetime):
        if value > timezone.now():
            raise ValidationError("The time must be in the past", code="future")
    elif value > timezone.localdate():
        raise ValidationError("The date must be today or in the past", code="future")


class RealDateField(serializers.DateField):
    """A date a person enters: 1900 or later, and (unless ``future_ok``) not after today."""

    def __init__(self, *, future_ok: bool = False, **kwargs: Any) -> None:
        validators = [validate_real_date] + ([] if future_ok else [validate_not_future])
        kwargs["validators"] = [*kwargs.get("validators", []), *validators]
        super().__init__(**kwargs)


class RealDateTimeField(serializers.DateTimeField):
    """A moment a person enters: 1900 or later, and (unless ``future_ok``) not in the future."""

    def __init__(self, *, future_ok: bool = False, **kwargs: Any) -> None:
        validators = [validate_real_date] + ([] if future_ok else [validate_not_future])
        kwargs["validators"] = [*kwargs.get("validators", []), *validators]
        super().__init__(**kwargs)


def length_checks(model_name: str, lengths: dict[str, int]) -> list[models.BaseConstraint]:
    """Check constraints holding each text column to its length on every database: PostgreSQL
    enforces ``varchar(n)`` anyway; SQLite would store any length without them."""
    return [
        models.CheckConstraint(condition=LessThanOrEqual(Length(name), limit), name=f"{model_name}_{name}_length")
        for name, limit in lengths.items()
    ]
