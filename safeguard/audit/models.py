"""Append-only audit events, each hash-chained to the one before.

The database refuses UPDATE and DELETE on the table (triggers, migrations 0002 and 0004, for both
SQLite and PostgreSQL). Events are appended without a shared lock and sealed into the hash chain
in batches afterwards (`audit_seal`: the one update the triggers allow, once, on the chain columns
only); see docs/decisions/0013-audit-sealed-in-batches.md. `safeguard audit verify` recomputes it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Verb(models.TextChoices):
    # Accounts
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGN_OUT = "sign_out", "Signed out"
    LOCKED_OUT = "locked_out", "Locked out"
    TWO_FACTOR_ENROLLED = "two_factor_enrolled", "Two-factor enrolled"
    TWO_FACTOR_VERIFIED = "two_factor_verified", "Two-factor verified"
    TWO_FACTOR_FAILED = "two_factor_failed", "Two-factor code rejected"
    SESSION_EXPIRED = "session_expired", "Session timed out"
    USER_CREATED = "user_created", "User created"
    USER_DEACTIVATED = "user_deactivated", "User deactivated"
    ROLE_GRANTED = "role_granted", "Role granted"
    ROLE_REVOKED = "role_revoked", "Role taken away"
    ROLE_GRANT_REQUESTED = "role_grant_requested", "Role grant awaiting a second administrator"
    ROLE_GRANT_REFUSED = "role_grant_refused", "Role grant refused by a second administrator"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    ENROLMENT_CODE_ISSUED = "enrolment_code_issued", "Two-factor enrolment code issued"
    SUPERUSER_CREATED = "superuser_created", "Superuser created on the server"
    ADMIN_SIGN_IN_REDIRECTED = "admin_sign_in_redirected", "Sent from the admin sign-in to the product's"
    # Access to a child's record
    CHILD_VIEWED = "child_viewed", "Viewed a child's record"
    CHILD_SEARCHED = "child_searched", "Searched for a child"
    BREAK_GLASS = "break_glass", "Broke glass to open a record"
    AUDIT_VIEWED = "audit_viewed", "Viewed who accessed a record"
    # Child records
    CHILD_CREATED = "child_created", "Created a child's record"
    CHILD_UPDATED = "child_updated", "Updated a child's record"
    CHILDREN_MERGED = "children_merged", "Merged two records of one child"
    INVOLVEMENT_ADDED = "involvement_added", "Agency became involved"
    INVOLVEMENT_REQUESTED = "involvement_requested", "Asked the lead agency to be added"
    INVOLVEMENT_REQUEST_DECIDED = "involvement_request_decided", "Accepted or declined a request to be added"
    OBSERVATION_RECORDED = "observation_recorded", "Recorded an observation"
    CHRONOLOGY_ENTRY_RECORDED = "chronology_entry_recorded", "Recorded a chronology entry"
    LANGUAGE_FLAG_KEPT = "language_flag_kept", "Kept wording the language check flagged"
    # Screening
    SCREENING_SUBMITTED = "screening_submitted", "Submitted a screening"
    SCREENING_SUPERSEDED = "screening_superseded", "Screening superseded"
    NOT_REFERRING_RECORDED = "not_referring_recorded", "Recorded a decision not to refer"
    FORM_B_CREATED = "form_b_created", "Form B created"
    FORM_B_UPDATED = "form_b_updated", "Form B updated"
    FORM_B_COMPLETED = "form_b_completed", "Form B completed"
    # Referrals
    REFERRAL_CREATED = "referral_created", "Referral created"
    REFERRAL_STATUS_CHANGED = "referral_status_changed", "Referral status changed"
    EXPORTED = "exported", "Exported or printed"
    # Underage sexual activity assessments (§9)
    ASSESSMENT_RECORDED = "assessment_recorded", "Recorded a sexual activity assessment"
    CONSULTATION_RECORDED = "consultation_recorded", "Recorded an anonymised consultation"
    REFERRAL_OUTCOME_RECORDED = "referral_outcome_recorded", "Recorded a referral's outcome"
    # Decision records and approvals (§9.7, §17)
    DECISION_DRAFTED = "decision_drafted", "Drafted a decision record"
    DECISION_SIGNED = "decision_signed", "Signed a decision record"
    DECISION_CORRECTED = "decision_corrected", "Corrected a signed decision with a new record"
    APPROVAL_REQUESTED = "approval_requested", "Asked for an approval"
    APPROVAL_GIVEN = "approval_given", "Approved"
    APPROVAL_RETURNED = "approval_returned", "Returned with reasons"
    APPROVAL_ESCALATED = "approval_escalated", "Overdue approval escalated"
    SHARING_DECISION_RECORDED = "sharing_decision_recorded", "Recorded a decision to share or not"
    # Tasks and notifications
    TASK_OPENED = "task_opened", "Task opened"
    TASK_CLOSED = "task_closed", "Task closed"
    TASK_RESCHEDULED = "task_rescheduled", "Task due time moved"
    NOTIFICATION_SENT = "notification_sent", "Notification sent"
    # Missing episodes (§6, §10.5.5, §14)
    EPISODE_REPORTED = "episode_reported", "Reported a missing episode"
    EPISODE_CLASSIFIED = "episode_classified", "Changed a missing episode's classification"
    EPISODE_RETURNED = "episode_returned", "Recorded a child's return"
    EPISODE_RETURN_CORRECTED = "episode_return_corrected", "Corrected a child's recorded return"
    VISITOR_RECORDED = "visitor_recorded", "Recorded a caller or visitor"
    INTERVIEW_REQUIRED = "interview_required", "Return interview required or offered"
    INTERVIEW_COMPLETED = "interview_completed", "Return interview completed"
    INTERVIEW_DECLINED = "interview_declined", "Return interview declined"
    INTERVIEW_NOT_CONDUCTED = "interview_not_conducted", "Return interview not conducted"
    INTERVIEW_ARRANGED = "interview_arranged", "Arranged an independent return interviewer"
    SENT_TO_POLICE = "sent_to_police", "Sent to the police"
    POLICE_RECEIVED = "police_received", "Marked as received by the police"
    PROFILE_UPDATED = "profile_updated", "Updated the profile for the police"
    ALERT_RAISED = "alert_raised", "Alert raised"
    # Reports, dashboards, training and guidance (issue 14)
    REPORT_RUN = "report_run", "Ran a report"
    DASHBOARD_VIEWED = "dashboard_viewed", "Viewed an agency dashboard"
    TRAINING_RECORDED = "training_recorded", "Recorded CSE training"
    RESOURCE_SAVED = "resource_saved", "Saved a resources directory entry"
    CONTACT_DETAILS_SAVED = "contact_details_saved", "Updated own contact details"
    # Records management: retention, legal hold, disposal, subject access (docs/records.md)
    LEGAL_HOLD_PLACED = "legal_hold_placed", "Placed a legal hold on a record"
    LEGAL_HOLD_LIFTED = "legal_hold_lifted", "Lifted a legal hold"
    DISPOSAL_SIGNED = "disposal_signed", "Signed a decision to dispose of a record"
    RECORD_DISPOSED = "record_disposed", "Disposed of a record at the end of its retention"
    SUBJECT_ACCESS_OPENED = "subject_access_opened", "Opened a subject access request"
    SUBJECT_ACCESS_REDACTED = "subject_access_redacted", "Marked an item for redaction"
    SUBJECT_ACCESS_RELEASED = "subject_access_released", "Released a subject access bundle"
    STEP_UP_VERIFIED = "step_up_verified", "Gave the authenticator code again before a sensitive action"
    # Intelligence (§7, §10, §13, §15)
    INTELLIGENCE_VIEWED = "intelligence_viewed", "Viewed intelligence"
    INTELLIGENCE_SEARCHED = "intelligence_searched", "Searched intelligence"
    ENTITY_RECORDED = "entity_recorded", "Recorded a person, vehicle, phone, account or place"
    ENTITY_UPDATED = "entity_updated", "Updated a person, vehicle, phone, account or place"
    LINK_RECORDED = "link_recorded", "Recorded an intelligence link"
    MOVEMENT_RECORDED = "movement_recorded", "Recorded a movement (trafficking concern)"
    ALERT_VIEWED = "alert_viewed", "Opened an intelligence alert"
    ALERT_ACTION_RECORDED = "alert_action_recorded", "Recorded what was done about an alert"
    DISRUPTION_RECORDED = "disruption_recorded", "Recorded a disruption action"
    DISRUPTION_UPDATED = "disruption_updated", "Updated a disruption action"
    NRM_RECORDED = "nrm_recorded", "Recorded a National Referral Mechanism referral"
    NRM_UPDATED = "nrm_updated", "Recorded a National Referral Mechanism decision"
    FREE_TEXT_REVIEWED = "free_text_reviewed", "Reviewed earlier free text for intelligence"
    # Meetings, the panel and actions (§10, §13, §14)
    MEETING_CONVENED = "meeting_convened", "Convened a meeting"
    MEETING_CHANGED = "meeting_changed", "Changed a meeting's time or place"
    MEETING_CANCELLED = "meeting_cancelled", "Cancelled a meeting"
    MEETING_INVITED = "meeting_invited", "Invited someone to a meeting"
    MEETING_ATTENDANCE = "meeting_attendance", "Recorded attendance at a meeting"
    MEETING_MINUTES = "meeting_minutes", "Recorded a meeting's minutes"
    MEETING_VIEWED = "meeting_viewed", "Opened a meeting or its overview"
    MEETING_REPORT_REQUESTED = "meeting_report_requested", "Asked an agency for a report"
    MEETING_REPORT_SUBMITTED = "meeting_report_submitted", "Submitted a report for a meeting"
    MEETING_DECISION_SIGNED = "meeting_decision_signed", "Signed a meeting decision"
    ACTION_CREATED = "action_created", "Created an action"
    ACTION_UPDATED = "action_updated", "Updated an action"
    PANEL_CASE_OPENED = "panel_case_opened", "Opened a case at the risk panel"
    PANEL_CASE_CLOSED = "panel_case_closed", "Closed a case at the risk panel"


class AuditEvent(models.Model):
    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True, help_text="Username at the time")
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The vocabulary is the Verb enum, enforced by audit_record; it is not a database choice list, so
    # a new verb needs no migration of this append-only table.
    verb = models.CharField(max_length=40)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=60, blank=True)
    child_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    # Filled once by the sealer; empty (NULL) until then.
    seal_seq = models.BigIntegerField(null=True, blank=True, unique=True, help_text="Position in the chain")
    prev_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 - NULL means "not sealed yet"
    hash = models.CharField(max_length=64, unique=True, null=True, blank=True)  # noqa: DJ001 - many unsealed rows

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["child_id", "created_at"], name="audit_child_time"),
            models.Index(fields=["id"], condition=models.Q(hash__isnull=True), name="audit_unsealed"),
            # A user's own recent events of one kind (the records they viewed last), newest first.
            models.Index(fields=["actor", "verb", "-id"], name="audit_actor_verb"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.verb}"

    @property
    def verb_label(self) -> str:
        """The verb in words ("Viewed a child's record"); an unknown code is shown as it is."""
        try:
            return str(Verb(self.verb).label)
        except ValueError:
            return self.verb


class ChainHead(models.Model):
    """One row holding the newest sealed hash; only the sealer locks it, so the chain never forks."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64)
    last_event_id = models.BigIntegerField(default=0)
    last_seq = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"chain head at event {self.last_event_id}"
