"""Small helpers the missing services share: text cleaning, names, local times, who is told."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from django.utils import timezone

from safeguard.accounts.models import CHILD_LEVEL_ROLES, Agency, Role, User

from ..models import Episode, ReturnInterview

DUE_SOON_HOURS = 24  # the "due soon" reminder goes this long before an interview is due
TASK_KIND = "return_interview"


def _clean(text: str) -> str:
    return (text or "").strip()


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _local(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y, %H:%M}"


def _kept(language_flags_kept: Mapping[str, Sequence[str]] | None) -> dict[str, list[str]]:
    return {k: list(v) for k, v in (language_flags_kept or {}).items() if v}


def _responsible_team(episode: Episode) -> Agency:
    """The placement's team sees the interview happens: the reporting agency (§14.1)."""
    return episode.agency


def _responsible_users(interview: ReturnInterview) -> list:
    """Who is told about the interview: the reporting agency's child workers, the child's lead
    professional (their social worker), and the reporting agency's named leads."""
    episode = interview.episode
    users = list(
        User.objects.filter(
            agency=_responsible_team(episode), is_active=True, role_grants__role__in=CHILD_LEVEL_ROLES
        ).distinct()
    )
    lead = interview.child.lead_professional
    if lead is not None and lead.is_active:
        users.append(lead)
    return users


def _named_leads(agency_ids: Iterable[int | None]) -> list:
    return list(
        User.objects.filter(
            agency_id__in=[a for a in agency_ids if a], is_active=True, role_grants__role=Role.NAMED_LEAD
        ).distinct()
    )
