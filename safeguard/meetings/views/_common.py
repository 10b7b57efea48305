"""What the meetings pages share: the meeting the user may see, the children's accesses from the
policy, one way of showing a service's refusal, and the form page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import render

from safeguard.access.policy import child_for_user, children_viewed_record
from safeguard.api.errors import ServiceConflict
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.platform.versioning import StaleEdit
from safeguard.ui.forms import add_service_errors

from .. import selectors
from ..models import Meeting


def posted(request):
    return request.POST if request.method == "POST" else None


def meeting_for(request, meeting_id, *, manage: bool = False) -> Meeting:
    meeting = selectors.meeting_for_user(request.user, meeting_id)
    if manage and not selectors.may_manage(request.user, meeting):
        raise Http404("No such page")
    # Every meeting page shows its children: one read naming them (issue 11 item 2).
    children_viewed_record(request, list(selectors.meeting_child_ids(meeting)))
    return meeting


def accesses_for(request, meeting: Meeting, *, change: bool = True, child_ids=None) -> list:
    """The user's access to each child of the meeting (the policy's proof), or 404."""
    ids = selectors.meeting_child_ids(meeting) if child_ids is None else child_ids
    return [child_for_user(request.user, child_id, request=request, change=change) for child_id in ids]


def audit_meeting_view(request, meeting: Meeting, what: str, child_id: int | None = None) -> None:
    with transaction.atomic():
        audit_record(verb=Verb.MEETING_VIEWED, actor=request.user, target=meeting, child_id=child_id,
                     payload={"what": what, "path": request.path[:200]})


def service_call(form, call):
    """Run ``call``; a refusal goes on the form (a stale edit or a late request is a plain message,
    never a 500). Returns the result, or None when refused."""
    try:
        return call()
    except ValidationError as error:
        add_service_errors(form, error)
    except StaleEdit as error:
        form.add_error(None, error.reload_message)
    except ServiceConflict as error:
        form.add_error(None, str(error))
    except PermissionDenied as error:
        form.add_error(None, str(error) or "You cannot do this")
    return None


def form_page(request, *, form, title: str, button: str, back: str, intro: str = "", caption: str = "",
              multipart: bool = False, extra: dict | None = None):
    context = {"form": form, "title": title, "button": button, "back": back, "intro": intro, "caption": caption,
               "multipart": multipart}
    context.update(extra or {})
    return render(request, "meetings/form.html", context)
