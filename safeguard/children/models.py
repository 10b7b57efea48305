"""A child's record: identity, identifiers, placement, and which agencies are involved."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Another gender"
    NOT_KNOWN = "not_known", "Not known"


class Child(models.Model):
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=16, choices=Gender.choices, default=Gender.NOT_KNOWN)
    ethnicity = models.CharField(max_length=100, blank=True)
    languages = models.CharField(max_length=200, blank=True, help_text="Languages spoken")
    disabilities = models.CharField(max_length=300, blank=True, help_text="Physical or learning disabilities")
    local_authority = models.CharField(max_length=100, blank=True)
    looked_after = models.BooleanField(default=False)
    placement = models.CharField(max_length=200, blank=True)
    school = models.CharField(max_length=200, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True, db_index=True)
    unique_pupil_number = models.CharField(max_length=13, blank=True)
    police_reference = models.CharField(max_length=50, blank=True)
    lead_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="lead_for_children"
    )
    lead_professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="lead_for_children"
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_records"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def age_on(self, on: date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


class ChildName(models.Model):
    """Every name a child is known by (the record's own and aliases), with phonetic keys for search."""

    class Kind(models.TextChoices):
        PRIMARY = "primary", "Name on record"
        ALIAS = "alias", "Also known as"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="names")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ALIAS)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    first_key = models.CharField(max_length=20, blank=True, db_index=True)
    last_key = models.CharField(max_length=20, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Address(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="addresses")
    line = models.CharField(max_length=300)
    postcode = models.CharField(max_length=10, blank=True)
    from_date = models.DateField(null=True, blank=True)
    to_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-from_date"]

    def __str__(self) -> str:
        return f"{self.line} {self.postcode}".strip()


class Involvement(models.Model):
    """An agency working with the child. It is what lets that agency's staff see the record."""

    class Reason(models.TextChoices):
        RECORDED = "recorded", "Recorded something about the child"
        REFERRAL = "referral", "Brought in by a referral"
        MEETING = "meeting", "Brought in by a meeting"
        LEAD = "lead", "Lead agency"
        ADDED = "added", "Added by a professional"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="involvements")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="involvements")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    since = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "agency"], name="one_involvement_per_agency")]

    def __str__(self) -> str:
        return f"{self.agency} — {self.child_id}"
