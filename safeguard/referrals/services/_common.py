"""What the referral, assessment and decision services share: action labels and task kinds."""

from __future__ import annotations

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
DESTINATION_ACTION: dict[str, str] = {destination: code for code, destination in ACTION_DESTINATION.items()}


def action_task_kind(code: str) -> str:
    return f"sa_{code.lower()}"
