"""Opening a referral: access first, then the referral, its first event, the chronology and the audit."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from safeguard.access.policy import Why
from safeguard.audit.models import AuditEvent, Verb
from safeguard.children.models import ChronologyItem, Involvement
from safeguard.referrals.models import Destination, Referral, Status
from safeguard.referrals.services import referral_open
from tests.factories import access_for
from tests.factories import child as make_child


def test_a_referral_to_csc_goes_to_the_csc_agency_and_onto_the_chronology(personas):
    kid = make_child(involved=[personas.school])
    referral = referral_open(access=access_for(personas.practitioner, kid), destination=Destination.CSC,
                             reason="Three risk indicators on the screening")
    assert referral.status == Status.SENT
    assert referral.destination_agency == personas.csc
    assert referral.events.get().actor == personas.practitioner
    assert ChronologyItem.objects.filter(child=kid, kind="referral").exists()
    assert AuditEvent.objects.filter(verb=Verb.REFERRAL_CREATED, child_id=kid.pk).exists()


def test_no_referral_about_a_child_the_actor_cannot_see(personas):
    kid = make_child(involved=[personas.school])
    with pytest.raises(Http404):  # the gate answers as for a child that does not exist
        access_for(personas.outsider, kid)
    assert not Referral.objects.exists()


def test_referral_open_refuses_an_access_that_may_not_change_the_child(personas):
    kid = make_child(involved=[personas.school])
    read_only = replace(access_for(personas.practitioner, kid, change=False), can_change=False)
    with pytest.raises(PermissionDenied):
        referral_open(access=read_only, destination=Destination.CSC, reason="x")
    assert not Referral.objects.exists()


def test_the_receiving_team_joins_the_circle_but_a_referrer_under_break_glass_does_not(personas):
    kid = make_child(involved=[personas.school])
    glass = replace(access_for(personas.police_lead, kid), why=Why.BREAK_GLASS)
    referral_open(access=glass, destination=Destination.CSC, reason="Seen with older men")
    agencies = set(Involvement.objects.filter(child=kid).values_list("agency_id", "reason"))
    assert agencies == {(personas.school.pk, Involvement.Reason.RECORDED), (personas.csc.pk, Involvement.Reason.REFERRAL)}


@pytest.mark.parametrize(("destination", "reason", "other"), [("csc", "  ", ""), ("nowhere", "r", ""), ("other", "r", "")])
def test_a_referral_needs_a_destination_and_a_reason(personas, destination, reason, other):
    kid = make_child(involved=[personas.school])
    with pytest.raises(ValidationError):
        referral_open(access=access_for(personas.practitioner, kid), destination=destination, reason=reason,
                      destination_other=other)
    assert not Referral.objects.exists()
