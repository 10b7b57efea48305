"""``referral_actions_for``: what each person may do to a referral, from one selector."""

from __future__ import annotations

from safeguard.referrals import services
from safeguard.referrals.selectors import referral_actions_for
from tests.factories import access_for


def _sent(personas, child):
    return services.referral_open(access=access_for(personas.health_practitioner, child), destination="csc",
                                  reason="Partner aged 19")


def test_only_the_receiving_team_may_receive_or_decide_a_sent_referral(personas, health_child):
    referral = _sent(personas, health_child)
    team = referral_actions_for(personas.mash_worker, referral)
    assert (team.receiving, team.can_receive, team.can_decide, team.can_record_outcome) == (True, True, True, False)
    for other in (personas.health_practitioner, personas.police_lead, personas.outsider):
        seen = referral_actions_for(other, referral)
        assert (seen.receiving, seen.can_receive, seen.can_decide, seen.can_record_outcome) == (False,) * 4


def test_once_accepted_the_team_records_the_outcome(personas, health_child):
    referral = _sent(personas, health_child)
    referral = services.referral_accept(access=access_for(personas.mash_worker, health_child), referral=referral)
    team = referral_actions_for(personas.mash_worker, referral)
    assert (team.can_receive, team.can_decide, team.can_record_outcome) == (False, False, True)
    assert not referral_actions_for(personas.health_practitioner, referral).can_record_outcome


def test_outside_safeguard_the_referrers_agency_records_the_outcome(personas, health_child):
    referral = services.referral_open(access=access_for(personas.health_practitioner, health_child),
                                      destination="other", destination_other="A private clinic", reason="r")
    assert referral.destination_agency_id is None
    assert referral_actions_for(personas.health_practitioner, referral).can_record_outcome
    assert not referral_actions_for(personas.mash_worker, referral).can_record_outcome
