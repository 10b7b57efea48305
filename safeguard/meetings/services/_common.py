"""What the meetings services share: refusals, versions, names, local times, who is told.

A stale edit is the platform's (safeguard/platform/versioning.py): :class:`StaleEdit`, a plain
form error on the pages and 409 with both versions on the API."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safeguard.access.policy import ChildAccess
from safeguard.accounts.models import Role, User
from safeguard.api.errors import ServiceConflict
from safeguard.platform.versioning import version_check

from ..models import Meeting


class AlreadyDone(ServiceConflict):
    """The record has already moved on (a repeated or late request; 409 on the API)."""


def clean(text: str) -> str:
    return (text or "").strip()


def name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def local(moment: datetime) -> str:
    when = timezone.localtime(moment)
    return f"{when.day} {when:%B %Y, %H:%M}"


def kept(flags: Mapping[str, Sequence[str]] | None) -> dict[str, list[str]]:
    return {k: list(v) for k, v in (flags or {}).items() if v}


def check_version(record, version: int | None, *, by=None, at: datetime | None = None) -> None:
    """Refuse a stale edit: the form carried ``version`` and the row (locked) has moved on. A meeting's
    records keep no ``updated_by``: ``by`` and ``at`` name the last change where the record knows it."""
    version_check(record, version, label=_LABELS.get(type(record).__name__, "record"), by=by, at=at)


_LABELS = {"Meeting": "meeting", "Invitation": "invitation", "AgencyReport": "agency report",
           "Action": "action", "PanelCase": "panel case"}


def require_accesses(meeting: Meeting, accesses: Sequence[ChildAccess], child_ids: Iterable[int]) -> dict[int, ChildAccess]:
    """The caller's accesses, one per child of the meeting, each allowed to change the child."""
    by_child = {a.child.pk: a for a in accesses}
    missing = set(child_ids) - set(by_child)
    if missing:
        raise PermissionDenied("You cannot change the records of every child at this meeting")
    for access in by_child.values():
        access.require_change()
    return by_child


def refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def named_leads(agency_ids: Iterable[int]) -> list[User]:
    return list(
        User.objects.filter(
            agency_id__in=[a for a in agency_ids if a], is_active=True, role_grants__role=Role.NAMED_LEAD
        ).distinct()
    )


def team(agency_id: int | None, role: str) -> list[User]:
    if not agency_id:
        return []
    return list(User.objects.filter(agency_id=agency_id, is_active=True, role_grants__role=role).distinct())


def invalid(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: message}) if field else ValidationError(message)
