"""The printable agenda and minutes: attendees and whoever runs the meeting only; each download
is audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse

from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record

from .. import selectors
from ..pdf import agenda_pdf, minutes_pdf
from ._common import meeting_for


def _attendee_meeting(request, meeting_id: int):
    meeting = meeting_for(request, meeting_id)
    if not (selectors.is_invited(request.user, meeting) or selectors.may_manage(request.user, meeting)):
        raise Http404("No such page")
    return meeting


def _send(request, meeting, what: str, pdf: bytes) -> HttpResponse:
    with transaction.atomic():
        audit_record(verb=Verb.EXPORTED, actor=request.user, target=meeting,
                     payload={"what": what, "children": selectors.meeting_child_ids(meeting)})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}-{what}.pdf"'
    return response


@login_required
def minutes_download(request, meeting_id: int):
    meeting = _attendee_meeting(request, meeting_id)
    return _send(request, meeting, "minutes", minutes_pdf(meeting))


@login_required
def agenda_download(request, meeting_id: int):
    meeting = _attendee_meeting(request, meeting_id)
    return _send(request, meeting, "agenda", agenda_pdf(meeting))
