"""People, vehicles, phones, social media accounts and places."""

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
