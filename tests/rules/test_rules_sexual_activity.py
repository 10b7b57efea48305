"""Underage sexual activity (§9; sexual-activity.md). One scenario per line."""

from __future__ import annotations

from datetime import date

import pytest
from rules_contract_shapes import check_sexual_activity

from safeguard.rules import RULES_VERSION, Params, RulesInputError
from safeguard.rules.sexual_activity import (
    CRITERIA,
    SexualActivityInput,
    age_band,
    age_on,
    considerable_age_difference,
    evaluate,
)

DECISION = ["accountable_decision_makers", "designated_lead_discussion", "reasons", "signature"]
UNDER_13_DECISION = sorted([*DECISION, "senior_manager_approval"])
UNDER_13 = {"DISCUSS_CP_LEAD": "must", "FULL_ASSESSMENT": "must", "REFER_CSC": "must", "STRATEGY_DISCUSSION": "should"}
CONSIDER = {"DISCUSS_CP_LEAD": "should", "REFER_CSC": "consider"}
MUST_13_15 = {"DISCUSS_CP_LEAD": "should", "REFER_CSC": "must", "STRATEGY_DISCUSSION": "should"}
MUST_16_17 = {"REFER_CSC": "must", "STRATEGY_DISCUSSION": "should"}


def run(**given):
    outcome = evaluate(SexualActivityInput(**given))
    check_sexual_activity(outcome.to_dict())
    return outcome


def strengths(outcome):
    return {action.code: action.strength for action in outcome.actions}


def sections(outcome):
    return {action.code: action.section for action in outcome.actions}


@pytest.mark.parametrize(
    ("age", "band"),
    [(0, "under_13"), (12, "under_13"), (13, "13_to_15"), (15, "13_to_15"), (16, "16_to_17"), (17, "16_to_17")],
)
def test_age_bands(age, band):
    assert age_band(age) == band


@pytest.mark.parametrize("age", [-1, 18, 19, True, False, 14.0, "14", None])
def test_age_band_rejects(age):
    with pytest.raises(RulesInputError):
        age_band(age)


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2010, 5, 10), date(2024, 5, 9), 13),
        (date(2010, 5, 10), date(2024, 5, 10), 14),
        (date(2010, 5, 10), date(2024, 5, 11), 14),
        (date(2012, 2, 29), date(2025, 2, 28), 12),  # a leap-day birthday falls on 1 March in other years
        (date(2012, 2, 29), date(2025, 3, 1), 13),
        (date(2012, 2, 29), date(2024, 2, 29), 12),
        (date(2012, 12, 31), date(2013, 1, 1), 0),
        (date(2012, 1, 1), date(2012, 1, 1), 0),
    ],
)
def test_age_on(born, on, age):
    assert age_on(born, on) == age


def test_age_on_a_date_before_birth_is_an_error():
    with pytest.raises(RulesInputError):
        age_on(date(2012, 1, 2), date(2012, 1, 1))


# (scenario, input, action strengths, offence, not_referring allowed, requires)
SCENARIOS = [
    # Rule 1: under 13 (§9.2, §9.5)
    ("12, nothing else", dict(child_age=12), UNDER_13, True, True, UNDER_13_DECISION),
    ("0, nothing else", dict(child_age=0), UNDER_13, True, True, UNDER_13_DECISION),
    ("12, penetrative", dict(child_age=12, penetrative=True), UNDER_13, True, True, UNDER_13_DECISION),
    ("12, pregnant: no opt-out", dict(child_age=12, pregnant=True),
     {**UNDER_13, "STRATEGY_DISCUSSION": "must"}, True, False, []),
    ("12, criteria yes", dict(child_age=12, criteria={"C3": "yes"}), UNDER_13, True, True, UNDER_13_DECISION),
    ("12, immediate risk", dict(child_age=12, immediate_risk=True),
     {**UNDER_13, "REFER_POLICE": "must"}, True, True, UNDER_13_DECISION),
    # Rule 2: 13 to 15 (§9.2, §9.5)
    ("13, nothing else", dict(child_age=13), CONSIDER, True, True, ["reasons"]),
    ("15, nothing else", dict(child_age=15), CONSIDER, True, True, ["reasons"]),
    ("14, criteria no/unknown only", dict(child_age=14, criteria={"C1": "no", "C2": "unknown"}),
     CONSIDER, True, True, ["reasons"]),
    ("14, C3 yes", dict(child_age=14, criteria={"C3": "yes"}), MUST_13_15, True, True, DECISION),
    ("14, pregnant changes nothing", dict(child_age=14, pregnant=True), CONSIDER, True, True, ["reasons"]),
    ("14, penetrative changes nothing", dict(child_age=14, penetrative=True), CONSIDER, True, True, ["reasons"]),
    # Rule 3: 16 to 17 (§9.1, §9.5)
    ("16, nothing else: no referral", dict(child_age=16), {}, False, True, ["reasons"]),
    ("17, nothing else: no referral", dict(child_age=17), {}, False, True, ["reasons"]),
    ("17, C8 yes", dict(child_age=17, criteria={"C8": "yes"}), MUST_16_17, False, True, DECISION),
    # Rule 4: considerable age difference (design decision): under 16, 18+ or 4+ years older
    ("13 + 16: gap 3", dict(child_age=13, partner_ages=[16]), CONSIDER, True, True, ["reasons"]),
    ("13 + 17: gap 4 (handbook example)", dict(child_age=13, partner_ages=[17]), MUST_13_15, True, True, DECISION),
    ("14 + 17: gap 3, partner under 18", dict(child_age=14, partner_ages=[17]), CONSIDER, True, True, ["reasons"]),
    ("14 + 18: an adult partner", dict(child_age=14, partner_ages=[18]), MUST_13_15, True, True, DECISION),
    ("15 + 17: gap 2", dict(child_age=15, partner_ages=[17]), CONSIDER, True, True, ["reasons"]),
    ("15 + 18: an adult partner", dict(child_age=15, partner_ages=[18]), MUST_13_15, True, True, DECISION),
    ("15 + 21 (handbook example)", dict(child_age=15, partner_ages=[21]), MUST_13_15, True, True, DECISION),
    ("15 + 16: close in age (§9.7 example)", dict(child_age=15, partner_ages=[16]), CONSIDER, True, True, ["reasons"]),
    ("15 + 13: a younger partner", dict(child_age=15, partner_ages=[13]), CONSIDER, True, True, ["reasons"]),
    # ... 16-17: 10+ years older
    ("16 + 25: gap 9", dict(child_age=16, partner_ages=[25]), {}, False, True, ["reasons"]),
    ("16 + 26: gap 10", dict(child_age=16, partner_ages=[26]), MUST_16_17, False, True, DECISION),
    ("17 + 26: gap 9", dict(child_age=17, partner_ages=[26]), {}, False, True, ["reasons"]),
    ("17 + 27: gap 10", dict(child_age=17, partner_ages=[27]), MUST_16_17, False, True, DECISION),
    ("17 + 33 (handbook example)", dict(child_age=17, partner_ages=[33]), MUST_16_17, False, True, DECISION),
    ("17 + 18: an adult but close in age", dict(child_age=17, partner_ages=[18]), {}, False, True, ["reasons"]),
    # ... unknown ages are never "no difference", and never a difference either
    ("14 + unknown", dict(child_age=14, partner_ages=[None]), CONSIDER, True, True, ["reasons"]),
    ("14 + unknown + 19", dict(child_age=14, partner_ages=[None, 19]), MUST_13_15, True, True, DECISION),
    ("14 + 15 + 20", dict(child_age=14, partner_ages=[15, 20]), MUST_13_15, True, True, DECISION),
    ("17 + unknown", dict(child_age=17, partner_ages=[None]), {}, False, True, ["reasons"]),
    ("14 + unknown, C6 answered yes", dict(child_age=14, partner_ages=[None], criteria={"C6": "yes"}),
     MUST_13_15, True, True, DECISION),
    # Rule 5: position of trust (§9.1, §9.6): LADO, no opt-out, an offence at any age; C7 power imbalance
    ("16, position of trust", dict(child_age=16, position_of_trust=True),
     {**MUST_16_17, "REFER_LADO": "must"}, True, False, []),
    ("17, position of trust, partner 24", dict(child_age=17, partner_ages=[24], position_of_trust=True),
     {**MUST_16_17, "REFER_LADO": "must"}, True, False, []),
    ("14, position of trust", dict(child_age=14, position_of_trust=True),
     {**MUST_13_15, "REFER_LADO": "must"}, True, False, []),
    ("12, position of trust", dict(child_age=12, position_of_trust=True),
     {**UNDER_13, "REFER_LADO": "must"}, True, False, []),
    ("16, position of trust and immediate risk", dict(child_age=16, position_of_trust=True, immediate_risk=True),
     {**MUST_16_17, "REFER_LADO": "must", "REFER_POLICE": "must"}, True, False, []),
    # ... a partner who works with children or fosters a looked-after child
    ("16, partner works with children", dict(child_age=16, partner_works_with_children=True),
     {"REFER_LADO": "must"}, False, True, DECISION),
    ("14, partner works with children", dict(child_age=14, partner_works_with_children=True),
     {**CONSIDER, "REFER_LADO": "must"}, True, True, DECISION),
    # Rule 6: immediate risk, whatever the age band (§9.6, §10.3.6)
    ("17, immediate risk", dict(child_age=17, immediate_risk=True), {"REFER_POLICE": "must"}, False, True, DECISION),
    ("13, immediate risk", dict(child_age=13, immediate_risk=True),
     {**CONSIDER, "REFER_POLICE": "must"}, True, True, DECISION),
    # Rule 7: a disabled child: a note, no change of strength (§9.4)
    ("16, disabled", dict(child_age=16, disabled=True), {}, False, True, ["reasons"]),
    ("14, disabled", dict(child_age=14, disabled=True), CONSIDER, True, True, ["reasons"]),
    ("12, disabled", dict(child_age=12, disabled=True), UNDER_13, True, True, UNDER_13_DECISION),
    # contracts.md example
    ("contract example",
     dict(child_age=14, partner_ages=[19, None], criteria={"C1": "yes", "C2": "no", "C6": "unknown"},
          position_of_trust=False, partner_works_with_children=False, pregnant=False, penetrative=True,
          disabled=False, immediate_risk=False),
     MUST_13_15, True, True, DECISION),
]


@pytest.mark.parametrize(("given", "expected", "offence", "allowed", "requires"), [s[1:] for s in SCENARIOS],
                         ids=[s[0] for s in SCENARIOS])
def test_scenarios(given, expected, offence, allowed, requires):
    outcome = run(**given)
    assert strengths(outcome) == expected
    assert outcome.offence is offence
    assert outcome.not_referring.allowed is allowed
    assert list(outcome.not_referring.requires) == requires
    assert outcome.rules_version == RULES_VERSION


@pytest.mark.parametrize("code", CRITERIA)
@pytest.mark.parametrize(("age", "expected"), [(13, MUST_13_15), (15, MUST_13_15), (16, MUST_16_17), (17, MUST_16_17)])
def test_any_criterion_yes_makes_referral_must(code, age, expected):
    outcome = run(child_age=age, criteria={code: "yes"})
    assert strengths(outcome) == expected
    assert list(outcome.not_referring.requires) == DECISION
    assert sections(outcome)["REFER_CSC"] == "9.5"


def test_contract_example_sections():
    outcome = run(child_age=14, partner_ages=[19, None], criteria={"C1": "yes", "C2": "no", "C6": "unknown"})
    assert sections(outcome) == {"DISCUSS_CP_LEAD": "9.2", "REFER_CSC": "9.5", "STRATEGY_DISCUSSION": "9.5"}
    assert outcome.age_band == "13_to_15"
    assert outcome.to_dict()["not_referring"]["requires"] == DECISION


def test_under_13_sections_and_exceptional_opt_out():
    outcome = run(child_age=12)
    assert sections(outcome) == {
        "DISCUSS_CP_LEAD": "9.2", "FULL_ASSESSMENT": "9.5", "REFER_CSC": "9.5", "STRATEGY_DISCUSSION": "9.2"
    }
    assert outcome.not_referring.exceptional is True
    assert any("exceptional" in note.text and note.section == "9.2" for note in outcome.notes)


def test_under_13_penetrative_is_noted_as_rape():
    assert any("rape" in note.text for note in run(child_age=12, penetrative=True).notes)
    assert not any("rape" in note.text for note in run(child_age=12).notes)


def test_pregnant_under_13_strategy_discussion_is_a_must_under_9_5():
    outcome = run(child_age=12, pregnant=True)
    assert sections(outcome)["STRATEGY_DISCUSSION"] == "9.5"
    assert outcome.to_dict()["not_referring"] == {"allowed": False, "requires": [], "exceptional": False}


def test_position_of_trust_lado_section_and_c7():
    outcome = run(child_age=17, position_of_trust=True)
    assert sections(outcome)["REFER_LADO"] == "9.6"
    assert outcome.criteria["C7"] == "yes"


def test_immediate_risk_police_section():
    assert sections(run(child_age=16, immediate_risk=True))["REFER_POLICE"] == "10.3.6"


@pytest.mark.parametrize(
    ("given", "c6", "note"),
    [
        (dict(child_age=14, partner_ages=[19]), "yes", "considerably older"),
        (dict(child_age=14, partner_ages=[19], criteria={"C6": "no"}), "yes", "considerably older"),
        (dict(child_age=14, partner_ages=[None]), "unknown", "not known"),
        (dict(child_age=14), "unknown", "not known"),
        (dict(child_age=14, partner_ages=[None], criteria={"C6": "no"}), "no", "not known"),
        (dict(child_age=14, partner_ages=[15]), "unknown", None),
    ],
)
def test_age_difference_answers_c6_and_notes_unknown_ages(given, c6, note):
    outcome = run(**given)
    assert outcome.criteria["C6"] == c6
    texts = " ".join(n.text for n in outcome.notes)
    if note:
        assert note in texts
    else:
        assert "considerably older" not in texts and "not known" not in texts


def test_disabled_child_is_noted_with_9_4():
    assert [n.section for n in run(child_age=16, disabled=True).notes if "isabled" in n.text] == ["9.4"]


@pytest.mark.parametrize(
    ("params", "child", "partner", "considerable"),
    [
        (Params(), 15, 18, True),
        (Params(under16_partner_adult_age=19), 15, 18, False),
        (Params(under16_age_gap_years=3), 14, 17, True),
        (Params(over16_age_gap_years=8), 16, 24, True),
        (Params(over16_age_gap_years=8), 16, 23, False),
    ],
)
def test_age_difference_thresholds_are_settings(params, child, partner, considerable):
    assert considerable_age_difference(child, partner, params) is considerable
    outcome = evaluate(SexualActivityInput(child_age=child, partner_ages=(partner,)), params)
    assert (strengths(outcome).get("REFER_CSC") == "must") is considerable


@pytest.mark.parametrize(
    ("given", "field"),
    [
        (dict(child_age=True), "child_age"),
        (dict(child_age=18), "child_age"),
        (dict(child_age=-1), "child_age"),
        (dict(child_age=14.0), "child_age"),
        (dict(child_age="14"), "child_age"),
        (dict(child_age=14, partner_ages=[19, True]), "partner_ages[1]"),
        (dict(child_age=14, partner_ages=[121]), "partner_ages[0]"),
        (dict(child_age=14, partner_ages=[-1]), "partner_ages[0]"),
        (dict(child_age=14, partner_ages=[None, "19"]), "partner_ages[1]"),
        (dict(child_age=14, partner_ages="19"), "partner_ages"),
        (dict(child_age=14, criteria={"C15": "yes"}), "criteria.C15"),
        (dict(child_age=14, criteria={"C0": "yes"}), "criteria.C0"),
        (dict(child_age=14, criteria={"c1": "yes"}), "criteria.c1"),
        (dict(child_age=14, criteria={"C1": "YES"}), "criteria.C1"),
        (dict(child_age=14, criteria={"C1": True}), "criteria.C1"),
        (dict(child_age=14, criteria={"C1": "maybe"}), "criteria.C1"),
        (dict(child_age=14, criteria=["C1"]), "criteria"),
        (dict(child_age=14, pregnant="false"), "pregnant"),
        (dict(child_age=14, position_of_trust=1), "position_of_trust"),
        (dict(child_age=14, immediate_risk=None), "immediate_risk"),
    ],
)
def test_invalid_input(given, field):
    with pytest.raises(RulesInputError) as error:
        SexualActivityInput(**given)
    assert error.value.field == field


def test_partner_ages_0_and_120_are_allowed():
    assert run(child_age=14, partner_ages=[0, 120]).criteria["C6"] == "yes"
