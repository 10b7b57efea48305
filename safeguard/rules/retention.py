"""When a child's record comes due for a retention review (tables/retention.toml).

The handbook sets no retention periods: the table names the guidance or board policy behind each
default, and every period is a local setting. A rule counts either from the child's date of birth
(``birth``) or from the last thing recorded on the file (``last_activity``). When a birth-based rule
meets a record with no date of birth, it counts from the last activity instead, which keeps the
record at least as long (the safer reading).

Record kinds:

* ``looked_after`` — the child is or was looked after;
* ``no_concern`` — screened, every screening found no concern, and nothing else of concern was
  recorded (no referral, Form B or missing episode);
* ``concern`` — everything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from safeguard.rules._common import RulesInputError
from safeguard.rules._tables import load

__all__ = ["RECORD_KINDS", "RETENTION_VERSION", "RULES", "RetentionOutcome", "Rule", "record_kind", "retention_due"]

_TABLE = load("retention")
RETENTION_VERSION: str = _TABLE["version"]
RECORD_KINDS = ("looked_after", "concern", "no_concern")
COUNTS_FROM = ("birth", "last_activity")


@dataclass(frozen=True)
class Rule:
    code: str
    record_kind: str
    agency_kind: str
    counts_from: str
    years: int
    label: str
    source: str


RULES: tuple[Rule, ...] = tuple(Rule(**dict(row)) for row in _TABLE["rule"])


@dataclass(frozen=True)
class RetentionOutcome:
    rule: str
    record_kind: str
    due_on: date
    counts_from: str
    years: int
    source: str
    version: str = RETENTION_VERSION


def record_kind(*, looked_after: bool, screened: bool, all_screenings_no_concern: bool, other_concern: bool) -> str:
    """The record kind a child's file is kept under (see the module docstring)."""
    if looked_after:
        return "looked_after"
    if screened and all_screenings_no_concern and not other_concern:
        return "no_concern"
    return "concern"


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none: the day after
        return date(day.year + years, 3, 1)


def _years(rule: Rule, agency_kind: str, overrides: Mapping[str, int]) -> int:
    for key in (f"{rule.code}_{agency_kind}", rule.code):
        value = overrides.get(key)
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise RulesInputError(f"retention years for {key} must be a whole number of at least 1", key)
            return value
    return rule.years


def retention_due(
    *,
    kind: str,
    agency_kind: str,
    date_of_birth: date | None,
    last_activity: date,
    overrides: Mapping[str, int] | None = None,
) -> RetentionOutcome:
    """The rule that applies and the day the record comes due for review."""
    if kind not in RECORD_KINDS:
        raise RulesInputError(f"record kind must be one of {', '.join(RECORD_KINDS)}", "kind")
    if not isinstance(last_activity, date):
        raise RulesInputError("last_activity must be a date", "last_activity")
    overrides = overrides or {}
    for rule in RULES:
        if rule.record_kind == kind and rule.agency_kind in ("*", agency_kind):
            years = _years(rule, agency_kind, overrides)
            if rule.counts_from == "birth" and date_of_birth is not None:
                start, counts_from = date_of_birth, "birth"
            else:
                start, counts_from = last_activity, "last_activity"
            return RetentionOutcome(rule=rule.code, record_kind=kind, due_on=_add_years(start, years),
                                    counts_from=counts_from, years=years, source=rule.source)
    raise RulesInputError(f"no retention rule for {kind} records", "kind")  # the table ends with catch-alls
