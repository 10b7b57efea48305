"""Networks kept on every save (intelligence.md pattern 5): union by size, the high-risk mark, and
the network's alert for the risk panel.

A link's save reads its two ends' member rows, their networks (locked, in id order) and the child's
latest completed Form B risk level in one statement, and checks none of the networks was merged away
while it waited (the only way a member row moves). It never reads the graph. docs/intelligence.md
has the figures.

A child whose Form B is completed as high risk after their links were saved is marked by
``network_high_risk_mark``, which ``tick.py`` runs for Form Bs completed since its last look: their
network is marked and listed for the panel then, not only at the next link saved in it.
"""

from __future__ import annotations

from django.db.models import Q, Subquery
from django.utils import timezone

from safeguard.rules.intelligence import NETWORK
from safeguard.screening import selectors as screening_selectors

from ..models import Alert, Link, Network, NetworkMember
from .alerts import alert_raise

ALERT_CHILDREN = 50  # children an alert names (the rest are counted in its network)


def _latest_risk(child_id: int):
    """The risk level of the child's latest completed Form B, as a queryset of one value."""
    return (screening_selectors.form_bs_for_child(child_id).filter(completed_at__isnull=False)
            .order_by("-completed_at").values("risk_level")[:1])


def child_high_risk(child_id: int) -> bool:
    """The child's latest completed Form B assessed the risk as high (§16)."""
    return _latest_risk(child_id).values_list("risk_level", flat=True).first() == "high"


def _members_locked(link: Link) -> tuple[NetworkMember | None, NetworkMember | None, str | None]:
    """The member rows of the link's two ends (child or first entity; the entity), each with its
    network locked (FOR NO KEY UPDATE OF the network, in network id order), and for a child the risk
    level of their latest completed Form B: one indexed statement (two one-to-one lookups). The
    risk level is ``None`` when neither end is in a network yet (nothing was read)."""
    a = Q(child_id=link.child_id) if link.child_id else Q(entity_id=link.other_id)
    rows = NetworkMember.objects.filter(a | Q(entity_id=link.entity_id)).select_related("network")
    if link.child_id:
        rows = rows.annotate(child_risk=Subquery(_latest_risk(link.child_id)))
    ma = mb = None
    risk: str | None = None
    for member in rows.select_for_update(no_key=True, of=("network",)).order_by("network_id"):
        risk = getattr(member, "child_risk", None) or ""
        if (link.child_id and member.child_id == link.child_id) or (not link.child_id and member.entity_id == link.other_id):
            ma = member
        else:
            mb = member
    return ma, mb, risk


def network_join(link: Link) -> Network:
    """Put both ends of the link in one network and return it (locked). The caller holds the locks
    on the link's child and entities, so no one else adds these nodes meanwhile; networks are locked
    in id order as their members are read, and read again if one was merged away while this save
    waited for its lock (a merge sets ``merged_into`` under that lock, the only way a member moves)."""
    a = {"child_id": link.child_id} if link.child_id else {"entity_id": link.other_id}
    b = {"entity_id": link.entity_id}
    is_child = link.child_id is not None
    for _attempt in range(10):
        ma, mb, risk = _members_locked(link)
        locked = {m.network.pk: m.network for m in (ma, mb) if m is not None}
        if any(n.merged_into_id is not None for n in locked.values()):
            continue  # merged away while we waited for its lock: its members moved, read again
        # The child's Form B is asked about only when their network is not already marked high risk.
        marked = ma is not None and is_child and ma.network.high_risk
        if not is_child or marked:
            high_risk = False
        elif risk is None:
            high_risk = child_high_risk(link.child_id or 0)
        else:
            high_risk = risk == "high"
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
