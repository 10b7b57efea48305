"""Disruption (§15 Pursue), National Referral Mechanism referrals (§7) and earlier free text to review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from .alerts import Alert
from .entities import Entity


class DisruptionAction(models.TextChoices):
    CAWN_SERVED = "cawn_served", "Child abduction warning notice served"
    CAWN_BREACHED = "cawn_breached", "Child abduction warning notice breached"
    LICENSING_VISIT = "licensing_visit", "Licensing visit to premises"
    VEHICLE_STOP = "vehicle_stop", "Vehicle stop"
    ARREST = "arrest", "Arrest"
    CHARGE = "charge", "Charge"
    OTHER = "other", "Other disruption"


class Disruption(models.Model):
    """An action against a person of concern, a place or a vehicle (§15 Pursue)."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="disruptions")
    action = models.CharField(max_length=16, choices=DisruptionAction.choices)
    occurred_on = models.DateField()
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    outcome = models.TextField()
    review_on = models.DateField(null=True, blank=True)
    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, null=True, blank=True, related_name="disruptions")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    language_flags_kept = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["entity", "-occurred_on"], name="disruption_entity"),
            models.Index(fields=["occurred_on"], name="disruption_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.occurred_on:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("intelligence:entity", kwargs={"entity_id": self.entity_id})


class GroundsDecision(models.TextChoices):
    PENDING = "pending", "Awaited"
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"


class NrmReferral(models.Model):
    """A National Referral Mechanism referral for a child thought to be trafficked (§7). A child's
    consent is not needed under 18; the first responder agency refers."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="nrm_referrals")
    referred_on = models.DateField()
    first_responder = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=60, blank=True)
    summary = models.TextField(help_text="Why the child is thought to be trafficked")
    reasonable_grounds = models.CharField(max_length=8, choices=GroundsDecision.choices, default="pending")
    reasonable_grounds_on = models.DateField(null=True, blank=True)
    conclusive_grounds = models.CharField(max_length=8, choices=GroundsDecision.choices, default="pending")
    conclusive_grounds_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    language_flags_kept = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-referred_on", "-id"]

    def __str__(self) -> str:
        return f"National Referral Mechanism referral {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("intelligence:nrm", kwargs={"child_id": self.child_id, "nrm_id": self.pk})


class FreeTextReview(models.Model):
    """Earlier free text (people, places, vehicles on observations and returns) that could not be
    read unambiguously into entities: listed for named leads to review and link by hand."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="+")
    source_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=40)
    text = models.TextField()
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, null=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source_type", "source_id", "field"], name="review_once_per_field"),
        ]
        indexes = [models.Index(fields=["agency", "reviewed_at"], name="review_agency_open")]

    def __str__(self) -> str:
        return f"Free text to review {self.pk}"
