"""Writes for guidance: resources directory entries (administrators; versioned, audited) and a
person's own contact details (versioned, audited). A stale edit raises the platform's ``StaleEdit``
(safeguard/platform/versioning.py) and writes nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguard.accounts.models import Role, User
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.language.services import language_flags_kept_record
from safeguard.platform.versioning import (
    StaleEdit,
    created_meanwhile,
    version_bump,
    version_check,
    version_check_first,
)

from .models import ContactDetails, Resource

__all__ = ["ContactData", "ResourceData", "StaleEdit", "contact_details_save", "may_edit_resources", "resource_save"]


def may_edit_resources(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_role(Role.ADMINISTRATOR))


@dataclass(frozen=True)
class ResourceData:
    name: str
    category: str
    description: str
    website: str
    phone: str
    is_active: bool


def resource_save(*, actor: User, data: ResourceData, resource: Resource | None = None, version: int = 0,
                  kept: Mapping[str, Sequence[str]] | None = None) -> Resource:
    """Add an entry (``resource`` None) or change one at the ``version`` the form showed."""
    if not may_edit_resources(actor):
        raise PermissionDenied("Only an administrator edits the resources directory")
    now = timezone.now()
    with transaction.atomic():
        if resource is None:
            entry = Resource.objects.create(**asdict(data), updated_by=actor, updated_at=now,
                                            language_flags_kept=dict(kept or {}))
        else:
            entry = Resource.objects.select_for_update().get(pk=resource.pk)
            version_check(entry, version, label="directory entry")
            for name, value in asdict(data).items():
                setattr(entry, name, value)
            version_bump(entry)
            entry.updated_by = actor
            entry.updated_at = now
            entry.language_flags_kept = dict(kept or {})
            entry.save()
        audit_record(verb=Verb.RESOURCE_SAVED, actor=actor, target=entry,
                     payload={"version": entry.version, "listed": entry.is_active})
        language_flags_kept_record(actor=actor, target=entry, child_id=None, kept=kept or {})
    return entry


@dataclass(frozen=True)
class ContactData:
    phone: str
    email: str
    availability: str


def contact_details_save(*, user: User, data: ContactData, version: int) -> ContactDetails:
    """A person's own contact details for "who to call". ``version`` 0 when there were none."""
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied("Sign in to keep your contact details")
    now = timezone.now()
    try:
        with transaction.atomic():
            details = ContactDetails.objects.select_for_update().filter(user=user).first()
            if details is None:
                version_check_first(version, label="contact details")
                details = ContactDetails.objects.create(user=user, **asdict(data), updated_at=now)
            else:
                version_check(details, version, label="contact details")
                for name, value in asdict(data).items():
                    setattr(details, name, value)
                version_bump(details)
                details.updated_at = now
                details.save()
            audit_record(verb=Verb.CONTACT_DETAILS_SAVED, actor=user, target=details,
                         payload={"version": details.version})
    except IntegrityError:
        raise created_meanwhile("contact details") from None
    return details
