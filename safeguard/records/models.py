"""Records management: when a child's record comes due, what holds it, the signed decision that
disposes of it, the tombstone left behind, and subject access requests (docs/records.md, ADR 19).

A ``DisposalDecision`` names the child by id only and holds no personal data, so it outlives the
record as its tombstone (what kind of record, under which rule, who decided, when it went). Audit
events name children by id and their payloads carry codes and counts only, so disposal never needs
to touch the append-only audit table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class RetentionSchedule(models.Model):
    """When one child's record comes due for review, and under which rule (refreshed by the tick
    and whenever the record's page is opened)."""

    child = models.OneToOneField("children.Child", on_delete=models.CASCADE, related_name="retention")
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The owning agency: the child's lead agency, else the first agency involved",
    )
    record_kind = models.CharField(max_length=16)
    rule = models.CharField(max_length=40)
    counts_from = models.CharField(max_length=16)
    years = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    last_activity_on = models.DateField()
    rules_version = models.CharField(max_length=20)
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [
            # The named lead's review list: their agency's records by due date.
            models.Index(fields=["agency", "due_on", "id"], name="retention_agency_due"),
            models.Index(fields=["computed_at"], name="retention_computed"),
        ]

    def __str__(self) -> str:
        return f"Record {self.child_id} due {self.due_on:%Y-%m-%d} ({self.rule})"


class RetentionCursor(models.Model):
    """How far ``safeguard tick`` has read the changes that move a record's due date (one row): the
    child records changed up to ``children_changed_to`` (new ones included) and the chronology up to
    item ``chronology_item_id``. Each run reads only what changed since, so its work follows what
    happened, never how many records exist."""

    children_changed_to = models.DateTimeField(null=True, blank=True)
    chronology_item_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Retention read to {self.children_changed_to} / item {self.chronology_item_id}"


class LegalHold(models.Model):
    """A hold on a child's record (litigation, an inquiry, a police investigation): while one is in
    force the record cannot be disposed of, whatever its retention rule says."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="legal_holds")
    reason = models.TextField()
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-placed_at", "-id"]
        indexes = [models.Index(fields=["child", "lifted_at"], name="hold_child_in_force")]

    def __str__(self) -> str:
        return f"Legal hold {self.pk} on record {self.child_id}"

    @property
    def in_force(self) -> bool:
        return self.lifted_at is None


class DisposalDecision(models.Model):
    """The signed decision to dispose of a child's record, and afterwards its tombstone.

    No foreign key to the child and no free text: it must outlive the record without holding any
    of its personal data.
    """

    class Status(models.TextChoices):
        SIGNED = "signed", "Signed: waiting to be carried out"
        DISPOSED = "disposed", "Disposed of"
        WITHDRAWN = "withdrawn", "Withdrawn"

    child_id = models.BigIntegerField(db_index=True)
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    record_kind = models.CharField(max_length=16)
    rule = models.CharField(max_length=40)
    due_on = models.DateField()
    rules_version = models.CharField(max_length=20)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SIGNED)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    disposed_at = models.DateTimeField(null=True, blank=True)
    removed = models.JSONField(default=dict, blank=True, help_text="Rows removed, by kind (counts only)")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-signed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["child_id"], condition=models.Q(status="signed"),
                                    name="one_signed_disposal_per_child"),
        ]
        indexes = [models.Index(fields=["agency", "-signed_at", "-id"], name="disposal_agency_recent")]

    def __str__(self) -> str:
        return f"Disposal decision {self.pk} for record {self.child_id}"


class DisposalPermit(models.Model):
    """Present only inside the disposal transaction: lets the database delete this child's signed
    decision records (their trigger refuses otherwise). Removed before the transaction commits."""

    child_id = models.BigIntegerField(unique=True)

    def __str__(self) -> str:
        return f"Disposal permit for record {self.child_id}"


class SubjectAccessRequest(models.Model):
    """A request for everything held about a child: reviewed for redaction, then released."""

    class Status(models.TextChoices):
        IN_REVIEW = "in_review", "In redaction review"
        RELEASED = "released", "Released"

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="subject_access_requests")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.IN_REVIEW)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"Subject access request {self.pk} for record {self.child_id}"

    def get_absolute_url(self) -> str:
        return reverse("records:sar", kwargs={"child_id": self.child_id, "request_id": self.pk})


class Redaction(models.Model):
    """One item (a field of a record, or a whole record) withheld from a subject access release."""

    request = models.ForeignKey(SubjectAccessRequest, on_delete=models.CASCADE, related_name="redactions")
    item = models.CharField(max_length=120, help_text="app.model:pk or app.model:pk:field")
    reason = models.TextField()
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "item"], name="one_redaction_per_item")]

    def __str__(self) -> str:
        return f"Redaction of {self.item}"
