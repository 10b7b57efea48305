"""Every read of missing episodes, interviews, profiles and the review list, already filtered by access."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q, QuerySet

from safeguard.access.policy import ChildAccess, children_visible_to
from safeguard.accounts.models import Role
from safeguard.children.models import Child
from safeguard.referrals import selectors as referral_selectors
from safeguard.rules.return_interview import known_cse_risk
from safeguard.screening import selectors as screening_selectors

from .co_missing import shared_text
from .models import CoMissingLink, Episode, PoliceSubmission, ReturnInterview

# Roles that see the Risk Management Group review list (§14): only children they may see.
REVIEW_ROLES = (Role.NAMED_LEAD, Role.POLICE_LEAD, Role.CSC_MASH, Role.SENIOR_MANAGER)


# -- known risk of sexual exploitation, without anyone ticking it (§14.1) ------------------------


def cse_risk_known(child: Child) -> bool:
    """Is the child at known risk of sexual exploitation, from their record alone (§14.1)?

    True when the latest screening's band is concern or significant, a Form B exists, or the child
    has been referred to the Multi-Agency Risk Panel. The rules package decides which bands count
    (``known_cse_risk``); the facts come from the screening and referrals apps' public selectors.
    """
    return known_cse_risk(
        screening_band=screening_selectors.current_screening_band(child),
        open_form_b=screening_selectors.form_bs_for_child(child).exists(),
        marp_case=referral_selectors.referred_to_panel(child),
    )


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


def episodes_among(children: QuerySet[Child]) -> QuerySet[Episode]:
    """Episodes of these children: pass the policy's ``children_visible_to`` answer."""
    return Episode.objects.filter(child__in=children)


def interviews_among(children: QuerySet[Child]) -> QuerySet[ReturnInterview]:
    """Return interviews of these children: pass the policy's ``children_visible_to`` answer."""
    return ReturnInterview.objects.filter(child__in=children)


@dataclass(frozen=True)
class CoMissing:
    """Another child's episode that overlapped with this one and shared something (§10.5.4)."""

    episode: Episode
    shared: list[dict]

    @property
    def shared_text(self) -> list[str]:
        """What was shared, as recorded ("vehicle “KX19 WKA”"), never the comparison keys."""
        return shared_text(self.shared)


def co_missing_for(episode: Episode, access: ChildAccess) -> list[CoMissing]:
    """Linked episodes of other children, only those whose child the user holding ``access`` (to
    this episode's child) may see; break-glass state travels in the access."""
    links = list(CoMissingLink.objects.filter(Q(episode_a=episode) | Q(episode_b=episode)))
    other_ids = {link.episode_b_id if link.episode_a_id == episode.pk else link.episode_a_id: link for link in links}
    if not other_ids:
        return []
    visible = children_visible_to(access.user, session_key=access.session_key)
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
# Pages of the period's children (most episodes first) checked against what the user may see before
# the list is grouped over their visible children instead (someone who sees few of them).
REVIEW_PAGES_READ = 3


@dataclass(frozen=True)
class ReviewEntry:
    """One child on the review list before their record is read: counts only."""

    child_id: int
    episodes: int
    last_episode_at: datetime


def review_entries(
    user, *, now: datetime, period_days: int, children: QuerySet[Child] | None = None, limit: int = REVIEW_LIMIT,
) -> list[ReviewEntry]:
    """Who is on the review list: children the user may see with missing episodes in the period,
    most episodes first, at most ``limit``, as counts only (``review_rows`` reads a page of them).
    ``children`` is the policy's ``children_visible_to`` answer for the request (default: without any
    break-glass openings). The period's episodes are grouped by child from the episode_recent_child
    index alone, a page of ``limit`` at a time, and which of the page's children the user may see is
    asked of the policy's answer by id: the records are never joined whole, so the cost follows the
    episodes in the period, never the number of children (issue 15). For someone who sees few of the
    period's children (after ``REVIEW_PAGES_READ`` pages), the grouping is done over their visible
    children instead, which is small for them."""
    if not user.has_role(*REVIEW_ROLES):
        return []
    start = now - timedelta(days=period_days)
    visible = children if children is not None else children_visible_to(user)

    def grouped(episodes: QuerySet[Episode]):
        return (
            episodes.values("child")
            .annotate(n=Count("pk"), last=Max("last_seen_at"))
            .order_by("-n", "-last", "child")
            .values_list("child", "n", "last")
        )

    in_period = Episode.objects.filter(last_seen_at__gte=start)
    rows: list[tuple[int, int, datetime]] = []
    for page in range(REVIEW_PAGES_READ):
        chunk = list(grouped(in_period)[page * limit : (page + 1) * limit])
        seen = set(visible.filter(pk__in=[child_id for child_id, _n, _last in chunk]).values_list("pk", flat=True))
        rows += [row for row in chunk if row[0] in seen]
        if len(rows) >= limit or len(chunk) < limit:
            break
    else:
        rows = list(grouped(in_period.filter(child__in=visible.values("pk")))[:limit])
    return [ReviewEntry(child_id, n, last) for child_id, n, last in rows[:limit]]


def review_rows(
    entries: list[ReviewEntry], *, now: datetime, flag_at: int, children: QuerySet[Child],
) -> list[ReviewRow]:
    """The review list's rows for these entries (one page of ``review_entries``): each child's record
    through the policy's answer ``children``, their overdue return interviews and whether they are
    missing now. Three queries, each bounded by the page."""
    ids = [entry.child_id for entry in entries]
    records = children.select_related("lead_agency").in_bulk(ids)
    overdue = dict(
        ReturnInterview.objects.filter(child__in=ids, status=ReturnInterview.Status.PENDING, due_at__lt=now)
        .values("child").annotate(n=Count("pk")).order_by().values_list("child", "n")
    )
    missing_now = set(
        Episode.objects.filter(child__in=ids, returned_at__isnull=True)
        .order_by()  # the model's ordering would make DISTINCT compare every episode's time and id
        .values_list("child", flat=True)
        .distinct()
    )
    return [
        ReviewRow(
            child=records[entry.child_id],
            episodes=entry.episodes,
            last_episode_at=entry.last_episode_at,
            overdue_interviews=overdue.get(entry.child_id, 0),
            missing_now=entry.child_id in missing_now,
            flagged=entry.episodes >= flag_at,
        )
        for entry in entries
        if entry.child_id in records
    ]


def review_list(
    user, *, now: datetime, period_days: int, flag_at: int, children: QuerySet[Child] | None = None,
    limit: int = REVIEW_LIMIT,
) -> list[ReviewRow]:
    """The whole review list (at most ``limit`` children) with every row read: for the CSV and the
    risk management group's agenda. The page reads one page's rows (``review_entries``, then
    ``review_rows`` for the page)."""
    visible = children if children is not None else children_visible_to(user)
    entries = review_entries(user, now=now, period_days=period_days, children=visible, limit=limit)
    return review_rows(entries, now=now, flag_at=flag_at, children=visible)


# -- the police inbox ------------------------------------------------------------------------------


def police_inbox(user) -> QuerySet[PoliceSubmission]:
    """What was sent to the user's police agency; only for police CSE leads / missing-person coordinators."""
    if not (user.has_role(Role.POLICE_LEAD) and user.agency_id):
        return PoliceSubmission.objects.none()
    return PoliceSubmission.objects.filter(recipient_agency_id=user.agency_id).select_related(
        "child", "sent_by", "sending_agency", "received_by"
    )


@dataclass(frozen=True)
class PoliceInboxNew:
    """What is new (not yet received) in a police lead's inbox: counts by kind and the newest few."""

    total: int
    by_kind: list[tuple[str, int]]  # (kind's label, count), only kinds with something new
    newest: list[PoliceSubmission]


def police_inbox_new(user, *, limit: int = 10) -> PoliceInboxNew:
    """For the police home page: new items in the user's police inbox (two bounded queries)."""
    new = police_inbox(user).filter(received_at__isnull=True)
    counts = dict(new.order_by().values_list("kind").annotate(n=Count("id")))
    by_kind = [(label, counts[kind]) for kind, label in PoliceSubmission.Kind.choices if counts.get(kind)]
    return PoliceInboxNew(total=sum(counts.values()), by_kind=by_kind, newest=list(new[:limit]) if counts else [])


# -- co-missing links among a set of children (for the panel's and the group's agendas) -----------


def co_missing_among(child_ids, *, since: datetime, limit: int = 50) -> list[CoMissingLink]:
    """Co-missing links found since ``since`` where at least one of the two children is in
    ``child_ids`` (children the caller may already see), newest first, at most ``limit``."""
    ids = list(child_ids)
    if not ids:
        return []
    return list(
        CoMissingLink.objects.filter(found_at__gte=since)
        .filter(Q(episode_a__child_id__in=ids) | Q(episode_b__child_id__in=ids))
        .select_related("episode_a__child", "episode_b__child")
        .order_by("-found_at", "-id")[:limit]
    )
