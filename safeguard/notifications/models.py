"""Tasks (something a person or a team must do, open until done) and notifications (something
happened). Both may point at a child; both carry a link to the page where the work is done, and
that page checks access again, so a notification never shows more than its recipient may see.

``dedupe_key`` makes raising idempotent: the scheduled checks (``safeguard tick``) and services may
raise the same task or alert twice, and the second is ignored (a unique constraint, not a read
before write).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Task(models.Model):
    """Work owed by a user, or by a team (an agency, optionally one role in it)."""

    kind = models.CharField(max_length=40, help_text="A stable code, e.g. referral_outcome, return_interview")
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=300, help_text="Where the work is done")
    child = models.ForeignKey("children.Child", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=32, blank=True, help_text="With agency: a team task for this role")
    due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_type = models.CharField(max_length=60, blank=True, help_text="app_label.model of what opened it")
    source_id = models.CharField(max_length=60, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["due_at", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(assignee__isnull=False) | Q(agency__isnull=False), name="task_has_an_owner"
            ),
        ]
        indexes = [
            models.Index(fields=["source_type", "source_id"], name="task_source"),
            models.Index(fields=["assignee", "done_at"], name="task_assignee_open"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.done_at is None


class Notification(models.Model):
    """Something the recipient should know: a status change, a task raised, an alert."""

    class Level(models.TextChoices):
        INFO = "info", "Information"
        ALERT = "alert", "Alert"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.INFO)
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=300, blank=True)
    child = models.ForeignKey("children.Child", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], condition=~Q(dedupe_key=""), name="notification_once_per_key"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title
