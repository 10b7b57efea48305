"""Who sees a child because of the risk panel or a meeting (§13, §10.1.7): the access the meetings
app grants, asked only by the policy in ``policy.py``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, Q, QuerySet
from django.utils import timezone

from safeguard.accounts.models import Role
from safeguard.meetings.models import Invitation, Meeting, MeetingChild, PanelCase
from safeguard.referrals.models import Destination, Referral
from safeguard.referrals.models import Status as ReferralStatus

_PANEL_ROLES = (Role.MARP_CHAIR, Role.MARP_MEMBER)
# Rows whose saving can change who sees a child through the panel or a meeting (memo.py).
MODELS_GRANTING_ACCESS = (Invitation, Meeting, MeetingChild, PanelCase, Referral)
_PANEL_REFERRAL_OPEN = (ReferralStatus.SENT, ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED)


def _at_panel(child: Any) -> Q:
    """Children referred to the panel and not yet decided on, or open at it (``child`` is a pk or an
    OuterRef)."""
    return Q(
        Exists(Referral.objects.filter(child=child, destination=Destination.MARP, status__in=_PANEL_REFERRAL_OPEN))
    ) | Q(Exists(PanelCase.objects.filter(child=child, status=PanelCase.Status.OPEN)))


def _invited(user: Any, child: Any) -> Exists:
    """The user is invited to a meeting about the child that is not cancelled and ended no more than
    SAFEGUARD_MEETING_ACCESS_DAYS ago: read access granted for the meeting (§10.1.7)."""
    since = timezone.now() - timedelta(days=getattr(settings, "SAFEGUARD_MEETING_ACCESS_DAYS", 30))
    return Exists(
        Invitation.objects.filter(
            user=user, meeting__meeting_children__child=child, meeting__ends_at__gte=since,
        ).exclude(meeting__status=Meeting.Status.CANCELLED)
    )


def _at_panel_ids() -> list[QuerySet[Any]]:
    """The ids of the children ``_at_panel`` holds, as subqueries a UNION can join."""
    return [
        Referral.objects.filter(destination=Destination.MARP, status__in=_PANEL_REFERRAL_OPEN).order_by().values("child_id"),
        PanelCase.objects.filter(status=PanelCase.Status.OPEN).order_by().values("child_id"),
    ]


def _invited_ids(user: Any) -> QuerySet[Any]:
    """The ids of the children ``_invited`` holds for this user."""
    since = timezone.now() - timedelta(days=getattr(settings, "SAFEGUARD_MEETING_ACCESS_DAYS", 30))
    return (
        Invitation.objects.filter(user=user, meeting__ends_at__gte=since)
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .order_by()
        .values("meeting__meeting_children__child_id")
    )
