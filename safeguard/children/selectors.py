"""Every read of children's records, already filtered by the access module."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from safeguard.access.policy import children_visible_to
from safeguard.audit.models import AuditEvent, Verb

from .models import Child, ChildName, ChronologyItem, Involvement
from .search import SearchMatch, SearchResult, child_search

__all__ = ["SearchMatch", "SearchResult", "child_search", "children_recent", "child_overview"]

RECENT_EVENTS = 200  # the user's own latest record views read to find their recent records


def children_recent(user, *, visible: QuerySet[Child] | None = None, limit: int = 10) -> list[Child]:
    """The records this user opened most recently and may still see (``visible``, from the access
    module, as for ``child_search``): an index read of their own audit events (audit_actor_verb),
    bounded whatever the number of children."""
    viewed = (
        AuditEvent.objects.filter(actor=user, verb=Verb.CHILD_VIEWED, child_id__isnull=False)
        .order_by("-id")
        .values_list("child_id", flat=True)[:RECENT_EVENTS]
    )
    order: list[int] = [pk for pk in dict.fromkeys(viewed) if pk is not None][: limit * 2]
    shown = {
        c.pk: c
        for c in (children_visible_to(user) if visible is None else visible)
        .filter(pk__in=order, merged_into__isnull=True)
        .select_related("lead_agency")
    }
    return [shown[pk] for pk in order if pk in shown][:limit]


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
    return items.order_by(*NEWEST_FIRST)


NEWEST_FIRST = ("-occurred_at", "-id")  # a chronology's order


def newest_chronology_items(child_ids: list[int], *, since: datetime, each: int) -> dict[int, list[ChronologyItem]]:
    """Each of these children's newest ``each`` chronology items since ``since``, newest first (as
    ``chronology_items``): one query with a row number per child, whatever the number of children.
    The caller checked access."""
    ranked = (
        ChronologyItem.objects.filter(child_id__in=child_ids, occurred_at__gte=since)
        .select_related("agency", "author")
        .annotate(nth=Window(RowNumber(), partition_by=[F("child_id")], order_by=[F("occurred_at").desc(), F("id").desc()]))
        .filter(nth__lte=each)
        .order_by("child_id", *NEWEST_FIRST)
    )
    newest: dict[int, list[ChronologyItem]] = {}
    for item in ranked:
        newest.setdefault(item.child_id, []).append(item)
    return newest


def chronology_agencies(child: Child):
    """Agencies that appear on the child's chronology or are involved: the choices of the agency filter."""
    from safeguard.accounts.models import Agency

    # Two semi-joins, each read once (the child's involvements, the child's items by chronology_child_time):
    # no join of agencies to rows and no DISTINCT, so the cost does not grow with the number of agencies.
    return Agency.objects.filter(
        Q(pk__in=Involvement.objects.filter(child=child).values("agency_id"))
        | Q(pk__in=ChronologyItem.objects.filter(child=child).values("agency_id"))
    ).order_by("name")


# What a merge moves itself (names, addresses, involvements, observations, chronology) or leaves with
# the merged record as its history (its merges, break-glass openings). Any other record held against a
# child (screenings, Form Bs, referrals, assessments, decisions, missing episodes, and whatever a later
# app adds) is not moved by this app, so a merge is refused while the merged record holds one.
MERGE_HANDLED = frozenset({
    "names", "name_keys", "addresses", "involvements", "observations", "chronology_entries", "chronology",
    "merged_records", "merges_kept", "merge_record", "break_glass",
})


def merge_blockers(child: Child) -> list[str]:
    """What the rest of the product holds against this record that a merge would leave behind, in
    words ("2 screenings", "1 referral"), found from the relations to ``Child`` so a new app's records
    count without this app knowing them. Empty when the record can be merged away."""
    found = []
    for relation in Child._meta.related_objects:
        if relation.get_accessor_name() in MERGE_HANDLED:
            continue
        model = relation.related_model
        count = model._default_manager.filter(**{relation.field.name: child}).count()
        if count:
            noun = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
            found.append(f"{count} {noun}")
    return found
