"""Form fields with GOV.UK behaviour."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils import timezone

from safeguard.platform.validators import EARLIEST_YEAR

from .widgets import DATE_PARTS, ERROR_PARTS_ATTR, GovukDateInput

MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

WHEN_CHOICES = ("past", "today_or_past", "future", "today_or_future")


def _join_parts(parts):
    if len(parts) == 1:
        return parts[0]
    return " and ".join([", ".join(parts[:-1]), parts[-1]])


def _lower_first(text: str) -> str:
    # "Date of birth" -> "date of birth", but leave "NHS number" alone.
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


class GovukDateBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors and self.field.error_parts:
            attrs[ERROR_PARTS_ATTR] = " ".join(self.field.error_parts)
        return attrs

    @property
    def govuk_error_target_id(self):
        """The id of the box an error summary link should go to: the first one in error."""
        if not self.auto_id:
            return ""
        parts = self.field.error_parts or DATE_PARTS
        first = next(part for part in DATE_PARTS if part in parts)
        return f"{self.auto_id}_{first}"


class GovukDateField(forms.Field):
    """A date entered as day, month and year in a GOV.UK date input.

    Error messages follow the GOV.UK Design System and name the date, for example
    "Date of birth must include a month", "Date of birth must be a real date".

    :param error_name: how error messages refer to the date ("Date of birth"). Defaults to the
        field's label, so set it when the label is a question.
    :param when: optional rule, one of "past", "today_or_past", "future", "today_or_future".
    :param min_year: years before this are not accepted as real dates (default 1900).
    """

    widget = GovukDateInput
    bound_field_class = GovukDateBoundField
    default_error_messages = {
        "required": "Enter %(name_lower)s",
        "incomplete": "%(name)s must include a %(missing)s",
        "invalid": "%(name)s must be a real date",
        "year_digits": "Year must include 4 numbers",
        "past": "%(name)s must be in the past",
        "today_or_past": "%(name)s must be today or in the past",
        "future": "%(name)s must be in the future",
        "today_or_future": "%(name)s must be today or in the future",
    }

    def __init__(
        self, *, error_name: str | None = None, when: str | None = None, min_year: int = EARLIEST_YEAR, **kwargs
    ):
        if when is not None and when not in WHEN_CHOICES:
            raise ValueError(f"when must be one of {WHEN_CHOICES}, not {when!r}")
        super().__init__(**kwargs)
        self.error_name = error_name
        self.when = when
        self.min_year = min_year
        self.error_parts: list[str] | None = None
        self._label_for_errors: str | None = None

    def get_bound_field(self, form, field_name):
        bound_field = super().get_bound_field(form, field_name)
        self._label_for_errors = str(bound_field.label)
        return bound_field

    # -- helpers -------------------------------------------------------------------------

    @property
    def name_for_errors(self) -> str:
        name = self.error_name or self._label_for_errors or (str(self.label) if self.label else "") or "Date"
        return name[:1].upper() + name[1:]

    def _error(self, code: str, parts, **params) -> ValidationError:
        self.error_parts = list(parts)
        name = self.name_for_errors
        return ValidationError(
            self.error_messages[code],
            code=code,
            params={"name": name, "name_lower": _lower_first(name), **params},
        )

    @staticmethod
    def _split(value):
        if isinstance(value, dict):
            value = [value.get(part) for part in DATE_PARTS]
        if not isinstance(value, (list, tuple)) or len(value) != 3:
            raise TypeError
        return ["" if v is None else str(v).strip() for v in value]

    # -- cleaning ------------------------------------------------------------------------

    def clean(self, value):
        self.error_parts = None
        return super().clean(value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                raise self._error("invalid", DATE_PARTS) from None
        try:
            day, month, year = self._split(value)
        except TypeError:
            raise self._error("invalid", DATE_PARTS) from None

        given = {"day": day, "month": month, "year": year}
        missing = [part for part in DATE_PARTS if not given[part]]
        if len(missing) == 3:
            return None
        if missing:
            raise self._error("incomplete", missing, missing=_join_parts(missing))

        wrong = []
        if not re.fullmatch(r"\d{1,2}", day):
            wrong.append("day")
        month_number = MONTH_NAMES.get(month.lower().rstrip("."))
        if month_number is None:
            if re.fullmatch(r"\d{1,2}", month):
                month_number = int(month)
            else:
                wrong.append("month")
        if not re.fullmatch(r"\d+", year):
            wrong.append("year")
        if wrong:
            raise self._error("invalid", wrong)
        if len(year) != 4:
            raise self._error("year_digits", ["year"])
        if not 1 <= month_number <= 12:
            raise self._error("invalid", ["month"])
        if int(year) < self.min_year:
            raise self._error("invalid", ["year"])
        try:
            return datetime.date(int(year), month_number, int(day))
        except ValueError:
            raise self._error("invalid", ["day"]) from None

    def validate(self, value):
        if value is None:
            if self.required:
                raise self._error("required", DATE_PARTS)
            return
        if self.when:
            today = timezone.localdate()
            ok = {
                "past": value < today,
                "today_or_past": value <= today,
                "future": value > today,
                "today_or_future": value >= today,
            }[self.when]
            if not ok:
                raise self._error(self.when, DATE_PARTS)

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        try:
            data_value = self.to_python(data)
        except ValidationError:
            return True
        try:
            initial_value = self.to_python(initial)
        except ValidationError:
            initial_value = None
        return initial_value != data_value


# -- a date and a typed time ---------------------------------------------------------------------

TIME_ERROR = "Enter the time like 14:30 or 2:30pm"
TIME_HELP = "For example, 14:30 or 2:30pm"
_TIME = re.compile(r"^(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ampm>am|pm)?$", re.IGNORECASE)


def parse_time(value: str) -> datetime.time | None:
    """A time typed as 14:30, 14.30, 2:30pm or 2pm; None if it is not one. "14" alone is refused:
    it is too easy to misread."""
    match = _TIME.match(value.strip())
    if not match:
        return None
    hour, minute = int(match["h"]), int(match["m"] or 0)
    ampm = (match["ampm"] or "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    elif match["m"] is None:
        return None
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


class GovukTimeField(forms.CharField):
    """The time half of a GOV.UK date and time: a narrow text box for a typed time.

    It keeps what was typed (so a bad time is shown back as typed); the form turns the pair into a
    moment with :func:`date_and_time`, which puts any error on this field.
    """

    def __init__(self, *, label: str, required: bool = True, help_text: str = TIME_HELP, **kwargs):
        kwargs.setdefault("error_messages", {"required": f"Enter the {label[0].lower()}{label[1:]}"})
        super().__init__(
            label=label,
            required=required,
            help_text=help_text,
            max_length=10,
            widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
            **kwargs,
        )


def date_and_time(
    form: forms.Form, cleaned: dict, day_name: str, time_name: str, *, blank_time_is_midnight: bool
) -> datetime.datetime | None:
    """The aware moment from a :class:`GovukDateField` and a :class:`GovukTimeField`.

    No date: None. A blank time: midnight when ``blank_time_is_midnight`` (the time is not known),
    else None. A time that is not one: the error goes on the time field and the answer is None.
    """
    day, raw = cleaned.get(day_name), (cleaned.get(time_name) or "").strip()
    when = None
    if raw:
        when = parse_time(raw)
        if when is None:
            form.add_error(time_name, TIME_ERROR)
            return None
    if day is None:
        return None
    if when is None and not blank_time_is_midnight:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, when or datetime.time(0, 0)))
