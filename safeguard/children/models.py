"""A child's record: identity, identifiers, placement, and which agencies are involved."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.urls import reverse

from safeguard.platform.validators import DETAILS_MAX_LENGTH, length_checks
from safeguard.platform.versioning import Versioned


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Another gender"
    NOT_KNOWN = "not_known", "Not known"


class Child(Versioned):
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=16, choices=Gender.choices, default=Gender.NOT_KNOWN)
    ethnicity = models.CharField(max_length=100, blank=True)
    languages = models.CharField(max_length=200, blank=True, help_text="Languages spoken")
    disabilities = models.CharField(max_length=300, blank=True, help_text="Physical or learning disabilities")
    local_authority = models.CharField(max_length=100, blank=True)
    looked_after = models.BooleanField(default=False)
    placement = models.CharField(max_length=200, blank=True)
    school = models.CharField(max_length=200, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True, db_index=True)
    unique_pupil_number = models.CharField(max_length=13, blank=True)
    police_reference = models.CharField(max_length=50, blank=True)
    lead_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="lead_for_children"
    )
    lead_professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_for_children",
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_records"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"
        # Records changed since a time, in order: what the retention tick reads (records/tick.py).
        indexes = [models.Index(fields=["updated_at", "id"], name="child_updated")]
        # SQLite keeps the same lengths as PostgreSQL (issue 11 item 15).
        constraints = length_checks("child", {
            "first_name": 100, "last_name": 100, "preferred_name": 100, "ethnicity": 100, "languages": 200,
            "disabilities": 300, "local_authority": 100, "placement": 200, "school": 200, "nhs_number": 10,
            "unique_pupil_number": 13, "police_reference": 50,
        })

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("children:detail", kwargs={"child_id": self.pk})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def age_on(self, on: date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


class ChildName(models.Model):
    """Every name a child is known by (the record's own and aliases), with phonetic keys for search."""

    class Kind(models.TextChoices):
        PRIMARY = "primary", "Name on record"
        ALIAS = "alias", "Also known as"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="names")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ALIAS)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    first_key = models.CharField(max_length=20, blank=True, db_index=True)
    last_key = models.CharField(max_length=20, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class NameKey(models.Model):
    """One word of a name a child is known by, with its sound-alike keys: what search looks up.

    Every word of the record's own name and of each alias has a row ("Smith-Jones" gives "smith",
    "jones" and "smithjones"), so one word finds the child and one part of a double-barrelled surname
    matches. ``key`` is the metaphone key, ``key2`` the NYSIIS key; on PostgreSQL ``word`` also has a
    trigram index (migration 0005) for misspellings neither key catches. Rebuilt for a child by
    ``children.search.name_index_refresh`` whenever the child's names or date of birth change; a
    record merged into another has no rows (it is never offered).
    """

    class Part(models.TextChoices):
        FIRST = "first", "First name"
        LAST = "last", "Last name"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="name_keys")
    part = models.CharField(max_length=5, choices=Part.choices)
    alias = models.BooleanField(default=False)
    word = models.CharField(max_length=100)
    key = models.CharField(max_length=20)
    key2 = models.CharField(max_length=20)
    # The child's date of birth, copied here so that search ranks without joining the records.
    born = models.DateField(null=True, blank=True)

    class Meta:
        # Each lookup reads the newest children first and stops at a cap (children.search): the
        # child id after the key lets the index give them in that order (issue 15).
        indexes = [
            models.Index(fields=["key", "-child"], name="namekey_key_child"),
            models.Index(fields=["key2", "-child"], name="namekey_key2_child"),
            models.Index(fields=["word", "-child"], name="namekey_word_child"),
            models.Index(fields=["born", "-child"], name="namekey_born_child"),
        ]

    def __str__(self) -> str:
        return self.word


class NameWord(models.Model):
    """Every distinct word in the name index, once: what misspellings are matched against.

    On PostgreSQL ``word`` has a trigram index (migration 0012); a typed word is compared with these
    few thousand spellings, not with every row of ``NameKey``, so the cost of a misspelt search does
    not grow with the number of children. Words are added by ``children.search.name_index_refresh``
    and never removed (a word no child has any more finds nobody).
    """

    word = models.CharField(max_length=100, unique=True)

    def __str__(self) -> str:
        return self.word


class Address(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="addresses")
    line = models.CharField(max_length=300)
    postcode = models.CharField(max_length=10, blank=True)
    from_date = models.DateField(null=True, blank=True)
    to_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-from_date"]

    def __str__(self) -> str:
        return f"{self.line} {self.postcode}".strip()


class Involvement(models.Model):
    """An agency working with the child. It is what lets that agency's staff see the record."""

    class Reason(models.TextChoices):
        RECORDED = "recorded", "Recorded something about the child"
        REFERRAL = "referral", "Brought in by a referral"
        MEETING = "meeting", "Brought in by a meeting"
        LEAD = "lead", "Lead agency"
        ADDED = "added", "Added by a professional"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="involvements")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="involvements")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    since = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "agency"], name="one_involvement_per_agency")]
        # A practitioner's visible records: the agency's child ids from the index alone (issue 15).
        indexes = [models.Index(fields=["agency", "child"], name="involvement_agency_child")]

    def __str__(self) -> str:
        return f"{self.agency} — {self.child_id}"


class Source(models.TextChoices):
    """How the recorder knows what they recorded (issue 4 item 2)."""

    SEEN = "seen", "I saw or heard it myself"
    TOLD_BY_CHILD = "told_by_child", "The child told me"
    TOLD_BY_OTHER = "told_by_other", "Another person told me"


class Observation(models.Model):
    """Signs and indicators seen in a child: one or more §5/§6 codes (I, P, U, L), with what happened.

    ``indicators`` holds codes only (I1-I25, P1-P7, U1-U12, L1-L8); their texts come from the rules
    package's catalogue. People, places and vehicles are plain text until the intelligence issue
    turns them into linked entities.
    """

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="observations")
    indicators = models.JSONField(default=list)
    occurred_at = models.DateTimeField(help_text="When what was observed happened")
    occurred_time_known = models.BooleanField(default=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=16, choices=Source.choices)
    source_detail = models.CharField(
        max_length=200, blank=True, help_text="Who told the recorder, if not the child"
    )
    details = models.TextField()
    people = models.TextField(blank=True)
    places = models.TextField(blank=True)
    vehicles = models.TextField(blank=True)
    language_flags_kept = models.JSONField(default=dict, blank=True, help_text="Field name → flag codes kept")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = length_checks("observation", {"details": DETAILS_MAX_LENGTH})

    def __str__(self) -> str:
        return f"Observation {self.pk} ({', '.join(self.indicators)})"

    def get_absolute_url(self) -> str:
        return reverse("children:observation", kwargs={"child_id": self.child_id, "observation_id": self.pk})


class ChronologyEntry(models.Model):
    """A free-text note on a child's chronology, with the same when / who / agency / source."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="chronology_entries")
    occurred_at = models.DateTimeField()
    occurred_time_known = models.BooleanField(default=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=16, choices=Source.choices)
    source_detail = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    language_flags_kept = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "chronology entries"

    def __str__(self) -> str:
        return f"Chronology entry {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("children:entry", kwargs={"child_id": self.child_id, "entry_id": self.pk})


class ChronologyItem(models.Model):
    """One thing on a child's merged timeline, whichever app recorded it (§10.1.7).

    Every app that writes something about a child calls ``children.chronology.record_on_file`` in the
    same transaction, so the timeline is one indexed table read, newest first, with no per-kind
    queries. ``source`` points at the record itself; ``url`` is its detail page, if it has one.
    """

    class Kind(models.TextChoices):
        OBSERVATION = "observation", "Observation"
        NOTE = "note", "Note"
        SCREENING = "screening", "Screening (Form A)"
        FORM_B = "form_b", "Full assessment (Form B)"
        REFERRAL = "referral", "Referral"
        DECISION = "decision", "Decision"
        ASSESSMENT = "assessment", "Sexual activity assessment"
        MISSING_EPISODE = "missing_episode", "Missing episode"
        RETURN_INTERVIEW = "return_interview", "Return interview"
        VISITOR = "visitor", "Caller or visitor"
        MEETING = "meeting", "Meeting"
        INTELLIGENCE = "intelligence", "Intelligence"
        RECORD = "record", "Change to the record"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="chronology")
    occurred_at = models.DateTimeField()
    occurred_time_known = models.BooleanField(default=True, help_text="False when only the day is known")
    recorded_at = models.DateTimeField()
    kind = models.CharField(max_length=32, choices=Kind.choices)
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.CharField(max_length=300)
    tags = models.JSONField(
        default=list, blank=True, help_text="Short codes shown beside the summary, e.g. the §5/§6 indicators seen"
    )
    source_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    url = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["child", "-occurred_at", "-id"], name="chronology_child_time"),
            # The home page's "your agency's children": the agency's newest items first (issue 15).
            models.Index(fields=["agency", "-recorded_at", "-id"], name="chronology_agency_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"

    @property
    def tag_labels(self) -> list[tuple[str, str]]:
        """Each tag with what it stands for (an indicator code's text), for the page and the print."""
        from .indicators import INDICATOR_TEXT

        return [(tag, INDICATOR_TEXT.get(tag, "")) for tag in self.tags or ()]


class ChildMerge(models.Model):
    """Two records found to be the same child: ``merged`` now points to ``kept`` (both histories kept).

    ``moved`` lists the ids of what moved to the kept record, by kind, so the merge can be explained
    (and if ever needed, undone by hand).
    """

    kept = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.OneToOneField(Child, on_delete=models.PROTECT, related_name="merge_record")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    moved = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Record {self.merged_id} merged into {self.kept_id}"
