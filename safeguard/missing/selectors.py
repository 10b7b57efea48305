"""Every read of missing episodes, interviews, profiles and the review list, already filtered by access."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db.models import Count, Max, Q, QuerySet

from safeguard.access.policy import children_visible_to
from safeguard.accounts.models import Role
from safeguard.children.models import Child
from safeguard.rules.return_interview import known_cse_risk

from .models import CoMissingLink, Episode, PoliceSubmission, ReturnInterview

logger = logging.getLogger(__name__)

# Roles that see the Risk Management Group review list (§14): only children they may see.
REVIEW_ROLES = (Role.NAMED_LEAD, Role.POLICE_LEAD, Role.CSC_MASH, Role.SENIOR_MANAGER)


# -- known risk of sexual exploitation, without anyone ticking it (§14.1) ------------------------

# Where the screening app keeps its outcomes. The screening app is being built at the same time as
# this one, so its names are not known here: this is the ONE place to adjust when they are.
SCREENING_MODELS = ("Screening", "FormA")
SCREENING_BAND_FIELDS = ("band", "outcome", "outcome_band", "risk_band", "level")
FORM_B_MODELS = ("FormB", "FullAssessment", "Assessment")
MARP_DESTINATION = "marp"


def _model(app_label: str, names: tuple[str, ...]):
    for name in names:
        try:
            return apps.get_model(app_label, name)
        except LookupError:
            continue
    return None


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _latest_screening_band(child: Child) -> str | None:
    model = _model("screening", SCREENING_MODELS)
    if model is None or not _has_field(model, "child"):
        return None
    band_field = next((f for f in SCREENING_BAND_FIELDS if _has_field(model, f)), None)
    if band_field is None:
        return None
    screenings = model.objects.filter(child=child)
    for draft_field, submitted in (("submitted_at", Q(submitted_at__isnull=False)), ("status", ~Q(status="draft"))):
        if _has_field(model, draft_field):
            screenings = screenings.filter(submitted)
    if _has_field(model, "superseded_by"):
        screenings = screenings.filter(superseded_by__isnull=True)
    order = "-submitted_at" if _has_field(model, "submitted_at") else "-pk"
    band = screenings.exclude(**{f"{band_field}__isnull": True}).order_by(order, "-pk").values_list(
        band_field, flat=True
    ).first()
    return str(band) if band else None


def _form_b_exists(child: Child) -> bool:
    model = _model("screening", FORM_B_MODELS)
    if model is None or not _has_field(model, "child"):
        return False
    form_bs = model.objects.filter(child=child)
    if _has_field(model, "closed_at"):
        form_bs = form_bs.filter(closed_at__isnull=True)
    return form_bs.exists()


def _marp_case(child: Child) -> bool:
    if not apps.is_installed("safeguard.referrals"):
        return False
    model = _model("referrals", ("Referral",))
    if model is None:
        return False
    return model.objects.filter(child=child, destination=MARP_DESTINATION).exists()


def cse_risk_known(child: Child) -> bool:
    """Is the child at known risk of sexual exploitation, from their record alone (§14.1)?

    True when the latest screening's band is concern or significant, a Form B exists (not closed),
    or the child has been referred to the Multi-Agency Risk Panel. The rules package decides which
    bands count (``known_cse_risk``); this function only finds the facts, defensively, because the
    screening app's model names are not settled yet. A lookup that fails counts as "not found" and
    is logged, never raised: a missing screening app must not stop a return being recorded.
    """
    band, form_b = None, False
    if apps.is_installed("safeguard.screening"):
        try:
            band = _latest_screening_band(child)
            form_b = _form_b_exists(child)
        except (FieldError, ValueError, TypeError) as error:
            logger.warning("cse_risk_known could not read the screening app: %s", type(error).__name__)
    try:
        marp = _marp_case(child)
    except (FieldError, ValueError, TypeError) as error:
        logger.warning("cse_risk_known could not read referrals: %s", type(error).__name__)
        marp = False
    return known_cse_risk(screening_band=band, open_form_b=form_b, marp_case=marp)


# -- a child's episodes ----------------------------------------------------------------------------


def episodes_for_child(child: Child) -> QuerySet[Episode]:
    return (
        Episode.objects.filter(child=child)
        .select_related("agency", "reported_by", "interview")
        .order_by("-last_seen_at", "-id")
    )


def episode_for_child(child: Child, episode_id: int) -> Episode:
    """One episode of a child the caller has already been allowed to see (else Episode.DoesNotExist)."""
    return (
        Episode.objects.select_related(
            "agency", "reported_by", "return_recorded_by", "interview", "interview__interviewer",
            "interview__interviewer_agency", "interview__outcome_recorded_by",
        )
        .prefetch_related("classification_changes__changed_by", "classification_changes__agency")
        .get(pk=episode_id, child=child)
    )


def episodes_visible_to(user, *, session_key: str = "") -> QuerySet[Episode]:
    return Episode.objects.filter(child__in=children_visible_to(user, session_key=session_key))


def interviews_visible_to(user, *, session_key: str = "") -> QuerySet[ReturnInterview]:
    return ReturnInterview.objects.filter(child__in=children_visible_to(user, session_key=session_key))


@dataclass(frozen=True)
class CoMissing:
    """Another child's episode that overlapped with this one and shared something (§10.5.4)."""

    episode: Episode
    shared: list[dict]


def co_missing_for(episode: Episode, user, *, session_key: str = "") -> list[CoMissing]:
    """Linked episodes of other children, only those whose child this user may see."""
    links = list(CoMissingLink.objects.filter(Q(episode_a=episode) | Q(episode_b=episode)))
    other_ids = {link.episode_b_id if link.episode_a_id == episode.pk else link.episode_a_id: link for link in links}
    if not other_ids:
        return []
    visible = children_visible_to(user, session_key=session_key)
    others = Episode.objects.filter(pk__in=other_ids, child__in=visible).select_related("child")
    return [CoMissing(other, other_ids[other.pk].shared) for other in others]


# -- the Risk Management Group review list (§14) ---------------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    child: Child
    episodes: int
    last_episode_at: datetime
    overdue_interviews: int
    missing_now: bool
    flagged: bool


# The review list shows the children with the most episodes first; beyond this many, the period
# is too long to review at one sitting and the page says so (issue 15: no unbounded list).
REVIEW_LIMIT = 200


def review_list(
    user, *, now: datetime, period_days: int, flag_at: int, session_key: str = "", limit: int = REVIEW_LIMIT
) -> list[ReviewRow]:
    """Children with missing episodes in the period, with counts, most episodes first, at most
    ``limit``. Four bounded queries: the period's episodes grouped by child (the episode_period
    index), then for that page only, the children, their overdue interviews and who is missing now.
    Cost follows the episodes in the period, never the size of the database."""
    if not user.has_role(*REVIEW_ROLES):
        return []
    start = now - timedelta(days=period_days)
    grouped = list(
        Episode.objects.filter(
            last_seen_at__gte=start, child__in=children_visible_to(user, session_key=session_key)
        )
        .values("child")
        .annotate(n=Count("pk"), last=Max("last_seen_at"))
        .order_by("-n", "-last", "child")
        .values_list("child", "n", "last")[:limit]
    )
    ids = [child_id for child_id, _n, _last in grouped]
    children = Child.objects.select_related("lead_agency").in_bulk(ids)
    overdue = dict(
        ReturnInterview.objects.filter(child__in=ids, status=ReturnInterview.Status.PENDING, due_at__lt=now)
        .values("child").annotate(n=Count("pk")).order_by().values_list("child", "n")
    )
    missing_now = set(
        Episode.objects.filter(child__in=ids, returned_at__isnull=True).values_list("child", flat=True).distinct()
    )
    return [
        ReviewRow(
            child=children[child_id],
            episodes=n,
            last_episode_at=last,
            overdue_interviews=overdue.get(child_id, 0),
            missing_now=child_id in missing_now,
            flagged=n >= flag_at,
        )
        for child_id, n, last in grouped
    ]


# -- the police inbox ------------------------------------------------------------------------------


def police_inbox(user) -> QuerySet[PoliceSubmission]:
    """What was sent to the user's police agency; only for police CSE leads / missing-person coordinators."""
    if not (user.has_role(Role.POLICE_LEAD) and user.agency_id):
        return PoliceSubmission.objects.none()
    return PoliceSubmission.objects.filter(recipient_agency_id=user.agency_id).select_related(
        "child", "sent_by", "sending_agency", "received_by"
    )
