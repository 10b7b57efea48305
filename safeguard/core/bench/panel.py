"""The Multi-Agency Risk Panel for the page benchmark (§13): children open at the panel and the next
panel meeting with its agenda built, all through the meetings services as the people would do it.

Referrals already waiting for the panel are accepted first (the data set sends some); the rest are
the children with the most persons of concern around them, referred by children's social care. The
chair accepts each, arranges next week's meeting, invites the police CSE lead and the MASH, and
builds the agenda from the data. Run again on the same database it opens only the cases missing and
reuses the meeting: nothing is made twice.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from safeguard.access.policy import child_for_user
from safeguard.intelligence.models import EntityKind, Link
from safeguard.meetings import selectors, services
from safeguard.meetings.models import Kind, Meeting, PanelCase
from safeguard.referrals.models import Destination, Referral, Status

# Children open at the panel: a panel reviews twenty to forty at a time.
OPEN_CASES = {"tiny": 8, "small": 24, "medium": 32, "region": 40, "large": 40}
WAITING = (Status.SENT, Status.RECEIVED, Status.ACCEPTED)
PLACE = "Civic Centre, committee room 1"


def _candidates(limit: int) -> list[int]:
    """Children waiting for the panel, oldest referral first; then the children linked to the most
    persons of concern."""
    waiting = list(Referral.objects.filter(destination=Destination.MARP, status__in=WAITING)
                   .order_by("sent_at", "pk").values_list("child_id", flat=True)[:limit])
    linked = list(Link.objects.filter(child__isnull=False, entity__kind=EntityKind.PERSON).values("child_id")
                  .annotate(persons=Count("entity", distinct=True)).order_by("-persons", "child_id")
                  .values_list("child_id", flat=True)[:limit * 2])
    return list(dict.fromkeys(waiting + linked))


def _open_case(child_id: int, *, chair, referrer) -> None:
    with transaction.atomic():
        referral = (Referral.objects.filter(child_id=child_id, destination=Destination.MARP, status__in=WAITING)
                    .order_by("sent_at", "pk").first())
        if referral is None:
            referral = services.panel_refer(
                access=child_for_user(referrer, child_id, change=True), because="Intelligence alert",
                reason="Linked to several persons of concern in a network the police are disrupting; missing "
                       "episodes and a new phone. Asking the panel to review the plan.",
            )
        services.panel_case_open(access=child_for_user(chair, child_id, change=True), referral=referral,
                                 note="Accepted by the panel chair.")


def panel_prepare(*, scale: str, chair, referrer, invitees=()) -> Meeting:
    """Open the panel cases the scale calls for, and return the chair's next panel meeting with its
    agenda built (arranged now if there is none)."""
    wanted = OPEN_CASES.get(scale, OPEN_CASES["small"])
    open_ids = set(PanelCase.objects.filter(status=PanelCase.Status.OPEN).values_list("child_id", flat=True))
    for child_id in _candidates(wanted):
        if len(open_ids) >= wanted:
            break
        if child_id not in open_ids:
            _open_case(child_id, chair=chair, referrer=referrer)
            open_ids.add(child_id)
    meeting = (Meeting.objects.filter(kind=Kind.PANEL, status=Meeting.Status.SCHEDULED, convened_by=chair)
               .order_by("pk").first())
    if meeting is None:
        start = (timezone.localtime() + timedelta(days=7)).replace(hour=14, minute=0, second=0, microsecond=0)
        meeting = services.meeting_convene(actor=chair, details=services.MeetingDetails(
            kind=Kind.PANEL, starts_at=start, ends_at=start + timedelta(hours=2), place=PLACE))
        if invitees:
            services.meeting_invite(actor=chair, meeting=meeting, people=list(invitees))
        meeting.refresh_from_db()
    if meeting.agenda_built_at is None:
        meeting = services.agenda_build(actor=chair, meeting=meeting, version=meeting.version,
                                        agenda=selectors.panel_agenda(meeting, now=timezone.now(), user=chair))
    return meeting
