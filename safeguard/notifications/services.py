"""Every write to tasks and notifications. Other apps call these inside their own transactions.

Every task and notification says which child and what to do (issue 10 item 6), and only to those
who may see the child: a title about a child writes ``{child}`` where the child is meant ("Review
the CSE screening of {child}"; without it the name leads, "Jo Bloggs: …"). These functions fill it
with the child's name for a recipient who may see the child (``access.policy``), and with "a child"
(and no link to the child) for anyone else, so an account without a child-level role is never told
a child's details. Titles never name a record by its number.

An email never carries a child's details: only that something is waiting, and a link. The page
behind the link checks access again (``safeguard.access``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguard.accounts.models import CHILD_LEVEL_ROLES
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.notifications.models import Notification, Task

logger = logging.getLogger(__name__)

EMAIL_SUBJECT = "Safeguard: something needs your attention"
EMAIL_BODY = (
    "There is something new for you in Safeguard.\n\n"
    "Sign in to see it: {link}\n\n"
    "This email does not contain any details about a child. Do not forward it."
)


CHILD = "{child}"
SOMEONE = "a child"


def titled(title: str, child, *, named: bool) -> str:
    """``title`` with the child filled in: their name when ``named``, else "a child"."""
    if child is None or not named:
        text = title.replace(CHILD, SOMEONE)
    elif CHILD in title:
        text = title.replace(CHILD, child.full_name)
    else:
        text = f"{child.full_name}: {title[:1].lower() + title[1:] if title[1:2].islower() else title}"
    return (text[:1].upper() + text[1:])[:200]


def _named_to(user, child) -> bool:
    from safeguard.access.policy import may_see_child

    return child is not None and may_see_child(user, child)


def _source(source: Any) -> tuple[str, str]:
    if source is None:
        return "", ""
    return source._meta.label_lower, str(source.pk)


def notify(
    *,
    recipients: Iterable,
    kind: str,
    title: str,
    url: str = "",
    child=None,
    level: str = Notification.Level.INFO,
    dedupe_key: str = "",
    email: bool = True,
    exclude=None,
) -> list[Notification]:
    """Tell each active recipient (once per ``dedupe_key``, if given); email them a bare link."""
    created: list[Notification] = []
    seen: set[int] = set()
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen or (exclude is not None and user.pk == exclude.pk):
            continue
        seen.add(user.pk)
        named = _named_to(user, child)
        try:
            with transaction.atomic():
                note = Notification.objects.create(
                    recipient=user, kind=kind, title=titled(title, child, named=named), url=url,
                    child=child if named else None, level=level, dedupe_key=dedupe_key,
                )
        except IntegrityError:
            if not dedupe_key:
                raise
            continue  # already told
        created.append(note)
    if email and created:
        link = f"{settings.SITE_URL}/notifications/"
        to_email = [(n, n.recipient.email) for n in created if n.recipient.email]

        def _send() -> None:
            for note, address in to_email:
                try:
                    send_mail(EMAIL_SUBJECT, EMAIL_BODY.format(link=link), None, [address])
                except OSError:  # the in-app notification stands; the mail server is logged, not fatal
                    logger.warning("could not email notification %s", note.pk)
                    continue
                Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())

        transaction.on_commit(_send)
    return created


def task_open(
    *,
    kind: str,
    title: str,
    url: str,
    assignee=None,
    agency=None,
    role: str = "",
    child=None,
    due_at: datetime | None = None,
    source: Any = None,
    dedupe_key: str | None = None,
    actor=None,
    notify_owner: bool = True,
) -> Task:
    """Open a task for a user, or for a team (``agency`` and optionally ``role``).

    With ``dedupe_key``, opening the same task twice returns the first (open or done).
    """
    if assignee is None and agency is None:
        raise ValueError("a task needs an assignee or an agency")
    source_type, source_id = _source(source)
    if dedupe_key:
        existing = Task.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    if child is None:
        named = False
    elif assignee is not None:
        named = _named_to(assignee, child)
    else:
        from safeguard.access.policy import team_may_see_child

        named = team_may_see_child(agency_id=agency.pk, role=role, child=child)
    try:
        with transaction.atomic():
            task = Task.objects.create(
                kind=kind, title=titled(title, child, named=named), url=url, assignee=assignee, agency=agency, role=role, child=child,
                due_at=due_at, source_type=source_type, source_id=source_id, dedupe_key=dedupe_key or None,
            )
    except IntegrityError:
        if not dedupe_key:
            raise
        return Task.objects.get(dedupe_key=dedupe_key)
    audit_record(
        verb=Verb.TASK_OPENED, actor=actor, target=task, child_id=child.pk if child else None,
        payload={"kind": kind},
    )
    if notify_owner:
        notify(recipients=task_owners(task), kind=kind, title=title, url=url, child=child, exclude=actor)
    return task


def task_owners(task: Task) -> list:
    """The users who may do a task: its assignee, or the team's active members."""
    from safeguard.accounts.models import User

    if task.assignee_id:
        return [task.assignee]
    users = User.objects.filter(agency=task.agency, is_active=True)
    if task.child_id:  # a task about a child belongs to those who work with children's records
        users = users.filter(role_grants__role__in=CHILD_LEVEL_ROLES)
    if task.role:
        users = users.filter(role_grants__role=task.role)
    return list(users.distinct())


def task_close(*, task: Task, actor=None) -> Task:
    """Mark one task done (idempotent)."""
    if task.done_at is not None:
        return task
    task.done_at = timezone.now()
    task.done_by = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    task.save(update_fields=["done_at", "done_by"])
    audit_record(
        verb=Verb.TASK_CLOSED, actor=actor, target=task, child_id=task.child_id, payload={"kind": task.kind},
    )
    return task


def tasks_close_for(*, source: Any, kind: str | None = None, actor=None) -> int:
    """Close every open task that ``source`` opened (of ``kind``, if given). Returns how many."""
    source_type, source_id = _source(source)
    tasks = Task.objects.filter(source_type=source_type, source_id=source_id, done_at__isnull=True)
    if kind:
        tasks = tasks.filter(kind=kind)
    count = 0
    for task in tasks:
        task_close(task=task, actor=actor)
        count += 1
    return count


def task_reschedule(*, source: Any = None, dedupe_key: str = "", due_at: datetime | None, kind: str | None = None,
                    actor=None) -> int:
    """Move the due time of the open tasks that ``source`` opened (of ``kind``, if given), or of the
    open task with ``dedupe_key``. Done tasks keep the time they had. Returns how many moved."""
    if (source is None) == (not dedupe_key):
        raise ValueError("name the tasks by source or by dedupe_key, not both")
    if dedupe_key:
        tasks = Task.objects.filter(dedupe_key=dedupe_key)
    else:
        source_type, source_id = _source(source)
        tasks = Task.objects.filter(source_type=source_type, source_id=source_id)
    tasks = tasks.filter(done_at__isnull=True).exclude(due_at=due_at)
    if kind:
        tasks = tasks.filter(kind=kind)
    moved = 0
    for task in tasks.select_for_update():
        before = task.due_at
        task.due_at = due_at
        task.save(update_fields=["due_at"])
        audit_record(
            verb=Verb.TASK_RESCHEDULED, actor=actor, target=task, child_id=task.child_id,
            payload={"kind": task.kind, "from": before.isoformat() if before else "",
                     "to": due_at.isoformat() if due_at else ""},
        )
        moved += 1
    return moved


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications read, or all of them. Returns how many changed."""
    notes = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        notes = notes.filter(pk=notification_id)
    return notes.update(read_at=timezone.now())
