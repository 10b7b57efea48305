"""Form A screening (§16; screening.md). One scenario per line."""

from __future__ import annotations

import pytest
from rules_contract_shapes import check_screening

from safeguard.rules import RULES_VERSION, Params, RulesInputError, screening

EMERGING = ["DISCUSS_NAMED_LEAD", "SET_REVIEW"]
REFER = ["FORM_B", "REFER_CSC"]

# The form's own labels (screening.md), reproduced exactly.
LABELS = {
    "V1": "History of local authority care",
    "V2": "Isolated from peers/social networks",
    "V3": "Low self-esteem",
    "V4": "Breakdown of family relationships",
    "V5": "History of abuse/neglect",
    "V6": "Lack of positive relationship with adult",
    "R1": "Exclusion from school/not engaged in school/college/training",
    "R2": "Expressions of despair (self-harm, overdose, eating disorder; challenging behaviour; aggression)",
    "R3": "Unexplained absences from school",
    "R4": "Sexually transmitted infections (STIs), multiple pregnancies/termination of pregnancy",
    "R5": "Staying out late",
    "R6": "Substance misuse",
    "R7": "Disclosure of sexual/physical assault followed by withdrawal of allegation",
    "R8": "Multiple callers (unknown adults/older young people)",
    "R9": "Use of a mobile phone that causes concern",
    "R10": "Physical injury without plausible explanation",
    "S1": "Periods of going missing overnight or longer",
    "S2": "Older 'boyfriend' / relationship with controlling adult",
    "S3": "Entering / leaving vehicles driven by unknown adults",
    "S4": "Unexplained amounts of money, expensive clothing or other items",
}
GROUP = {"V": "vulnerability", "R": "risk", "S": "significant"}


def test_form_a_items_are_the_forms_labels_in_form_order():
    items = screening.form_a_items()
    assert [item.code for item in items] == list(LABELS)
    assert {item.code: item.label for item in items} == LABELS
    assert all(item.group == GROUP[item.code[0]] and item.section == "16" for item in items)


@pytest.mark.parametrize("code", [c for c in LABELS if c[0] == "V"])
def test_a_vulnerability_alone_is_emerging_and_never_triggers_form_b(code):
    outcome = screening.evaluate([code])
    assert (outcome.band, outcome.form_b_required, list(outcome.actions)) == ("emerging", False, EMERGING)
    assert outcome.vulnerabilities == (code,)


@pytest.mark.parametrize("code", [c for c in LABELS if c[0] == "R"])
def test_one_risk_indicator_is_emerging(code):
    outcome = screening.evaluate([code])
    assert (outcome.band, outcome.form_b_required, list(outcome.actions)) == ("emerging", False, EMERGING)
    assert outcome.risk_indicators == (code,)
    assert [r.text for r in outcome.reasons] == [f"1 risk indicator ({code}), below the Form B threshold of 3"]


@pytest.mark.parametrize("code", [c for c in LABELS if c[0] == "S"])
def test_one_significant_indicator_is_significant(code):
    outcome = screening.evaluate([code])
    assert (outcome.band, outcome.form_b_required, list(outcome.actions)) == ("significant", True, REFER)
    assert [r.text for r in outcome.reasons] == [f"significant risk indicator {code}"]
    assert outcome.review_days is None


@pytest.mark.parametrize(
    ("ticked", "band", "form_b", "actions", "reasons"),
    [
        ([], "none", False, [], ["nothing ticked"]),
        (["V1", "V2", "V3", "V4", "V5", "V6"], "emerging", False, EMERGING,
         ["vulnerabilities only (V1, V2, V3, V4, V5, V6), below the Form B threshold"]),
        (["R1", "R5"], "emerging", False, EMERGING, ["2 risk indicators (R1, R5), below the Form B threshold of 3"]),
        (["R1", "R5", "V1", "V2", "V3", "V4", "V5", "V6"], "emerging", False, EMERGING,
         ["2 risk indicators (R1, R5), below the Form B threshold of 3"]),
        (["R1", "R5", "R6"], "concern", True, REFER, ["3 risk indicators (R1, R5, R6)"]),
        (["R6", "R1", "R5"], "concern", True, REFER, ["3 risk indicators (R1, R5, R6)"]),
        ([f"R{n}" for n in range(1, 11)], "concern", True, REFER,
         ["10 risk indicators (R1, R2, R3, R4, R5, R6, R7, R8, R9, R10)"]),
        (["R1", "R5", "S1", "V2"], "significant", True, REFER, ["significant risk indicator S1"]),
        (["S4", "S1"], "significant", True, REFER, ["significant risk indicator S1", "significant risk indicator S4"]),
        (["R1", "R2", "R3", "S2"], "significant", True, REFER,
         ["3 risk indicators (R1, R2, R3)", "significant risk indicator S2"]),
        (["V1", "S3"], "significant", True, REFER, ["significant risk indicator S3"]),
    ],
)
def test_bands(ticked, band, form_b, actions, reasons):
    outcome = screening.evaluate(ticked)
    assert outcome.band == band
    assert outcome.form_b_required is form_b
    assert list(outcome.actions) == actions
    assert [r.text for r in outcome.reasons] == reasons
    assert all(r.section == "16" for r in outcome.reasons)
    check_screening(outcome.to_dict())


def test_contract_example():
    body = screening.evaluate(["R1", "R5", "S1", "V2"]).to_dict()
    assert {k: body[k] for k in ("band", "form_b_required", "vulnerabilities", "risk_indicators",
                                 "significant_indicators", "reasons", "actions")} == {
        "band": "significant", "form_b_required": True,
        "vulnerabilities": ["V2"], "risk_indicators": ["R1", "R5"], "significant_indicators": ["S1"],
        "reasons": ["significant risk indicator S1"],
        "actions": ["FORM_B", "REFER_CSC"],
    }
    assert body["rules_version"] == RULES_VERSION
    assert body["reason_details"] == [{"text": "significant risk indicator S1", "section": "16"}]


def test_lists_follow_form_order_whatever_the_input_order():
    outcome = screening.evaluate(["S2", "R10", "V6", "R2", "S1", "V1", "R1"])
    assert outcome.vulnerabilities == ("V1", "V6")
    assert outcome.risk_indicators == ("R1", "R2", "R10")
    assert outcome.significant_indicators == ("S1", "S2")


@pytest.mark.parametrize(("days", "expected"), [(28, 28), (14, 14), (1, 1)])
def test_emerging_review_period_is_a_setting(days, expected):
    assert screening.evaluate(["R1"], params=Params(screening_review_days=days)).review_days == expected


@pytest.mark.parametrize(
    ("ticked", "field"),
    [
        (["R1", "R1"], "ticked[1]"),
        (["S1", "R1", "S1"], "ticked[2]"),
        (["R11"], "ticked[0]"),
        (["V0"], "ticked[0]"),
        (["V7"], "ticked[0]"),
        (["S5"], "ticked[0]"),
        (["r1"], "ticked[0]"),
        ([" R1"], "ticked[0]"),
        ([""], "ticked[0]"),
        (["R1", 1], "ticked[1]"),
        (["C1"], "ticked[0]"),
        (["I1"], "ticked[0]"),
        ("R1", "ticked"),
    ],
)
def test_invalid_ticked(ticked, field):
    with pytest.raises(RulesInputError) as error:
        screening.evaluate(ticked)
    assert error.value.field == field


def test_evidence_is_kept_for_ticked_codes_in_form_order():
    outcome = screening.evaluate(["S1", "R1"], {"S1": "missing two nights, 3 May", "R1": "excluded"})
    assert outcome.evidence == (("R1", "excluded"), ("S1", "missing two nights, 3 May"))


@pytest.mark.parametrize(
    ("ticked", "evidence", "field"),
    [
        (["R1"], {"R2": "seen"}, "evidence.R2"),
        (["R1"], {"R1": 3}, "evidence.R1"),
        (["R1"], {"R1": None}, "evidence.R1"),
        ([], {"S1": "seen"}, "evidence.S1"),
        (["R1"], ["R1"], "evidence"),
    ],
)
def test_invalid_evidence(ticked, evidence, field):
    with pytest.raises(RulesInputError) as error:
        screening.evaluate(ticked, evidence)
    assert error.value.field == field


def test_indicator_catalogue_has_every_form_b_code_in_order():
    catalogue = screening.indicator_catalogue()
    expected = (
        [f"I{n}" for n in range(1, 26)] + [f"P{n}" for n in range(1, 8)]
        + [f"U{n}" for n in range(1, 13)] + [f"L{n}" for n in range(1, 9)]
    )
    assert [i.code for i in catalogue] == expected
    by_code = {i.code: i for i in catalogue}
    assert by_code["I1"].text == "underage sexual activity" and by_code["I1"].section == "5"
    assert by_code["I25"].text == "injuries from physical assault, physical restraint, sexual assault"
    assert by_code["P5"].text == "insecure immigration status" and by_code["P5"].group == "push"
    assert by_code["U1"].text == "going missing (the most immediate indicator)" and by_code["U1"].section == "6"
    assert by_code["L8"].text == "lifts, new places and adventures with casual acquaintances"
    assert {i.group for i in catalogue} == {"sign", "push", "vulnerability", "pull"}
    assert all(i.text and not i.text.endswith((".", "·", " ")) for i in catalogue)


def test_every_band_action_has_words_and_a_section():
    from safeguard.rules.screening import action_reason, evaluate

    for ticked in ([], ["V1"], ["R1"], ["R1", "R2", "R3"], ["S1"]):
        for code in evaluate(ticked).actions:
            reason = action_reason(code)
            assert reason.text and reason.section
    assert action_reason("REFER_CSC").section == "10.1.5"
