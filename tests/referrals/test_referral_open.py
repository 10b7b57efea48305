"""Opening a referral: access first, then the referral, its first event, the chronology and the audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.audit.models import AuditEvent, Verb
from safeguard.children.models import ChronologyItem
from safeguard.referrals.models import Destination, Referral, Status
from safeguard.referrals.services import referral_open
from tests.factories import child as make_child


def test_a_referral_to_csc_goes_to_the_csc_agency_and_onto_the_chronology(personas):
    kid = make_child(involved=[personas.school])
    referral = referral_open(actor=personas.practitioner, child=kid, destination=Destination.CSC,
                             reason="Three risk indicators on the screening")
    assert referral.status == Status.SENT
    assert referral.destination_agency == personas.csc
    assert referral.events.get().actor == personas.practitioner
    assert ChronologyItem.objects.filter(child=kid, kind="referral").exists()
    assert AuditEvent.objects.filter(verb=Verb.REFERRAL_CREATED, child_id=kid.pk).exists()


def test_no_referral_about_a_child_the_actor_cannot_see(personas):
    kid = make_child(involved=[personas.school])
    with pytest.raises(PermissionDenied):
        referral_open(actor=personas.outsider, child=kid, destination=Destination.CSC, reason="x")
    assert not Referral.objects.exists()


@pytest.mark.parametrize(("destination", "reason", "other"), [("csc", "  ", ""), ("nowhere", "r", ""), ("other", "r", "")])
def test_a_referral_needs_a_destination_and_a_reason(personas, destination, reason, other):
    kid = make_child(involved=[personas.school])
    with pytest.raises(ValidationError):
        referral_open(actor=personas.practitioner, child=kid, destination=destination, reason=reason,
                      destination_other=other)
    assert not Referral.objects.exists()
