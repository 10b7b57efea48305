from django.conf import settings
from django.db import models
from django.urls import reverse


class BreakGlassAccess(models.Model):
    """A user outside the child's circle opened the record, saying why. Lasts for that session."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass")
    agency = models.ForeignKey("accounts.Agency", null=True, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="break_glass")
    reason = models.TextField()
    session_key = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    told = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="break_glass_told",
        help_text="Who was told of it: the named leads of the child's agencies, or whoever stands in for them",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "break-glass accesses"

    def __str__(self) -> str:
        return f"{self.user} → child {self.child_id} at {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("access:break_glass_log") + f"#break-glass-{self.pk}"

class InvolvementRequest(models.Model):
    """An agency that opened a record by breaking glass asks the child's lead agency to add it to the
    child's circle (issue 11 item 7): writing under break glass never does that by itself. A named
    lead of the lead agency accepts (the agency becomes involved) or declines, with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the lead agency"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="involvement_requests")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    lead_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    reason = models.TextField(max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One open request per agency and child: asking twice is answered by the first.
            models.UniqueConstraint(fields=["child", "agency"], condition=models.Q(status="pending"),
                                    name="one_pending_involvement_request"),
        ]
        indexes = [models.Index(fields=["lead_agency", "status"], name="involvement_request_inbox")]

    def __str__(self) -> str:
        return f"{self.agency} asks to join child {self.child_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("children:involvement_requests")
