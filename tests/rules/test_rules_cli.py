"""`safeguard rules ...` through a real process: the contract of contracts.md, errors included."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rules_contract_shapes import CHECKS, check_error

from safeguard.rules import RULES_VERSION

HERE = Path(__file__).resolve().parent


def _script() -> str:
    found = shutil.which("safeguard") or str(Path(sys.executable).parent / "safeguard")
    if not Path(found).exists():
        pytest.skip("the `safeguard` console script is not installed (pip install -e .)")
    return found


def cli(*args: str, stdin: str | bytes = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SAFEGUARD_RULE_")} | (env or {})
    return subprocess.run(
        [_script(), "rules", *args], input=data, capture_output=True, timeout=60, env=environment, check=False
    )


def call(command: str, stdin: str | bytes, env: dict[str, str] | None = None) -> tuple[int, dict]:
    done = cli(command, stdin=stdin, env=env)
    assert b"Traceback" not in done.stderr and b"Traceback" not in done.stdout, done.stderr.decode()
    return done.returncode, json.loads(done.stdout)


EXAMPLES = [
    ("screening", {"ticked": ["R1", "R5", "S1", "V2"]},
     {"band": "significant", "form_b_required": True, "vulnerabilities": ["V2"], "risk_indicators": ["R1", "R5"],
      "significant_indicators": ["S1"], "reasons": ["significant risk indicator S1"],
      "actions": ["FORM_B", "REFER_CSC"]}),
    ("screening", {"ticked": ["R6", "R1", "R5"], "evidence": {"R1": "excluded 3 May"}},
     {"band": "concern", "reasons": ["3 risk indicators (R1, R5, R6)"], "actions": ["FORM_B", "REFER_CSC"]}),
    ("screening", {"ticked": ["R1"]}, {"band": "emerging", "actions": ["DISCUSS_NAMED_LEAD", "SET_REVIEW"],
                                       "review_days": 28}),
    ("screening", {"ticked": []}, {"band": "none", "actions": [], "form_b_required": False}),
    ("return-interview",
     {"missing_from": "care", "returned_at": "2026-03-01T18:00:00+00:00", "duration_hours": 30,
      "criminal_activity": False, "harmed": False, "mental_health_or_ld": False, "cse_risk": True,
      "risky_contact": False, "other_risk": False},
     {"interview": "required", "priority": True, "priority_reasons": ["cse_risk", "over_24_hours"],
      "due_by": "2026-03-04T18:00:00+00:00"}),
    ("return-interview", {"missing_from": "home", "returned_at": "2026-03-01T18:00:00Z", "duration_hours": 24},
     {"interview": "offer", "priority": False, "priority_reasons": [], "due_by": "2026-03-04T18:00:00+00:00"}),
    ("return-interview", {"missing_from": "home", "returned_at": "2026-03-01T18:00:00+01:00", "duration_hours": 24.01},
     {"interview": "required", "priority_reasons": ["over_24_hours"], "due_by": "2026-03-04T18:00:00+01:00"}),
    ("language", {"text": "The young person is thought to be very  streetwise and capable."},
     {"flags": [{"code": "streetwise", "start": 40, "end": 50, "text": "streetwise"}]}),
    ("language", {"text": "She said \u201cI chose to go\u201d."}, {"flags": []}),
    ("language", {"text": ""}, {"flags": []}),
]


@pytest.mark.parametrize(("command", "given", "expected"), EXAMPLES)
def test_contract_examples(command, given, expected):
    status, body = call(command, json.dumps(given))
    assert status == 0, body
    CHECKS[command](body)
    for key, value in expected.items():
        if key == "flags":
            assert [{k: f[k] for k in ("code", "start", "end", "text")} for f in body["flags"]] == value
        else:
            assert body[key] == value, key
    assert body["rules_version"] == RULES_VERSION


def test_sexual_activity_contract_example():
    given = {"child_age": 14, "partner_ages": [19, None], "criteria": {"C1": "yes", "C2": "no", "C6": "unknown"},
             "position_of_trust": False, "partner_works_with_children": False, "pregnant": False,
             "penetrative": True, "disabled": False, "immediate_risk": False}
    status, body = call("sexual-activity", json.dumps(given))
    assert status == 0
    CHECKS["sexual-activity"](body)
    assert body["age_band"] == "13_to_15" and body["offence"] is True
    assert [(a["code"], a["strength"], a["section"]) for a in body["actions"]] == [
        ("DISCUSS_CP_LEAD", "should", "9.2"), ("REFER_CSC", "must", "9.5"), ("STRATEGY_DISCUSSION", "should", "9.5"),
    ]
    assert body["not_referring"]["allowed"] is True
    assert body["not_referring"]["requires"] == [
        "accountable_decision_makers", "designated_lead_discussion", "reasons", "signature"
    ]


@pytest.mark.parametrize(
    ("given", "actions", "allowed"),
    [
        ({"child_age": 12, "pregnant": True},
         [("DISCUSS_CP_LEAD", "must"), ("FULL_ASSESSMENT", "must"), ("REFER_CSC", "must"),
          ("STRATEGY_DISCUSSION", "must")], False),
        ({"child_age": 16, "position_of_trust": True},
         [("REFER_CSC", "must"), ("REFER_LADO", "must"), ("STRATEGY_DISCUSSION", "should")], False),
        ({"child_age": 17}, [], True),
        ({"child_age": 17, "partner_ages": [27]}, [("REFER_CSC", "must"), ("STRATEGY_DISCUSSION", "should")], True),
        ({"child_age": 15, "immediate_risk": True},
         [("DISCUSS_CP_LEAD", "should"), ("REFER_CSC", "consider"), ("REFER_POLICE", "must")], True),
    ],
)
def test_sexual_activity_through_the_cli(given, actions, allowed):
    status, body = call("sexual-activity", json.dumps(given))
    assert status == 0
    CHECKS["sexual-activity"](body)
    assert [(a["code"], a["strength"]) for a in body["actions"]] == actions
    assert body["not_referring"]["allowed"] is allowed


ERRORS = [
    # malformed JSON and wrong top-level shapes
    ("screening", '{"ticked": ["R1"', None),
    ("screening", "", None),
    ("screening", "not json", None),
    ("screening", '["R1"]', None),
    ("screening", "null", None),
    ("return-interview", '{"missing_from": "care", "returned_at": "2026-03-01T18:00:00Z", "duration_hours": NaN}',
     None),
    ("language", b"\xff\xfe", None),
    ("language", "[" * 100_000, None),
    # screening
    ("screening", '{"ticked": ["R1", "R1"]}', "ticked[1]"),
    ("screening", '{"ticked": ["R11"]}', "ticked[0]"),
    ("screening", '{"ticked": ["R1", 5]}', "ticked[1]"),
    ("screening", '{"ticked": "R1"}', "ticked"),
    ("screening", "{}", "ticked"),
    ("screening", '{"ticked": [], "tickd": []}', "tickd"),
    ("screening", '{"ticked": ["R1"], "evidence": {"R2": "seen"}}', "evidence.R2"),
    ("screening", '{"ticked": ["R1"], "evidence": {"R1": 5}}', "evidence.R1"),
    ("screening", '{"ticked": ["R1"], "evidence": ["R1"]}', "evidence"),
    ("screening", '{"ticked": ["R1"], "ticked": ["R2"]}', "ticked"),
    # sexual-activity
    ("sexual-activity", "{}", "child_age"),
    ("sexual-activity", '{"child_age": true}', "child_age"),
    ("sexual-activity", '{"child_age": false}', "child_age"),
    ("sexual-activity", '{"child_age": 18}', "child_age"),
    ("sexual-activity", '{"child_age": -1}', "child_age"),
    ("sexual-activity", '{"child_age": 14.5}', "child_age"),
    ("sexual-activity", '{"child_age": 14.0}', "child_age"),
    ("sexual-activity", '{"child_age": "14"}', "child_age"),
    ("sexual-activity", '{"child_age": null}', "child_age"),
    ("sexual-activity", '{"child_age": 14, "partner_ages": [19, true]}', "partner_ages[1]"),
    ("sexual-activity", '{"child_age": 14, "partner_ages": [19, "20"]}', "partner_ages[1]"),
    ("sexual-activity", '{"child_age": 14, "partner_ages": [121]}', "partner_ages[0]"),
    ("sexual-activity", '{"child_age": 14, "partner_ages": 19}', "partner_ages"),
    ("sexual-activity", '{"child_age": 14, "criteria": {"C15": "yes"}}', "criteria.C15"),
    ("sexual-activity", '{"child_age": 14, "criteria": {"C3": "Yes"}}', "criteria.C3"),
    ("sexual-activity", '{"child_age": 14, "criteria": {"C3": true}}', "criteria.C3"),
    ("sexual-activity", '{"child_age": 14, "criteria": ["C3"]}', "criteria"),
    ("sexual-activity", '{"child_age": 14, "pregnant": "false"}', "pregnant"),
    ("sexual-activity", '{"child_age": 14, "immediate_risk": 1}', "immediate_risk"),
    ("sexual-activity", '{"child_age": 14, "position_of_trust": null}', "position_of_trust"),
    ("sexual-activity", '{"child_age": 14, "partner_age": 19}', "partner_age"),
    ("sexual-activity", '{"child_age": 14, "child_age": 15}', "child_age"),
    # return-interview
    ("return-interview", '{"returned_at": "2026-03-01T18:00:00Z", "duration_hours": 3}', "missing_from"),
    ("return-interview", '{"missing_from": "school", "returned_at": "2026-03-01T18:00:00Z", "duration_hours": 3}',
     "missing_from"),
    ("return-interview", '{"missing_from": ["care"], "returned_at": "2026-03-01T18:00:00Z", "duration_hours": 3}',
     "missing_from"),
    ("return-interview", '{"missing_from": "care", "returned_at": "2026-03-01T18:00:00", "duration_hours": 3}',
     "returned_at"),
    ("return-interview", '{"missing_from": "care", "returned_at": "2026-03-01", "duration_hours": 3}', "returned_at"),
    ("return-interview", '{"missing_from": "care", "returned_at": "yesterday", "duration_hours": 3}', "returned_at"),
    ("return-interview", '{"missing_from": "care", "returned_at": 1772388000, "duration_hours": 3}', "returned_at"),
    ("return-interview", '{"missing_from": "care", "returned_at": "2026-03-01T18:00:00Z"}', "duration_hours"),
    ("return-interview", '{"missing_from": "care", "returned_at": "2026-03-01T18:00:00Z", "duration_hours": -1}',
     "duration_hours"),
    ("return-interview", '{"missing_from": "care", "returned_at": "2026-03-01T18:00:00Z", "duration_hours": "30"}',
     "duration_hours"),
    ("return-interview", '{"missing_from": "care", "returned_at": "2026-03-01T18:00:00Z", "duration_hours": true}',
     "duration_hours"),
    ("return-interview", '{"missing_from": "care", "returned_at": "2026-03-01T18:00:00Z", "duration_hours": 1e400}',
     "duration_hours"),
    ("return-interview",
     '{"missing_from": "care", "returned_at": "2026-03-01T18:00:00Z", "duration_hours": 3, "harmed": "true"}',
     "harmed"),
    ("return-interview",
     '{"missing_from": "care", "returned_at": "2026-03-01T18:00:00Z", "duration_hours": 3, "cse": true}', "cse"),
    # language
    ("language", "{}", "text"),
    ("language", '{"text": 5}', "text"),
    ("language", '{"text": null}', "text"),
    ("language", '{"text": ["streetwise"]}', "text"),
    ("language", '{"text": "a", "lang": "en"}', "lang"),
    # unknown subcommand
    ("scrreening", '{"ticked": []}', None),
]


@pytest.mark.parametrize(("command", "stdin", "field"), ERRORS)
def test_invalid_input_exits_2_with_a_contract_error(command, stdin, field):
    status, body = call(command, stdin)
    assert status == 2, body
    check_error(body)
    assert body["field"] == field


@pytest.mark.parametrize("args", [(), ("screening", "--foo"), ("screening", "extra"), ("docs",),
                                  ("docs", "--check", "--write"), ("screening", "--check")])
def test_a_bad_command_line_exits_2_with_a_contract_error(args):
    done = cli(*args, stdin="{}")
    assert done.returncode == 2
    assert b"Traceback" not in done.stderr
    check_error(json.loads(done.stdout))


def test_local_policy_comes_from_the_settings():
    status, body = call("screening", '{"ticked": ["V1"]}', env={"SAFEGUARD_RULE_SCREENING_REVIEW_DAYS": "14"})
    assert (status, body["review_days"]) == (0, 14)
    given = json.dumps({"missing_from": "care", "returned_at": "2026-03-01T18:00:00+00:00", "duration_hours": 1})
    status, body = call("return-interview", given, env={"SAFEGUARD_RULE_RETURN_INTERVIEW_DUE_HOURS": "48"})
    assert body["due_by"] == "2026-03-03T18:00:00+00:00"


@pytest.mark.parametrize("env", [{"SAFEGUARD_RULE_SCREENING_REVIEW_DAYZ": "14"},
                                 {"SAFEGUARD_RULE_SCREENING_REVIEW_DAYS": "0"}])
def test_bad_local_policy_exits_1_without_a_traceback(env):
    done = cli("screening", stdin='{"ticked": []}', env=env)
    assert done.returncode != 0
    assert b"Traceback" not in done.stderr + done.stdout


def test_docs_check_passes_on_the_committed_file():
    done = cli("docs", "--check")
    assert done.returncode == 0, done.stderr.decode()


def test_docs_check_fails_on_a_stale_file_and_write_mends_it(tmp_path):
    path = tmp_path / "rules.md"
    path.write_text("# stale\n", encoding="utf-8")
    done = cli("docs", "--check", "--path", str(path))
    assert done.returncode == 1 and b"out of date" in done.stderr
    assert cli("docs", "--write", "--path", str(path)).returncode == 0
    assert cli("docs", "--check", "--path", str(path)).returncode == 0
