"""Asking to join a child's circle (issue 11 item 7; handbook §17). The request is kept in
``access.models.InvolvementRequest``; these are its services.

Breaking glass opens one record for one session and never widens the circle: writing under it
adds no involvement (``children.chronology.record_on_file``). An agency that finds it does have a
continuing part to play asks the child's lead agency; a named lead of that agency accepts (the
agency becomes involved, as "added by a professional") or declines with a reason. Each step is
audited and told to the other side; nothing carries the child's name outside the child's circle.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguard.access.models import InvolvementRequest
from safeguard.access.policy import ChildAccess
from safeguard.accounts.models import Role, User
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.models import Involvement
from safeguard.children.services import involvement_ensure
from safeguard.notifications.services import notify, task_open, tasks_close_for

REASON_MIN = 10


def _named_leads(agency_id: int) -> list[User]:
    return list(User.objects.filter(agency_id=agency_id, is_active=True, role_grants__role=Role.NAMED_LEAD).distinct())


def involvement_request_open(*, access: ChildAccess, reason: str) -> InvolvementRequest:
    """The agency of ``access``'s user asks the child's lead agency to add it to the child's circle."""
    access.require_change()
    child, actor = access.child, access.actor
    reason = (reason or "").strip()
    if actor is None or actor.agency_id is None:
        raise PermissionDenied("Only someone in an agency can ask for their agency to be added")
    if len(reason) < REASON_MIN:
        raise ValidationError({"reason": f"Say why your agency should be added, in at least {REASON_MIN} characters"})
    if child.lead_agency_id is None:
        raise ValidationError("This record has no lead agency to ask: ask children's social care")
    if Involvement.objects.filter(child=child, agency_id=actor.agency_id).exists():
        raise ValidationError("Your agency is already involved with this child")
    with transaction.atomic():
        existing = InvolvementRequest.objects.filter(
            child=child, agency_id=actor.agency_id, status=InvolvementRequest.Status.PENDING
        ).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                request = InvolvementRequest.objects.create(
                    child=child, agency_id=actor.agency_id, lead_agency_id=child.lead_agency_id, requested_by=actor,
                    requested_at=timezone.now(), reason=reason,
                )
        except IntegrityError:  # the same agency asked at the same moment: the first request stands
            return InvolvementRequest.objects.get(child=child, agency_id=actor.agency_id,
                                                  status=InvolvementRequest.Status.PENDING)
        audit_record(verb=Verb.INVOLVEMENT_REQUESTED, actor=actor, target=request, child_id=child.pk,
                     payload={"agency_id": actor.agency_id, "lead_agency_id": child.lead_agency_id,
                              "via_break_glass": access.via_break_glass})
        task_open(kind="involvement_request", title=f"An agency asks to be added to record {child.pk}",
                  url=request.get_absolute_url(), agency=child.lead_agency, role=Role.NAMED_LEAD, child=child,
                  source=request, actor=actor, dedupe_key=f"involvement_request:{request.pk}")
    return request


def involvement_requests_for(user: Any) -> Any:
    """The requests a named lead answers: those made to their agency, pending first."""
    if not (user.is_authenticated and user.has_role(Role.NAMED_LEAD) and user.agency_id):
        return InvolvementRequest.objects.none()
    return (InvolvementRequest.objects.filter(lead_agency_id=user.agency_id)
            .select_related("child", "agency", "requested_by", "decided_by")
            .order_by("-status", "-requested_at"))  # pending, then declined, then accepted; newest first


def involvement_request_decide(*, user: Any, request_id: int, accept: bool, note: str = "") -> InvolvementRequest:
    """A named lead of the lead agency accepts or declines; a second answer is told who answered first."""
    if not (user.has_role(Role.NAMED_LEAD) and user.agency_id):
        raise PermissionDenied("Only a named lead of the lead agency answers this request")
    note = (note or "").strip()
    if not accept and len(note) < REASON_MIN:
        raise ValidationError({"note": f"Say why you are declining, in at least {REASON_MIN} characters"})
    with transaction.atomic():
        request = (InvolvementRequest.objects.select_for_update(of=("self",))
                   .select_related("child", "agency", "decided_by").filter(pk=request_id).first())
        if request is None or request.lead_agency_id != user.agency_id:
            raise PermissionDenied("Only a named lead of the lead agency answers this request")
        if request.status != InvolvementRequest.Status.PENDING:
            who = request.decided_by.get_full_name() if request.decided_by else "someone"
            when = timezone.localtime(request.decided_at).strftime("%d %B %Y at %H:%M") if request.decided_at else ""
            raise ValidationError(f"This request was already {request.status} by {who} on {when}")
        request.status = InvolvementRequest.Status.ACCEPTED if accept else InvolvementRequest.Status.DECLINED
        request.decided_by, request.decided_at, request.decision_note = user, timezone.now(), note
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        if accept:
            involvement_ensure(child=request.child, agency=request.agency, reason=Involvement.Reason.ADDED, actor=user)
        audit_record(verb=Verb.INVOLVEMENT_REQUEST_DECIDED, actor=user, target=request, child_id=request.child_id,
                     payload={"status": request.status, "agency_id": request.agency_id})
        tasks_close_for(source=request, actor=user)
        notify(recipients=[request.requested_by], kind="involvement_request_decided",
               title=f"Your request to be added to record {request.child_id} was {request.status}",
               url=request.child.get_absolute_url() if accept else "", child=request.child)
    return request
