"""People, vehicles, phones, social media accounts and places, their links to children and to each
other, the networks they form, the alerts those links raise, disruption and National Referral
Mechanism records (handbook §7, §10, §11.2, §13, §15; intelligence.md).

Every write goes through ``services``; nothing here has logic beyond labels and links.
"""

from .alerts import Alert, AlertAction, AlertChild, AlertRecipient, Pattern
from .entities import Entity, EntityKind, PersonName, PlaceType
from .links import (
    HandlingCode,
    IntelligenceAssessment,
    Link,
    LinkKind,
    Movement,
    Network,
    NetworkMember,
    SourceEvaluation,
    SourceKind,
)
from .pursue import Disruption, DisruptionAction, FreeTextReview, GroundsDecision, NrmReferral

__all__ = [
    "Alert",
    "AlertAction",
    "AlertChild",
    "AlertRecipient",
    "Disruption",
    "DisruptionAction",
    "Entity",
    "EntityKind",
    "FreeTextReview",
    "GroundsDecision",
    "HandlingCode",
    "IntelligenceAssessment",
    "Link",
    "LinkKind",
    "Movement",
    "Network",
    "NetworkMember",
    "NrmReferral",
    "Pattern",
    "PersonName",
    "PlaceType",
    "SourceEvaluation",
    "SourceKind",
]
