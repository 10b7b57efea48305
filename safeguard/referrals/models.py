"""Referrals, underage sexual activity assessments, anonymised consultations, signed decision
records and their approvals (workflow.md "Referrals" and "Decision records"; handbook §9, §10.4.4,
§17).

A referral is a child, who referred from which agency, where to, why, what travelled with it, and
what happened to it, each step with who and when. An assessment records the §9.3 answers and the
rules' outcome with the rules version. A decision record, once signed, never changes: the service
refuses, and a database trigger refuses too (migration 0003); a correction is a new record that
points to the one it corrects.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import Q
from django.urls import reverse

from safeguard.platform.versioning import Versioned


class Destination(models.TextChoices):
    CSC = "csc", "Children's social care (Family Contact Point / MASH)"
    POLICE = "police", "Police"
    LADO = "lado", "Local authority designated officer (LADO)"
    MARP = "marp", "Multi-Agency Risk Panel"
    OTHER = "other", "Other"


# Destinations named for themselves rather than for the agency that hosts them.
DESTINATION_NAMES: dict[str, str] = {
    Destination.LADO: "the local authority designated officer (LADO)",
    Destination.MARP: "the Multi-Agency Risk Panel",
}

# Each team's referral queue, headed by its destination (issue 10 item 11).
QUEUE_TITLES: dict[str, str] = {
    Destination.CSC: "Referrals to children's social care",
    Destination.POLICE: "Referrals to the police",
    Destination.LADO: "Referrals to the local authority designated officer (LADO)",
    Destination.MARP: "Referrals to the Multi-Agency Risk Panel",
    Destination.OTHER: "Other referrals to your agency",
}


class Status(models.TextChoices):
    SENT = "sent", "Sent"
    RECEIVED = "received", "Received"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    OUTCOME_RECORDED = "outcome_recorded", "Outcome recorded"


class Priority(models.TextChoices):
    RED = "red", "Red: act the same working day"
    AMBER = "amber", "Amber: act within 1 working day"
    GREEN = "green", "Green: act within 3 working days"


class Referral(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="referrals")
    referrer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made")
    referring_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    destination = models.CharField(max_length=16, choices=Destination.choices)
    destination_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals_received",
        help_text="The receiving team's agency, where it is known",
    )
    destination_other = models.CharField(max_length=200, blank=True, help_text="Where, when the destination is Other")
    reason = models.TextField()
    # What the referral came from (a screening, an assessment), which travels with it.
    source_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SENT)
    priority = models.CharField(max_length=8, blank=True, choices=Priority.choices, help_text="Red, amber or green")
    due_at = models.DateTimeField(null=True, blank=True, help_text="When the receiving team should have acted")
    sent_at = models.DateTimeField()
    outcome = models.TextField(blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    language_flags_kept = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["destination", "status", "-sent_at"], name="referral_queue"),
            models.Index(fields=["source_type", "source_id"], name="referral_source"),
            models.Index(fields=["destination_agency", "status", "due_at"], name="referral_agency_queue"),
            # The API list's keyset order, newest first (issue 15).
            models.Index(fields=["-sent_at", "-id"], name="referral_sent_recent"),
            # A team's open queue in the page's order (by priority, then due), and children's social care's waiting referrals
            # on the home page, oldest first: index reads that stop at the page's limit however many
            # referrals are open or were ever made (issue 15). Partial: only open referrals.
            models.Index(
                fields=["destination_agency", "destination", "priority", "due_at", "sent_at", "id"],
                name="referral_open_queue",
                condition=Q(status__in=["sent", "received", "accepted"]),
            ),
            models.Index(
                fields=["destination", "sent_at"],
                name="referral_waiting",
                condition=Q(status__in=["sent", "received"]),
            ),
            # "Referrals your agency made" on the queue page, newest first, stops at its 50.
            models.Index(fields=["referring_agency", "-sent_at", "-id"], name="referral_made_recent"),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} to {self.get_destination_display()}"

    def get_absolute_url(self) -> str:
        return reverse("referrals:detail", kwargs={"referral_id": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in (Status.SENT, Status.RECEIVED, Status.ACCEPTED)

    @property
    def where(self) -> str:
        """Where it went, as a heading says it: the panel and the LADO by their own names (whichever
        agency hosts them), children's social care and the police by the receiving agency."""
        if self.destination == Destination.OTHER:
            return self.destination_other
        named = DESTINATION_NAMES.get(Destination(self.destination))
        if named is not None:
            return named
        return str(self.destination_agency or self.get_destination_display())


class ReferralEvent(models.Model):
    """Every step of a referral's life, with who and when: the history the referrer and receiver see."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.status} {self.at:%Y-%m-%d %H:%M}"


class Assessment(models.Model):
    """An underage sexual activity assessment (§9.3), with the rules' outcome it was given.

    Recorded once and never changed (§9.7): a second look is a new assessment.
    """

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="sa_assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    activity_date = models.DateField(null=True, blank=True)
    child_age = models.PositiveSmallIntegerField(help_text="On the date of the activity, else of the assessment")
    partner_ages = models.JSONField(default=list, help_text="One entry per partner: an age, or null if not known")
    criteria = models.JSONField(default=dict, help_text="C1-C14 → yes / no / unknown, as answered")
    criteria_notes = models.JSONField(default=dict, blank=True)
    position_of_trust = models.BooleanField(default=False)
    partner_works_with_children = models.BooleanField(default=False)
    pregnant = models.BooleanField(default=False)
    penetrative = models.BooleanField(default=False)
    disabled = models.BooleanField(default=False)
    immediate_risk = models.BooleanField(default=False)
    summary = models.TextField(blank=True, help_text="What is known about the activity")
    outcome = models.JSONField(default=dict, help_text="The rules' outcome (contracts.md shape)")
    rules_version = models.CharField(max_length=40)
    language_flags_kept = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"Sexual activity assessment {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("referrals:assessment", kwargs={"assessment_id": self.pk})

    @property
    def actions(self) -> list[dict]:
        return list(self.outcome.get("actions", []))

    @property
    def not_referring(self) -> dict:
        return dict(self.outcome.get("not_referring", {}))


class Consultation(models.Model):
    """An anonymised consultation with another agency (§9.2): nothing here identifies the child."""

    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    consulted_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    consulted_person = models.CharField(max_length=200, blank=True, help_text="Role or name of who was consulted")
    consulted_on = models.DateField()
    age_band = models.CharField(max_length=16)
    summary = models.TextField(help_text="The situation, without anything that identifies the child")
    advice = models.TextField()
    recorded_at = models.DateTimeField()
    language_flags_kept = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"Anonymised consultation {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("referrals:consultation", kwargs={"consultation_id": self.pk})


class DecisionKind(models.TextChoices):
    NOT_REFER = "not_refer", "Not to refer"
    REFER = "refer", "To refer"
    SHARE = "share", "To share information"
    NOT_SHARE = "not_share", "Not to share information"
    CLOSE = "close", "To close the case"
    OTHER = "other", "Another decision"


SHARING_KINDS = (DecisionKind.SHARE, DecisionKind.NOT_SHARE)


class LawfulBasis(models.TextChoices):
    """Grounds for sharing, or for not sharing, personal information (§17)."""

    CHILD_PROTECTION = "child_protection", "Necessary to protect a child from harm (§17.4)"
    LEGAL_DUTY = "legal_duty", "A legal duty or statutory function"
    PUBLIC_TASK = "public_task", "A public task of the agency"
    CONSENT = "consent", "Consent"
    VITAL_INTERESTS = "vital_interests", "Vital interests: a risk to life"
    NOT_NECESSARY = "not_necessary", "Sharing is not necessary or proportionate"


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    RETURNED = "returned", "Returned with reasons"
    APPROVED = "approved", "Approved, ready to sign"
    SIGNED = "signed", "Signed"


class ApprovalRole(models.TextChoices):
    DESIGNATED_LEAD = "designated_lead", "Designated safeguarding lead"
    SENIOR_MANAGER = "senior_manager", "Senior manager"


class DecisionRecord(Versioned):
    """A significant decision: what, why, on what information, by whom, approved by whom, signed."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="decision_records")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=DecisionKind.choices)
    destination = models.CharField(
        max_length=16, choices=Destination.choices, blank=True, help_text="For a decision to refer or not: where"
    )
    decision = models.TextField()
    reasons = models.TextField()
    information = models.TextField(blank=True, help_text="Information the decision rested on, in words")
    relied_on = models.JSONField(default=list, blank=True, help_text="Chronology items relied on: id, kind, summary, url")
    decision_makers = models.JSONField(default=list, help_text="Accountable decision-makers: id, name, role, agency")
    # Sharing decisions (§17)
    purpose = models.TextField(blank=True)
    lawful_basis = models.CharField(max_length=24, choices=LawfulBasis.choices, blank=True)
    recipient = models.CharField(max_length=200, blank=True)
    # What the decision is about (an assessment, a screening, a referral)
    subject_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    required_approvals = models.JSONField(default=list, help_text="Roles whose approval the rules require")
    exceptional = models.BooleanField(default=False, help_text="Not referring a child under 13 (§9.2)")
    status = models.CharField(max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, help_text="sha256 of the canonical signed content")
    language_flags_kept = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | (Q(signed_by__isnull=False) & ~Q(content_hash="")),
                name="decision_signature_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Decision record {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("referrals:decision", kwargs={"decision_id": self.pk})

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def is_sharing(self) -> bool:
        return self.kind in SHARING_KINDS


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned with reasons"
    WITHDRAWN = "withdrawn", "Cancelled because the draft changed"


class Approval(models.Model):
    """One approval a decision record needs from a role in the author's agency (§9.5, §9.7) or, where
    the agency has nobody in the role, from the partnership's designated person (``agency`` is then
    theirs and ``approver`` may name them)."""

    decision = models.ForeignKey(DecisionRecord, on_delete=models.PROTECT, related_name="approvals")
    role = models.CharField(max_length=32, choices=ApprovalRole.choices)
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The one person asked, when the partnership's designated person stands in for an agency "
        "with nobody in the role; empty when anyone in the role in the agency may answer",
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    due_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="The approver's comments, or the reasons for returning it")
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["agency", "status", "due_at"], name="approval_inbox")]

    def __str__(self) -> str:
        return f"Approval {self.pk} ({self.role}) of decision {self.decision_id}"

    def get_absolute_url(self) -> str:
        return reverse("referrals:approval", kwargs={"approval_id": self.pk})
