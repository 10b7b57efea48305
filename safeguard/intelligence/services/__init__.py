"""Every write about intelligence: entities, links (with their pattern checks), alerts, disruption
and National Referral Mechanism referrals. Child-level writes take the policy's ``ChildAccess`` and
record on the child's file in the same transaction (ADR 10, ADR 14)."""

from ._common import Conflict
from .alerts import alert_action_record, alert_raise, alert_recipients, alert_viewed
from .entities import (
    EntityData,
    EntityOutcome,
    KeyTaken,
    entity_aliases,
    entity_data_of,
    entity_key_and_values,
    entity_save,
    entity_update,
    person_alias_add,
)
from .links import (
    Grading,
    LinkDetails,
    LinkOutcome,
    MovementDetails,
    link_child,
    link_entities,
    link_patterns_check,
    movement_record,
)
from .networks import network_high_risk_mark, network_join
from .pursue import (
    DisruptionDetails,
    NrmDetails,
    disruption_record,
    disruption_update,
    nrm_decision_record,
    nrm_refer,
)
from .review import free_text_reviewed

__all__ = [
    "Conflict",
    "DisruptionDetails",
    "EntityData",
    "EntityOutcome",
    "Grading",
    "KeyTaken",
    "LinkDetails",
    "LinkOutcome",
    "MovementDetails",
    "NrmDetails",
    "alert_action_record",
    "alert_raise",
    "alert_recipients",
    "alert_viewed",
    "disruption_record",
    "disruption_update",
    "entity_aliases",
    "entity_data_of",
    "entity_key_and_values",
    "entity_save",
    "entity_update",
    "free_text_reviewed",
    "link_child",
    "link_entities",
    "link_patterns_check",
    "movement_record",
    "network_high_risk_mark",
    "network_join",
    "nrm_decision_record",
    "nrm_refer",
    "person_alias_add",
]
