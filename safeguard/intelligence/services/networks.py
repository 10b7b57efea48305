"""Networks kept on every save (intelligence.md pattern 5): union by size, the high-risk mark, and
the network's alert for the risk panel.

A link's save reads its two ends' member rows in one query (with their networks' high-risk mark),
reads the child's latest completed Form B only when the child is not already in a high-risk network,
locks the networks in id order, and checks none was merged away while it waited (the only way a
member row moves). It never reads the graph. docs/intelligence.md has the figures.

A child whose Form B is completed as high risk after their links were saved is marked by
``network_high_risk_mark``, which ``tick.py`` runs for Form Bs completed since its last look: their
network is marked and listed for the panel then, not only at the next link saved in it.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from safeguard.rules.intelligence import NETWORK
from safeguard.screening import selectors as screening_selectors

from ..models import Alert, Link, Network, NetworkMember
from .alerts import alert_raise

ALERT_CHILDREN = 50  # children an alert names (the rest are counted in its network)


def child_high_risk(child_id: int) -> bool:
    """The child's latest completed Form B assessed the risk as high (§16)."""
    latest = (
        screening_selectors.form_bs_for_child(child_id).filter(completed_at__isnull=False)
        .order_by("-completed_at").values_list("risk_level", flat=True).first()
    )
    return latest == "high"


def _members(link: Link) -> tuple[NetworkMember | None, NetworkMember | None, bool]:
    """The member rows of the link's two ends (child or first entity; the entity), and whether the
    child's network is already marked high risk: one indexed query (two one-to-one lookups)."""
    a = Q(child_id=link.child_id) if link.child_id else Q(entity_id=link.other_id)
    rows = list(NetworkMember.objects.filter(a | Q(entity_id=link.entity_id))
                .values_list("pk", "network_id", "child_id", "entity_id", "network__high_risk"))
    ma = mb = None
    marked = False
    for pk, network_id, child_id, entity_id, high_risk in rows:
        member = NetworkMember(pk=pk, network_id=network_id, child_id=child_id, entity_id=entity_id)
        if (link.child_id and child_id == link.child_id) or (not link.child_id and entity_id == link.other_id):
            ma, marked = member, bool(high_risk)
        else:
            mb = member
    return ma, mb, marked


def network_join(link: Link) -> Network:
    """Put both ends of the link in one network and return it (locked). The caller holds the locks
    on the link's child and entities, so no one else adds these nodes meanwhile; networks are locked
    in id order, and read again if one was merged away while this save waited for its lock."""
    a = {"child_id": link.child_id} if link.child_id else {"entity_id": link.other_id}
    b = {"entity_id": link.entity_id}
    is_child = link.child_id is not None
    for _attempt in range(10):
        ma, mb, marked = _members(link)
        high_risk = is_child and not marked and child_high_risk(link.child_id or 0)
        ids = sorted({m.network_id for m in (ma, mb) if m is not None})
        locked = {n.pk: n for n in Network.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk")}
        if any(n.merged_into_id is not None for n in locked.values()):
            continue  # merged away while we waited for its lock: its members moved, read again
        if ma is None and mb is None:
            network = Network.objects.create(size=2, children=1 if is_child else 0, high_risk=high_risk)
            NetworkMember.objects.bulk_create([NetworkMember(network=network, **a), NetworkMember(network=network, **b)])
            return network
        if ma is None or mb is None:
            present = mb if ma is None else ma
            assert present is not None
            network = locked[present.network_id]
            NetworkMember.objects.create(network=network, **(a if ma is None else b))
            network.size += 1
            if ma is None and is_child:
                network.children += 1
            network.high_risk = network.high_risk or high_risk
            network.save(update_fields=["size", "children", "high_risk"])
            return network
        if ma.network_id == mb.network_id:
            network = locked[ma.network_id]
            if high_risk and not network.high_risk:
                network.high_risk = True
                network.save(update_fields=["high_risk"])
            return network
        big, small = sorted((locked[ma.network_id], locked[mb.network_id]), key=lambda n: (-n.size, n.pk))
        NetworkMember.objects.filter(network=small).update(network=big)
        big.size += small.size
        big.children += small.children
        big.high_risk = big.high_risk or small.high_risk or high_risk
        big.listed_at = big.listed_at or small.listed_at
        big.save(update_fields=["size", "children", "high_risk", "listed_at"])
        small.merged_into, small.size, small.children = big, 0, 0
        small.save(update_fields=["merged_into", "size", "children"])
        return big
    raise RuntimeError("could not join networks: too many concurrent merges")


def network_alert(network: Network, link: Link) -> Alert | None:
    """List the (locked) network for the risk panel and raise its alert, once per network."""
    if network.listed_at is not None:
        return None
    network.listed_at = timezone.now()
    network.save(update_fields=["listed_at"])
    why = "includes a child assessed at high risk" if network.high_risk else f"has {network.children} children"
    return alert_raise(
        pattern=NETWORK, subject_key=f"network:{network.pk}", link=link, network=network,
        title=f"A network of {network.size} people, places and things {why}: listed for the risk panel",
        child_ids=list(
            NetworkMember.objects.filter(network=network, child__isnull=False)
            .values_list("child", flat=True).order_by("child")[:ALERT_CHILDREN]
        ),
    )


def network_high_risk_mark(child_id: int) -> Alert | None:
    """The child has just been assessed at high risk: mark their network (if they are in one) and
    list it for the panel with its alert, unless it already was. Idempotent; locks the network."""
    for _attempt in range(10):
        member = NetworkMember.objects.filter(child_id=child_id).values_list("network_id", flat=True).first()
        if member is None or not child_high_risk(child_id):
            return None
        network = Network.objects.select_for_update(no_key=True).get(pk=member)
        if network.merged_into_id is not None:
            continue  # merged away while we waited: read the child's network again
        if not network.high_risk:
            network.high_risk = True
            network.save(update_fields=["high_risk"])
        latest = Link.objects.filter(child_id=child_id).order_by("-id").first()
        return network_alert(network, latest) if latest is not None else None
    raise RuntimeError("could not mark the network: too many concurrent merges")
