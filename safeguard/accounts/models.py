"""Agencies, users and the roles they hold (../shared/domain/workflow.md, handbook §10-§11)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models


class AgencyKind(models.TextChoices):
    HEALTH = "health", "Health"
    LEAVING_CARE = "leaving_care", "Leaving care"
    POLICE = "police", "Police"
    PROBATION = "probation", "Probation"
    RESIDENTIAL = "residential", "Residential child care"
    SCHOOL = "school", "School or college"
    CSC = "csc", "Children's social care (Family Contact Point / MASH)"
    VOLUNTARY = "voluntary", "Voluntary and community sector"
    EARLY_INTERVENTION = "early_intervention", "Early intervention"
    YOUTH_OFFENDING = "youth_offending", "Youth offending team"
    HOUSING = "housing", "Housing"
    COUNCIL = "council", "Other council services"
    LSCB = "lscb", "Safeguarding children board"


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    NAMED_LEAD = "named_lead", "Named lead professional for CSE"
    DESIGNATED_LEAD = "designated_lead", "Designated safeguarding lead"
    SENIOR_MANAGER = "senior_manager", "Senior manager"
    CSC_MASH = "csc_mash", "Children's social care (Family Contact Point / MASH)"
    POLICE_LEAD = "police_lead", "Police CSE lead / missing-person coordinator"
    MARP_CHAIR = "marp_chair", "Risk panel chair"
    MARP_MEMBER = "marp_member", "Risk panel member"
    LSCB_ANALYST = "lscb_analyst", "Safeguarding board analyst"
    ADMINISTRATOR = "administrator", "Administrator"


# Roles that work with child-level records at all. An analyst or an administrator holding no
# other role sees aggregates and accounts only.
CHILD_LEVEL_ROLES = frozenset(
    {
        Role.PRACTITIONER,
        Role.NAMED_LEAD,
        Role.DESIGNATED_LEAD,
        Role.SENIOR_MANAGER,
        Role.CSC_MASH,
        Role.POLICE_LEAD,
        Role.MARP_CHAIR,
        Role.MARP_MEMBER,
    }
)


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=AgencyKind.choices)
    area = models.CharField(max_length=100, blank=True, help_text="Locality or team the agency covers")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A professional. Belongs to exactly one agency (none only for the bootstrap superuser)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    job_title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)

    objects = UserManager()  # type: ignore[misc]  # our manager, with create_user for agencies

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    # Roles are loaded once per request object; see `role_set`.
    @property
    def role_set(self) -> frozenset[str]:
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(self.role_grants.values_list("role", flat=True)) if self.pk else frozenset()
            self._role_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        return [Role(r).label for r in Role.values if r in self.role_set]


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"
