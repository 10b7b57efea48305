"""Thin views: load the child through the access chokepoint, validate, make one service call."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from safeguard.access.policy import ChildAccess, child_for_user
from safeguard.children.indicators import indicator_label
from safeguard.platform.ids import parse_id
from safeguard.platform.versioning import StaleEdit, stale_context
from safeguard.rules.screening import action_reason, form_a_items
from safeguard.screening import selectors, services
from safeguard.screening.forms import (
    SIGNS,
    ContributionForm,
    FormAForm,
    FormBForm,
    SafetyActionForm,
    SafetyActionOutcomeForm,
)
from safeguard.screening.models import ExploitationModel, FormB, SafetyAction, Screening, SignStatus
from safeguard.ui.forms import add_service_errors


@login_required
def screening_new(request, child_id: int):
    access = child_for_user(request.user, child_id, request=request, change=True)
    if access.child.merged_into_id:
        return redirect("children:detail", child_id=access.child.merged_into_id)
    if request.method == "POST":
        form = FormAForm(request.POST)
        if form.is_valid():
            try:
                screening = services.screening_submit(access=access, header=form.header(), answers=form.answers())
            except PermissionDenied:
                raise Http404("No such record") from None
            return redirect("screening:detail", child_id=access.child.pk, screening_id=screening.pk)
    else:
        form = FormAForm(initial=FormAForm.initial_for(child=access.child, user=request.user))
    return render(request, "screening/form_a.html", {"form": form, "child": access.child})


@login_required
def screening_detail(request, child_id: int, screening_id: int):
    access = child_for_user(request.user, child_id, request=request, record_view=True)
    screening = get_object_or_404(
        Screening.objects.select_related("submitted_by", "agency", "referral", "superseded_by"),
        pk=screening_id, child=access.child,
    )
    items = {item.code: item for item in form_a_items()}
    return render(request, "screening/result.html", {
        "child": access.child, "screening": screening,
        "ticked": [(code, items[code].label, items[code].group, screening.evidence.get(code, ""))
                   for code in screening.ticked],
        "actions": [action_reason(code) for code in screening.actions],
        "form_b": screening.form_bs.first(),
    })


def _form_b_post(request, access: ChildAccess, form_b, may_edit: bool) -> dict | None:
    """Handle one POST to the Form B page: a contribution, a safety plan action, an action's outcome,
    or the sections themselves. Returns None when done (redirect), else the bound forms to show again."""
    action = request.POST.get("action")
    if action == "contribute":
        form = ContributionForm(request.POST, prefix="contribution")
        if form.is_valid():
            try:
                services.form_b_contribute(access=access, form_b=form_b, text=form.cleaned_data["text"],
                                           language_flags_kept=form.language_flags_kept)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Your contribution has been added to Form B.")
                return None
        return {"contribution_form": form}
    if action == "add_action" and services.form_b_may_edit(request.user):
        form = SafetyActionForm(request.POST, prefix="plan")
        if form.is_valid():
            c = form.cleaned_data
            try:
                services.safety_action_add(
                    access=access, form_b=form_b, description=c["description"], owner_name=c["owner_name"],
                    owner_agency=c["owner_agency"], due_on=c["due_on"],
                    language_flags_kept=form.language_flags_kept)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The action has been added to the safety plan.")
                return None
        return {"action_form": form}
    if action == "action_outcome":
        safety_action = get_object_or_404(SafetyAction, pk=parse_id(request.POST.get("safety_action_id")) or 0,
                                          form_b=form_b)
        form = SafetyActionOutcomeForm(request.POST, prefix=f"outcome-{safety_action.pk}")
        if form.is_valid():
            try:
                services.safety_action_complete(access=access, action=safety_action,
                                                outcome=form.cleaned_data["outcome"],
                                                language_flags_kept=form.language_flags_kept)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The action's outcome has been recorded.")
                return None
        return {"outcome_forms": {safety_action.pk: form}}
    if may_edit and action in (None, "", "save", "complete"):
        form = FormBForm(request.POST)
        if form.is_valid():
            complete = action == "complete"
            try:
                services.form_b_update(access=access, form_b=form_b, data=form.data_object(), complete=complete,
                                       version=form.opened_version)
            except StaleEdit as stale:
                return {"form": form, **stale_context(form, stale)}
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Form B is complete." if complete else "Form B has been saved as a draft.")
                return None
        return {"form": form}
    raise Http404("No such page")


@login_required
def form_b_detail(request, child_id: int, form_b_id: int):
    access = child_for_user(request.user, child_id, request=request, record_view=True,
                            change=request.method == "POST")
    form_b = get_object_or_404(FormB.objects.select_related("screening", "completed_by", "panel_referral"),
                               pk=form_b_id, child=access.child)
    is_lead = services.form_b_may_edit(request.user)
    may_edit = is_lead and form_b.status == FormB.Status.DRAFT
    bound: dict = {}
    if request.method == "POST":
        try:
            result = _form_b_post(request, access, form_b, may_edit)
        except PermissionDenied:
            raise Http404("No such record") from None
        if result is None:
            return redirect("screening:form_b", child_id=access.child.pk, form_b_id=form_b.pk)
        bound = result
    form = bound.get("form") or (FormBForm(initial=FormBForm.initial_for(form_b)) if may_edit else None)
    safety_actions = list(form_b.safety_actions.select_related("owner_agency", "done_by"))
    outcome_forms = bound.get("outcome_forms", {})
    # A POST binds exactly one form; it is the one whose errors the summary lists.
    bound_form = next(iter(outcome_forms.values()), None) or next(iter(bound.values()), None)
    may_record = {a.pk: is_lead or request.user.agency_id == a.owner_agency_id for a in safety_actions}
    plan = [(a, (outcome_forms.get(a.pk) or SafetyActionOutcomeForm(prefix=f"outcome-{a.pk}"))
             if a.status == SafetyAction.Status.OPEN and may_record[a.pk] else None) for a in safety_actions]
    signs = [(sign, form_b.signs[sign.code], SignStatus(form_b.signs[sign.code]["status"]).label)
             for sign in SIGNS if sign.code in form_b.signs]
    return render(request, "screening/form_b.html", {
        "child": access.child, "form_b": form_b, "form": form, "stale": bound.get("stale"),
        "contribution_form": bound.get("contribution_form") or ContributionForm(prefix="contribution"),
        "action_form": (bound.get("action_form") or SafetyActionForm(prefix="plan")) if is_lead else None,
        "plan": plan, "bound_form": bound_form,
        "suggestion": services.form_b_suggestion(form_b),
        "contributions": form_b.contributions.select_related("author", "agency"),
        "signs": signs,
        "factor_labels": [indicator_label(code) for code in form_b.indicators if not code.startswith("I")],
        "model_labels": [ExploitationModel(m).label for m in form_b.exploitation_models],
    })


@require_POST
@login_required
def form_b_panel_referral(request, child_id: int, form_b_id: int):
    access = child_for_user(request.user, child_id, request=request, change=True)
    form_b = get_object_or_404(FormB, pk=form_b_id, child=access.child)
    try:
        services.form_b_refer_to_panel(access=access, form_b=form_b)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise Http404("No such record") from None
    else:
        messages.success(request, "The referral to the Multi-Agency Risk Panel has been sent.")
    return redirect("screening:form_b", child_id=access.child.pk, form_b_id=form_b.pk)


@login_required
def child_screenings(request, child_id: int):
    access = child_for_user(request.user, child_id, request=request, record_view=True)
    return render(request, "screening/list.html", {
        "child": access.child,
        "screenings": selectors.screenings_for_child(access.child),
        "form_bs": selectors.form_bs_for_child(access.child),
    })
