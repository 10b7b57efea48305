"""Pages for a named lead: the retention review list, a record's retention, holds and disposal, and
subject access requests. Thin: ask the policy for access, call one service, render."""

from __future__ import annotations

import json
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguard.access.policy import ChildAccess, child_for_user, children_visible_for, works_with_children
from safeguard.accounts.models import Role
from safeguard.accounts.step_up import step_up_required
from safeguard.api.errors import ServiceConflict
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.ui.forms import add_service_errors

from . import selectors, services
from .bundle import apply_redactions, bundle_json, review_items, subject_access_bundle
from .forms import (
    DisposalSignForm,
    DisposeForm,
    HoldForm,
    HoldLiftForm,
    RedactForm,
    ReleaseForm,
    ReviewWindowForm,
    UnredactForm,
)
from .models import LegalHold, SubjectAccessRequest
from .pdf import bundle_pdf


def _require_lead(request) -> None:
    if not (works_with_children(request.user) and request.user.has_role(Role.NAMED_LEAD)):
        raise Http404("No such page")


def _lead_access(request, child_id: int, *, change: bool = False, record_view: bool = False) -> ChildAccess:
    """A named lead's access to a child through their own agency (never by breaking glass), or 404."""
    _require_lead(request)
    access = child_for_user(request.user, child_id, request=request, change=change, record_view=record_view)
    if access.via_break_glass or access.child.merged_into_id:
        raise Http404("No such record")
    return access


def _posted(request):
    return request.POST if request.method == "POST" else None


def _page(request, rows, size: int = selectors.PAGE_SIZE):
    return Paginator(rows, size).get_page(request.GET.get("page"))


# -- the review list and the tombstones ------------------------------------------------------------


@login_required
def review(request):
    _require_lead(request)
    form = ReviewWindowForm(request.GET or None)
    days = settings.SAFEGUARD_RETENTION_REVIEW_DAYS
    if form.is_bound and form.is_valid() and form.cleaned_data.get("days") is not None:
        days = form.cleaned_data["days"]
    until = timezone.localdate() + timedelta(days=days)
    rows = selectors.retention_review_list(agency_id=request.user.agency_id, until=until,
                                           children=children_visible_for(request))
    return render(request, "records/review.html", {"form": form, "days": days, "page": _page(request, rows),
                                                   "today": timezone.localdate(), "query_string": f"days={days}"})


@login_required
def disposals(request):
    _require_lead(request)
    page = _page(request, selectors.disposals_for_agency(request.user.agency_id))
    return render(request, "records/disposals.html", {"page": page})


# -- one record: retention, holds, disposal --------------------------------------------------------


def _child_page(request, access: ChildAccess, **extra) -> HttpResponse:
    child = access.child
    schedule = services.retention_schedule_refresh(child=child)
    holds = list(selectors.holds_for(child)[:50])
    signed = selectors.signed_decision_for(child)
    today = timezone.localdate()
    context = {
        "child": child, "schedule": schedule, "holds": holds, "held": any(h.in_force for h in holds),
        "signed": signed, "due": schedule.due_on <= today, "today": today,
        "owning": schedule.agency_id == request.user.agency_id,
        "requests": selectors.subject_access_requests_for(child),
        "hold_form": HoldForm(), "sign_form": DisposalSignForm(),
        "dispose_form": DisposeForm(initial={"version": signed.version}) if signed else None,
    }
    context.update(extra)
    return render(request, "records/child.html", context, status=400 if extra.get("error") else 200)


@login_required
def child_records(request, child_id: int):
    access = _lead_access(request, child_id, record_view=True)
    return _child_page(request, access)


@login_required
def hold_place(request, child_id: int):
    access = _lead_access(request, child_id, change=True)
    form = HoldForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_hold_place(access=access, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The legal hold is in force: the record cannot be disposed of until it is lifted.")
            return redirect("records:child", child_id=child_id)
    return render(request, "records/form.html", {
        "form": form, "child": access.child, "title": "Place a legal hold", "button": "Place the hold",
        "intro": "While a hold is in force the record is kept whatever its retention rule says."})


@login_required
def hold_lift(request, child_id: int, hold_id: int):
    access = _lead_access(request, child_id, change=True)
    hold = LegalHold.objects.filter(pk=hold_id, child=access.child).first()
    if hold is None:
        raise Http404("No such hold")
    form = HoldLiftForm(_posted(request), initial={"version": hold.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_hold_lift(access=access, hold_id=hold.pk, version=form.cleaned_data["version"],
                                     reason=form.cleaned_data["lift_reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        except ServiceConflict as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The hold has been lifted.")
            return redirect("records:child", child_id=child_id)
    return render(request, "records/form.html", {
        "form": form, "child": access.child, "title": "Lift the legal hold", "button": "Lift the hold",
        "intro": f"Held because: {hold.reason}"})


@require_POST
@login_required
def disposal_sign(request, child_id: int):
    access = _lead_access(request, child_id, change=True)
    form = DisposalSignForm(request.POST)
    if form.is_valid():
        try:
            services.disposal_sign(access=access, today=timezone.localdate())
        except (ServiceConflict, PermissionDenied) as error:
            return _child_page(request, access, error=str(error))
        messages.success(request, "The decision is signed. The record can now be disposed of.")
        return redirect("records:child", child_id=child_id)
    return _child_page(request, access, sign_form=form, error="Confirm you have reviewed the record before signing")


@require_POST
@login_required
@step_up_required
def dispose(request, child_id: int, decision_id: int):
    access = _lead_access(request, child_id, change=True)
    form = DisposeForm(request.POST)
    if form.is_valid():
        try:
            decision = services.record_dispose(access=access, decision_id=decision_id,
                                               version=form.cleaned_data["version"], today=timezone.localdate())
        except (ServiceConflict, PermissionDenied) as error:
            return _child_page(request, access, error=str(error))
        messages.success(request, f"Record {decision.child_id} has been disposed of under the "
                                  f"{decision.rule.replace('_', ' ')} rule.")
        return redirect("records:disposals")
    return _child_page(request, access, dispose_form=form, error="Confirm you want to dispose of the record now")


# -- subject access --------------------------------------------------------------------------------


@require_POST
@login_required
@step_up_required
def sar_open(request, child_id: int):
    access = _lead_access(request, child_id, change=True)
    try:
        found = services.subject_access_open(access=access)
    except ValidationError as error:
        return _child_page(request, access, error=" ".join(error.messages))
    return redirect("records:sar", child_id=child_id, request_id=found.pk)


def _request(access: ChildAccess, request_id: int) -> SubjectAccessRequest:
    try:
        return selectors.subject_access_request(access.child, request_id)
    except SubjectAccessRequest.DoesNotExist:
        raise Http404("No such request") from None


def _sar_page(request, access: ChildAccess, found: SubjectAccessRequest, *, form=None, status: int = 200):
    bundle = subject_access_bundle(access.child)
    withheld = selectors.withheld_items(found)
    to_review = review_items(bundle)
    context = {
        "child": access.child, "found": found, "sections": bundle, "withheld": withheld,
        "page": _page(request, to_review, 25), "total_items": sum(len(s.items) for s in bundle),
        "release_form": form if isinstance(form, ReleaseForm) else ReleaseForm(initial={"version": found.version}),
        "redact_error": form if isinstance(form, RedactForm | UnredactForm) else None,
    }
    return render(request, "records/sar.html", context, status=status)


@login_required
def sar(request, child_id: int, request_id: int):
    access = _lead_access(request, child_id, record_view=True)
    return _sar_page(request, access, _request(access, request_id))


def _sar_step(request, child_id: int, request_id: int, form_class, call, success: str):
    """One step of the redaction review (withhold, put back, release): the posted form, one service
    call under the request's version, then back to the request's page. A refusal (a stale version, a
    request already released) is a plain error on the page, with the review shown again (400)."""
    access = _lead_access(request, child_id, change=True)
    found = _request(access, request_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(access, found.pk, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except ServiceConflict as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, success)
            return redirect("records:sar", child_id=child_id, request_id=found.pk)
    return _sar_page(request, access, _request(access, request_id), form=form, status=400)


@require_POST
@login_required
def sar_redact(request, child_id: int, request_id: int):
    return _sar_step(request, child_id, request_id, RedactForm, lambda access, pk, data: (
        services.subject_access_redact(access=access, request_id=pk, version=data["version"], item=data["item"],
                                       reason=data["reason"])), "The item will be withheld from the release.")


@require_POST
@login_required
def sar_unredact(request, child_id: int, request_id: int):
    return _sar_step(request, child_id, request_id, UnredactForm, lambda access, pk, data: (
        services.subject_access_unredact(access=access, request_id=pk, version=data["version"], item=data["item"])),
        "The item will be released.")


@require_POST
@login_required
def sar_release(request, child_id: int, request_id: int):
    return _sar_step(request, child_id, request_id, ReleaseForm, lambda access, pk, data: (
        services.subject_access_release(access=access, request_id=pk, version=data["version"], reviewed=True)),
        "The bundle is released: download it as a PDF or as JSON.")


def _released(request, child_id: int, request_id: int, what: str):
    access = _lead_access(request, child_id)
    found = _request(access, request_id)
    if found.status != SubjectAccessRequest.Status.RELEASED:
        raise Http404("Not released yet")
    bundle = apply_redactions(subject_access_bundle(access.child), set(selectors.withheld_items(found)))
    with transaction.atomic():
        audit_record(verb=Verb.EXPORTED, actor=request.user, target=found, child_id=access.child.pk,
                     payload={"what": what, "items": sum(len(s.items) for s in bundle)})
    released = timezone.localtime(found.released_at).strftime("%Y-%m-%d %H:%M")
    return access, found, bundle, released


@login_required
@step_up_required
def sar_pdf(request, child_id: int, request_id: int):
    access, found, bundle, released = _released(request, child_id, request_id, "subject_access_pdf")
    content = bundle_pdf(bundle, child_id=access.child.pk, request_id=found.pk, released=released)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{found.pk}.pdf"'
    return response


@login_required
@step_up_required
def sar_json(request, child_id: int, request_id: int):
    access, found, bundle, released = _released(request, child_id, request_id, "subject_access_json")
    body = bundle_json(bundle, child_id=access.child.pk, request_id=found.pk, released_at=released)
    response = HttpResponse(json.dumps(body, ensure_ascii=False, indent=1, default=str),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{found.pk}.json"'
    return response
