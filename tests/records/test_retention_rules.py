"""The retention rules as a table of scenarios (safeguard/rules/retention.py)."""

from __future__ import annotations

from datetime import date

import pytest

from safeguard.rules._common import RulesInputError
from safeguard.rules.retention import record_kind, retention_due

DOB = date(2010, 5, 14)
LAST = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("kind", "agency_kind", "dob", "overrides", "rule", "due"),
    [
        ("looked_after", "csc", DOB, {}, "looked_after", date(2085, 5, 14)),  # the 75th birthday
        ("looked_after", "school", DOB, {}, "looked_after", date(2085, 5, 14)),
        ("concern", "school", DOB, {}, "school_cp", date(2035, 5, 14)),  # date of birth + 25 years
        ("concern", "health", DOB, {}, "concern", date(2035, 5, 14)),
        ("no_concern", "school", DOB, {}, "no_concern", date(2032, 11, 30)),  # 6 years from the last activity
        ("no_concern", "school", DOB, {"no_concern": 3}, "no_concern", date(2029, 11, 30)),  # the board's setting
        ("concern", "health", DOB, {"concern_health": 30}, "concern", date(2040, 5, 14)),  # one kind of agency
        ("concern", "school", DOB, {"concern_health": 30}, "school_cp", date(2035, 5, 14)),  # …not another
        ("concern", "school", None, {}, "school_cp", date(2051, 11, 30)),  # no date of birth: from last activity
        ("concern", "school", date(2008, 2, 29), {}, "school_cp", date(2033, 3, 1)),  # 29 February
    ],
)
def test_the_rule_and_due_date(kind, agency_kind, dob, overrides, rule, due):
    outcome = retention_due(kind=kind, agency_kind=agency_kind, date_of_birth=dob, last_activity=LAST,
                            overrides=overrides)
    assert (outcome.rule, outcome.due_on) == (rule, due)
    assert outcome.source


@pytest.mark.parametrize(
    ("looked_after", "screened", "all_none", "other", "kind"),
    [
        (True, True, True, False, "looked_after"),
        (False, True, True, False, "no_concern"),
        (False, True, True, True, "concern"),  # a referral or episode since
        (False, True, False, False, "concern"),  # a screening found something
        (False, False, False, False, "concern"),  # never screened: kept as a concern record (the safe side)
    ],
)
def test_the_record_kind(looked_after, screened, all_none, other, kind):
    assert record_kind(looked_after=looked_after, screened=screened, all_screenings_no_concern=all_none,
                       other_concern=other) == kind


def test_bad_input_is_refused():
    with pytest.raises(RulesInputError):
        retention_due(kind="whatever", agency_kind="school", date_of_birth=DOB, last_activity=LAST)
    with pytest.raises(RulesInputError):
        retention_due(kind="concern", agency_kind="school", date_of_birth=DOB, last_activity=LAST,
                      overrides={"school_cp": 0})
