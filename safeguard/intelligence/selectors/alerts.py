"""Alerts and the free-text review list."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet

from safeguard.access.intelligence import (
    alerts_visible_to,
    may_see_intelligence,
)
from safeguard.access.policy import children_visible_to
from safeguard.children.models import Child

from ..models import (
    Alert,
    AlertAction,
    AlertRecipient,
    Network,
)
from ._common import MAX_LIMIT, ChildRef, _limit, child_refs
from .entities import network_of

# -- alerts ------------------------------------------------------------------------------------------


def alerts_for(user, *, limit: int = 50, offset: int = 0) -> list[Alert]:
    return list(
        alerts_visible_to(user).select_related("entity", "network").order_by("-raised_at", "-id")
        [offset: offset + _limit(limit)]
    )


@dataclass
class AlertDetail:
    alert: Alert
    children: list[ChildRef]
    recipients: list[AlertRecipient]
    actions: list[AlertAction]
    network: Network | None


def alert_detail(*, user, alert: Alert, children: QuerySet[Child] | None = None) -> AlertDetail:
    child_ids = list(alert.alert_children.values_list("child", flat=True)[:MAX_LIMIT])
    refs = child_refs(user, child_ids, children=children)
    network = alert.network
    if network is None:
        network = network_of(entity_id=alert.entity_id) if alert.entity_id else network_of(child_id=alert.child_id)
    while network is not None and network.merged_into_id is not None:
        network = Network.objects.get(pk=network.merged_into_id)
    return AlertDetail(
        alert=alert,
        children=[refs[c] for c in child_ids if c in refs],
        recipients=list(alert.recipients.select_related("user", "user__agency").order_by("why", "user__last_name")),
        actions=list(alert.actions.select_related("by", "agency")),
        network=network,
    )


def alert_counts_by_pattern(user) -> dict[str, int]:
    return dict(Counter(alerts_visible_to(user).values_list("pattern", flat=True)[:1000]))


def review_list_for(user, *, limit: int = 50):
    """Earlier free text waiting for a named lead of the recording agency to review."""
    from ..models import FreeTextReview

    if not (user.agency_id and may_see_intelligence(user)):
        return []
    return list(
        FreeTextReview.objects.filter(agency_id=user.agency_id, reviewed_at__isnull=True)
        .filter(child__in=children_visible_to(user)).order_by("id")[: _limit(limit)]
    )


def review_item_for(user, item_id: int):
    """One free-text item for the user's agency to review, or Http404."""
    from django.http import Http404

    from ..models import FreeTextReview

    item = FreeTextReview.objects.filter(
        pk=item_id, agency_id=user.agency_id, child__in=children_visible_to(user)
    ).first() if user.agency_id else None
    if item is None:
        raise Http404("No such record")
    return item

