"""A referral: a child, who referred from which agency, where to, why, what travelled with it, and
what happened to it, each step with who and when (workflow.md "Referrals", §10.4.4)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models


class Destination(models.TextChoices):
    CSC = "csc", "Children's social care (Family Contact Point / MASH)"
    POLICE = "police", "Police"
    LADO = "lado", "Local authority designated officer (LADO)"
    MARP = "marp", "Multi-Agency Risk Panel"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    SENT = "sent", "Sent"
    RECEIVED = "received", "Received"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    OUTCOME_RECORDED = "outcome_recorded", "Outcome recorded"


class Referral(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="referrals")
    referrer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made")
    referring_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    destination = models.CharField(max_length=16, choices=Destination.choices)
    destination_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals_received",
        help_text="The receiving team's agency, where it is known",
    )
    destination_other = models.CharField(max_length=200, blank=True, help_text="Where, when the destination is Other")
    reason = models.TextField()
    # What the referral came from (a screening, an assessment), which travels with it.
    source_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SENT)
    priority = models.CharField(max_length=8, blank=True, help_text="red, amber or green once triaged")
    sent_at = models.DateTimeField()
    outcome = models.TextField(blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["destination", "status", "-sent_at"], name="referral_queue"),
            models.Index(fields=["source_type", "source_id"], name="referral_source"),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} to {self.get_destination_display()}"


class ReferralEvent(models.Model):
    """Every step of a referral's life, with who and when: the history the referrer and receiver see."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.status} {self.at:%Y-%m-%d %H:%M}"
