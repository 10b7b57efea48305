"""People, vehicles, phones, social media accounts and places, their links to children and to each
other, the networks they form, the alerts those links raise, disruption and National Referral
Mechanism records (handbook §7, §10, §11.2, §13, §15; intelligence.md).

Every write goes through ``services``; nothing here has logic beyond labels and links.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class EntityKind(models.TextChoices):
    PERSON = "person", "Person of concern"
    VEHICLE = "vehicle", "Vehicle"
    PHONE = "phone", "Phone number"
    SOCIAL = "social", "Social media account"
    PLACE = "place", "Place"


class PlaceType(models.TextChoices):
    ADDRESS = "address", "House or flat"
    HOTEL = "hotel", "Hotel or guest house"
    TAKEAWAY = "takeaway", "Takeaway or restaurant"
    SHOP = "shop", "Shop or shopping centre"
    PARK = "park", "Park or open space"
    TRANSPORT = "transport", "Bus or railway station"
    PUB = "pub", "Pub, bar or club"
    TAXI = "taxi", "Taxi office"
    OTHER = "other", "Other place"


class Entity(models.Model):
    """One person of concern, vehicle, phone number, social media account or place.

    ``key`` is the normalised key (``keys.py``): registration, E.164 number, platform:handle, or the
    place's postcode and first line / name. It is unique per kind, so saving one that exists lands
    on the existing entity. A person has no key (``""``): people are offered as likely matches by
    name and age (``PersonName``) before a new one is made.
    """

    kind = models.CharField(max_length=8, choices=EntityKind.choices)
    key = models.CharField(max_length=200, blank=True)
    label = models.CharField(max_length=200, help_text="How the entity is shown: name, registration, number")
    description = models.TextField(blank=True)
    # Person of concern
    approx_age = models.PositiveSmallIntegerField(null=True, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    # Vehicle
    registration = models.CharField(max_length=20, blank=True)
    make = models.CharField(max_length=60, blank=True)
    vehicle_model = models.CharField(max_length=60, blank=True)
    colour = models.CharField(max_length=40, blank=True)
    # Social media account
    platform = models.CharField(max_length=40, blank=True)
    handle = models.CharField(max_length=100, blank=True)
    # Place
    place_name = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    place_type = models.CharField(max_length=12, choices=PlaceType.choices, blank=True)
    area = models.CharField(max_length=100, blank=True, db_index=True, help_text="Locality, town or city")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    of_concern = models.BooleanField(default=False, help_text="A known place of concern or hot spot")

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "label", "id"]
        verbose_name_plural = "entities"
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], condition=~Q(key=""), name="entity_one_per_key"),
            models.CheckConstraint(condition=Q(kind="person") | ~Q(key=""), name="entity_key_unless_person"),
        ]
        indexes = [
            # Prefix search on keys (a partial registration): pattern ops so LIKE 'AB12%' uses it on PostgreSQL.
            models.Index(fields=["key"], name="entity_key", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["kind", "label"], name="entity_kind_label"),
            models.Index(fields=["postcode"], name="entity_postcode"),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("intelligence:entity", kwargs={"entity_id": self.pk})

    @property
    def is_person(self) -> bool:
        return self.kind == EntityKind.PERSON


class PersonName(models.Model):
    """One word of a name or alias a person of concern is known by (or of a named place's name), with
    sound-alike keys (the children app's matcher): what the likely-match offer and the name search
    look up, by index, instead of scanning labels."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=200, help_text="The name or alias as recorded")
    alias = models.BooleanField(default=False)
    word = models.CharField(max_length=100)
    key = models.CharField(max_length=20)
    key2 = models.CharField(max_length=20)

    class Meta:
        indexes = [
            models.Index(fields=["key"], name="personname_key"),
            models.Index(fields=["key2"], name="personname_key2"),
            models.Index(fields=["word"], name="personname_word", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.name


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
