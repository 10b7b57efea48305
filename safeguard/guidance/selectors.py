"""Reads for guidance: the resources directory and who to call (each agency's named leads and
designated leads, with the contact details they keep themselves)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from safeguard.accounts.models import Agency, Role, RoleGrant, User

from .models import ContactDetails, Resource

WHO_TO_CALL_ROLES = (Role.NAMED_LEAD, Role.DESIGNATED_LEAD)
WHO_TO_CALL_LIMIT = 500


def resources(*, include_hidden: bool = False) -> QuerySet[Resource]:
    found = Resource.objects.all() if include_hidden else Resource.objects.filter(is_active=True)
    return found.order_by("category", "name")


@dataclass
class AgencyContacts:
    agency: Agency
    named_leads: list[User] = field(default_factory=list)
    designated_leads: list[User] = field(default_factory=list)


def who_to_call() -> list[AgencyContacts]:
    """Agencies with at least one named or designated lead, and those people with their contact
    details. Two queries (people with their agency and roles, then their details), however many."""
    people = list(
        User.objects.filter(is_active=True, agency__isnull=False, role_grants__role__in=WHO_TO_CALL_ROLES)
        .distinct().select_related("agency", "contact_details")
        .prefetch_related(Prefetch("role_grants", queryset=RoleGrant.objects.only("user_id", "role")))
        .order_by("agency__name", "last_name", "first_name")[:WHO_TO_CALL_LIMIT]
    )
    by_agency: dict[int, AgencyContacts] = {}
    for person in people:
        roles = {grant.role for grant in person.role_grants.all()}
        if person.agency is None:  # filtered out above; for the type checker
            continue
        entry = by_agency.setdefault(person.agency.pk, AgencyContacts(person.agency))
        if Role.NAMED_LEAD in roles:
            entry.named_leads.append(person)
        if Role.DESIGNATED_LEAD in roles:
            entry.designated_leads.append(person)
    return list(by_agency.values())


def contact_details_for(user: User) -> ContactDetails | None:
    return ContactDetails.objects.filter(user=user).first()
