"""Local-policy thresholds (params.py): documented defaults, validated values."""

from __future__ import annotations

import dataclasses

import pytest

from safeguard.rules import Params

DEFAULTS = {
    "screening_review_days": 28,
    "under16_partner_adult_age": 18,
    "under16_age_gap_years": 4,
    "over16_age_gap_years": 10,
    "return_interview_due_hours": 72,
    "rmg_period_days": 90,
    "rmg_flag_episodes": 3,
    "hot_spot_children": 3,
    "hot_spot_days": 90,
    "shared_entity_children": 2,
    "persons_per_child": 2,
    "network_children": 3,
    "small_count_threshold": 5,
    "referral_timescale_red_days": 0,
    "referral_timescale_amber_days": 1,
    "referral_timescale_green_days": 3,
}


def test_defaults():
    assert dataclasses.asdict(Params()) == DEFAULTS
    assert Params.from_mapping(None) == Params() == Params.from_mapping({})


def test_every_param_is_documented_with_a_section():
    for name, default, doc, section in Params.described():
        assert DEFAULTS[name] == default and doc and section[0].isdigit()


def test_from_mapping_overrides_only_given_keys():
    params = Params.from_mapping({"screening_review_days": 14})
    assert params.screening_review_days == 14 and params.return_interview_due_hours == 72


def test_params_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Params().screening_review_days = 3


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"screening_review_dayz": 14}, "unknown rules setting"),
        ({"screening_review_days": 0}, "positive whole number"),
        ({"screening_review_days": -3}, "positive whole number"),
        ({"screening_review_days": True}, "whole number"),
        ({"screening_review_days": "28"}, "whole number"),
        ({"screening_review_days": 2.5}, "whole number"),
        ({"return_interview_due_hours": 0}, "return_interview_due_hours"),
        ({"referral_timescale_red_days": -1}, "at least 0"),
        ({"referral_timescale_red_days": 2}, "must hold"),
        ({"referral_timescale_amber_days": 4}, "must hold"),
    ],
)
def test_invalid_params(mapping, message):
    with pytest.raises(ValueError, match=message):
        Params.from_mapping(mapping)


def test_red_timescale_may_be_zero():
    assert Params(referral_timescale_red_days=0, referral_timescale_amber_days=0).referral_timescale_amber_days == 0
