"""What the referral, assessment and decision services share: labels, URLs, permission checks."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, reverse

from safeguard.access.policy import access_reason, works_with_children
from safeguard.referrals.models import Destination
from safeguard.rules.sexual_activity import CRITERION_TEXT, NOT_REFERRING_TEXT  # noqa: F401  (used by forms, views)

# The assessment's actions as tasks: the title a practitioner sees (§9).
ACTION_TASK_TITLES = {
    "REFER_CSC": "Refer to children's social care (Family Contact Point)",
    "REFER_POLICE": "Refer to the police",
    "REFER_LADO": "Refer to, or consult jointly with, the LADO",
    "STRATEGY_DISCUSSION": "Arrange a strategy discussion with children's social care, police and other agencies",
    "DISCUSS_CP_LEAD": "Discuss the case with the nominated child protection lead",
    "FULL_ASSESSMENT": "Undertake a full assessment",
}
# Which referral an action asks for.
ACTION_DESTINATION = {
    "REFER_CSC": Destination.CSC,
    "REFER_POLICE": Destination.POLICE,
    "REFER_LADO": Destination.LADO,
}
DESTINATION_ACTION = {destination: code for code, destination in ACTION_DESTINATION.items()}


def action_task_kind(code: str) -> str:
    return f"sa_{code.lower()}"


def url_for(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:  # before the pages exist (a migration, a shell)
        return ""


def require_child_access(actor, child, *, session_key: str = "", message: str = "") -> None:
    if not works_with_children(actor) or access_reason(actor, child, session_key=session_key) is None:
        raise PermissionDenied(message or "You cannot see this child's record.")
    if child.merged_into_id is not None:
        raise PermissionDenied("This record was merged into another: use that record.")
