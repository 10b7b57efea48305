"""Return interviews (§14.1; missing.md). One scenario per line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from rules_contract_shapes import check_return_interview

from safeguard.rules import RULES_VERSION, Params, RulesInputError
from safeguard.rules.return_interview import ReturnInterviewInput, evaluate, known_cse_risk

RETURNED = datetime(2026, 3, 1, 18, 0, tzinfo=UTC)


def run(missing_from="home", hours=3.0, params=None, **flags):
    outcome = evaluate(ReturnInterviewInput(missing_from, RETURNED, hours, **flags), params)
    check_return_interview(outcome.to_dict())
    return outcome


@pytest.mark.parametrize(
    ("missing_from", "hours", "flags", "interview", "reasons"),
    [
        ("care", 3, {}, "required", []),
        ("home", 3, {}, "offer", []),
        ("other", 3, {}, "offer", []),
        ("home", 0, {}, "offer", []),
        ("home", 24, {}, "offer", []),  # exactly 24 hours is not over 24
        ("home", 24.01, {}, "required", ["over_24_hours"]),
        ("home", 25, {}, "required", ["over_24_hours"]),
        ("care", 24, {}, "required", []),
        ("care", 30, {"cse_risk": True}, "required", ["cse_risk", "over_24_hours"]),
        ("home", 1, {"criminal_activity": True}, "required", ["criminal_activity"]),
        ("home", 1, {"harmed": True}, "required", ["harmed"]),
        ("other", 1, {"mental_health_or_ld": True}, "required", ["mental_health_or_ld"]),
        ("home", 1, {"cse_risk": True}, "required", ["cse_risk"]),
        ("home", 1, {"risky_contact": True}, "required", ["risky_contact"]),
        ("home", 1, {"other_risk": True}, "required", ["other_risk"]),
        ("home", 100, {k: True for k in ("criminal_activity", "harmed", "mental_health_or_ld", "cse_risk",
                                         "risky_contact", "other_risk")}, "required",
         ["criminal_activity", "cse_risk", "harmed", "mental_health_or_ld", "other_risk", "over_24_hours",
          "risky_contact"]),
    ],
)
def test_scenarios(missing_from, hours, flags, interview, reasons):
    outcome = run(missing_from, hours, **flags)
    assert outcome.interview == interview
    assert list(outcome.priority_reasons) == reasons
    assert outcome.priority is bool(reasons)
    assert all(reason.section == "14.1" for reason in outcome.reasons)


def test_contract_example():
    episode = ReturnInterviewInput(
        missing_from="care", returned_at=datetime.fromisoformat("2026-03-01T18:00:00+00:00"), duration_hours=30,
        criminal_activity=False, harmed=False, mental_health_or_ld=False, cse_risk=True, risky_contact=False,
        other_risk=False,
    )
    body = evaluate(episode).to_dict()
    assert {k: body[k] for k in ("interview", "priority", "priority_reasons", "due_by")} == {
        "interview": "required", "priority": True, "priority_reasons": ["cse_risk", "over_24_hours"],
        "due_by": "2026-03-04T18:00:00+00:00",
    }
    assert body["rules_version"] == RULES_VERSION


@pytest.mark.parametrize(
    ("returned_at", "params", "due_by"),
    [
        (datetime(2026, 3, 1, 18, tzinfo=UTC), Params(), "2026-03-04T18:00:00+00:00"),
        (datetime(2026, 3, 1, 18, tzinfo=timezone(timedelta(hours=1))), Params(), "2026-03-04T18:00:00+01:00"),
        (datetime(2026, 3, 1, 18, tzinfo=UTC), Params(return_interview_due_hours=48), "2026-03-03T18:00:00+00:00"),
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), Params(), "2027-01-03T23:30:00+00:00"),
        # 72 elapsed hours across the clocks going forward (29 March 2026) in a named zone
        (datetime(2026, 3, 28, 12, tzinfo=ZoneInfo("Europe/London")), Params(), "2026-03-31T13:00:00+01:00"),
    ],
)
def test_due_by(returned_at, params, due_by):
    outcome = evaluate(ReturnInterviewInput("home", returned_at, 2), params)
    assert outcome.due_by.isoformat() == due_by
    assert outcome.due_by.astimezone(UTC) - returned_at.astimezone(UTC) == timedelta(hours=params.return_interview_due_hours)


@pytest.mark.parametrize(
    ("given", "field"),
    [
        (dict(missing_from="school"), "missing_from"),
        (dict(missing_from="Care"), "missing_from"),
        (dict(returned_at=datetime(2026, 3, 1, 18)), "returned_at"),
        (dict(returned_at="2026-03-01T18:00:00+00:00"), "returned_at"),
        (dict(duration_hours=-0.5), "duration_hours"),
        (dict(duration_hours=True), "duration_hours"),
        (dict(duration_hours="30"), "duration_hours"),
        (dict(duration_hours=float("nan")), "duration_hours"),
        (dict(duration_hours=float("inf")), "duration_hours"),
        (dict(cse_risk="true"), "cse_risk"),
        (dict(harmed=1), "harmed"),
    ],
)
def test_invalid_input(given, field):
    values = dict(missing_from="home", returned_at=RETURNED, duration_hours=3) | given
    with pytest.raises(RulesInputError) as error:
        ReturnInterviewInput(**values)
    assert error.value.field == field


@pytest.mark.parametrize(
    ("band", "form_b", "marp", "expected"),
    [
        (None, False, False, False),
        ("none", False, False, False),
        ("emerging", False, False, False),
        ("concern", False, False, True),
        ("significant", False, False, True),
        (None, True, False, True),
        (None, False, True, True),
    ],
)
def test_known_cse_risk_counts_without_anyone_ticking_it(band, form_b, marp, expected):
    assert known_cse_risk(band, form_b, marp) is expected
