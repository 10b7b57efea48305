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
