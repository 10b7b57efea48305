"""Pages for underage sexual activity assessments (§9) and anonymised consultations (§9.2)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from safeguard.access.policy import child_for_user
from safeguard.notifications.selectors import open_tasks_for
from safeguard.ui.forms import add_service_errors

from .. import selectors, services
from ..forms import AssessmentForm, ConsultationForm
from ..models import Assessment, DecisionRecord
from ..pdf import ASSESSMENT_FACT_LABELS
from ..services._common import (
    ACTION_DESTINATION,
    ACTION_TASK_TITLES,
    CRITERION_TEXT,
    NOT_REFERRING_TEXT,
    action_task_kind,
)
from ._common import posted as _posted
from ._common import require_child_worker as _require_child_worker

# -- underage sexual activity assessment (§9) ---------------------------------------------------


@login_required
def assessment_add(request, child_id: int):
    access = child_for_user(request.user, child_id, request=request, change=True)
    child = access.child
    form = AssessmentForm(_posted(request), child=child)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_record(
                access=access, answers=form.answers(), language_kept=form.language_flags_kept
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The assessment has been recorded. Its actions are on your task list.")
            return redirect("referrals:assessment", assessment_id=assessment.pk)
    return render(request, "referrals/assessment_form.html", {"form": form, "child": child})


def _assessment_context(request, assessment: Assessment) -> dict:
    open_kinds = set(open_tasks_for(assessment).values_list("kind", flat=True))
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
    # A decision not to refer answers any referral the rules ask for, a "consider" included (§9.2, §9.7).
    refer_to = next((a["destination"] for a in actions if a["destination"]), "")
    criteria = assessment.outcome.get("criteria", assessment.criteria)
    return {
        "assessment": assessment,
        "child": assessment.child,
        "actions": actions,
        "not_referring": not_referring,
        "requires": [NOT_REFERRING_TEXT.get(code, code) for code in not_referring.get("requires", [])],
        "refer_to": refer_to,
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
    record, _access = selectors.assessment_for_user(request.user, assessment_id, request=request, record_view=True)
    return render(request, "referrals/assessment.html", _assessment_context(request, record))


@require_POST
@login_required
def assessment_action_done(request, assessment_id: int, code: str):
    record, access = selectors.assessment_for_user(request.user, assessment_id, request=request, change=True)
    try:
        services.assessment_action_done(access=access, assessment=record, code=code)
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
                language_kept=form.language_flags_kept,
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


