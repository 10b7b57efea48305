"""Tasks and notifications: owners, idempotent raising, closing, emails with no child details."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from safeguard.accounts.models import Role
from safeguard.audit.models import AuditEvent, Verb
from safeguard.notifications.models import Notification, Task
from safeguard.notifications.selectors import tasks_for
from safeguard.notifications.services import notify, task_close, task_open, tasks_close_for
from tests.factories import child as make_child


def test_a_team_task_reaches_every_member_holding_the_role(personas, django_capture_on_commit_callbacks):
    kid = make_child(involved=[personas.school])
    with django_capture_on_commit_callbacks(execute=True):
        task = task_open(kind="referral_received", title="New referral", url="/x/", agency=personas.csc,
                         role=Role.CSC_MASH, child=kid, actor=personas.practitioner)
    assert task in tasks_for(personas.mash_worker)
    assert task not in tasks_for(personas.practitioner)
    assert Notification.objects.filter(recipient=personas.mash_worker, kind="referral_received").exists()
    assert AuditEvent.objects.filter(verb=Verb.TASK_OPENED, target_id=str(task.pk)).exists()


def test_opening_the_same_task_twice_opens_one(personas):
    first = task_open(kind="review_due", title="Review", url="/r/", assignee=personas.practitioner,
                      dedupe_key="review:1")
    second = task_open(kind="review_due", title="Review", url="/r/", assignee=personas.practitioner,
                       dedupe_key="review:1")
    assert first.pk == second.pk
    assert Task.objects.filter(dedupe_key="review:1").count() == 1
    assert Notification.objects.filter(recipient=personas.practitioner, kind="review_due").count() == 1


def test_closing_by_source_closes_only_that_sources_open_tasks(personas):
    kid = make_child(involved=[personas.school])
    other = make_child(first_name="Alex", last_name="Doe", involved=[personas.school])
    mine = task_open(kind="k", title="t", url="/", assignee=personas.practitioner, source=kid)
    theirs = task_open(kind="k", title="t", url="/", assignee=personas.practitioner, source=other)
    assert tasks_close_for(source=kid, actor=personas.practitioner) == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.done_at is not None and mine.done_by == personas.practitioner
    assert theirs.done_at is None
    task_close(task=mine)  # closing again changes nothing
    assert AuditEvent.objects.filter(verb=Verb.TASK_CLOSED, target_id=str(mine.pk)).count() == 1


def test_the_email_carries_a_link_and_no_child_details(personas, django_capture_on_commit_callbacks):
    kid = make_child(involved=[personas.school])
    personas.practitioner.email = "p@example.org"
    personas.practitioner.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[personas.practitioner], kind="k", title=f"Outcome recorded for {kid.full_name}",
               url="/children/1/", child=kid)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body + mail.outbox[0].subject
    assert "Jodie" not in body and "Smyth" not in body
    assert "/notifications/" in body


def test_inbox_lists_tasks_and_marks_notifications_read(client_for, personas):
    task_open(kind="k", title="Record the outcome of your referral", url="/somewhere/",
              assignee=personas.practitioner)
    client = client_for(personas.practitioner)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "Record the outcome of your referral" in page
    assert Notification.objects.filter(recipient=personas.practitioner, read_at__isnull=True).count() == 1
    client.post(reverse("notifications:mark_read"))
    assert Notification.objects.filter(recipient=personas.practitioner, read_at__isnull=True).count() == 0


def test_a_task_without_an_owner_is_refused(personas):
    import pytest

    with pytest.raises(ValueError):
        task_open(kind="k", title="t", url="/")


def test_rescheduling_moves_only_the_sources_open_tasks_and_is_audited(personas):
    from datetime import UTC, datetime

    import pytest

    from safeguard.notifications.selectors import open_tasks_for
    from safeguard.notifications.services import task_reschedule

    kid = make_child(involved=[personas.school])
    other = make_child(first_name="Alex", last_name="Doe", involved=[personas.school])
    before, after = datetime(2025, 3, 1, 9, tzinfo=UTC), datetime(2025, 3, 2, 9, tzinfo=UTC)
    mine = task_open(kind="act", title="t", url="/", assignee=personas.practitioner, source=kid, child=kid,
                     due_at=before)
    done = task_open(kind="act", title="t", url="/", assignee=personas.practitioner, source=kid, due_at=before,
                     dedupe_key="done-one")
    other_kind = task_open(kind="other", title="t", url="/", assignee=personas.practitioner, source=kid,
                           due_at=before)
    theirs = task_open(kind="act", title="t", url="/", assignee=personas.practitioner, source=other, due_at=before)
    task_close(task=done)
    assert set(open_tasks_for(kid)) == {mine, other_kind}
    assert list(open_tasks_for(kid, kind="act")) == [mine]

    assert task_reschedule(source=kid, kind="act", due_at=after, actor=personas.mash_worker) == 1
    assert task_reschedule(source=kid, kind="act", due_at=after) == 0  # already there: nothing to do
    due = {t.pk: t.due_at for t in Task.objects.all()}
    assert due == {mine.pk: after, done.pk: before, other_kind.pk: before, theirs.pk: before}
    event = AuditEvent.objects.get(verb=Verb.TASK_RESCHEDULED)
    assert event.target_id == str(mine.pk) and event.actor == personas.mash_worker and event.child_id == kid.pk

    assert task_reschedule(dedupe_key="done-one", due_at=after) == 0  # a done task keeps its time
    with pytest.raises(ValueError):
        task_reschedule(due_at=after)
