"""Intelligence pages. Each view asks safeguard.access for what the user may see, makes one domain
call and renders."""

from .alerts import alert, alert_action, alerts, network
from .children import child, link_add, movement_add, nrm, nrm_add
from .entities import disruption_add, entity, entity_create, entity_edit, entity_link, picker, search
from .review import review, review_done

__all__ = [
    "alert",
    "alert_action",
    "alerts",
    "child",
    "disruption_add",
    "entity",
    "entity_create",
    "entity_edit",
    "entity_link",
    "link_add",
    "movement_add",
    "network",
    "nrm",
    "nrm_add",
    "picker",
    "review",
    "review_done",
    "search",
]
