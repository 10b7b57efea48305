"""Links with their 3x5x2 grading, movements, and the networks they form."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from .entities import Entity


class SourceEvaluation(models.TextChoices):
    """3x5x2 grading, source evaluation (intelligence.md design decision)."""

    RELIABLE = "1", "1 — Reliable"
    UNTESTED = "2", "2 — Untested"
    NOT_RELIABLE = "3", "3 — Not reliable"


class IntelligenceAssessment(models.TextChoices):
    KNOWN_DIRECTLY = "A", "A — Known directly to the source"
    CORROBORATED = "B", "B — Known indirectly and corroborated"
    INDIRECT = "C", "C — Known indirectly"
    NOT_KNOWN = "D", "D — Not known"
    SUSPECTED_FALSE = "E", "E — Suspected to be false"


class HandlingCode(models.TextChoices):
    PERMITTED = "P", "P — Lawful sharing permitted"
    CONDITIONS = "C", "C — Sharing subject to conditions"


class LinkKind(models.TextChoices):
    SEEN_WITH = "seen_with", "Seen with"
    PICKED_UP_BY = "picked_up_by", "Picked up by"
    VISITED = "visited", "Visited"
    CALLED_BY = "called_by", "Called or messaged by"
    FOUND_AT = "found_at", "Found at"
    MOVED_FROM = "moved_from", "Moved from"
    MOVED_TO = "moved_to", "Moved to"
    LIVES_AT = "lives_at", "Lives at"
    USES = "uses", "Uses"
    ASSOCIATE = "associate", "Associate of"
    OTHER = "other", "Other association"


class SourceKind(models.TextChoices):
    """Which record a link came from."""

    DIRECT = "direct", "Recorded directly"
    OBSERVATION = "observation", "Observation"
    CHRONOLOGY = "chronology", "Chronology entry"
    SCREENING = "screening", "Screening"
    MISSING_EPISODE = "missing_episode", "Missing episode"
    RETURN_INTERVIEW = "return_interview", "Return interview"
    VISITOR = "visitor", "Visitor log"
    MIGRATED = "migrated", "Read from earlier free text"


class Movement(models.Model):
    """A trafficking concern: a child moved from one place to another, when, with whom and in which
    vehicle (§7). Stored as links that share this movement, so the patterns see every part."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="movements")
    from_place = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    to_place = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField()
    with_person = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    vehicle = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Movement {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("intelligence:child", kwargs={"child_id": self.child_id})


class Link(models.Model):
    """A child joined to an entity, or two entities joined, with what, when, where it came from, who
    recorded it and its 3x5x2 grading. Handling code C is shown wherever the link is shown and keeps
    the link out of exports to agencies outside its conditions."""

    kind = models.CharField(max_length=16, choices=LinkKind.choices)
    child = models.ForeignKey(
        "children.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="intelligence_links"
    )
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="links")
    other = models.ForeignKey(
        Entity, on_delete=models.PROTECT, null=True, blank=True, related_name="links_in",
        help_text="For a link between two entities: the second entity",
    )
    occurred_on = models.DateField(help_text="When the association was seen or happened")
    source_kind = models.CharField(max_length=16, choices=SourceKind.choices, default=SourceKind.DIRECT)
    source_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, null=True, blank=True, related_name="links")
    source_evaluation = models.CharField(max_length=1, choices=SourceEvaluation.choices)
    assessment = models.CharField(max_length=1, choices=IntelligenceAssessment.choices)
    handling = models.CharField(max_length=1, choices=HandlingCode.choices, default=HandlingCode.PERMITTED)
    handling_conditions = models.CharField(max_length=300, blank=True)
    shared_with = models.ManyToManyField(
        "accounts.Agency", blank=True, related_name="+",
        help_text="Handling code C: the agencies its conditions allow it to be shared with (the recording agency "
        "always may); it is left out of exports to any other",
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    language_flags_kept = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(child__isnull=False) & Q(other__isnull=True))
                | (Q(child__isnull=True) & Q(other__isnull=False)),
                name="link_child_or_other_entity",
            ),
            models.CheckConstraint(condition=~Q(entity=models.F("other")), name="link_not_to_itself"),
        ]
        indexes = [
            # Shared entity and hot spot: the children linked to one entity (in a period).
            models.Index(fields=["entity", "child", "occurred_on"], name="link_entity_child"),
            models.Index(fields=["entity", "occurred_on"], name="link_entity_time"),
            # Persons around a child; a child's links, newest first.
            models.Index(fields=["child", "entity"], name="link_child_entity"),
            models.Index(fields=["other"], name="link_other"),
            models.Index(fields=["occurred_on"], name="link_time"),
            models.Index(fields=["source_type", "source_id"], name="link_source"),
        ]

    def __str__(self) -> str:
        return f"Link {self.pk} ({self.kind})"

    def get_absolute_url(self) -> str:
        return reverse("intelligence:entity", kwargs={"entity_id": self.entity_id})

    @property
    def grading(self) -> str:
        """The 3x5x2 grading in short: "2/B/P"."""
        return f"{self.source_evaluation}/{self.assessment}/{self.handling}"

    @property
    def conditional(self) -> bool:
        return self.handling == HandlingCode.CONDITIONS


class Network(models.Model):
    """A connected set of children and entities (intelligence.md pattern 5). Kept incrementally:
    each link joins its two ends' networks, the smaller relabelled into the larger (union by size),
    so a save reads two members and, only when two networks meet, rewrites the smaller one's rows."""

    size = models.PositiveIntegerField(default=0, help_text="Members: children and entities")
    children = models.PositiveIntegerField(default=0, help_text="Children in the network")
    high_risk = models.BooleanField(default=False, help_text="Includes a child assessed at high risk")
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    listed_at = models.DateTimeField(null=True, blank=True, help_text="When it was first listed for the panel")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["listed_at"], name="network_listed")]

    def __str__(self) -> str:
        return f"Network {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("intelligence:network", kwargs={"network_id": self.pk})


class NetworkMember(models.Model):
    """Which network a child or an entity belongs to (one row per node)."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="members")
    child = models.OneToOneField(
        "children.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="network_member"
    )
    entity = models.OneToOneField(Entity, on_delete=models.PROTECT, null=True, blank=True, related_name="member")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(child__isnull=False) & Q(entity__isnull=True))
                | (Q(child__isnull=True) & Q(entity__isnull=False)),
                name="member_child_or_entity",
            ),
        ]
        indexes = [models.Index(fields=["network", "child"], name="member_network")]

    def __str__(self) -> str:
        return f"Member of network {self.network_id}"
