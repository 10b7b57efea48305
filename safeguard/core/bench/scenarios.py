"""What the page benchmark's panel and intelligence pages need beyond the data set, added by
``bench/prepare.py`` after the load, every run: the intelligence graph (once: written when no child
has a link yet), the open panel cases and the panel meeting (only what is missing), and a fresh list
of child and entity pairs not linked yet, one for each link the benchmark saves."""

from __future__ import annotations

from safeguard.accounts.models import User
from safeguard.intelligence.models import Link
from safeguard.meetings.models import MeetingChild
from safeguard.records.services import retention_schedules_fill

from .intelligence import graph_write, link_pairs
from .panel import panel_prepare

LINK_SAVES = 4000  # pairs offered to the link save; a run that posts more starts again at the first


def scenario_data(scale: str, *, seed: int = 15, link_saves: int = LINK_SAVES) -> dict:
    """Add what is missing and say what to request: the panel meeting's id and the pairs to link,
    with the size of what they work on."""
    people = {u.username: u for u in User.objects.filter(username__in=["bench.police", "bench.mash", "bench.chair"])}
    police, mash, chair = people["bench.police"], people["bench.mash"], people["bench.chair"]
    agency = police.agency_id
    if agency is None:
        raise ValueError("The benchmark's police login has no agency: load the data set again")
    if not Link.objects.filter(child__isnull=False).exists():
        recorders = list(User.objects.filter(agency_id=agency, is_active=True).order_by("pk")
                         .values_list("pk", flat=True))
        graph_write(police_agency_id=agency, recorders=recorders, seed=seed)
        # Each link put an item on its child's chronology, which moves the record's retention date:
        # work the schedules out again, as the running tick would have, so the benchmark's tick
        # measures a tick with nothing new to do rather than catching up on the graph (80 s at region,
        # once, when the graph is written).
        retention_schedules_fill(every=True)
    meeting = panel_prepare(scale=scale, chair=chair, referrer=mash, invitees=[police, mash])
    return {
        "panel_meeting": meeting.pk,
        "link_pairs": link_pairs(police_agency_id=agency, count=link_saves, seed=seed),
        "counts": {"intelligence_links": Link.objects.count(),
                   "on_the_agenda": MeetingChild.objects.filter(meeting=meeting).count()},
    }
