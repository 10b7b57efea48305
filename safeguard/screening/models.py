"""A submitted Form A is a record of what the practitioner saw and what the rules made of it: it
never changes after submission. A new screening of the same child supersedes it.

Form B is a working document co-owned by children's social care and contributors from other
agencies (screening.md): a draft until its analysis and risk level are recorded, then complete.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from safeguard.platform.versioning import Versioned


class Band(models.TextChoices):
    SIGNIFICANT = "significant", "Significant risk"
    CONCERN = "concern", "Concern"
    EMERGING = "emerging", "Emerging concern"
    NONE = "none", "No indicators"


class PreviousReferral(models.TextChoices):
    YES = "yes", "Yes"
    NOT_KNOWN = "not_known", "Not known"
    NO = "no", "No"


class Screening(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="screenings")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    # Form A's header, as the practitioner saw it when they submitted (§16).
    referrer_name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200)
    contact_details = models.CharField(max_length=300)
    child_name = models.CharField(max_length=200)
    child_age = models.PositiveSmallIntegerField(null=True, blank=True)
    local_authority = models.CharField(max_length=100, blank=True)
    ethnicity = models.CharField(max_length=100, blank=True)
    gender = models.CharField(max_length=40, blank=True)
    languages = models.CharField(max_length=200, blank=True)
    disabilities = models.CharField(max_length=300, blank=True)
    previous_cp_referral = models.CharField(max_length=10, choices=PreviousReferral.choices)
    previous_cp_referral_when = models.CharField(max_length=100, blank=True)
    level1_assessment_date = models.DateField(null=True, blank=True)
    # The items ticked, their evidence, and the rules' outcome with the version that produced it.
    ticked = models.JSONField(default=list)
    evidence = models.JSONField(default=dict, blank=True)
    band = models.CharField(max_length=12, choices=Band.choices)
    form_b_required = models.BooleanField()
    reasons = models.JSONField(default=list, help_text="[{text, section}, ...]")
    actions = models.JSONField(default=list, help_text="Action codes from the rules")
    rules_version = models.CharField(max_length=20)
    review_due = models.DateField(null=True, blank=True)
    # Set by `safeguard tick` once the review-due alert is raised, so later runs read only what is
    # newly due (issue 15: work proportional to what is due, never to what exists).
    review_alerted_at = models.DateTimeField(null=True, blank=True)
    language_flags_kept = models.JSONField(default=dict, blank=True)
    # What followed: the referral it opened, or the practitioner's decision not to refer.
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    not_referring_reason = models.TextField(blank=True)
    # A screening needing Form B while the child already has an open draft joins that draft instead
    # of opening a second one (issue 10 item 3); the one it opened is ``form_bs``.
    joined_form_b = models.ForeignKey(
        "FormB", null=True, blank=True, on_delete=models.PROTECT, related_name="joined_screenings"
    )
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["child", "-submitted_at"], name="screening_child_time"),
            models.Index(fields=["submitted_by", "review_due"], name="screening_review"),
            # The home page's "recent screenings by your agency": the newest ten without reading the
            # agency's whole history (issue 15).
            models.Index(fields=["agency", "-submitted_at"], name="screening_agency_recent"),
            models.Index(
                fields=["review_due"], name="screening_review_unalerted",
                condition=models.Q(superseded_by__isnull=True, review_alerted_at__isnull=True),
            ),
        ]
        constraints = [
            # One current screening per child (issue 11 item 13): a partial unique index, which
            # PostgreSQL and SQLite both keep, so no race can leave two current.
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(superseded_by__isnull=True),
                name="screening_one_current_per_child",
            ),
        ]

    def __str__(self) -> str:
        return f"Screening {self.pk} ({self.band})"

    def get_absolute_url(self) -> str:
        return reverse("screening:detail", kwargs={"child_id": self.child_id, "screening_id": self.pk})

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None

    @property
    def concerns_confirmed(self) -> bool:
        return self.band in (Band.SIGNIFICANT, Band.CONCERN)

    @property
    def band_colour(self) -> str:
        """The GOV.UK tag colour the band is shown in."""
        colours: dict[str, str] = {Band.SIGNIFICANT: "red", Band.CONCERN: "orange", Band.EMERGING: "yellow"}
        return colours.get(self.band, "grey")


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class ExploitationModel(models.TextChoices):
    BOYFRIEND = "boyfriend", "Inappropriate relationship / 'boyfriend' model"
    ONLINE = "online", "Online"
    ORGANISED = "organised", "Organised exploitation and trafficking"


class FormB(Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETE = "complete", "Complete"
        # Only for drafts opened twice before one draft per child was enforced: the later ones
        # stay readable, and point to the open draft (migration 0004).
        JOINED = "joined", "Joined the child's open draft"

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="form_bs")
    screening = models.ForeignKey(Screening, null=True, blank=True, on_delete=models.PROTECT, related_name="form_bs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()
    # Every §5/§6 code found (I signs observed, P/U/L factors present), in the handbook's order;
    # prefilled from the child's observations. The service keeps it in step with ``signs``.
    indicators = models.JSONField(default=list, blank=True)
    # §5 signs as the assessment found them: {code: {"status", "evidence", "seen_on"}}. A sign
    # not in the mapping is "not known" (screening.md).
    signs = models.JSONField(default=dict, blank=True)
    exploitation_models = models.JSONField(default=list, blank=True)
    trafficking_concerns = models.TextField(blank=True, help_text="§7: movements between places, with dates")
    disability_considerations = models.TextField(blank=True, help_text="§9.4")
    childs_account = models.TextField(blank=True)
    analysis = models.TextField(blank=True)
    risk_level = models.CharField(max_length=8, choices=RiskLevel.choices, blank=True)
    suggested_risk_level = models.CharField(max_length=8, choices=RiskLevel.choices, blank=True)
    language_flags_kept = models.JSONField(default=dict, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    panel_referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "Form B"
        verbose_name_plural = "Form Bs"
        indexes = [models.Index(fields=["child", "-created_at"], name="form_b_child_time")]
        constraints = [
            # One open draft per child (issue 10 item 3): a second screening needing Form B joins it.
            models.UniqueConstraint(fields=["child"], condition=models.Q(status="draft"),
                                    name="form_b_one_draft_per_child"),
        ]

    def __str__(self) -> str:
        return f"Form B {self.pk} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("screening:form_b", kwargs={"child_id": self.child_id, "form_b_id": self.pk})


class FormBContribution(models.Model):
    """What another agency adds to a Form B: its author and agency are always shown."""

    form_b = models.ForeignKey(FormB, on_delete=models.CASCADE, related_name="contributions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField()
    language_flags_kept = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Contribution {self.pk} to Form B {self.form_b_id}"


class SignStatus(models.TextChoices):
    OBSERVED = "observed", "Observed"
    NOT_OBSERVED = "not_observed", "Not observed"
    NOT_KNOWN = "not_known", "Not known"


class SafetyAction(models.Model):
    """An action in the safety plan that Form B sets (screening.md, workflow.md "Actions and plans"):
    what is to be done, by whom (a person and their agency), by when, and what came of it."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    form_b = models.ForeignKey(FormB, on_delete=models.CASCADE, related_name="safety_actions")
    description = models.TextField()
    owner_name = models.CharField(max_length=200)
    owner_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    language_flags_kept = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"Safety plan action {self.pk} on Form B {self.form_b_id}"

    def get_absolute_url(self) -> str:
        return self.form_b.get_absolute_url() + f"#safety-action-{self.pk}"
