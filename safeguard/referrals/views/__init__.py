"""Pages for assessments, consultations, referrals, decision records and approvals. Each view gets
the user's ``ChildAccess`` from ``safeguard.access.policy`` (through ``referrals.selectors`` for a
record reached by id), passes it to one service call, and renders; the work is in services.
"""

from .assessments import (
    assessment,
    assessment_action_done,
    assessment_add,
    consultation,
    consultation_add,
    consultations,
)
from .decisions import (
    approval,
    approvals,
    child_decisions,
    decision,
    decision_add,
    decision_edit,
    decision_request_approval,
    decision_sign,
)
from .referrals import accept, decline, detail, outcome, pack, queue, receive, referral_add

__all__ = [
    "accept",
    "approval",
    "approvals",
    "assessment",
    "assessment_action_done",
    "assessment_add",
    "child_decisions",
    "consultation",
    "consultation_add",
    "consultations",
    "decision",
    "decision_add",
    "decision_edit",
    "decision_request_approval",
    "decision_sign",
    "decline",
    "detail",
    "outcome",
    "pack",
    "queue",
    "receive",
    "referral_add",
]
