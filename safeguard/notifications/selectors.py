"""Reads of tasks and notifications, always for one user."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from safeguard.accounts.models import CHILD_LEVEL_ROLES
from safeguard.notifications.models import Notification, Task


def tasks_for(user, *, include_done: bool = False) -> QuerySet[Task]:
    """The user's own tasks and their teams' tasks (their agency, for a role they hold)."""
    roles = list(user.role_set)
    team = Q(assignee__isnull=True, agency_id=user.agency_id) & (Q(role="") | Q(role__in=roles))
    tasks = Task.objects.filter(Q(assignee=user) | team).select_related("child", "assignee", "agency")
    if not set(roles) & CHILD_LEVEL_ROLES:
        # An analyst or administrator never sees a task about a child: not its title, not its child
        # (issue 11 item 8).
        tasks = tasks.filter(child__isnull=True)
    if not include_done:
        tasks = tasks.filter(done_at__isnull=True)
    return tasks


def notifications_for(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    notes = Notification.objects.filter(recipient=user)
    if not set(user.role_set) & CHILD_LEVEL_ROLES:
        notes = notes.filter(child__isnull=True)  # never child details to an account without child-level roles
    if unread_only:
        notes = notes.filter(read_at__isnull=True)
    return notes


def unread_count(user) -> int:
    return notifications_for(user, unread_only=True).count()


def open_tasks_for(source: Any, *, kind: str | None = None) -> QuerySet[Task]:
    """The open tasks that ``source`` (any saved model instance) opened, of ``kind`` if given. For a
    page that shows which of a record's tasks are still to do; the caller checked access to it."""
    tasks = Task.objects.filter(
        source_type=source._meta.label_lower, source_id=str(source.pk), done_at__isnull=True
    )
    return tasks.filter(kind=kind) if kind else tasks
