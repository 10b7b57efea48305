"""The intelligence app's scheduled checks, run by ``safeguard tick`` (see ``safeguard.platform.tick``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from safeguard.platform.tick import tick_check
from safeguard.screening.models import FormB

from .services import network_high_risk_mark

# How far back a run looks for Form Bs completed as high risk: far more than the time between runs,
# so a missed run is caught up; the check is idempotent (a network is marked and listed once).
LOOKBACK = timedelta(days=2)


@tick_check
def networks_high_risk_mark(*, now: datetime) -> int:
    """A child assessed at high risk after their links were saved (Form B completed high): mark their
    network and list it for the risk panel with its alert (intelligence.md pattern 5), without
    waiting for the next link saved in it. Reads only Form Bs completed in the last ``LOOKBACK``
    whose child is in a network not yet marked (indexed; bounded by the period, not the register)."""
    children = (
        FormB.objects.filter(
            status=FormB.Status.COMPLETE, risk_level="high", completed_at__gte=now - LOOKBACK,
            child__network_member__network__high_risk=False,
        ).values_list("child_id", flat=True).distinct()[:500]
    )
    raised = 0
    for child_id in list(children):
        with transaction.atomic():
            raised += network_high_risk_mark(child_id) is not None
    return raised
