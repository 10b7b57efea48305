"""The small decision tables: not-referring approvals (NR), referral priority (RP), the Form B risk
suggestion (FB) and interviewer independence (RI). One scenario per line; every row is reached."""

from __future__ import annotations

import pytest

from safeguard.rules import RULES_VERSION, RulesInputError
from safeguard.rules._tables import load
from safeguard.rules.form_b_risk import suggest_risk_level
from safeguard.rules.interviewer import interviewer_independence, not_independent_message
from safeguard.rules.not_referring import approvals_for_not_referring
from safeguard.rules.referral_priority import referral_priority

DL, SM = "designated_lead", "senior_manager"


@pytest.mark.parametrize(
    ("kwargs", "code", "allowed", "approvals", "exceptional"),
    [
        ({"assessment": True, "assessment_allowed": False}, "NR1", False, (), False),
        (
            {"assessment": True, "assessment_allowed": False, "assessment_requires": ["senior_manager_approval"]},
            "NR1", False, (), False,
        ),
        ({"assessment": True, "assessment_requires": ["senior_manager_approval", "designated_lead_discussion"]},
         "NR2", True, (DL, SM), True),
        ({"assessment": True, "assessment_requires": ["designated_lead_discussion", "reasons"]},
         "NR3", True, (DL,), False),
        ({"assessment": True, "assessment_requires": ["reasons", "signature"]}, "NR4", True, (), False),
        ({"assessment": True, "child_age": 5}, "NR4", True, (), False),  # the assessment decides, not the age
        ({"assessment": False, "child_age": 0}, "NR5", True, (DL, SM), True),
        ({"assessment": False, "child_age": 12}, "NR5", True, (DL, SM), True),
        ({"assessment": False, "child_age": 13}, "NR6", True, (DL,), False),  # boundary: 13 is not under 13
        ({"assessment": False, "child_age": 17}, "NR6", True, (DL,), False),
        ({"assessment": False, "child_age": None}, "NR6", True, (DL,), False),  # age unknown
    ],
)
def test_who_approves_not_referring(kwargs, code, allowed, approvals, exceptional):
    outcome = approvals_for_not_referring(**kwargs)
    assert (outcome.code, outcome.allowed, outcome.approvals, outcome.exceptional) == (
        code, allowed, approvals, exceptional,
    )
    assert outcome.rules_version == RULES_VERSION
    assert outcome.reason.section in {"9.5", "9.7"}


def test_not_referring_rejects_an_age_that_is_not_a_whole_number():
    with pytest.raises(RulesInputError):
        approvals_for_not_referring(assessment=False, child_age="12")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("source", "facts", "code", "priority"),
    [
        ("assessment", {"immediate_risk"}, "RP1", "red"),
        ("assessment", {"immediate_risk", "under_13", "must_action"}, "RP1", "red"),
        ("assessment", {"under_13"}, "RP2", "red"),
        ("assessment", {"under_13", "must_action"}, "RP2", "red"),
        ("assessment", {"must_action"}, "RP3", "amber"),
        ("assessment", set(), "RP4", "green"),
        ("screening", {"band_significant"}, "RP5", "red"),
        ("screening", set(), "RP6", "amber"),
        ("form_b", set(), "RP6", "amber"),
        ("none", set(), "RP6", "amber"),
        ("none", {"band_significant"}, "RP6", "amber"),  # a fact about another source changes nothing
        ("screening", {"must_action"}, "RP6", "amber"),
    ],
)
def test_referral_priority(source, facts, code, priority):
    outcome = referral_priority(source=source, facts=facts)
    assert (outcome.code, outcome.priority) == (code, priority)
    assert outcome.rules_version == RULES_VERSION


@pytest.mark.parametrize(("source", "facts"), [("letter", set()), ("screening", {"band_concern"})])
def test_referral_priority_rejects_unknown_sources_and_facts(source, facts):
    with pytest.raises(RulesInputError):
        referral_priority(source=source, facts=facts)


@pytest.mark.parametrize(
    ("band", "significant", "indicators", "trafficking", "code", "level"),
    [
        ("significant", ["S1"], ["U1"], False, "FB1", "high"),
        ("significant", ["S2", "S4"], [], True, "FB1", "high"),  # trafficking written down escalates
        ("emerging", [], ["U1", "I14", "I11"], False, "FB2", "high"),
        ("emerging", [], ["I12", "I14"], True, "FB2", "high"),
        (None, [], ["U1", "I14", "I11", "I12"], False, "FB2", "high"),
        ("significant", ["S1"], ["I5"], False, "FB3", "medium"),  # I5 is no escalator
        ("concern", [], ["U1"], False, "FB3", "medium"),
        ("concern", [], [], False, "FB3", "medium"),
        ("emerging", [], ["U1", "I11"], False, "FB4", "medium"),
        (None, [], ["I12"], True, "FB4", "medium"),
        ("emerging", [], ["U1"], False, "FB5", "low"),
        ("emerging", [], ["I5"], False, "FB5", "low"),
        (None, [], [], False, "FB5", "low"),
        ("none", ["S1"], [], False, "FB5", "low"),  # a significant indicator alone, band aside
    ],
)
def test_form_b_risk_suggestion(band, significant, indicators, trafficking, code, level):
    outcome = suggest_risk_level(
        screening_band=band, significant=significant, indicators=indicators, trafficking=trafficking
    )
    assert (outcome.code, outcome.level) == (code, level)
    assert outcome.reasons  # the suggestion always says why
    assert outcome.rules_version == RULES_VERSION


def test_form_b_suggestion_names_what_was_recorded():
    outcome = suggest_risk_level(screening_band="significant", significant=["S1"], indicators=["U1"], trafficking=True)
    assert outcome.reasons == (
        "significant risk indicators S1 on the screening", "going missing (U1)", "trafficking concerns recorded (§7)",
    )
    assert suggest_risk_level(screening_band=None, significant=[], indicators=[], trafficking=False).reasons == (
        "no escalating indicator recorded",
    )


def test_the_docstring_and_the_table_name_the_same_escalators():
    import safeguard.rules.form_b_risk as module

    for code in load("form_b_risk")["escalators"]:
        assert f"({code})" in module.__doc__


@pytest.mark.parametrize(
    ("interviewer", "reporting", "code", "independent"),
    [(None, 1, "RI1", False), (None, None, "RI1", False), (1, 1, "RI2", False), (2, 1, "RI3", True),
     (2, None, "RI3", True)],
)
def test_interviewer_independence(interviewer, reporting, code, independent):
    outcome = interviewer_independence(interviewer_agency=interviewer, reporting_agency=reporting)
    assert (outcome.code, outcome.independent) == (code, independent)


def test_the_refusal_speaks_to_the_person():
    assert "you work for the agency that reported the episode" in not_independent_message(who="you")
    assert "they work for the agency" in not_independent_message(who="they")
