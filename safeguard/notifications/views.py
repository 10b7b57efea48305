from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguard.access.policy import children_viewed_record
from safeguard.notifications.selectors import notifications_for, tasks_for
from safeguard.notifications.services import notification_mark_read
from safeguard.platform.ids import parse_id


@login_required
def inbox(request):
    """The user's open tasks (their own and their team's) and their notifications."""
    notes = Paginator(notifications_for(request.user).select_related("child"), 25).get_page(request.GET.get("page"))
    tasks = list(tasks_for(request.user)[:100])
    # The titles that name a child are a read of that child: one audited event (issue 11 item 2).
    children_viewed_record(request, [n.child_id for n in notes.object_list]
                           + [t.child_id for t in tasks if t.child_id and t.child.full_name in t.title])
    return render(
        request, "notifications/inbox.html",
        {"tasks": tasks, "page": notes, "notes": notes.object_list, "now": timezone.now()},
    )


@require_POST
@login_required
def mark_read(request):
    raw = request.POST.get("notification", "")
    notification_mark_read(user=request.user, notification_id=parse_id(raw))
    return redirect("notifications:inbox")
