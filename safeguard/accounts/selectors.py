"""Reads of accounts that other apps need: who holds a role, and who the partnership designated."""

from __future__ import annotations

from django.conf import settings

from .models import User

AGENCY_PREFIX = "agency:"


def partnership_people(setting: str, *, role: str) -> list[User]:
    """The active people a partnership setting names (``SAFEGUARD_PARTNERSHIP_*``): one account by
    username, or the holders of ``role`` in the agency after ``agency:``. Empty when it names nobody."""
    value = (getattr(settings, setting, "") or "").strip()
    if not value:
        return []
    if value.startswith(AGENCY_PREFIX):
        users = User.objects.filter(
            agency__name=value[len(AGENCY_PREFIX):].strip(), is_active=True, role_grants__role=role
        ).distinct()
    else:
        users = User.objects.filter(username=value, is_active=True)
    return list(users.select_related("agency"))


def role_holders(*, agency_id: int | None, role: str) -> list[User]:
    """The active holders of ``role`` in one agency."""
    if not agency_id:
        return []
    return list(User.objects.filter(agency_id=agency_id, is_active=True, role_grants__role=role).distinct())
