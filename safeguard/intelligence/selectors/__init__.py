"""Every read of intelligence, bounded by a limit, with children named only to those who may see them.

The five selectors other apps call (meetings, reports) keep these names and keyword-only arguments:
``persons_of_concern_for_children``, ``hot_spots``, ``entities_by_linked_children``,
``alerts_since`` and ``disruption_actions_in_period``.
"""

from ._common import MAX_LIMIT, ChildRef, child_refs
from .alerts import (
    AlertDetail,
    alert_counts_by_pattern,
    alert_detail,
    alerts_for,
    review_item_for,
    review_list_for,
)
from .entities import (
    LikelyMatch,
    LinkRow,
    disruptions_for_entity,
    entities_linked_from,
    entity_search,
    entity_search_one,
    links_exportable_q,
    links_for_child,
    links_for_entity,
    network_of,
    nrm_for_child,
    person_likely_matches,
)
from .graph import NETWORK_NODES, Edge, Graph, Node, network_graph
from .shared import (
    DisruptionSummary,
    EntityCount,
    HotSpot,
    PersonOfConcern,
    alerts_since,
    disruption_actions_in_period,
    entities_by_linked_children,
    hot_spots,
    persons_of_concern_for_children,
)

__all__ = [
    "MAX_LIMIT",
    "NETWORK_NODES",
    "AlertDetail",
    "ChildRef",
    "DisruptionSummary",
    "Edge",
    "EntityCount",
    "Graph",
    "HotSpot",
    "LikelyMatch",
    "LinkRow",
    "Node",
    "PersonOfConcern",
    "alert_counts_by_pattern",
    "alert_detail",
    "alerts_for",
    "alerts_since",
    "child_refs",
    "disruption_actions_in_period",
    "disruptions_for_entity",
    "entities_linked_from",
    "entities_by_linked_children",
    "entity_search",
    "entity_search_one",
    "hot_spots",
    "links_for_child",
    "links_exportable_q",
    "links_for_entity",
    "network_graph",
    "network_of",
    "nrm_for_child",
    "person_likely_matches",
    "persons_of_concern_for_children",
    "review_item_for",
    "review_list_for",
]
