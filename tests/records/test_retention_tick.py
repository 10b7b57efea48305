"""The retention tick reads what changed since its last run, never every record (issue 15: work follows
what is due); `safeguard retention-fill` works out every schedule at once, as the tick would."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.management import call_command
from django.utils import timezone

from safeguard.children.models import Child, ChronologyItem
from safeguard.records.models import RetentionCursor, RetentionSchedule
from safeguard.records.services import retention_schedule_refresh, retention_schedules_fill
from safeguard.records.tick import retention_schedules_refresh
from tests.factories import child as make_child

from .builders import full_file

FIELDS = ("agency_id", "record_kind", "rule", "counts_from", "years", "due_on", "last_activity_on", "rules_version")


def _row(child: Child) -> tuple:
    schedule = RetentionSchedule.objects.get(child=child)
    return tuple(getattr(schedule, f) for f in FIELDS)


def test_a_run_with_nothing_changed_refreshes_nothing_and_a_change_is_picked_up(personas):
    kid = make_child(dob=date(2012, 3, 4), involved=[personas.school], lead=personas.school)
    other = make_child(dob=date(2011, 5, 6), involved=[personas.health])
    assert retention_schedules_refresh(now=timezone.now()) == 2
    assert retention_schedules_refresh(now=timezone.now()) == 0
    computed = RetentionSchedule.objects.get(child=other).computed_at
    # Something recorded on one file: that record alone is worked out again.
    ChronologyItem.objects.create(child=kid, kind=ChronologyItem.Kind.REFERRAL, summary="Referred",
                                  occurred_at=timezone.now(), recorded_at=timezone.now(), agency=personas.school)
    assert retention_schedules_refresh(now=timezone.now()) == 1
    assert RetentionSchedule.objects.get(child=kid).record_kind == "concern"
    assert RetentionSchedule.objects.get(child=other).computed_at == computed
    # A change to the record itself (it is now looked after) moves its rule on the next run.
    kid.refresh_from_db()
    kid.looked_after = True
    kid.save()
    assert retention_schedules_refresh(now=timezone.now()) == 1
    assert RetentionSchedule.objects.get(child=kid).record_kind == "looked_after"
    assert retention_schedules_refresh(now=timezone.now()) == 0


def test_a_change_committed_late_is_still_read_within_the_overlap(personas):
    kid = make_child(involved=[personas.school])
    assert retention_schedules_refresh(now=timezone.now()) == 1
    # A record saved with a time before the cursor (its transaction committed after the last run).
    cursor = RetentionCursor.objects.get()
    Child.objects.filter(pk=kid.pk).update(updated_at=cursor.children_changed_to - timedelta(minutes=2),
                                           looked_after=True)
    RetentionSchedule.objects.filter(child=kid).update(computed_at=cursor.children_changed_to - timedelta(minutes=3))
    assert retention_schedules_refresh(now=timezone.now()) == 1
    assert RetentionSchedule.objects.get(child=kid).record_kind == "looked_after"


def test_a_full_batch_stops_and_the_next_run_goes_on(personas, monkeypatch):
    import safeguard.records.tick as tick

    monkeypatch.setattr(tick, "BATCH", 2)
    kids = [make_child(involved=[personas.school]) for _ in range(5)]
    done = [retention_schedules_refresh(now=timezone.now()) for _ in range(4)]
    assert sum(done) >= 5 and done[-1] == 0
    assert RetentionSchedule.objects.filter(child__in=kids).count() == 5


def test_fill_gives_each_record_the_schedule_the_one_record_refresh_gives(personas):
    plain = make_child(dob=date(2010, 1, 1), involved=[personas.school])
    screened = full_file(personas).child  # screenings, a referral, a decision, an episode …
    looked_after = make_child(dob=date(2013, 3, 3), involved=[personas.residential])
    Child.objects.filter(pk=looked_after.pk).update(looked_after=True)
    kids = [plain, screened, looked_after]
    assert retention_schedules_fill(chunk=2) == 3
    filled = {kid.pk: _row(kid) for kid in kids}
    for kid in kids:
        retention_schedule_refresh(child=Child.objects.get(pk=kid.pk))
        assert _row(kid) == filled[kid.pk]
    # The tick starts from the fill: nothing is left for it.
    assert retention_schedules_refresh(now=timezone.now()) == 0
    # Only records with no schedule are filled again; --all works every one out.
    assert retention_schedules_fill() == 0
    assert retention_schedules_fill(every=True) == 3


def test_the_command_says_how_many(personas, capsys):
    make_child(involved=[personas.school])
    call_command("retention-fill")
    assert "Worked out 1 retention schedules" in capsys.readouterr().out
