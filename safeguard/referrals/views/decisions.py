"""Pages for decision records (§9.7, §17) and their approvals (§9.5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguard.access.policy import child_for_user
from safeguard.platform.versioning import StaleEdit, stale_context
from safeguard.rules.not_referring import not_referring_table
from safeguard.ui.forms import add_service_errors

from .. import selectors, services
from ..forms import ApprovalForm, DecisionForm
from ..models import Approval, ApprovalRole, ApprovalStatus, DecisionKind, DecisionStatus, Destination
from ._common import posted as _posted
from .referrals import _source_from_query

# -- decision records (§9.7, §17) -----------------------------------------------------------------


@login_required
def child_decisions(request, child_id: int):
    """Every decision record kept on one child, newest first, fifty to a page (issue 10)."""
    access = child_for_user(request.user, child_id, request=request, record_view=True)
    records = selectors.decisions_for_child(access.child).order_by("-created_at", "-id")
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(request, "referrals/child_decisions.html", {"child": access.child, "page": page})



def _locked(request, decision):
    return render(request, "referrals/decision_locked.html", {"decision": decision, "child": decision.child}, status=409)


@login_required
def decision_add(request, child_id: int):
    access = child_for_user(request.user, child_id, request=request, change=True)
    child = access.child
    subject = _source_from_query(request, child)
    corrects = None
    raw = request.GET.get("corrects")
    if raw:
        corrects, _access = selectors.decision_for_user(request.user, raw, request=request)
        if corrects.child_id != child.pk or not corrects.is_signed or corrects.agency_id != request.user.agency_id:
            raise Http404("No such record")  # only the authoring agency corrects (issue 11 item 9)
        subject = corrects.subject
    initial = DecisionForm.initial_for(corrects) if corrects else {}
    if subject is not None and not corrects:
        initial.update(kind=request.GET.get("kind", DecisionKind.NOT_REFER), destination=request.GET.get("destination", Destination.CSC))
    required: list[str] = []
    exceptional, no_opt_out = False, ""
    try:
        required, exceptional = services.approvals_required(
            kind=request.POST.get("kind") or initial.get("kind") or "", child=child, subject=subject
        )
        if corrects is not None:  # a correction needs the approvals the corrected record needed
            required += [role for role in corrects.required_approvals if role not in required]
    except services.NoOptOut as error:
        no_opt_out = error.messages[0]
    form = DecisionForm(_posted(request), initial=initial, child=child, actor=request.user, subject=subject)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_draft(
                access=access,
                data=form.data_for_service(),
                subject=subject,
                corrects=corrects,
                language_kept=form.language_flags_kept,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The decision record is saved as a draft. Ask for approval or sign it.")
            return redirect("referrals:decision", decision_id=decision.pk)
    return render(
        request,
        "referrals/decision_form.html",
        {
            "form": form, "child": child, "subject": subject, "corrects": corrects, "required": required,
            "required_labels": [ApprovalRole(r).label for r in required], "exceptional": exceptional,
            "no_opt_out": no_opt_out,
        },
    )


@login_required
def decision(request, decision_id: int):
    record, _access = selectors.decision_for_user(request.user, decision_id, request=request, record_view=True)
    approvals = list(record.approvals.select_related("decided_by").order_by("pk"))
    given = {a.role for a in approvals if a.status == ApprovalStatus.APPROVED}
    is_author = request.user.pk == record.author_id
    return render(
        request,
        "referrals/decision.html",
        {
            "decision": record,
            "child": record.child,
            "approvals": approvals,
            "approvals_open_to_me": {a.pk for a in approvals if selectors.may_open_approval(request.user, a)},
            "required_labels": [ApprovalRole(r).label for r in record.required_approvals],
            "is_author": is_author,
            "can_edit": is_author and not record.is_signed,
            "can_request": is_author and record.required_approvals
            and record.status in (DecisionStatus.DRAFT, DecisionStatus.RETURNED),
            "can_sign": is_author and not record.is_signed and set(record.required_approvals) <= given,
            "verified": services.decision_verify(record) if record.is_signed else None,
            "corrections": record.corrections.select_related("author"),
            "may_correct": record.is_signed and record.agency_id == request.user.agency_id,
        },
    )


@login_required
def decision_edit(request, decision_id: int):
    record, access = selectors.decision_for_user(request.user, decision_id, request=request, change=True)
    if record.is_signed:
        return _locked(request, record)
    if request.user.pk != record.author_id:
        raise Http404("No such page")
    form = DecisionForm(_posted(request), initial=DecisionForm.initial_for(record), child=record.child, actor=request.user,
                        subject=record.subject)
    stale: dict = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_update(
                access=access, decision=record, data=form.data_for_service(), language_kept=form.language_flags_kept,
                version=form.opened_version,
            )
        except services.DecisionLocked:
            return _locked(request, record)
        except StaleEdit as error:
            stale = stale_context(form, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The decision record has been changed. Approvals already given no longer stand.")
            return redirect("referrals:decision", decision_id=record.pk)
    return render(
        request, "referrals/decision_form.html",
        {"form": form, "child": record.child, "editing": record, "subject": record.subject,
         "required_labels": [ApprovalRole(r).label for r in record.required_approvals], **stale},
    )


def _decision_step(request, decision_id: int, call, success: str | Callable[[Any], str]):
    record, access = selectors.decision_for_user(request.user, decision_id, request=request, change=True)
    try:
        result = call(access, record)
    except services.DecisionLocked:
        return _locked(request, record)
    except PermissionDenied:
        raise Http404("No such page") from None
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect("referrals:decision", decision_id=record.pk)


@require_POST
@login_required
def decision_request_approval(request, decision_id: int):
    return _decision_step(
        request, decision_id,
        lambda a, d: services.decision_request_approvals(access=a, decision=d),
        _approvals_asked,
    )


def _approvals_asked(approvals) -> str:
    """What the author is told: who was asked, and at once if the partnership stands in for a role
    nobody in their agency holds (issue 10 item 4)."""
    said = ["Approval has been asked for. You will be told when it is given or returned."]
    for a in approvals:
        if a.agency_id != a.decision.agency_id:
            role = a.get_role_display().lower()
            who = f"{a.approver.get_full_name() or a.approver.username}, {a.agency}" if a.approver else str(a.agency)
            said.append(
                f"Nobody in {a.decision.agency} is a {role}, so the {role}'s approval has gone to {who}: "
                f"the partnership's {role} for agencies that have none."
            )
    return " ".join(said)


@require_POST
@login_required
def decision_sign(request, decision_id: int):
    return _decision_step(
        request, decision_id,
        lambda a, d: services.decision_sign(access=a, decision=d),
        "The decision record is signed and dated. It can no longer change.",
    )


# -- approvals ------------------------------------------------------------------------------------


@login_required
def approvals(request):
    if not selectors.may_use_approvals(request.user):
        raise Http404("No such page")
    return render(
        request, "referrals/approvals.html",
        {"approvals": selectors.approvals_inbox(request.user)[:200], "now": timezone.now(),
         "approval_rules": not_referring_table()},
    )


@login_required
def approval(request, approval_id: int):
    record: Approval
    record, access = selectors.approval_for_user(request.user, approval_id, request=request, change=True)
    can_act = selectors.can_act_on_approval(request.user, record) and record.status == ApprovalStatus.PENDING
    form = ApprovalForm(_posted(request) if can_act else None)
    if request.method == "POST":
        if not can_act:
            messages.error(request, "This approval has already been dealt with, or is not yours to give.")
            return redirect("referrals:approval", approval_id=record.pk)
        if form.is_valid():
            c = form.cleaned_data
            try:
                if c["answer"] == "approve":
                    services.approval_give(access=access, approval=record, note=c["note"])
                else:
                    services.approval_return(access=access, approval=record, reasons=c["note"])
            except services.DecisionLocked:
                return _locked(request, record.decision)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, "You approved the decision." if c["answer"] == "approve" else "You returned the decision."
                )
                return redirect("referrals:approvals")
    return render(
        request, "referrals/approval.html",
        {"approval": record, "decision": record.decision, "child": record.decision.child, "form": form,
         "can_act": can_act,
         "required_labels": [ApprovalRole(r).label for r in record.decision.required_approvals]},
    )
