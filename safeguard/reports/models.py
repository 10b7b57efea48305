"""Read-only aggregates need no tables of their own; the one thing this app keeps is each member of
staff's CSE training (§1, §11.2): which team they are in and when they last completed each course."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Course(models.TextChoices):
    AWARENESS = "awareness", "CSE awareness course"
    MULTI_AGENCY = "multi_agency", "Multi-agency one-day course"


class TrainingRecord(models.Model):
    """One row per member of staff: their team and the date they last completed each course.

    Edited by the named lead of their agency or an administrator; versioned, so that two people
    editing at once cannot overwrite each other (the edit form carries ``version``)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training")
    team = models.CharField(max_length=100, blank=True, help_text="The team within the agency, for coverage")
    awareness_completed_on = models.DateField(null=True, blank=True)
    multi_agency_completed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return f"Training record for {self.user}"
