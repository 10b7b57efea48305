"""Missing episodes, return interviews, callers and visitors, and the profile for the police.

Handbook §6 (going missing is the most immediate indicator), §10.5.4-§10.5.11 (what residential
staff record), §14 and §14.1 (classification, review, return interviews); missing.md.

People, places, vehicles and phones are plain text (one a line) until the intelligence issue turns
them into linked entities. Every write goes through ``services.py``; nothing here has logic.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from safeguard.platform.versioning import Versioned


class MissingFrom(models.TextChoices):
    HOME = "home", "Home"
    CARE = "care", "Care (residential or foster)"
    OTHER = "other", "Somewhere else"


class Classification(models.TextChoices):
    ABSENT = "absent", "Absent"
    MISSING = "missing", "Missing"


class Episode(Versioned):
    """One time a child was absent or missing, from the report to the return (§14; missing.md)."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="missing_episodes")
    missing_from = models.CharField(max_length=8, choices=MissingFrom.choices)
    placement = models.CharField(
        max_length=200, blank=True, help_text="The home or placement the child was missing from"
    )
    last_seen_at = models.DateTimeField()
    last_seen_where = models.TextField(blank=True)
    circumstances = models.TextField(blank=True)
    reported_at = models.DateTimeField(help_text="When the episode was recorded here")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", help_text="The reporting agency"
    )
    reported_to_police = models.BooleanField(default=False)
    police_reported_at = models.DateTimeField(null=True, blank=True)
    police_reference = models.CharField(max_length=50, blank=True)
    classification = models.CharField(max_length=8, choices=Classification.choices)
    language_flags_kept = models.JSONField(default=dict, blank=True)

    # The return (§10.5.7): empty until the child is found or comes back.
    returned_at = models.DateTimeField(null=True, blank=True)
    found_where = models.TextField(blank=True)
    who_with = models.TextField(blank=True)
    vehicles = models.TextField(blank=True)
    addresses = models.TextField(blank=True)
    phones = models.TextField(blank=True)
    names_mentioned = models.TextField(blank=True)
    harmed = models.BooleanField(default=False)
    criminal_activity = models.BooleanField(default=False)
    risky_contact = models.BooleanField(default=False)
    mental_health_or_ld = models.BooleanField(default=False)
    other_risk = models.TextField(blank=True, help_text="Other identifiable risk factors, if any")
    appearance = models.TextField(blank=True)
    items_retained = models.TextField(blank=True, help_text="Clothing or items kept for the police (§10.5.7)")
    return_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        indexes = [
            models.Index(fields=["child", "-last_seen_at"], name="episode_child_time"),
            models.Index(fields=["last_seen_at", "returned_at"], name="episode_period"),
            # The API list's keyset order, newest first (issue 15). It carries the child too, so the
            # §14 review list counts a period's episodes per child from the index alone (PostgreSQL;
            # other databases ignore ``include``).
            models.Index(fields=["-last_seen_at", "-id"], include=["child"], name="episode_recent_child"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | Q(returned_at__gte=models.F("last_seen_at")),
                name="episode_returns_after_last_seen",
            ),
        ]

    def __str__(self) -> str:
        return f"Missing episode {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("missing:episode", kwargs={"child_id": self.child_id, "episode_id": self.pk})

    @property
    def is_open(self) -> bool:
        return self.returned_at is None

    @property
    def duration_hours(self) -> float | None:
        if self.returned_at is None:
            return None
        return (self.returned_at - self.last_seen_at).total_seconds() / 3600


class ReturnCorrection(models.Model):
    """A correction of a recorded return (issue 10): who, when, why, and each detail before and after.
    The return keeps its first recorder; the corrections are its history, newest last."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="return_corrections")
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField()
    reason = models.TextField()
    changes = models.JSONField(help_text="{field: [before, after]} for each detail corrected")

    class Meta:
        ordering = ["corrected_at", "id"]

    def __str__(self) -> str:
        return f"Correction {self.pk} of the return of episode {self.episode_id}"

    def get_absolute_url(self) -> str:
        return self.episode.get_absolute_url()


class ClassificationChange(models.Model):
    """Every classification an episode has had, with who, when and why (§14). The first is the report."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="classification_changes")
    from_value = models.CharField(max_length=8, blank=True)
    to_value = models.CharField(max_length=8, choices=Classification.choices)
    reason = models.TextField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_value or 'reported'} → {self.to_value}"

    def get_absolute_url(self) -> str:
        return self.episode.get_absolute_url()


class ReturnInterview(models.Model):
    """The return interview the rules asked for (§14.1), and what became of it."""

    class Requirement(models.TextChoices):
        REQUIRED = "required", "Required"
        OFFER = "offer", "Offered"

    class Status(models.TextChoices):
        PENDING = "pending", "Not yet done"
        COMPLETED = "completed", "Completed"
        DECLINED = "declined", "Declined by the child"
        NOT_CONDUCTED = "not_conducted", "Not conducted"

    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="interview")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="return_interviews")
    requirement = models.CharField(max_length=8, choices=Requirement.choices)
    priority = models.BooleanField(default=False)
    priority_reasons = models.JSONField(default=list, help_text="Codes from the rules, alphabetical")
    reasons = models.JSONField(default=list, help_text="The rules' explanation: [{text, section}]")
    cse_risk_derived = models.BooleanField(
        default=False, help_text="Known CSE risk found on the child's record when the return was recorded"
    )
    rules_version = models.CharField(max_length=40)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    interviewer_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    arranged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    conducted_at = models.DateTimeField(null=True, blank=True)
    child_account = models.TextField(blank=True, help_text="What the child said about where they were and why")
    risks_identified = models.TextField(blank=True)
    actions_agreed = models.TextField(blank=True)
    not_conducted_reason = models.TextField(blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    language_flags_kept = models.JSONField(default=dict, blank=True)
    due_soon_alerted_at = models.DateTimeField(null=True, blank=True)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="interview_due"),
            # The API list's keyset order, soonest due first (issue 15).
            models.Index(fields=["due_at", "id"], name="interview_due_order"),
        ]

    def __str__(self) -> str:
        return f"Return interview {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("missing:interview", kwargs={"child_id": self.child_id, "episode_id": self.episode_id})


class PoliceSubmission(models.Model):
    """Something sent to the police inbox: a return interview form, a notice that no interview took
    place (§14.1), or the child's profile when they are missing. ``snapshot`` is what was sent."""

    class Kind(models.TextChoices):
        INTERVIEW_FORM = "interview_form", "Return interview form"
        NO_INTERVIEW = "no_interview", "No return interview: the reason"
        PROFILE = "profile", "Profile of a missing child"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(
        Episode, null=True, blank=True, on_delete=models.PROTECT, related_name="police_submissions"
    )
    interview = models.ForeignKey(
        ReturnInterview, null=True, blank=True, on_delete=models.PROTECT, related_name="police_submissions"
    )
    recipient_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    recipient = models.CharField(max_length=200, help_text="Who it went to, in words")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sending_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    snapshot = models.JSONField(default=dict)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["recipient_agency", "-sent_at"], name="police_inbox")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    def get_absolute_url(self) -> str:
        """Where the sending shows on the child's file: the episode, or the profile."""
        if self.episode is not None:
            return self.episode.get_absolute_url()
        return reverse("missing:profile", kwargs={"child_id": self.child_id})

    def inbox_url(self) -> str:
        """The police inbox's page for this sending."""
        return reverse("missing:police_submission", kwargs={"submission_id": self.pk})


class Visitor(models.Model):
    """A caller or visitor to a home asking for a child (§10.5.11), recorded by residential staff."""

    class How(models.TextChoices):
        IN_PERSON = "in_person", "Came to the home"
        PHONE = "phone", "Phoned"
        ONLINE = "online", "Messaged online"

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="visitors")
    how = models.CharField(max_length=10, choices=How.choices)
    occurred_at = models.DateTimeField()
    name_given = models.CharField(max_length=200, blank=True)
    description = models.TextField(help_text="What they looked like, how old they seemed, what they said")
    vehicle = models.TextField(blank=True)
    phone = models.CharField(max_length=100, blank=True)
    turned_away = models.BooleanField(default=False)
    told_childs_age = models.BooleanField(
        default=False, help_text="Told the child's age and that the police will be involved (§10.5.11)"
    )
    passed_to_police = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"Caller or visitor {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("missing:visitor", kwargs={"child_id": self.child_id, "visitor_id": self.pk})


def _photo_path(instance: ProfilePhoto, filename: str) -> str:
    # Never the uploaded name: it may carry the child's name. The service sets ``stored_name``.
    return f"missing/photos/{instance.stored_name}"


class ProfilePhoto(models.Model):
    """A photo for the profile. Kept when replaced, because a sent profile points at the one it showed.
    Stored under MEDIA_ROOT and served only by the access-checked view, never as public media."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="+")
    stored_name = models.CharField(max_length=80, unique=True)
    file = models.FileField(upload_to=_photo_path, max_length=200)
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Photo {self.pk}"


class Profile(Versioned):
    """The one-page profile carers keep current for the police (Philomena-style; missing.md)."""

    child = models.OneToOneField("children.Child", on_delete=models.PROTECT, related_name="missing_profile")
    description = models.TextField(blank=True, help_text="Height, build, hair, marks, clothing usually worn")
    photo = models.ForeignKey(ProfilePhoto, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    phones = models.TextField(blank=True)
    associates = models.TextField(blank=True)
    places = models.TextField(blank=True)
    vehicles = models.TextField(blank=True)
    other_information = models.TextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Profile for record {self.child_id}"

    def get_absolute_url(self) -> str:
        return reverse("missing:profile", kwargs={"child_id": self.child_id})


class CoMissingLink(models.Model):
    """Two children's episodes that overlapped in time and shared a place, person, vehicle or
    placement (§10.5.4). ``episode_a`` has the lower id; ``shared`` lists what matched."""

    episode_a = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="+")
    episode_b = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="+")
    shared = models.JSONField(default=list, help_text="[{kind, value}]")
    found_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["episode_a", "episode_b"], name="one_link_per_pair"),
            models.CheckConstraint(condition=Q(episode_a__lt=models.F("episode_b")), name="link_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"Episodes {self.episode_a_id} and {self.episode_b_id}"
