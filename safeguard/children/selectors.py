"""Every read of children's records, already filtered by the access module."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from safeguard.access.policy import children_visible_to
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record

from .matching import MATCH_THRESHOLD, normalise, phonetic_key, score_candidate
from .models import Child, ChildName, ChronologyItem

MAX_CANDIDATES = 2000  # names compared per search; phonetic keys and prefixes keep the pool small
MAX_RESULTS = 20


@dataclass(frozen=True)
class SearchMatch:
    child: Child
    score: float
    matched_name: str  # the name or alias that matched best
    matched_alias: bool
    swapped: bool  # first and last names matched the other way round


@dataclass(frozen=True)
class SearchResult:
    visible_matches: list[SearchMatch]
    hidden_match_exists: bool
    # Record numbers of likely matches the user cannot see: only for the break-glass link, never
    # shown with a name or any detail.
    hidden_match_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class _Candidate:
    child_id: int
    first_name: str
    last_name: str
    date_of_birth: date | None
    alias: bool


def _candidates(first_name: str, last_name: str, date_of_birth: date | None) -> list[_Candidate]:
    keys = {phonetic_key(first_name), phonetic_key(last_name)} - {""}
    prefixes = {normalise(first_name)[:2], normalise(last_name)[:2]} - {""}
    names_q = Q(first_key__in=keys) | Q(last_key__in=keys)
    record_q = Q(pk__in=[])
    for prefix in prefixes:
        names_q |= Q(first_name__istartswith=prefix) | Q(last_name__istartswith=prefix)
        record_q |= Q(first_name__istartswith=prefix) | Q(last_name__istartswith=prefix)
    if date_of_birth:
        names_q |= Q(child__date_of_birth=date_of_birth)
        record_q |= Q(date_of_birth=date_of_birth)
    found = [
        _Candidate(child_id, first, last, dob, kind == ChildName.Kind.ALIAS)
        for child_id, first, last, dob, kind in ChildName.objects.filter(
            names_q, child__merged_into__isnull=True
        ).values_list("child_id", "first_name", "last_name", "child__date_of_birth", "kind")[:MAX_CANDIDATES]
    ]
    # The record's own name too, in case it was created without its name row (e.g. by an import).
    found += [
        _Candidate(child_id, first, last, dob, False)
        for child_id, first, last, dob in Child.objects.filter(
            record_q, merged_into__isnull=True
        ).values_list("pk", "first_name", "last_name", "date_of_birth")[:MAX_CANDIDATES]
    ]
    return found


def child_search(
    user,
    *,
    first_name: str,
    last_name: str,
    date_of_birth: date | None = None,
    visible: QuerySet[Child] | None = None,
) -> SearchResult:
    """Likely matches for a name (every name and alias; misspelt; swapped) and date of birth.

    Only children the user may see are returned (``visible``, from the access module: pages pass
    ``children_visible_for(request)`` so that break glass counts); that a likely match exists
    elsewhere is a yes/no.
    The search is audited with counts only: no name is written to the audit trail.
    """
    best: dict[int, tuple[float, _Candidate, bool]] = {}
    for candidate in _candidates(first_name, last_name, date_of_birth):
        result = score_candidate(
            first=first_name,
            last=last_name,
            dob=date_of_birth,
            cand_first=candidate.first_name,
            cand_last=candidate.last_name,
            cand_dob=candidate.date_of_birth,
        )
        if result.score >= MATCH_THRESHOLD and result.score > best.get(candidate.child_id, (0.0,))[0]:
            best[candidate.child_id] = (result.score, candidate, result.swapped)
    visible = {
        child.pk: child
        for child in (children_visible_to(user) if visible is None else visible)
        .filter(pk__in=list(best))
        .select_related("lead_agency")
    }
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
    matches = [
        SearchMatch(
            child=visible[child_id],
            score=round(score, 3),
            matched_name=f"{candidate.first_name} {candidate.last_name}".strip(),
            matched_alias=candidate.alias,
            swapped=swapped,
        )
        for child_id, (score, candidate, swapped) in ranked
        if child_id in visible
    ][:MAX_RESULTS]
    hidden = tuple(child_id for child_id, _ in ranked if child_id not in visible)
    audit_record(
        verb=Verb.CHILD_SEARCHED,
        actor=user,
        payload={
            "visible_matches": len(matches),
            "hidden_match": bool(hidden),
            "with_date_of_birth": date_of_birth is not None,
        },
    )
    return SearchResult(
        visible_matches=matches, hidden_match_exists=bool(hidden), hidden_match_ids=hidden[:3]
    )


def children_recent(user, *, visible: QuerySet[Child] | None = None, limit: int = 25) -> QuerySet[Child]:
    """Recently changed records among those the user sees (``visible``, as for ``child_search``)."""
    return (
        (children_visible_to(user) if visible is None else visible)
        .select_related("lead_agency")
        .order_by("-updated_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class ChildOverview:
    child: Child
    primary_and_aliases: list[ChildName]
    addresses: list
    involvements: list
    latest: list[ChronologyItem]
    chronology_count: int


def child_overview(child: Child, *, latest: int = 10) -> ChildOverview:
    """What the overview page shows; a fixed number of queries whatever the record holds."""
    return ChildOverview(
        child=child,
        primary_and_aliases=list(child.names.order_by("kind", "pk")),
        addresses=list(child.addresses.all()),
        involvements=list(child.involvements.select_related("agency").order_by("since")),
        latest=list(chronology_items(child)[:latest]),
        chronology_count=child.chronology.count(),
    )


def chronology_items(
    child: Child,
    *,
    agency_id: int | None = None,
    kind: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[ChronologyItem]:
    """The child's merged chronology, newest first, filtered as asked. The caller checked access."""
    items = ChronologyItem.objects.filter(child=child).select_related("agency", "author")
    if agency_id:
        items = items.filter(agency_id=agency_id)
    if kind:
        items = items.filter(kind=kind)
    if date_from:
        items = items.filter(occurred_at__date__gte=date_from)
    if date_to:
        items = items.filter(occurred_at__date__lte=date_to)
    return items.order_by("-occurred_at", "-id")


def chronology_agencies(child: Child):
    """Agencies that appear on the child's chronology or are involved: the choices of the agency filter."""
    from safeguard.accounts.models import Agency

    return (
        Agency.objects.filter(
            Q(involvements__child=child)
            | Q(pk__in=ChronologyItem.objects.filter(child=child).values("agency_id"))
        )
        .distinct()
        .order_by("name")
    )
