"""Pages for assessments, consultations, referrals, decision records and approvals. Each view
checks access (``access.policy`` for the child, ``referrals.selectors`` for the rest) and makes
one domain call; the work is in services.py."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguard.access.policy import child_for_user, session_key, works_with_children
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.notifications.models import Task
from safeguard.ui.forms import add_service_errors

from . import selectors, services
from .forms import (
    AcceptForm,
    ApprovalForm,
    AssessmentForm,
    ConsultationForm,
    DecisionForm,
    DeclineForm,
    OutcomeForm,
    ReceiveForm,
    ReferralForm,
)
from .models import (
    Approval,
    ApprovalRole,
    ApprovalStatus,
    Assessment,
    DecisionKind,
    DecisionRecord,
    DecisionStatus,
    Destination,
    Priority,
    Status,
)
from .pdf import ASSESSMENT_FACT_LABELS
from .services._common import (
    ACTION_DESTINATION,
    ACTION_TASK_TITLES,
    CRITERION_TEXT,
    NOT_REFERRING_TEXT,
    action_task_kind,
)
from .timescales import referral_timescale_days


def _session_key(request) -> str:
    return session_key(request, create=True)


def _posted(request):
    return request.POST if request.method == "POST" else None


def _require_child_worker(request) -> None:
    if not works_with_children(request.user):
        raise Http404("No such page")


# -- underage sexual activity assessment (§9) ---------------------------------------------------


@login_required
def assessment_add(request, child_id: int):
    access = child_for_user(request.user, child_id, request=request, change=True)
    child = access.child
    form = AssessmentForm(_posted(request), child=child)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_record(
                actor=request.user,
                child=child,
                answers=form.answers(),
                session_key=_session_key(request),
                language_flags_kept=form.language_flags_kept,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The assessment has been recorded. Its actions are on your task list.")
            return redirect("referrals:assessment", assessment_id=assessment.pk)
    return render(request, "referrals/assessment_form.html", {"form": form, "child": child})


def _assessment_context(request, assessment: Assessment) -> dict:
    open_kinds = set(
        Task.objects.filter(
            source_type="referrals.assessment", source_id=str(assessment.pk), done_at__isnull=True
        ).values_list("kind", flat=True)
    )
    actions = []
    for action in assessment.actions:
        actions.append(
            {
                **action,
                "title": ACTION_TASK_TITLES.get(action["code"], action["code"]),
                "destination": ACTION_DESTINATION.get(action["code"], ""),
                "open": action_task_kind(action["code"]) in open_kinds,
            }
        )
    not_referring = assessment.not_referring
    referral_must = any(a["destination"] and a["strength"] in ("must", "should") for a in actions)
    criteria = assessment.outcome.get("criteria", assessment.criteria)
    return {
        "assessment": assessment,
        "child": assessment.child,
        "actions": actions,
        "not_referring": not_referring,
        "requires": [NOT_REFERRING_TEXT.get(code, code) for code in not_referring.get("requires", [])],
        "referral_must": referral_must,
        "notes": assessment.outcome.get("notes", []),
        "criteria": [
            (code, CRITERION_TEXT[code], assessment.criteria.get(code, "unknown"), criteria.get(code, "unknown"),
             assessment.criteria_notes.get(code, ""))
            for code in CRITERION_TEXT
        ],
        "facts": [label for name, label in ASSESSMENT_FACT_LABELS.items() if getattr(assessment, name)],
        "referrals": selectors.referrals_for_source(assessment),
        "decisions": DecisionRecord.objects.filter(
            subject_type__model="assessment", subject_type__app_label="referrals", subject_id=assessment.pk
        ).select_related("author"),
    }


@login_required
def assessment(request, assessment_id: int):
    record = selectors.assessment_for_user(request.user, assessment_id, session_key=_session_key(request))
    child_for_user(request.user, record.child_id, request=request, record_view=True)
    return render(request, "referrals/assessment.html", _assessment_context(request, record))


@require_POST
@login_required
def assessment_action_done(request, assessment_id: int, code: str):
    record = selectors.assessment_for_user(request.user, assessment_id, session_key=_session_key(request))
    try:
        services.assessment_action_done(
            actor=request.user, assessment=record, code=code, session_key=_session_key(request)
        )
    except (ValidationError, PermissionDenied):
        raise Http404("No such action") from None
    messages.success(request, "The action is marked as done.")
    return redirect("referrals:assessment", assessment_id=record.pk)


# -- anonymised consultations (§9.2) -------------------------------------------------------------


@login_required
def consultations(request):
    _require_child_worker(request)
    return render(
        request, "referrals/consultations.html", {"consultations": selectors.consultations_for(request.user)[:100]}
    )


@login_required
def consultation_add(request):
    _require_child_worker(request)
    form = ConsultationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            record = services.consultation_record(
                actor=request.user,
                consulted_agency=c["consulted_agency"],
                consulted_person=c["consulted_person"],
                consulted_on=c["consulted_on"],
                age_band=c["age_band"],
                summary=c["summary"],
                advice=c["advice"],
                language_flags_kept=form.language_flags_kept,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The anonymised consultation has been recorded.")
            return redirect("referrals:consultation", consultation_id=record.pk)
    return render(request, "referrals/consultation_form.html", {"form": form})


@login_required
def consultation(request, consultation_id: int):
    record = selectors.consultation_for_user(request.user, consultation_id)
    return render(
        request, "referrals/consultation.html",
        {"consultation": record, "age_band": services.AGE_BANDS.get(record.age_band, record.age_band)},
    )


# -- referrals ------------------------------------------------------------------------------------


def _source_from_query(request, child):
    raw = request.GET.get("assessment") or request.POST.get("assessment")
    if not raw:
        return None
    source = selectors.assessment_for_user(request.user, raw, session_key=_session_key(request))
    if source.child_id != child.pk:
        raise Http404("No such assessment")
    return source


@login_required
def referral_add(request, child_id: int):
    access = child_for_user(request.user, child_id, request=request, change=True)
    child = access.child
    source = _source_from_query(request, child)
    initial = {"priority": services.referral_priority_for(source)}
    destination = request.GET.get("destination", "")
    if destination in Destination.values:
        initial["destination"] = destination
    if source is not None:
        code = next((c for c, d in ACTION_DESTINATION.items() if d == destination), None)
        reasons = [a["reason"] for a in source.actions if a["code"] == code] if code else []
        initial["reason"] = " ".join(reasons)
    form = ReferralForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            referral = services.referral_open(
                actor=request.user,
                child=child,
                destination=c["destination"],
                reason=c["reason"],
                source=source,
                destination_agency=c.get("destination_agency"),
                destination_other=c.get("destination_other", ""),
                session_key=_session_key(request),
                priority=c["priority"],
                language_flags_kept=form.language_flags_kept,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Referral {referral.pk} has been sent to {referral.where}.")
            return redirect("referrals:detail", referral_id=referral.pk)
    return render(request, "referrals/referral_form.html", {"form": form, "child": child, "source": source})


@login_required
def queue(request):
    _require_child_worker(request)
    rows = selectors.referral_queue(request.user)
    now = timezone.now()
    return render(
        request,
        "referrals/queue.html",
        {
            "rows": [{"referral": r, "overdue": r.due_at is not None and r.due_at < now} for r in rows],
            "sent": selectors.referrals_sent_by_agency(request.user),
            "timescales": [(p.value, p.label, referral_timescale_days(p.value)) for p in Priority],
        },
    )


def _source_link(referral) -> str:
    """The page of what travelled with the referral (its own page checks access again)."""
    source = referral.source
    if source is None:
        return ""
    if isinstance(source, Assessment):
        return reverse("referrals:assessment", kwargs={"assessment_id": source.pk})
    if hasattr(source, "get_absolute_url"):
        return source.get_absolute_url()
    name = SOURCE_PAGES.get(source._meta.label_lower)
    if name is None:
        return ""
    try:
        return reverse(name[0], kwargs={"child_id": referral.child_id, name[1]: source.pk})
    except NoReverseMatch:
        return ""


SOURCE_PAGES = {"screening.screening": ("screening:detail", "screening_id"), "screening.formb": ("screening:form_b", "form_b_id")}


def _detail_context(request, referral, **forms_) -> dict:
    receiving = selectors.is_receiving_team(request.user, referral)
    may_record = services.referrals._may_record_outcome(request.user, referral)
    context = {
        "referral": referral,
        "child": referral.child,
        "events": referral.events.select_related("actor", "agency"),
        "source": referral.source,
        "source_url": _source_link(referral),
        "is_assessment": isinstance(referral.source, Assessment),
        "receiving": receiving,
        "can_receive": receiving and referral.status == Status.SENT,
        "can_decide": receiving and referral.status in (Status.SENT, Status.RECEIVED),
        "can_record_outcome": may_record
        and (referral.status == Status.ACCEPTED or (referral.destination_agency_id is None and referral.is_open)),
        "receive_form": forms_.get("receive_form") or ReceiveForm(initial={"priority": referral.priority}),
        "accept_form": forms_.get("accept_form") or AcceptForm(),
        "decline_form": forms_.get("decline_form") or DeclineForm(),
        "outcome_form": forms_.get("outcome_form") or OutcomeForm(initial={"outcome_on": timezone.localdate()}),
        "overdue": referral.is_open and referral.due_at is not None and referral.due_at < timezone.now(),
    }
    return context


@login_required
def detail(request, referral_id: int):
    referral = selectors.referral_for_user(request.user, referral_id, session_key=_session_key(request))
    audit_record(
        verb=Verb.CHILD_VIEWED, actor=request.user, target=referral.child, child_id=referral.child_id,
        payload={"why": "referral", "path": request.path[:200]},
    )
    return render(request, "referrals/detail.html", _detail_context(request, referral))


def _referral_step(request, referral_id: int, form_class, form_key: str, call, success: str):
    referral = selectors.referral_for_user(request.user, referral_id, session_key=_session_key(request))
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(referral, form)
        except PermissionDenied:
            raise Http404("No such page") from None
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("referrals:detail", referral_id=referral.pk)
    return render(request, "referrals/detail.html", _detail_context(request, referral, **{form_key: form}))


@require_POST
@login_required
def receive(request, referral_id: int):
    return _referral_step(
        request, referral_id, ReceiveForm, "receive_form",
        lambda r, f: services.referral_receive(
            actor=request.user, referral=r, priority=f.cleaned_data["priority"], note=f.cleaned_data["note"]
        ),
        "The referral is marked as received.",
    )


@require_POST
@login_required
def accept(request, referral_id: int):
    return _referral_step(
        request, referral_id, AcceptForm, "accept_form",
        lambda r, f: services.referral_accept(actor=request.user, referral=r, note=f.cleaned_data["note"]),
        "The referral is accepted. Record its outcome when it is known.",
    )


@require_POST
@login_required
def decline(request, referral_id: int):
    return _referral_step(
        request, referral_id, DeclineForm, "decline_form",
        lambda r, f: services.referral_decline(actor=request.user, referral=r, reason=f.cleaned_data["reason"]),
        "The referral is declined. The referrer has been told.",
    )


@require_POST
@login_required
def outcome(request, referral_id: int):
    def call(referral, form):
        day = form.cleaned_data["outcome_on"]
        moment = timezone.now() if day == timezone.localdate() else timezone.make_aware(datetime.combine(day, time(12)))
        services.referral_record_outcome(
            actor=request.user, referral=referral, outcome=form.cleaned_data["outcome"], outcome_at=moment,
            session_key=_session_key(request),
        )

    return _referral_step(
        request, referral_id, OutcomeForm, "outcome_form", call, "The outcome is recorded. The referrer has been told."
    )


@login_required
def pack(request, referral_id: int):
    referral = selectors.referral_for_user(request.user, referral_id, session_key=_session_key(request))
    content = services.referral_pack_export(actor=request.user, referral=referral, session_key=_session_key(request))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="referral-{referral.pk}.pdf"'
    return response


# -- decision records (§9.7, §17) -----------------------------------------------------------------


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
        corrects = selectors.decision_for_user(request.user, raw, session_key=_session_key(request))
        if corrects.child_id != child.pk or not corrects.is_signed:
            raise Http404("No such record")
        subject = corrects.subject
    initial = DecisionForm.initial_for(corrects) if corrects else {}
    if subject is not None and not corrects:
        initial.update(kind=request.GET.get("kind", DecisionKind.NOT_REFER), destination=request.GET.get("destination", Destination.CSC))
    required, exceptional, no_opt_out = [], False, ""
    try:
        required, exceptional = services.approvals_required(
            kind=request.POST.get("kind") or initial.get("kind") or "", child=child, subject=subject
        )
    except services.NoOptOut as error:
        no_opt_out = error.messages[0]
    form = DecisionForm(_posted(request), initial=initial, child=child, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_draft(
                actor=request.user,
                child=child,
                data=form.data_for_service(),
                subject=subject,
                corrects=corrects,
                session_key=_session_key(request),
                language_flags_kept=form.language_flags_kept,
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
    record = selectors.decision_for_user(request.user, decision_id, session_key=_session_key(request))
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
            "required_labels": [ApprovalRole(r).label for r in record.required_approvals],
            "is_author": is_author,
            "can_edit": is_author and not record.is_signed,
            "can_request": is_author and record.required_approvals
            and record.status in (DecisionStatus.DRAFT, DecisionStatus.RETURNED),
            "can_sign": is_author and not record.is_signed and set(record.required_approvals) <= given,
            "verified": services.decision_verify(record) if record.is_signed else None,
            "corrections": record.corrections.select_related("author"),
        },
    )


@login_required
def decision_edit(request, decision_id: int):
    record = selectors.decision_for_user(request.user, decision_id, session_key=_session_key(request))
    if record.is_signed:
        return _locked(request, record)
    if request.user.pk != record.author_id:
        raise Http404("No such page")
    form = DecisionForm(_posted(request), initial=DecisionForm.initial_for(record), child=record.child, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_update(
                actor=request.user, decision=record, data=form.data_for_service(),
                language_flags_kept=form.language_flags_kept,
            )
        except services.DecisionLocked:
            return _locked(request, record)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The decision record has been changed. Approvals already given no longer stand.")
            return redirect("referrals:decision", decision_id=record.pk)
    return render(
        request, "referrals/decision_form.html",
        {"form": form, "child": record.child, "editing": record, "subject": record.subject,
         "required_labels": [ApprovalRole(r).label for r in record.required_approvals]},
    )


def _decision_step(request, decision_id: int, call, success: str):
    record = selectors.decision_for_user(request.user, decision_id, session_key=_session_key(request))
    try:
        call(record)
    except services.DecisionLocked:
        return _locked(request, record)
    except PermissionDenied:
        raise Http404("No such page") from None
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("referrals:decision", decision_id=record.pk)


@require_POST
@login_required
def decision_request_approval(request, decision_id: int):
    return _decision_step(
        request, decision_id,
        lambda d: services.decision_request_approvals(actor=request.user, decision=d),
        "Approval has been asked for. You will be told when it is given or returned.",
    )


@require_POST
@login_required
def decision_sign(request, decision_id: int):
    return _decision_step(
        request, decision_id,
        lambda d: services.decision_sign(actor=request.user, decision=d),
        "The decision record is signed and dated. It can no longer change.",
    )


# -- approvals ------------------------------------------------------------------------------------


@login_required
def approvals(request):
    if not selectors.may_use_approvals(request.user):
        raise Http404("No such page")
    return render(
        request, "referrals/approvals.html",
        {"approvals": selectors.approvals_inbox(request.user)[:200], "now": timezone.now()},
    )


@login_required
def approval(request, approval_id: int):
    record: Approval = selectors.approval_for_user(request.user, approval_id)
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
                    services.approval_give(actor=request.user, approval=record, note=c["note"])
                else:
                    services.approval_return(actor=request.user, approval=record, reasons=c["note"])
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
