"""Properties that hold for every input (hypothesis)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rules_contract_shapes import CHECKS, check_error

from safeguard.rules import Params, contract, language, screening
from safeguard.rules.sexual_activity import CRITERIA, SexualActivityInput, evaluate

BAND_RANK = {"none": 0, "emerging": 1, "concern": 2, "significant": 3}
STRENGTH_RANK = {"consider": 1, "should": 2, "must": 3}
PARAMS = Params()

ticked_sets = st.lists(st.sampled_from(screening.CODES), unique=True)


@given(ticked_sets, st.sampled_from(screening.CODES))
def test_ticking_an_extra_item_never_lowers_the_band(ticked, extra):
    if extra in ticked:
        return
    before = screening.evaluate(ticked)
    after = screening.evaluate([*ticked, extra])
    assert BAND_RANK[after.band] >= BAND_RANK[before.band]
    assert after.form_b_required >= before.form_b_required


@given(ticked_sets)
def test_form_b_rule_is_the_forms(ticked):
    risk = sum(code.startswith("R") for code in ticked)
    significant = sum(code.startswith("S") for code in ticked)
    assert screening.evaluate(ticked).form_b_required is (risk >= 3 or significant >= 1)


assessments = st.fixed_dictionaries(
    {"child_age": st.integers(0, 17)},
    optional={
        "partner_ages": st.lists(st.one_of(st.none(), st.integers(0, 120)), max_size=3),
        "criteria": st.dictionaries(st.sampled_from(CRITERIA), st.sampled_from(["yes", "no", "unknown"])),
        **{
            name: st.booleans()
            for name in ("position_of_trust", "partner_works_with_children", "pregnant", "penetrative", "disabled",
                         "immediate_risk")
        },
    },
)


@given(assessments, st.sampled_from(CRITERIA))
def test_adding_a_yes_criterion_never_weakens_any_action(given_input, code):
    before = evaluate(SexualActivityInput(**given_input))
    criteria = {**given_input.get("criteria", {}), code: "yes"}
    after = evaluate(SexualActivityInput(**{**given_input, "criteria": criteria}))
    strengths_after = {a.code: STRENGTH_RANK[a.strength] for a in after.actions}
    for action in before.actions:
        assert strengths_after.get(action.code, 0) >= STRENGTH_RANK[action.strength], action.code
    assert after.offence >= before.offence
    assert set(before.not_referring.requires) <= set(after.not_referring.requires) or not after.not_referring.allowed


@given(assessments)
def test_offence_is_under_16_or_position_of_trust(given_input):
    outcome = evaluate(SexualActivityInput(**given_input))
    assert outcome.offence is (given_input["child_age"] < 16 or given_input.get("position_of_trust", False))


@given(assessments)
def test_sexual_activity_output_validates(given_input):
    status, body = contract.run("sexual-activity", json.dumps(given_input), PARAMS)
    assert status == 0
    CHECKS["sexual-activity"](body)


NOTES = st.text(alphabet="ab \u201c\u2019'\"\u00e9\n", max_size=20)
with_evidence = ticked_sets.flatmap(
    lambda ticked: st.tuples(st.just(ticked), st.dictionaries(st.sampled_from(ticked), NOTES) if ticked else st.just({}))
)
# Full-Unicode text: the first run on a machine builds Hypothesis's character tables, which is slow.
UNICODE_OK = settings(suppress_health_check=[HealthCheck.too_slow])


@given(with_evidence)
def test_screening_output_validates(ticked_evidence):
    ticked, evidence = ticked_evidence
    status, body = contract.run("screening", json.dumps({"ticked": ticked, "evidence": evidence}), PARAMS)
    assert status == 0
    CHECKS["screening"](body)


episodes = st.fixed_dictionaries(
    {
        "missing_from": st.sampled_from(["home", "care", "other"]),
        "returned_at": st.datetimes(
            min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
            timezones=st.sampled_from([UTC, *[timezone(timedelta(hours=h)) for h in (-5, 1, 9)]]),
        ).map(datetime.isoformat),
        "duration_hours": st.one_of(st.integers(0, 10_000), st.floats(0, 10_000, allow_nan=False)),
    },
    optional={name: st.booleans() for name in ("criminal_activity", "harmed", "mental_health_or_ld", "cse_risk",
                                                "risky_contact", "other_risk")},
)


@given(episodes)
def test_return_interview_output_validates(episode):
    status, body = contract.run("return-interview", json.dumps(episode), PARAMS)
    assert status == 0
    CHECKS["return-interview"](body)
    due = datetime.fromisoformat(body["due_by"]) - datetime.fromisoformat(episode["returned_at"])
    assert due == timedelta(hours=72)
    assert (body["interview"] == "required") is (episode["missing_from"] == "care" or body["priority"])
    assert ("over_24_hours" in body["priority_reasons"]) is (episode["duration_hours"] > 24)


@UNICODE_OK
@given(st.text())
def test_language_output_validates_and_offsets_match(text):
    status, body = contract.run("language", json.dumps({"text": text}), PARAMS)
    assert status == 0
    CHECKS["language"](body, text)


PHRASES = ["streetwise", "chooses to", "promiscuous", "persistent absconder", "won't engage", "knows best",
           "child prostitution", "negative influence", "sex worker"]


@given(st.lists(st.sampled_from([*PHRASES, "she", "went", "out", "Sally's", "and", "don't"]), max_size=12))
def test_nothing_inside_quotation_marks_is_flagged(words):
    inner = " ".join(words)
    for open_mark, close_mark in (('"', '"'), ("\u201c", "\u201d"), ("\u2018", "\u2019"), ("'", "'")):
        assert language.check(f"She said {open_mark}{inner}{close_mark} to staff.") == []


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=10,
)


@UNICODE_OK
@given(st.sampled_from(list(contract.COMMANDS)), st.one_of(st.text(), json_values.map(json.dumps)))
def test_any_input_gives_an_outcome_or_a_contract_error(command, raw):
    status, body = contract.run(command, raw, PARAMS)
    assert status in (0, 2)
    if status == 2:
        check_error(body)
    else:
        CHECKS[command](body)
