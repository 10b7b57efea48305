"""Pattern alerts, who they went to, and what was done."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from .entities import Entity
from .links import Link, Network


class Pattern(models.TextChoices):
    SHARED_ENTITY = "shared_entity", "One entity linked to several children"
    SEVERAL_PERSONS = "several_persons", "Several persons of concern around one child"
    HOT_SPOT = "hot_spot", "A place linked to several children (hot spot)"
    NETWORK = "network", "A network for the risk panel"


class Alert(models.Model):
    """A pattern found when a link was saved, once per pattern and subject (``subject_key``: the
    entity, child or network), enforced by a unique constraint so two concurrent saves raise one."""

    pattern = models.CharField(max_length=16, choices=Pattern.choices)
    subject_key = models.CharField(max_length=40)
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, null=True, blank=True, related_name="alerts")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    network = models.ForeignKey(Network, on_delete=models.PROTECT, null=True, blank=True, related_name="alerts")
    link = models.ForeignKey(Link, on_delete=models.PROTECT, related_name="alerts", help_text="The link that raised it")
    title = models.CharField(max_length=200, help_text="What was found, without any child's name")
    raised_at = models.DateTimeField()

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["pattern", "subject_key"], name="alert_once_per_pattern_subject"),
        ]
        indexes = [models.Index(fields=["-raised_at"], name="alert_recent")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("intelligence:alert", kwargs={"alert_id": self.pk})


class AlertChild(models.Model):
    """A child an alert concerns (what decides which named leads are told)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="alert_children")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "child"], name="alert_child_once")]

    def __str__(self) -> str:
        return f"Alert {self.alert_id} concerns record {self.child_id}"


class AlertRecipient(models.Model):
    """Who an alert was sent to, when they first opened it."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    why = models.CharField(max_length=20, help_text="named_lead, police_lead or panel")
    viewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "user"], name="alert_recipient_once")]
        indexes = [models.Index(fields=["user", "alert"], name="alert_recipient_user")]

    def __str__(self) -> str:
        return f"Alert {self.alert_id} to user {self.user_id}"


class AlertAction(models.Model):
    """What someone did about an alert."""

    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="actions")
    text = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Action on alert {self.alert_id}"
