"""Builders for meetings tests and matrix rows: everything made through the services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from safeguard.meetings import services
from safeguard.meetings.models import Kind
from safeguard.referrals.models import Destination
from safeguard.referrals.services import referral_accept, referral_open
from tests.factories import access_for


def referred(personas, child, *, priority: str = "amber"):
    """The school refers the child to children's social care and the MASH accepts it."""
    referral = referral_open(
        access=access_for(personas.practitioner, child), destination=Destination.CSC,
        reason="Older boyfriend, new phone", priority=priority,
    )
    return referral_accept(access=access_for(personas.mash_worker, child), referral=referral)


def details(kind: str = Kind.STRATEGY, *, hours_from_now: float = 2, place: str = "MASH office, room 2"):
    start = timezone.now() + timedelta(hours=hours_from_now)
    return services.MeetingDetails(kind=kind, starts_at=start, ends_at=start + timedelta(hours=1), place=place)


def strategy(personas, child, *, referral=None, invite=True, hours_from_now: float = 2):
    """A strategy discussion convened by the MASH worker, the school and health invited."""
    meeting = services.meeting_convene(
        actor=personas.mash_worker, details=details(hours_from_now=hours_from_now),
        accesses=[access_for(personas.mash_worker, child)], referral=referral,
    )
    if invite:
        services.meeting_invite(actor=personas.mash_worker, meeting=meeting,
                                people=[personas.practitioner, personas.health_practitioner])
    return meeting


def panel_referred(personas, child):
    return services.panel_refer(access=access_for(personas.practitioner, child), reason="High risk Form B")


def panel_case(personas, child):
    referral = panel_referred(personas, child)
    return services.panel_case_open(access=access_for(personas.panel_chair, child), referral=referral)


def panel_meeting(personas, *, hours_from_now: float = 2):
    return services.meeting_convene(actor=personas.panel_chair, details=details(Kind.PANEL, hours_from_now=hours_from_now))


def action(personas, child, meeting, *, owner=None, days: int = 7):
    return services.action_create(
        actor=personas.mash_worker, meeting=meeting, access=access_for(personas.mash_worker, child),
        details=services.ActionDetails("Visit the child at school", owner or personas.practitioner,
                                       timezone.localdate() + timedelta(days=days)),
    )
