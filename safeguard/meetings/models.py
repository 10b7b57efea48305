"""Meetings about children (§10, §13, §14; workflow.md "Meetings", "Actions and plans").

A meeting has a kind, a time, a place or call details, the children concerned, the invited agencies
and people with their attendance, the written reports asked of agencies, minutes, signed decisions
and actions. A signed decision never changes: the service refuses, and a database trigger refuses
too (migration 0002); a correction is a new record pointing to the one it corrects.

Editable records (a meeting, an agency report, an action) carry a ``version``: an edit names the
version it started from and the service refuses a stale one instead of overwriting.

A panel case is a child open at the Multi-Agency Risk Panel (§13): opened when the chair accepts a
referral to the panel, reviewed at panel meetings, closed with a signed decision.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class Kind(models.TextChoices):
    STRATEGY = "strategy", "Strategy discussion"
    PLANNING = "planning", "CSE multi-agency planning meeting"
    ICPC = "icpc", "Initial child protection conference"
    PANEL = "panel", "Multi-Agency Risk Panel"
    RMG = "rmg", "Risk Management Group"


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held: minutes recorded"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True, help_text="Where it is held")
    call_details = models.CharField(max_length=500, blank=True, help_text="How to join by phone or video")
    convened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The referral that called for it (a strategy discussion)",
    )
    follows = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="followed_by",
        help_text="The meeting this one follows (a conference after a strategy discussion)",
    )
    created_at = models.DateTimeField()
    minutes = models.TextField(blank=True)
    minutes_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    minutes_at = models.DateTimeField(null=True, blank=True)
    conference_needed = models.BooleanField(
        default=False, help_text="A strategy discussion decided an initial child protection conference is needed"
    )
    cancelled_reason = models.TextField(blank=True)
    # A panel or Risk Management Group agenda as built from the data (VOLT for the panel), kept so
    # that the minutes and the printed agenda show what the meeting had in front of it.
    agenda = models.JSONField(default=dict, blank=True)
    agenda_built_at = models.DateTimeField(null=True, blank=True)
    minutes_alerted_at = models.DateTimeField(null=True, blank=True)
    language_flags_kept = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    # The calendar entry the invitations carry: one UID for the meeting's life, SEQUENCE bumped on
    # every change so calendars replace the entry (RFC 5545 §3.8.7.4).
    ics_uid = models.CharField(max_length=100, unique=True, default=uuid.uuid4)
    ics_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "status", "starts_at"], name="meeting_kind_time"),
            models.Index(fields=["referral"], name="meeting_referral"),
        ]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", kwargs={"meeting_id": self.pk})

    @property
    def title(self) -> str:
        """Never a child's name: the kind and the meeting's number."""
        return f"{self.get_kind_display()} (meeting {self.pk})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.SCHEDULED


class MeetingChild(models.Model):
    """A child the meeting is about."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="meeting_children")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()
    # For a panel or Risk Management Group meeting: why the child is on the agenda.
    agenda_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "child"], name="one_row_per_meeting_child")]
        indexes = [models.Index(fields=["child", "meeting"], name="meeting_child_child")]

    def __str__(self) -> str:
        return f"Child {self.child_id} at meeting {self.meeting_id}"


class Attendance(models.TextChoices):
    INVITED = "invited", "Invited"
    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Sent apologies"
    REPORT_ONLY = "report_only", "Sent a report only"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"


class Invitation(models.Model):
    """A person invited (with their agency). The invitation lets them read the meeting's children's
    records while the meeting is current (``access.policy`` reason MEETING_INVITEE)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_invitations")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField()
    attendance = models.CharField(max_length=16, choices=Attendance.choices, default=Attendance.INVITED)
    emailed_sequence = models.IntegerField(default=-1, help_text="The calendar SEQUENCE last emailed")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["agency__name", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="one_invitation_per_person")]
        indexes = [models.Index(fields=["user", "meeting"], name="invitation_user")]

    def __str__(self) -> str:
        return f"{self.user} invited to meeting {self.meeting_id}"


class AgencyReport(models.Model):
    """A written report asked of an agency for a meeting (§10.1.8 and equivalents)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        SUBMITTED = "submitted", "Submitted"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reports")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    text = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    language_flags_kept = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["agency__name", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "agency"], name="one_report_per_agency")]

    def __str__(self) -> str:
        return f"Report from {self.agency} for meeting {self.meeting_id}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:report", kwargs={"meeting_id": self.meeting_id, "report_id": self.pk})


def _attachment_path(instance: ReportAttachment, filename: str) -> str:
    return f"meetings/reports/{instance.report_id}/{uuid.uuid4().hex}"


class ReportAttachment(models.Model):
    """A file with a report (PDF, Word, plain text or an image), checked for type and size."""

    report = models.ForeignKey(AgencyReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Decision(models.Model):
    """A decision made at a meeting, about one child or the meeting as a whole: what, why, by whom,
    signed. Once signed it never changes (service and database trigger); a correction is a new
    record that points to the one it corrects (workflow.md "Decision records")."""

    class Kind(models.TextChoices):
        GENERAL = "general", "Decision of the meeting"
        CONFERENCE = "conference", "An initial child protection conference is needed"
        PANEL_CLOSE = "panel_close", "Close the panel case"

    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions")
    child = models.ForeignKey("children.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.GENERAL)
    decision = models.TextField()
    reasons = models.TextField()
    decision_makers = models.JSONField(default=list, help_text="Accountable decision-makers: id, name, agency")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    language_flags_kept = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | (Q(signed_by__isnull=False) & ~Q(content_hash="")),
                name="meeting_decision_signature_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Meeting decision {self.pk}"

    def get_absolute_url(self) -> str:
        if self.meeting_id:
            return reverse("meetings:detail", kwargs={"meeting_id": self.meeting_id}) + f"#decision-{self.pk}"
        return reverse("meetings:panel_case", kwargs={"child_id": self.child_id})

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class Action(models.Model):
    """Something a named person in an agency will do for a child, by a date (workflow.md "Actions
    and plans"): from a meeting, or part of a child's safety or care plan."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    class Plan(models.TextChoices):
        MEETING = "meeting", "Meeting action"
        SAFETY = "safety", "Safety plan"
        CARE = "care", "Care plan"

    child = models.ForeignKey("children.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    plan = models.CharField(max_length=10, choices=Plan.choices, default=Plan.MEETING)
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_actions")
    owner_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)
    language_flags_kept = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"], name="action_owner_open"),
            models.Index(fields=["status", "due_on"], name="action_due"),
            models.Index(fields=["child", "status"], name="action_child"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(child__isnull=False) | Q(meeting__isnull=False), name="action_has_a_subject"),
        ]

    def __str__(self) -> str:
        return f"Action {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:action", kwargs={"action_id": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class PanelCase(models.Model):
    """A child open at the Multi-Agency Risk Panel (§13)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open at the panel"
        CLOSED = "closed", "Closed"

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    last_reviewed_at = models.DateTimeField(null=True, blank=True, help_text="The last panel meeting it was at")
    review_due_at = models.DateTimeField(help_text="When the next monthly review is due")
    review_alerted_for = models.DateTimeField(null=True, blank=True, help_text="The review due time last alerted")
    closed_at = models.DateTimeField(null=True, blank=True)
    closure = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["child"], condition=Q(status="open"), name="one_open_panel_case_per_child"),
        ]
        indexes = [models.Index(fields=["status", "review_due_at"], name="panel_case_review")]

    def __str__(self) -> str:
        return f"Panel case {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:panel_case", kwargs={"child_id": self.child_id})


class MeetingDue(models.Model):
    """A meeting the timescales say must happen by a time: a strategy discussion after a referral
    that needs one, an initial child protection conference after a strategy discussion that
    decided one is needed. Met when such a meeting is convened for it."""

    kind = models.CharField(max_length=12, choices=Kind.choices)
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey("referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    after_meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField()
    met_by = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due_soon_alerted_at = models.DateTimeField(null=True, blank=True)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "referral"], condition=Q(referral__isnull=False), name="one_due_per_referral"),
            models.UniqueConstraint(
                fields=["kind", "after_meeting"], condition=Q(after_meeting__isnull=False), name="one_due_per_meeting"
            ),
        ]
        indexes = [models.Index(fields=["met_by", "due_at"], name="meeting_due_open")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due by {self.due_at:%Y-%m-%d %H:%M}"
