"""The one place that answers: may this user see or change this child's record, and why?

Every view and API endpoint that touches a child goes through `child_for_user` (one child) or
`children_visible_to` (lists). A record the user may not see is reported exactly as a record that
does not exist (Http404), so that nobody learns a child is known to another agency by probing
URLs. See ../shared/domain/workflow.md "Access to a child's record" and handbook §12.3, §17.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from safeguard.accounts.models import CHILD_LEVEL_ROLES, Agency, Role, RoleGrant
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.models import Child, Involvement
from safeguard.platform.ids import parse_id

from .meetings import _PANEL_ROLES, _at_panel, _at_panel_ids, _invited, _invited_ids
from .memo import remembered
from .models import BreakGlassAccess


class Why(enum.StrEnum):
    AGENCY_INVOLVED = "agency_involved"
    NAMED_LEAD = "named_lead"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care"
    POLICE_CSE_LEAD = "police_cse_lead"
    PANEL_MEMBER = "panel_member"
    MEETING_INVITEE = "meeting_invitee"
    BREAK_GLASS = "break_glass"
    SYSTEM = "system"


WHY_TEXT = {
    Why.AGENCY_INVOLVED: "Your agency is involved with this child",
    Why.NAMED_LEAD: "You are a named lead for an agency involved with this child",
    Why.CHILDRENS_SOCIAL_CARE: "Children's social care sees every child at risk",
    Why.POLICE_CSE_LEAD: "The police CSE lead sees every child at risk",
    Why.PANEL_MEMBER: "The child is referred to or open at the Multi-Agency Risk Panel, and you sit on it",
    Why.MEETING_INVITEE: "You are invited to a meeting about this child",
    Why.BREAK_GLASS: "You stated a reason to open this record (break glass)",
    Why.SYSTEM: "The product's scheduled checks or demo loader",
}

# Roles whose remit covers every child's record (workflow.md).
_ALL_CHILDREN = {Role.CSC_MASH: Why.CHILDRENS_SOCIAL_CARE, Role.POLICE_LEAD: Why.POLICE_CSE_LEAD}


@dataclass(frozen=True)
class ChildAccess:
    """Proof, from this module alone, that ``user`` may see (and, with ``can_change``, change)
    ``child``. Services take it instead of a user and a child and never decide access again: they
    assert what they need with ``require_change()``. Break-glass state travels inside it.

    ``user`` is None only for :func:`system_access` (scheduled checks, the demo loader)."""

    child: Child
    why: Why
    can_change: bool
    user: Any = None
    session_key: str = ""

    @property
    def explanation(self) -> str:
        return WHY_TEXT[self.why]

    @property
    def actor(self) -> Any:
        """Who acts: the user, or None for the system."""
        return self.user

    @property
    def agency(self) -> Any:
        """The actor's agency (an ``Agency``; None only for the system, which writes no agency rows)."""
        return getattr(self.user, "agency", None)

    @property
    def via_break_glass(self) -> bool:
        return self.why == Why.BREAK_GLASS

    @property
    def is_system(self) -> bool:
        return self.why == Why.SYSTEM

    def require_change(self) -> None:
        """Raise PermissionDenied unless this access may change the child's file."""
        if not self.can_change or self.child.merged_into_id is not None:
            raise PermissionDenied("You cannot change this record")

    def for_child(self, child: Child) -> ChildAccess:
        """The same access for a fresh (e.g. row-locked) copy of the same child."""
        if child.pk != self.child.pk:
            raise ValueError("for_child takes the same child")
        return replace(self, child=child)


def system_access(child: Child) -> ChildAccess:
    """Access for the product itself (``safeguard tick``, the demo loader): an explicit proof that
    names no user, never a bypass flag on a service."""
    return ChildAccess(child=child, why=Why.SYSTEM, can_change=True, user=None)


def works_with_children(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role_set & CHILD_LEVEL_ROLES)


def agencies_working_with_children() -> QuerySet[Agency]:
    """Active agencies with at least one active person in a child-level role: the only agencies
    that may own an action about a child (issue 11 item 8). The partnership's board, whose people
    are analysts and administrators, is not one of them."""
    return Agency.objects.filter(
        is_active=True,
        pk__in=RoleGrant.objects.filter(role__in=CHILD_LEVEL_ROLES, user__is_active=True).values("user__agency_id"),
    )


def works_for_agency(user: Any, agency_id: int | None) -> bool:
    """The user works with children's records in the agency ``agency_id`` (a team that receives
    referrals, or the agency that made one)."""
    return bool(agency_id) and works_with_children(user) and user.agency_id == agency_id


def child_worker_agency_id(user: Any) -> int | None:
    """The agency a user works with children's records in, or None (for lists of an agency's own
    referrals and consultations)."""
    return user.agency_id if works_with_children(user) and user.agency_id else None


def require_child_worker(user: Any) -> None:
    """Raise PermissionDenied unless the user's role works with children's records: for the one
    write that has no child yet (creating a record)."""
    if not works_with_children(user):
        raise PermissionDenied("Your role does not work with children's records")


def require_may_merge(*accesses: ChildAccess) -> None:
    """A named lead merges two records of one child, seeing both through their own agency (not by
    breaking glass). Raise PermissionDenied otherwise."""
    for access in accesses:
        user = access.user
        if (
            access.is_system
            or access.via_break_glass
            or user is None
            or not user.has_role(Role.NAMED_LEAD)
        ):
            raise PermissionDenied("Only a named lead can merge records")
        access.require_change()


def session_key(request: Any, *, create: bool = False) -> str:
    """The request's session key, which scopes break-glass access. Pages that write pass
    ``create=True`` so that a first request gets a key; the API and reads take what is there."""
    session = getattr(request, "session", None)
    if session is None:
        return ""
    if create and not session.session_key:
        session.save()
    return session.session_key or ""


_session_key = session_key


# Roles that sit on the Multi-Agency Risk Panel (§13): they see the children referred to it and
# open at it, and no others through this reason.
def access_reason(user: Any, child: Child, *, session_key: str = "") -> Why | None:
    """Why this user may see the child, or None. Does not write anything."""
    return _reason(user, child, session_key=session_key)


def _reason(user: Any, child: Child, *, session_key: str = "") -> Why | None:
    if not works_with_children(user):
        return None
    for role, why in _ALL_CHILDREN.items():
        if user.has_role(role):
            return why
    if user.agency_id and Involvement.objects.filter(child=child, agency_id=user.agency_id).exists():
        return Why.NAMED_LEAD if user.has_role(Role.NAMED_LEAD) else Why.AGENCY_INVOLVED
    if user.has_role(*_PANEL_ROLES) and Child.objects.filter(_at_panel(child.pk), pk=child.pk).exists():
        return Why.PANEL_MEMBER
    if Child.objects.filter(_invited(user, child.pk), pk=child.pk).exists():
        return Why.MEETING_INVITEE
    if session_key and BreakGlassAccess.objects.filter(
        user=user, child=child, session_key=session_key, expires_at__gt=timezone.now()
    ).exists():
        return Why.BREAK_GLASS
    return None


def may_see_child(user: Any, child: Child) -> bool:
    """This user may see the child's record outside any break-glass session: whether a task or
    notification may name the child to them (issue 10 item 6)."""
    return user is not None and works_with_children(user) and _reason(user, child) is not None


def team_may_see_child(*, agency_id: int | None, role: str, child: Child) -> bool:
    """A team (an agency, and a role in it if given) may see the child: whether a team task may name it."""
    if role and role not in CHILD_LEVEL_ROLES:
        return False
    if role in _ALL_CHILDREN:
        return True
    return agency_id is not None and Involvement.objects.filter(child=child, agency_id=agency_id).exists()


def children_visible_to(user: Any, *, session_key: str = "", among: Iterable[int] | None = None) -> QuerySet[Child]:
    """Every live (not merged-away) child record this user may see; with ``among``, only those of
    these record ids.

    For a practitioner the record ids come from one subquery: the agency's involvements, and with a
    session key, UNION this session's unexpired break-glass openings. An ``IN`` over one subquery is
    planned as a semi-join (hash or index), where an OR of two ``EXISTS`` made PostgreSQL test both
    for every child record (issue 15). A UNION of several parts is hashed whole, though: for a panel
    chair whose agency is involved with 200,000 children that is 50 ms for every question. Asked
    ``among`` a page's ids (which of these may the user see?), every part is cut to those ids first,
    so the union is as small as the page.
    """
    live = Child.objects.filter(merged_into__isnull=True)
    ids: list[int] | None = None
    if among is not None:
        ids = sorted({int(pk) for pk in among})
        live = live.filter(pk__in=ids)
    if not works_with_children(user):
        return live.none()
    if any(user.has_role(role) for role in _ALL_CHILDREN):
        return live
    parts: list[QuerySet[Any, Any]] = []
    if user.agency_id:
        parts.append(Involvement.objects.filter(agency_id=user.agency_id).order_by().values("child_id"))
    extra: list[QuerySet[Any, Any]] = []
    if user.has_role(*_PANEL_ROLES):
        extra.extend(_at_panel_ids())
    extra.append(_invited_ids(user))
    if session_key:
        opened = BreakGlassAccess.objects.filter(
            user=user, session_key=session_key, expires_at__gt=timezone.now()
        ).order_by().values("child_id")
        extra.append(opened)
    if ids is not None:
        parts = [_cut_to(part, ids) for part in parts]
        extra = [_cut_to(part, ids) for part in extra]
    # Only the parts that hold a record join the union: most users have no meeting invitation or
    # break-glass opening, and a lone involvement subquery is planned as an index probe per row of
    # the outer query, where a UNION makes PostgreSQL hash every live child record (a school's home
    # page at region scale: 595 ms → 4 ms for its screenings). Each test is one small indexed query.
    # Whether each part holds a record is asked once per request (memo.py: a save of an invitation,
    # a break-glass opening or a panel case forgets it).
    parts += [
        part for n, part in enumerate(extra)
        if remembered(("visible-part", user.pk, session_key, n, None if ids is None else tuple(ids)), part.exists)
    ]
    if not parts:
        return live.none()
    union = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
    return live.filter(pk__in=union)


def _cut_to(part: QuerySet[Any, Any], ids: list[int]) -> QuerySet[Any, Any]:
    """A part of the visible-children union (one ``values(<child id field>)`` column) cut to ``ids``."""
    (field,) = part.query.values_select
    return part.filter(**{f"{field}__in": ids})


def children_visible_for(request: Any, *, among: Iterable[int] | None = None) -> QuerySet[Child]:
    """The children the request's user may see, with this session's break-glass openings: what a
    list or search page passes to its selector (``among``: only of these ids, as above)."""
    return children_visible_to(request.user, session_key=_session_key(request), among=among)


def child_for_user(user: Any, child_id: Any, *, request: Any = None, change: bool = False,
                   record_view: bool = False) -> ChildAccess:
    """Load a child for this user or raise Http404 — the same answer as for a child that does not exist.

    With `record_view`, the read is written to the audit trail (every child-level page does this).
    """
    pk = parse_id(child_id)
    child = Child.objects.select_related("lead_agency", "lead_professional").filter(pk=pk).first() if pk else None
    if child is None:
        raise Http404("No such record")
    key = _session_key(request, create=change)
    why = access_reason(user, child, session_key=key)
    if why is None:
        raise Http404("No such record")
    access = ChildAccess(child=child, why=why, can_change=works_with_children(user), user=user, session_key=key)
    if change and not access.can_change:
        raise Http404("No such record")
    # A page or API read that loads a child shows the child's data (an edit form shows it too):
    # every GET is audited, once per request (issue 11 item 2).
    is_read = request is not None and getattr(request, "method", "") in ("GET", "HEAD")
    if (record_view or is_read) and _first_read(request, [child.pk]):
        audit_record(
            verb=Verb.CHILD_VIEWED,
            actor=user,
            target=child,
            child_id=child.pk,
            payload={"why": str(why), "path": request.path[:200] if request else ""},
        )
    return access


def _first_read(request: Any, child_ids: Any) -> list[int]:
    """The ids among ``child_ids`` this request has not yet audited as read; marks them read."""
    ids = list(dict.fromkeys(int(i) for i in child_ids if i is not None))
    if request is None:
        return ids
    base = getattr(request, "_request", request)  # a DRF Request wraps Django's
    seen = getattr(base, "_safeguard_children_read", None)
    if seen is None:
        seen = set()
        base._safeguard_children_read = seen
    fresh = [i for i in ids if i not in seen]
    seen.update(fresh)
    return fresh


def child_id_of(item: Any) -> int | None:
    """The child a listed record is about: a child record itself, or a record with ``child_id``."""
    if isinstance(item, Child):
        return int(item.pk)
    child_id = getattr(item, "child_id", None)
    return int(child_id) if child_id is not None else None


def children_viewed_record(request: Any, child_ids: Any) -> None:
    """Audit a list's read: ONE `child_viewed` event naming every child it showed (ids in the
    payload's ``children``; ``child_id`` too when there is one), leaving out children this request
    already audited. Lists call it with the children on the page they return."""
    fresh = _first_read(request, child_ids)
    if not fresh:
        return
    audit_record(
        verb=Verb.CHILD_VIEWED,
        actor=request.user,
        target_type="children.child",
        target_id=fresh[0] if len(fresh) == 1 else "",
        child_id=fresh[0] if len(fresh) == 1 else None,
        payload={"why": "list", "children": fresh, "path": request.path[:200]},
    )


def break_glass_open(*, user: Any, child: Child, reason: str, request: Any) -> BreakGlassAccess:
    """Grant this user access to the child for the rest of this session, recorded and reported."""
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValueError("Say why you need to open this record, in at least 10 characters")
    if not works_with_children(user):
        raise Http404("No such record")
    if not request.session.session_key:
        request.session.save()
    minutes = getattr(settings, "SAFEGUARD_ABSOLUTE_TIMEOUT_MINUTES", 600)
    with transaction.atomic():
        grant = BreakGlassAccess.objects.create(
            user=user,
            agency=user.agency,
            child=child,
            reason=reason,
            session_key=request.session.session_key,
            expires_at=timezone.now() + timedelta(minutes=minutes),
        )
        audit_record(verb=Verb.BREAK_GLASS, actor=user, target=grant, child_id=child.pk)
        _break_glass_tell(grant)
    return grant


def break_glass_reviewers(child: Child) -> list[Any]:
    """Who is told when someone breaks glass on ``child`` (§12.3, §17): the named leads of the child's
    lead agency and involved agencies; failing any, the lead agency's designated leads; failing
    those, the partnership's designated lead (``SAFEGUARD_PARTNERSHIP_DESIGNATED_LEAD``)."""
    from safeguard.accounts.models import User
    from safeguard.accounts.selectors import partnership_people, role_holders

    agencies = set(Involvement.objects.filter(child=child).values_list("agency_id", flat=True))
    agencies |= {child.lead_agency_id} if child.lead_agency_id else set()
    leads = list(
        User.objects.filter(agency_id__in=agencies, is_active=True, role_grants__role=Role.NAMED_LEAD).distinct()
    )
    if leads:
        return leads
    designated = role_holders(agency_id=child.lead_agency_id, role=Role.DESIGNATED_LEAD)
    if designated:
        return designated
    return partnership_people("SAFEGUARD_PARTNERSHIP_DESIGNATED_LEAD", role=Role.DESIGNATED_LEAD)


def _break_glass_tell(grant: BreakGlassAccess) -> None:
    """Tell the reviewers at once, and show the opening in their break-glass log."""
    from safeguard.notifications.models import Notification
    from safeguard.notifications.services import notify

    reviewers = [u for u in break_glass_reviewers(grant.child) if u.pk != grant.user_id]
    if not reviewers:
        return
    grant.told.add(*reviewers)
    who = grant.user.get_full_name() or grant.user.username
    title = f"{who} ({grant.agency or 'no agency'}) broke glass to open the record of {{child}}: check the reason they gave"
    # The log names the child, so it is for those who work with children's records; anyone else
    # (a partnership setting naming such an account) is told without a link or the child's details.
    for group, url in (
        ([u for u in reviewers if works_with_children(u)], grant.get_absolute_url()),
        ([u for u in reviewers if not works_with_children(u)], ""),
    ):
        notify(recipients=group, kind="break_glass", level=Notification.Level.ALERT, title=title, url=url,
               child=grant.child, dedupe_key=f"break-glass-{grant.pk}")


def may_review_break_glass(user: Any) -> bool:
    """Named leads, and anyone told of a break-glass opening (standing in for absent named leads)."""
    if not (works_with_children(user) and user.agency_id):
        return False
    return user.has_role(Role.NAMED_LEAD) or BreakGlassAccess.objects.filter(told=user).exists()


def break_glass_for_named_lead(user: Any) -> QuerySet[BreakGlassAccess]:
    """Break-glass openings of children whose lead agency (or an involved agency) is the lead's own,
    and any the user was told of (as the lead agency's designated lead or the partnership's)."""
    if not may_review_break_glass(user):
        return BreakGlassAccess.objects.none()
    if not user.has_role(Role.NAMED_LEAD):
        return (
            BreakGlassAccess.objects.filter(told=user).select_related("user", "agency", "child").order_by("-created_at")
        )
    return (
        BreakGlassAccess.objects.filter(
            Q(child__lead_agency_id=user.agency_id)
            | Exists(Involvement.objects.filter(child=OuterRef("child"), agency_id=user.agency_id))
            | Q(told=user)
        )
        .distinct()
        .select_related("user", "agency", "child")
        .order_by("-created_at")
    )
