"""Reads of screenings and Form Bs, always through the access chokepoint's filtered children."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from safeguard.access.policy import children_visible_to
from safeguard.children.models import Child, ChronologyItem
from safeguard.screening.models import FormB, Screening


def screenings_for_child(child) -> QuerySet[Screening]:
    return Screening.objects.filter(child=child).select_related("submitted_by", "agency", "superseded_by")


def form_bs_for_child(child) -> QuerySet[FormB]:
    return FormB.objects.filter(child=child).select_related("created_by", "screening")


def previous_cp_referral(child) -> tuple[str, str]:
    """What Form A's "previous child protection referral" question can be prefilled with from the
    record (issue 10 item 12): a referral to children's social care on file answers "yes" with its
    date; else a "yes" given on an earlier screening, with the "when" it gave. Otherwise ("", ""):
    the practitioner answers, since a "no" on file may be out of date."""
    from safeguard.referrals.models import Destination, Referral

    sent_at = (
        Referral.objects.filter(child=child, destination=Destination.CSC)
        .order_by("-sent_at", "-id").values_list("sent_at", flat=True).first()
    )
    if sent_at is not None:
        local = timezone.localtime(sent_at)
        return "yes", f"{local.day} {local:%B %Y}"
    earlier = (
        Screening.objects.filter(child=child, previous_cp_referral="yes")
        .order_by("-submitted_at", "-id").values_list("previous_cp_referral_when", flat=True).first()
    )
    if earlier is not None:
        return "yes", earlier
    return "", ""


def current_screening_band(child) -> str | None:
    """The band of the child's latest screening not superseded, or None (read by missing's
    known-risk check, §14.1)."""
    return current_screening_bands([child.pk]).get(child.pk)


def current_screening_bands(child_ids: list[int]) -> dict[int, str]:
    """``current_screening_band`` for several children in one query (children with none are left out)."""
    bands: dict[int, str] = {}
    for child_id, band in (
        Screening.objects.filter(child_id__in=child_ids, superseded_by__isnull=True)
        .order_by("child_id", "-submitted_at", "-pk").values_list("child_id", "band")
    ):
        if band:
            bands.setdefault(child_id, band)
    return bands


def latest_assessed_form_bs(child_ids: list[int]) -> dict[int, FormB]:
    """Each child's newest Form B that has a risk level, in one query (children with none are left out)."""
    latest: dict[int, FormB] = {}
    for form_b in FormB.objects.filter(child_id__in=child_ids).exclude(risk_level="").order_by(
        "child_id", "-created_at", "-id"
    ):
        latest.setdefault(form_b.child_id, form_b)
    return latest


def reviews_due_for(user, *, within_days: int = 14) -> QuerySet[Screening]:
    """The user's own current screenings whose review date is close or past, on children they still see."""
    horizon = timezone.localdate() + timedelta(days=within_days)
    return (
        Screening.objects.filter(submitted_by=user, superseded_by__isnull=True, review_due__lte=horizon,
                                 child__in=children_visible_to(user))
        .select_related("child")
        .order_by("review_due")
    )


def open_form_b_for_child(child) -> FormB | None:
    """The child's one open draft Form B, if any (one per child, issue 10 item 3)."""
    return FormB.objects.filter(child=child, status=FormB.Status.DRAFT).first()


def draft_form_bs_for(user) -> QuerySet[FormB]:
    """Draft Form Bs on children the user sees: for children's social care, every draft; for others,
    the ones their own screening opened or joined. One line per child: a child has one open draft."""
    drafts = FormB.objects.filter(status=FormB.Status.DRAFT, child__in=children_visible_to(user))
    if not user.has_role("csc_mash"):
        joined = Screening.objects.filter(joined_form_b=OuterRef("pk"), submitted_by=user)
        drafts = drafts.filter(Q(created_by=user) | Exists(joined))
    return drafts.select_related("child", "screening").order_by("created_at")


def recent_screenings_by(user, *, limit: int = 10) -> QuerySet[Screening]:
    return (
        Screening.objects.filter(agency_id=user.agency_id, child__in=children_visible_to(user))
        .select_related("child", "submitted_by")
        .order_by("-submitted_at")[:limit]
    )


# How many of the agency's newest chronology items are read to find its ten most recent children.
WORKED_ON_WINDOW = 200


def children_worked_on_by(user, *, limit: int = 10) -> list[Child]:
    """The home page's "your children": children the user sees whose chronology has something their
    agency recorded (an observation, a screening…), most recently recorded first, with that date as
    ``last_recorded``. Three bounded queries: the agency's newest chronology items by the
    (agency, recorded_at) index, which of those children the user may see (ids only), then the
    shown children's records. Cost does not grow with the agency's history (issue 15)."""
    newest = (
        ChronologyItem.objects.filter(agency_id=user.agency_id)
        .order_by("-recorded_at", "-id")
        .values_list("child_id", "recorded_at")[:WORKED_ON_WINDOW]
    )
    last_recorded: dict[int, datetime] = {}
    for child_id, recorded_at in newest:
        last_recorded.setdefault(child_id, recorded_at)
    visible = children_visible_to(user, among=last_recorded).order_by()
    may_see = set(visible.values_list("pk", flat=True))
    shown = [child_id for child_id in last_recorded if child_id in may_see][:limit]  # newest first
    records = visible.in_bulk(shown)
    children = [records[child_id] for child_id in shown if child_id in records]
    for child in children:
        child.last_recorded = last_recorded[child.pk]  # type: ignore[attr-defined]  # shown by the home page
    return children
