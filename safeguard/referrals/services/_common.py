"""What the referral, assessment and decision services share: labels, URLs, permission checks."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, reverse

from safeguard.access.policy import access_reason, works_with_children
from safeguard.referrals.models import Destination

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


def _sexual_activity_table() -> dict:
    # The rules package has no public name for its texts yet; the table is the one source.
    from safeguard.rules._tables import load

    return load("sexual_activity")


_TABLE = _sexual_activity_table()
CRITERION_TEXT: dict[str, str] = dict(_TABLE["criteria"]["text"])
NOT_REFERRING_TEXT: dict[str, str] = dict(_TABLE["not_referring_requirements"])
