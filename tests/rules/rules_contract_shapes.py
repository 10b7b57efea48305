"""The JSON shapes of contracts.md as plain checks, shared by the rule, contract and CLI tests.

Each ``check_<command>(body)`` raises AssertionError with the path of the first mismatch.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

SCREENING_CODES = [f"V{n}" for n in range(1, 7)] + [f"R{n}" for n in range(1, 11)] + [f"S{n}" for n in range(1, 5)]
VERSION = re.compile(r"^\d{4}\.\d{1,2}\.\d+$")
SECTION = re.compile(r"^\d+(\.\d+)*$")


def _keys(body: dict[str, Any], required: set[str], where: str) -> None:
    assert isinstance(body, dict), f"{where}: not an object"
    assert set(body) == required, f"{where}: keys {sorted(body)} != {sorted(required)}"


def _codes_in_order(codes: Any, allowed: list[str], where: str) -> None:
    assert isinstance(codes, list), where
    assert all(code in allowed for code in codes), f"{where}: unknown code in {codes}"
    assert codes == sorted(codes, key=allowed.index), f"{where}: not in form order: {codes}"
    assert len(set(codes)) == len(codes), f"{where}: duplicate in {codes}"


def _details(details: Any, texts: list[str] | None, where: str) -> None:
    assert isinstance(details, list), where
    for n, item in enumerate(details):
        _keys(item, {"text", "section"}, f"{where}[{n}]")
        assert isinstance(item["text"], str) and item["text"], f"{where}[{n}].text"
        assert SECTION.match(item["section"]), f"{where}[{n}].section {item['section']!r}"
    if texts is not None:
        assert [item["text"] for item in details] == texts, f"{where}: texts differ from the plain list"


def check_error(body: dict[str, Any]) -> None:
    _keys(body, {"error", "field"}, "error")
    assert isinstance(body["error"], str) and body["error"], "error.error"
    assert body["field"] is None or isinstance(body["field"], str), "error.field"


def check_screening(body: dict[str, Any]) -> None:
    _keys(
        body,
        {"band", "form_b_required", "vulnerabilities", "risk_indicators", "significant_indicators", "reasons",
         "actions", "review_days", "rules_version", "reason_details"},
        "screening",
    )
    assert body["band"] in {"none", "emerging", "concern", "significant"}
    assert isinstance(body["form_b_required"], bool)
    for key, prefix in (("vulnerabilities", "V"), ("risk_indicators", "R"), ("significant_indicators", "S")):
        _codes_in_order(body[key], [c for c in SCREENING_CODES if c[0] == prefix], key)
    expected_actions = {
        "significant": ["FORM_B", "REFER_CSC"],
        "concern": ["FORM_B", "REFER_CSC"],
        "emerging": ["DISCUSS_NAMED_LEAD", "SET_REVIEW"],
        "none": [],
    }[body["band"]]
    assert body["actions"] == expected_actions
    assert body["form_b_required"] == (body["band"] in {"significant", "concern"})
    assert isinstance(body["review_days"], int) if "SET_REVIEW" in body["actions"] else body["review_days"] is None
    assert isinstance(body["reasons"], list) and body["reasons"], "screening.reasons"
    assert all(isinstance(r, str) for r in body["reasons"])
    assert VERSION.match(body["rules_version"])
    _details(body["reason_details"], body["reasons"], "reason_details")


ACTION_CODES = ["DISCUSS_CP_LEAD", "FULL_ASSESSMENT", "REFER_CSC", "REFER_LADO", "REFER_POLICE", "STRATEGY_DISCUSSION"]
REQUIREMENTS = {"accountable_decision_makers", "designated_lead_discussion", "reasons", "senior_manager_approval",
                "signature"}


def check_sexual_activity(body: dict[str, Any]) -> None:
    _keys(body, {"age_band", "offence", "actions", "not_referring", "notes", "rules_version", "note_details"},
          "sexual-activity")
    assert body["age_band"] in {"under_13", "13_to_15", "16_to_17"}
    assert isinstance(body["offence"], bool)
    codes = []
    for n, action in enumerate(body["actions"]):
        _keys(action, {"code", "strength", "section", "reason"}, f"actions[{n}]")
        assert action["code"] in ACTION_CODES, f"actions[{n}].code"
        assert action["strength"] in {"must", "should", "consider"}, f"actions[{n}].strength"
        assert SECTION.match(action["section"]), f"actions[{n}].section"
        assert isinstance(action["reason"], str) and action["reason"], f"actions[{n}].reason"
        codes.append(action["code"])
    assert codes == sorted(set(codes)), f"actions not one per code in code order: {codes}"
    not_referring = body["not_referring"]
    _keys(not_referring, {"allowed", "requires", "exceptional"}, "not_referring")
    assert isinstance(not_referring["allowed"], bool)
    assert isinstance(not_referring["exceptional"], bool)
    requires = not_referring["requires"]
    assert requires == sorted(set(requires)) and set(requires) <= REQUIREMENTS, f"requires {requires}"
    if not_referring["allowed"]:
        assert "reasons" in requires
    else:
        assert requires == []
    assert all(isinstance(note, str) for note in body["notes"])
    assert VERSION.match(body["rules_version"])
    _details(body["note_details"], body["notes"], "note_details")


PRIORITY_REASONS = ["criminal_activity", "cse_risk", "harmed", "mental_health_or_ld", "other_risk", "over_24_hours",
                    "risky_contact"]


def check_return_interview(body: dict[str, Any]) -> None:
    _keys(body, {"interview", "priority", "priority_reasons", "due_by", "rules_version", "reason_details"},
          "return-interview")
    assert body["interview"] in {"required", "offer"}
    assert isinstance(body["priority"], bool)
    reasons = body["priority_reasons"]
    assert reasons == sorted(set(reasons)) and set(reasons) <= set(PRIORITY_REASONS), reasons
    assert body["priority"] == bool(reasons)
    if reasons:
        assert body["interview"] == "required"
    due_by = datetime.fromisoformat(body["due_by"])
    assert due_by.utcoffset() is not None, "due_by has no offset"
    assert VERSION.match(body["rules_version"])
    _details(body["reason_details"], None, "reason_details")


LANGUAGE_CODES = {"prostitution", "streetwise", "choice", "consent", "boyfriend", "promiscuous", "absconding",
                  "refuses_to_engage", "character_judgement", "negative_influence", "self_blame", "sex_worker"}


def check_language(body: dict[str, Any], text: str | None = None) -> None:
    _keys(body, {"flags", "rules_version"}, "language")
    starts = []
    for n, flag in enumerate(body["flags"]):
        _keys(flag, {"code", "start", "end", "text", "suggestion", "why", "section"}, f"flags[{n}]")
        assert flag["code"] in LANGUAGE_CODES, f"flags[{n}].code"
        assert isinstance(flag["start"], int) and isinstance(flag["end"], int)
        assert 0 <= flag["start"] < flag["end"], f"flags[{n}] offsets"
        if text is not None:
            assert text[flag["start"] : flag["end"]] == flag["text"], f"flags[{n}] text does not match offsets"
        assert flag["suggestion"] and flag["why"] and SECTION.match(flag["section"])
        starts.append(flag["start"])
    assert starts == sorted(starts), "flags not sorted by start"
    assert VERSION.match(body["rules_version"])


CHECKS = {
    "screening": check_screening,
    "sexual-activity": check_sexual_activity,
    "return-interview": check_return_interview,
    "language": check_language,
}
