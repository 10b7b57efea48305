"""The network view: nodes and links, children named only to those who may see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from safeguard.children.models import Child

from ..models import (
    Disruption,
    Link,
    Network,
    NetworkMember,
)
from ._common import _limit, child_refs

# -- the network view ------------------------------------------------------------------------------


@dataclass
class Node:
    id: str
    kind: str  # "child" or an EntityKind
    label: str
    visible: bool = True
    url_id: int | None = None  # entity id or child id, for the page to link to
    of_concern: bool = False


@dataclass
class Edge:
    source: str
    target: str
    kind: str
    label: str
    occurred_on: date
    grading: str
    conditional: bool
    source_label: str = ""
    target_label: str = ""


@dataclass
class Graph:
    network: Network
    nodes: list[Node]
    edges: list[Edge]
    truncated: bool
    disruptions: list[Disruption]

    @property
    def entities_count(self) -> int:
        return sum(1 for n in self.nodes if n.kind != "child")

    def elements(self) -> list[dict]:
        """The graph as cytoscape.js elements (labels already filtered by access)."""
        nodes = [{"data": {"id": n.id, "label": n.label, "kind": n.kind, "concern": n.of_concern}}
                 for n in self.nodes]
        edges = [{"data": {"id": f"l{i}", "source": e.source, "target": e.target, "label": e.label,
                           "conditional": e.conditional}} for i, e in enumerate(self.edges)]
        return nodes + edges


NETWORK_NODES = 200  # nodes drawn at most; the page says when a network is larger


def network_graph(*, user, network: Network, limit: int = NETWORK_NODES,
                  children: QuerySet[Child] | None = None) -> Graph:
    """The network's nodes and links for the drawing and its table equivalent. A child the user may
    not see is a node labelled "a child known to <agency>" with no link to the record."""
    limit = _limit(limit)
    members = list(
        NetworkMember.objects.filter(network=network).select_related("entity").order_by("child", "entity")[: limit + 1]
    )
    truncated = len(members) > limit
    members = members[:limit]
    child_ids = {m.child_id for m in members if m.child_id}
    entity_ids = {m.entity_id for m in members if m.entity_id}
    refs = child_refs(user, child_ids, children=children)
    nodes = []
    for m in members:
        if m.child_id:
            ref = refs.get(m.child_id)
            if ref is not None:
                nodes.append(Node(f"c{m.child_id}", "child", ref.label, ref.visible,
                                  m.child_id if ref.visible else None))
        elif m.entity is not None:
            nodes.append(Node(f"e{m.entity_id}", m.entity.kind, m.entity.label, True, m.entity_id,
                              m.entity.of_concern))
    links = list(
        Link.objects.filter(entity_id__in=entity_ids)
        .filter(Q(child_id__in=child_ids) | Q(other_id__in=entity_ids))
        .order_by("-occurred_on", "-id")[: limit * 5]
    )
    labels = {n.id: n.label for n in nodes}
    edges = []
    for lk in links:
        source = f"c{lk.child_id}" if lk.child_id else f"e{lk.other_id}"
        target = f"e{lk.entity_id}"
        if source in labels and target in labels:
            edges.append(Edge(source, target, lk.kind, lk.get_kind_display(), lk.occurred_on, lk.grading,
                              lk.conditional, labels[source], labels[target]))
    disruptions = list(
        Disruption.objects.filter(entity_id__in=entity_ids).select_related("entity", "agency")
        .order_by("-occurred_on", "-id")[:50]
    )
    return Graph(network, nodes, edges, truncated, disruptions)


