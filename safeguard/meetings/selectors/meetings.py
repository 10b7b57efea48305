"""Every read of meetings, reports, decisions, actions and panel cases, already filtered by who may
see them (§10, §13, §14). Children's records come through ``access.policy``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from safeguard.access.policy import child_worker_agency_id, children_visible_to
from safeguard.accounts.models import CHILD_LEVEL_ROLES, AgencyKind, Role, User
from safeguard.children.models import Child, ChronologyItem
from safeguard.children.selectors import chronology_items
from safeguard.missing import selectors as missing_selectors
from safeguard.referrals.models import Destination, Referral, Status
from safeguard.screening import selectors as screening_selectors

from ..models import (
    Action,
    AgencyReport,
    Decision,
    Invitation,
    Kind,
    Meeting,
    MeetingChild,
    MeetingDue,
    PanelCase,
)
from ..timescales import strategy_due_at

PANEL_ROLES = (Role.MARP_CHAIR, Role.MARP_MEMBER)
# Who in the convening agency runs its meetings (invites, minutes, decisions, actions).
MANAGER_ROLES = (Role.CSC_MASH, Role.POLICE_LEAD, Role.NAMED_LEAD, Role.SENIOR_MANAGER, Role.DESIGNATED_LEAD)
# Who may convene a Risk Management Group meeting: those who see the missing review list (§14).
RMG_ROLES = missing_selectors.REVIEW_ROLES
# Agencies whose people may own an action: every kind that works with children (not the board).
ACTION_AGENCY_KINDS = tuple(k for k in AgencyKind.values if k != AgencyKind.LSCB)
LIST_LIMIT = 50
OPEN_REFERRAL = (Status.SENT, Status.RECEIVED, Status.ACCEPTED)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("No such meeting") from None


# -- who may see and run a meeting ----------------------------------------------------------------


def meetings_visible_to(user) -> QuerySet[Meeting]:
    """Meetings the user is invited to or convened, their own agency's meetings (for the roles
    that run them), and for panel members every panel meeting. Nobody else's."""
    agency_id = child_worker_agency_id(user)
    if agency_id is None:
        return Meeting.objects.none()
    condition = Q(convened_by=user) | Q(Exists(Invitation.objects.filter(meeting=OuterRef("pk"), user=user)))
    if user.has_role(*MANAGER_ROLES):
        condition |= Q(agency_id=agency_id)
    if user.has_role(*PANEL_ROLES):
        condition |= Q(kind=Kind.PANEL)
    return Meeting.objects.filter(condition)


def meeting_for_user(user, meeting_id) -> Meeting:
    """One meeting the user may see, or Http404 (the same answer as for one that does not exist)."""
    try:
        return meetings_visible_to(user).select_related("convened_by", "agency", "referral", "follows").get(
            pk=_int(meeting_id)
        )
    except Meeting.DoesNotExist:
        raise Http404("No such meeting") from None


def may_manage(user, meeting: Meeting) -> bool:
    """Convene-side work on a meeting: invitations, attendance, minutes, decisions, actions."""
    if child_worker_agency_id(user) is None:
        return False
    if meeting.kind == Kind.PANEL:
        return user.has_role(Role.MARP_CHAIR)
    return user.pk == meeting.convened_by_id or (user.agency_id == meeting.agency_id and user.has_role(*MANAGER_ROLES))


def may_convene(user, kind: str) -> bool:
    if child_worker_agency_id(user) is None:
        return False
    if kind == Kind.PANEL:
        return user.has_role(Role.MARP_CHAIR)
    if kind == Kind.RMG:
        return user.has_role(*RMG_ROLES)
    return True


def is_invited(user, meeting: Meeting) -> bool:
    return Invitation.objects.filter(meeting=meeting, user=user).exists()


def may_submit_report(user, report: AgencyReport) -> bool:
    return child_worker_agency_id(user) == report.agency_id


def meeting_child_ids(meeting: Meeting) -> list[int]:
    return list(MeetingChild.objects.filter(meeting=meeting).values_list("child_id", flat=True)[:200])


def meeting_children(meeting: Meeting) -> list[MeetingChild]:
    return list(MeetingChild.objects.filter(meeting=meeting).select_related("child")[:200])


@dataclass(frozen=True)
class MeetingPage:
    meeting: Meeting
    children: list[MeetingChild]
    invitations: list[Invitation]
    reports: list[AgencyReport]
    decisions: list[Decision]
    actions: list[Action]


def meeting_page(meeting: Meeting) -> MeetingPage:
    """What the meeting page shows: a fixed number of queries whatever the meeting holds."""
    return MeetingPage(
        meeting=meeting,
        children=meeting_children(meeting),
        invitations=list(meeting.invitations.select_related("user", "agency")[:200]),
        reports=list(meeting.reports.select_related("agency", "submitted_by").prefetch_related("attachments")[:100]),
        decisions=list(meeting.decisions.select_related("child", "author", "signed_by", "corrects")[:200]),
        actions=list(meeting.actions.select_related("child", "owner", "owner_agency")[:200]),
    )


def meetings_for_child(user, child: Child, *, limit: int = LIST_LIMIT) -> list[Meeting]:
    """Meetings about the child that the user may see."""
    return list(
        meetings_visible_to(user)
        .filter(meeting_children__child=child)
        .select_related("agency")
        .order_by("-starts_at", "-id")[:limit]
    )


def upcoming_for(user, *, now: datetime, limit: int = LIST_LIMIT) -> list[Meeting]:
    return list(
        meetings_visible_to(user)
        .filter(ends_at__gte=now - timedelta(days=7))
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("agency")
        .order_by("starts_at", "id")[:limit]
    )


def report_for(meeting: Meeting, report_id) -> AgencyReport:
    try:
        return meeting.reports.select_related("agency", "submitted_by", "requested_by").get(pk=_int(report_id))
    except AgencyReport.DoesNotExist:
        raise Http404("No such report") from None


def reports_visible_to(user) -> QuerySet[AgencyReport]:
    return AgencyReport.objects.filter(meeting__in=meetings_visible_to(user)).select_related("agency", "meeting")


def decision_for(meeting: Meeting, decision_id) -> Decision:
    try:
        return meeting.decisions.select_related("child", "corrects").get(pk=_int(decision_id))
    except Decision.DoesNotExist:
        raise Http404("No such decision") from None


# -- people who may be invited or own an action ---------------------------------------------------


FIND_LIMIT = 10


def people_matching(text: str, *, limit: int = FIND_LIMIT) -> list[User]:
    """Up to ``limit`` + 1 people who work with children whose name, username, email, job title or agency
    holds every word of ``text`` (the extra one tells the page there are more)."""
    words = text.split()[:5]
    found = people_who_work_with_children()
    for word in words:
        found = found.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                             | Q(username__icontains=word) | Q(email__icontains=word)
                             | Q(job_title__icontains=word) | Q(agency__name__icontains=word))
    return list(found[: limit + 1]) if words else []


def people_who_work_with_children() -> QuerySet[User]:
    """Active people in an agency that works with children, holding a role that does."""
    return (
        User.objects.filter(
            is_active=True, agency__isnull=False, agency__is_active=True, agency__kind__in=ACTION_AGENCY_KINDS,
            role_grants__role__in=CHILD_LEVEL_ROLES,
        )
        .select_related("agency")
        .distinct()
        .order_by("agency__name", "last_name", "first_name")
    )


# -- actions --------------------------------------------------------------------------------------


def actions_visible_to(user) -> QuerySet[Action]:
    """Actions the user owns or set, actions of meetings they may see, and actions about children
    they may see."""
    if child_worker_agency_id(user) is None:
        return Action.objects.none()
    return Action.objects.filter(
        Q(owner=user)
        | Q(created_by=user)
        | Q(meeting__in=meetings_visible_to(user))
        | Q(child__in=children_visible_to(user))
    ).select_related("child", "meeting", "owner", "owner_agency")


def action_for_user(user, action_id) -> Action:
    try:
        return actions_visible_to(user).get(pk=_int(action_id))
    except Action.DoesNotExist:
        raise Http404("No such action") from None


def my_actions(user, *, limit: int = 10) -> list[Action]:
    """The user's own open actions, soonest due first (the home page list; index action_owner_open)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Action.objects.filter(owner=user, status=Action.Status.OPEN)
        .select_related("child", "meeting", "owner_agency")
        .order_by("due_on", "id")[:limit]
    )


def actions_for_child(child: Child, *, open_only: bool = True, limit: int = LIST_LIMIT) -> list[Action]:
    actions = Action.objects.filter(child=child).select_related("owner", "owner_agency", "meeting")
    if open_only:
        actions = actions.filter(status=Action.Status.OPEN)
    return list(actions.order_by("due_on", "id")[:limit])


# -- the pre-meeting overview (§10.1.7: one chronology across every agency involved) ---------------


@dataclass
class ChildOverview:
    child: Child
    chronology: list[ChronologyItem]
    screening: object | None
    form_b: object | None
    referrals: list[Referral]
    episodes: list
    actions: list[Action]
    links: list = field(default_factory=list)


def child_overview(child: Child, *, chronology: int = 25) -> ChildOverview:
    """For one child the caller may see: a bounded read of each part."""
    return ChildOverview(
        child=child,
        chronology=list(chronology_items(child)[:chronology]),
        screening=screening_selectors.screenings_for_child(child).filter(superseded_by__isnull=True)
        .order_by("-submitted_at", "-pk").first(),
        form_b=screening_selectors.form_bs_for_child(child).order_by("-created_at", "-pk").first(),
        referrals=list(
            Referral.objects.filter(child=child, status__in=OPEN_REFERRAL)
            .select_related("referring_agency", "destination_agency")
            .order_by("-sent_at")[:20]
        ),
        episodes=list(missing_selectors.episodes_for_child(child)[:10]),
        actions=actions_for_child(child),
    )


# -- timescales: what is due ----------------------------------------------------------------------


@dataclass(frozen=True)
class StrategyNeeded:
    referral: Referral
    due_at: datetime


def referrals_needing_strategy(user, *, limit: int = LIST_LIMIT) -> list[StrategyNeeded]:
    """Referrals to children's social care accepted by the user's agency with no strategy
    discussion arranged yet (§9.5, §10), soonest due first."""
    agency_id = child_worker_agency_id(user)
    if agency_id is None or not user.has_role(Role.CSC_MASH):
        return []
    arranged = Meeting.objects.filter(referral=OuterRef("pk"), kind=Kind.STRATEGY).exclude(
        status=Meeting.Status.CANCELLED
    )
    referrals = (
        Referral.objects.filter(destination=Destination.CSC, destination_agency_id=agency_id, status=Status.ACCEPTED)
        .exclude(Exists(arranged))
        .select_related("child", "referring_agency")
        .order_by("sent_at", "id")[:limit]
    )
    rows = [StrategyNeeded(r, strategy_due_at(r.sent_at, r.priority)) for r in referrals]
    return sorted(rows, key=lambda row: row.due_at)


def conferences_due(user, *, limit: int = LIST_LIMIT) -> list[MeetingDue]:
    agency_id = child_worker_agency_id(user)
    if agency_id is None:
        return []
    return list(
        MeetingDue.objects.filter(kind=Kind.ICPC, agency_id=agency_id, met_by__isnull=True)
        .select_related("child", "after_meeting")
        .order_by("due_at")[:limit]
    )


# -- the Multi-Agency Risk Panel (§13) ------------------------------------------------------------


def panel_referrals_waiting(user, *, limit: int = LIST_LIMIT) -> list[Referral]:
    """Referrals to the panel not yet accepted or declined (for the chair)."""
    if not user.has_role(Role.MARP_CHAIR):
        return []
    opened = PanelCase.objects.filter(referral=OuterRef("pk"))
    return list(
        Referral.objects.filter(
            Q(status__in=(Status.SENT, Status.RECEIVED)) | (Q(status=Status.ACCEPTED) & ~Q(Exists(opened))),
            destination=Destination.MARP,
        )
        .select_related("child", "referring_agency")
        .order_by("sent_at", "id")[:limit]
    )


def panel_cases_open(user, *, limit: int = LIST_LIMIT) -> list[PanelCase]:
    if not user.has_role(*PANEL_ROLES):
        return []
    return list(
        PanelCase.objects.filter(status=PanelCase.Status.OPEN).select_related("child").order_by("review_due_at")[:limit]
    )


def panel_case_for_child(child: Child) -> PanelCase | None:
    return (
        PanelCase.objects.filter(child=child).select_related("closure", "opened_by").order_by("-opened_at").first()
    )


