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


class SafeguardUserManager(UserManager):
    """A superuser is made only by `safeguard createsuperuser` on the server, and that is audited."""

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        import getpass

        from django.db import transaction

        from safeguard.audit.models import Verb
        from safeguard.audit.services import audit_record

        try:
            server_account = getpass.getuser()
        except (KeyError, OSError):
            server_account = ""
        with transaction.atomic():
            user = super().create_superuser(username, email, password, **extra_fields)
            audit_record(verb=Verb.SUPERUSER_CREATED, target=user,
                         payload={"via": "createsuperuser", "server_account": server_account[:100]})
        return user


class User(AbstractUser):
    """A professional. Belongs to exactly one agency (none only for the bootstrap superuser)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    job_title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    must_change_password = models.BooleanField(
        default=False, help_text="Asked to choose a new password at the next sign-in (training site accounts)"
    )

    objects = SafeguardUserManager()  # type: ignore[misc]  # audits createsuperuser

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


class RoleGrantRequest(models.Model):
    """A child-level role for an administrator-only account waits for a second administrator (four eyes)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a second administrator"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grant_requests")
    role = models.CharField(max_length=32, choices=Role.choices)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"], condition=models.Q(status="pending"), name="one_pending_grant_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.get_status_display()})"


class EnrolmentCode(models.Model):
    """A one-time code an administrator gives a person to set up two-factor (issue 11 item 18).

    Whoever first holds the password must not be the one who gets the authenticator secret: the
    enrolment page shows the secret only after this code. Only its hash is kept.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolment_codes")
    code_hash = models.CharField(max_length=64)
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "expires_at"], name="enrolment_code_user")]

    def __str__(self) -> str:
        return f"enrolment code for {self.user} until {self.expires_at:%Y-%m-%d %H:%M}"
