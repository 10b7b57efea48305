"""Every write to referrals, assessments, consultations, decision records and approvals. Each
takes the ``ChildAccess`` the view obtained from ``safeguard.access.policy`` as proof, asserts
``access.require_change()``, and does the change, the record on the child's file, tasks and
notifications in one transaction.

Split by subject; import from here: ``from safeguard.referrals.services import referral_open``.
"""

from .approvals import (
    approval_give,
    approval_return,
    approvals_escalate_overdue,
    decision_request_approvals,
)
from .assessments import (
    AGE_BANDS,
    AssessmentAnswers,
    assessment_action_done,
    assessment_child_age,
    assessment_language_context,
    assessment_record,
    consultation_record,
)
from .decisions import (
    DecisionData,
    DecisionLocked,
    NoOptOut,
    approvals_required,
    decision_draft,
    decision_update,
)
from .referrals import (
    referral_accept,
    referral_decline,
    referral_open,
    referral_pack_export,
    referral_priority_for,
    referral_receive,
    referral_record_outcome,
)
from .signing import decision_canonical, decision_hash, decision_sign, decision_verify

__all__ = [
    "AGE_BANDS",
    "AssessmentAnswers",
    "DecisionData",
    "DecisionLocked",
    "NoOptOut",
    "approval_give",
    "approval_return",
    "approvals_escalate_overdue",
    "approvals_required",
    "assessment_action_done",
    "assessment_language_context",
    "assessment_child_age",
    "assessment_record",
    "consultation_record",
    "decision_canonical",
    "decision_draft",
    "decision_hash",
    "decision_request_approvals",
    "decision_sign",
    "decision_update",
    "decision_verify",
    "referral_accept",
    "referral_decline",
    "referral_open",
    "referral_pack_export",
    "referral_priority_for",
    "referral_receive",
    "referral_record_outcome",
]
