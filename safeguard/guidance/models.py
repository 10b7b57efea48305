"""The resources directory (§18) the board administrator keeps, and the contact details each
professional keeps for themselves, which the "who to call" page lists (§11)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Resource(models.Model):
    """An organisation, helpline or website in the resources directory. Versioned edits."""

    class Category(models.TextChoices):
        NATIONAL = "national", "National services and helplines"
        LOCAL = "local", "Local services"
        GUIDANCE = "guidance", "Guidance and practice"
        YOUNG_PEOPLE = "young_people", "For children, young people and families"

    name = models.CharField(max_length=200)
    category = models.CharField(max_length=16, choices=Category.choices)
    description = models.TextField()
    website = models.URLField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_active = models.BooleanField(default=True, help_text="Listed in the directory")
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()
    language_flags_kept = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


class ContactDetails(models.Model):
    """How to reach a professional, in their own words: kept by them, shown on "who to call"."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_details")
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    availability = models.CharField(max_length=200, blank=True, help_text="When and how best to reach you")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "contact details"

    def __str__(self) -> str:
        return f"Contact details for {self.user}"
