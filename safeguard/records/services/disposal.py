"""Retention schedules, legal holds, the signed disposal decision and disposal itself.

Disposal removes every row of the child's file (``holdings.child_holdings``) in one transaction and
leaves the signed ``DisposalDecision`` as the tombstone. The audit trail is not touched: its events
name the child by id and carry codes and counts only, so the chain still verifies afterwards.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from safeguard.access.policy import ChildAccess
from safeguard.accounts.models import Agency
from safeguard.api.errors import ServiceConflict
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.models import Child, ChronologyItem, Involvement
from safeguard.rules.retention import RETENTION_VERSION, RetentionOutcome, record_kind, retention_due
from safeguard.screening.models import Screening

from ..holdings import child_holdings, counts
from ..models import DisposalDecision, DisposalPermit, LegalHold, RetentionCursor, RetentionSchedule

# Chronology kinds that mean something of concern was recorded beyond a screening.
CONCERN_KINDS = (
    ChronologyItem.Kind.REFERRAL, ChronologyItem.Kind.FORM_B, ChronologyItem.Kind.DECISION,
    ChronologyItem.Kind.ASSESSMENT, ChronologyItem.Kind.MISSING_EPISODE, ChronologyItem.Kind.MEETING,
)
NO_CONCERN_BAND = "none"


class DisposalRefused(ServiceConflict):
    """The record may not be disposed of now (a hold, not yet due, or it changed since the decision)."""


def _outcome(*, child: Child, last_item: datetime | None, bands: set[str], other_concern: bool,
             agency: Agency | None) -> tuple[RetentionOutcome, date]:
    """The rule and due day for a record, from what is known of it (one record or many at once)."""
    moments = [m for m in (last_item, child.updated_at, child.created_at) if m is not None]
    last_activity = timezone.localdate(max(moments)) if moments else timezone.localdate()
    kind = record_kind(
        looked_after=child.looked_after,
        screened=bool(bands),
        all_screenings_no_concern=bands == {NO_CONCERN_BAND},
        other_concern=other_concern,
    )
    outcome = retention_due(
        kind=kind, agency_kind=agency.kind if agency else "", date_of_birth=child.date_of_birth,
        last_activity=last_activity, overrides=getattr(settings, "SAFEGUARD_RETENTION_YEARS", None) or {},
    )
    return outcome, last_activity


def _schedule_fields(outcome: RetentionOutcome, agency: Agency | None, last_activity: date, now: datetime) -> dict:
    return {
        "agency": agency, "record_kind": outcome.record_kind, "rule": outcome.rule,
        "counts_from": outcome.counts_from, "years": outcome.years, "due_on": outcome.due_on,
        "last_activity_on": last_activity, "rules_version": outcome.version, "computed_at": now,
    }


def retention_schedules_fill(*, every: bool = False, chunk: int = 5000, now: datetime | None = None) -> int:
    """Work out the schedule of every record that has none (``every``: of every record) in chunks of
    ``chunk`` records with a handful of grouped queries each, and start the tick's reading from here
    (``RetentionCursor``): for a new installation, a data load, or a change to the retention settings."""
    now = now or timezone.now()
    with transaction.atomic():  # where the tick reads from: everything before this fill is covered by it
        item_mark = ChronologyItem.objects.aggregate(m=Max("pk"))["m"] or 0
        RetentionCursor.objects.all().delete()
        RetentionCursor.objects.create(children_changed_to=now, chronology_item_id=item_mark)
    agencies = {a.pk: a for a in Agency.objects.all()}
    records = Child.objects.filter(merged_into__isnull=True).order_by("pk")
    if not every:
        records = records.filter(retention__isnull=True)
    filled, after = 0, 0
    while True:
        children = list(records.filter(pk__gt=after)[:chunk])
        if not children:
            return filled
        after = children[-1].pk
        filled += retention_schedules_write(children, now=now, agencies=agencies)


def retention_schedules_write(children: list[Child], *, now: datetime, agencies: dict[int, Agency] | None = None) -> int:
    """Work out (again) the schedules of these records with a handful of grouped queries for all of
    them: the fill's chunks, the tick's batch and one record's refresh. A record's owning agency is its
    lead agency, else the first agency involved; ``agencies`` (every agency, by id) saves reading them
    for each chunk of a fill."""
    if not children:
        return 0
    ids = [c.pk for c in children]
    last_items = dict(ChronologyItem.objects.filter(child_id__in=ids).values("child_id")
                      .annotate(last=Max("recorded_at")).values_list("child_id", "last"))
    concern = set(ChronologyItem.objects.filter(child_id__in=ids, kind__in=CONCERN_KINDS)
                  .values_list("child_id", flat=True).distinct())
    bands: dict[int, set[str]] = {}
    for child_id, band in Screening.objects.filter(child_id__in=ids).values_list("child_id", "band"):
        bands.setdefault(child_id, set()).add(band)
    first_agency: dict[int, int] = {}  # the owning agency when a record has no lead agency
    for child_id, agency_id in (Involvement.objects.filter(child_id__in=ids).order_by("child_id", "since", "id")
                                .values_list("child_id", "agency_id")):
        first_agency.setdefault(child_id, agency_id)
    if agencies is None:
        agencies = Agency.objects.in_bulk({c.lead_agency_id or first_agency.get(c.pk, 0) for c in children})
    rows = []
    fields: dict = {}
    for child in children:
        agency = agencies.get(child.lead_agency_id or first_agency.get(child.pk, 0))
        outcome, last_activity = _outcome(child=child, last_item=last_items.get(child.pk),
                                          bands=bands.get(child.pk, set()), other_concern=child.pk in concern,
                                          agency=agency)
        fields = _schedule_fields(outcome, agency, last_activity, now)
        rows.append(RetentionSchedule(child=child, **fields))
    with transaction.atomic():
        RetentionSchedule.objects.bulk_create(rows, update_conflicts=True, unique_fields=["child"],
                                              update_fields=list(fields))
    return len(rows)


def retention_schedule_refresh(*, child: Child, now: datetime | None = None) -> RetentionSchedule:
    """Work out (again) when the child's record comes due, and store it for the review list."""
    retention_schedules_write([child], now=now or timezone.now())
    return RetentionSchedule.objects.select_related("agency").get(child=child)


def holds_in_force(child: Child) -> models.QuerySet[LegalHold]:
    return LegalHold.objects.filter(child=child, lifted_at__isnull=True)


def _clean_reason(reason: str, field: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < 10:
        raise ValidationError({field: "Say why, in at least 10 characters"})
    return reason


def legal_hold_place(*, access: ChildAccess, reason: str) -> LegalHold:
    """Hold the record: nothing disposes of it until the hold is lifted."""
    access.require_change()
    reason = _clean_reason(reason, "reason")
    with transaction.atomic():
        child = Child.objects.select_for_update().get(pk=access.child.pk)
        hold = LegalHold.objects.create(child=child, reason=reason, placed_by=access.actor, placed_at=timezone.now())
        audit_record(verb=Verb.LEGAL_HOLD_PLACED, actor=access.actor, target=hold, child_id=child.pk)
    return hold


def legal_hold_lift(*, access: ChildAccess, hold_id: int, version: int, reason: str) -> LegalHold:
    """Lift a hold in force; a stale form (someone else changed it) is refused."""
    access.require_change()
    reason = _clean_reason(reason, "lift_reason")
    with transaction.atomic():
        try:
            hold = LegalHold.objects.select_for_update().get(pk=hold_id, child=access.child)
        except LegalHold.DoesNotExist:
            raise ServiceConflict("That hold is not on this record") from None
        if hold.version != version:
            raise ServiceConflict(f"{hold.lifted_by or hold.placed_by} changed this hold — reload the page")
        if not hold.in_force:
            raise ServiceConflict("This hold has already been lifted")
        hold.lifted_by, hold.lifted_at, hold.lift_reason = access.actor, timezone.now(), reason
        hold.version += 1
        hold.save(update_fields=["lifted_by", "lifted_at", "lift_reason", "version"])
        audit_record(verb=Verb.LEGAL_HOLD_LIFTED, actor=access.actor, target=hold, child_id=hold.child_id)
    return hold


def _require_disposable(child: Child, *, today: date) -> tuple[RetentionSchedule, Agency]:
    if child.merged_into_id is not None:
        raise DisposalRefused("This record was merged into another; review that record instead")
    if holds_in_force(child).exists():
        raise DisposalRefused("A legal hold is in force on this record: it cannot be disposed of")
    schedule = retention_schedule_refresh(child=child)
    if schedule.due_on > today:
        raise DisposalRefused(f"This record is not due for disposal until {schedule.due_on:%d %B %Y}")
    if schedule.agency is None:
        raise DisposalRefused("No agency owns this record: give it a lead agency first")
    return schedule, schedule.agency


def _require_owning_lead(access: ChildAccess, agency: Agency) -> None:
    """Only the owning agency's named lead decides; never under break glass or as the system."""
    if access.is_system or access.via_break_glass or access.agency is None or access.agency.pk != agency.pk:
        raise PermissionDenied("Only the owning agency's named lead decides on disposal")


def disposal_sign(*, access: ChildAccess, today: date) -> DisposalDecision:
    """Sign the decision to dispose of a record that is due and not held."""
    access.require_change()
    with transaction.atomic():
        child = Child.objects.select_for_update().get(pk=access.child.pk)
        schedule, agency = _require_disposable(child, today=today)
        _require_owning_lead(access, agency)
        if DisposalDecision.objects.filter(child_id=child.pk, status=DisposalDecision.Status.SIGNED).exists():
            raise DisposalRefused("A disposal decision for this record is already signed")
        decision = DisposalDecision.objects.create(
            child_id=child.pk, agency=agency, record_kind=schedule.record_kind, rule=schedule.rule,
            due_on=schedule.due_on, rules_version=RETENTION_VERSION, signed_by=access.actor, signed_at=timezone.now(),
        )
        audit_record(verb=Verb.DISPOSAL_SIGNED, actor=access.actor, target=decision, child_id=child.pk,
                     payload={"rule": decision.rule, "record_kind": decision.record_kind,
                              "due_on": decision.due_on.isoformat()})
    return decision


def _stored_files(holdings) -> list[tuple[models.FileField, str]]:
    files = []
    for model, pks in holdings.items():
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        if not file_fields:
            continue
        for row in model._base_manager.filter(pk__in=pks).only(*[f.name for f in file_fields]):
            for field in file_fields:
                name = getattr(row, field.attname)
                if name:
                    files.append((field, str(name)))
    return files


def record_dispose(*, access: ChildAccess, decision_id: int, version: int, today: date) -> DisposalDecision:
    """Carry out a signed decision: remove every row of the child's file, keep the tombstone, audit it.

    All in one transaction under the child's row lock; the checks are made again (a hold placed
    since the decision was signed, or new activity that moved the due date, stops it)."""
    access.require_change()
    with transaction.atomic():
        child = Child.objects.select_for_update().get(pk=access.child.pk)
        try:
            decision = DisposalDecision.objects.select_for_update().get(pk=decision_id, child_id=child.pk)
        except DisposalDecision.DoesNotExist:
            raise DisposalRefused("There is no signed decision to dispose of this record") from None
        if decision.version != version:
            raise DisposalRefused("This decision changed since you opened it — reload the page")
        if decision.status != DisposalDecision.Status.SIGNED:
            raise DisposalRefused(f"This decision is {decision.get_status_display().lower()}")
        schedule, agency = _require_disposable(child, today=today)
        _require_owning_lead(access, agency)
        if (schedule.rule, schedule.record_kind) != (decision.rule, decision.record_kind):
            raise DisposalRefused("The record changed since the decision was signed: review it and sign again")
        holdings = child_holdings(child)
        removed = counts(holdings)
        files = _stored_files(holdings)
        DisposalPermit.objects.create(child_id=child.pk)
        using = transaction.get_connection().alias
        for model, pks in holdings.items():
            ordered = sorted(pks)
            for start in range(0, len(ordered), 500):
                # Foreign keys are checked at commit (Django creates them deferred), so the order
                # of the deletes does not matter; anything outside the file still pointing at
                # these rows makes the commit fail, and then nothing is removed.
                model._base_manager.filter(pk__in=ordered[start : start + 500])._raw_delete(using)
        DisposalPermit.objects.filter(child_id=child.pk).delete()
        decision.status = DisposalDecision.Status.DISPOSED
        decision.disposed_by, decision.disposed_at = access.actor, timezone.now()
        decision.removed = removed
        decision.version += 1
        decision.save(update_fields=["status", "disposed_by", "disposed_at", "removed", "version"])
        audit_record(verb=Verb.RECORD_DISPOSED, actor=access.actor, target=decision, child_id=decision.child_id,
                     payload={"rule": decision.rule, "record_kind": decision.record_kind,
                              "rows": sum(removed.values()), "kinds": len(removed)})
        transaction.on_commit(lambda: _delete_files(files))
    return decision


def _delete_files(files) -> None:
    for field, name in files:
        field.storage.delete(name)
