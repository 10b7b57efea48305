"""Thin views: load the child through the access chokepoint, validate, make one service call."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from safeguard.access.policy import child_for_user, session_key
from safeguard.children.indicators import indicator_label
from safeguard.rules.screening import action_reason, form_a_items
from safeguard.screening import selectors, services
from safeguard.screening.forms import ContributionForm, FormAForm, FormBForm
from safeguard.screening.models import ExploitationModel, FormB, Screening
from safeguard.ui.forms import add_service_errors


def _session_key(request) -> str:
    return session_key(request, create=True)


@login_required
def screening_new(request, child_id: int):
    access = child_for_user(request.user, child_id, request=request, change=True)
    if access.child.merged_into_id:
        return redirect("children:detail", child_id=access.child.merged_into_id)
    if request.method == "POST":
        form = FormAForm(request.POST)
        if form.is_valid():
            try:
                screening = services.screening_submit(
                    actor=request.user, child=access.child, header=form.header(), answers=form.answers(),
                    session_key=_session_key(request),
                )
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


@login_required
def form_b_detail(request, child_id: int, form_b_id: int):
    access = child_for_user(request.user, child_id, request=request, record_view=True)
    form_b = get_object_or_404(FormB.objects.select_related("screening", "completed_by", "panel_referral"),
                               pk=form_b_id, child=access.child)
    may_edit = services._may_edit_form_b(request.user) and form_b.status == FormB.Status.DRAFT
    form = contribution = None
    if request.method == "POST" and request.POST.get("action") == "contribute":
        contribution = ContributionForm(request.POST, prefix="contribution")
        if contribution.is_valid():
            try:
                services.form_b_contribute(actor=request.user, form_b=form_b, text=contribution.cleaned_data["text"],
                                           language_flags_kept=contribution.language_flags_kept,
                                           session_key=_session_key(request))
            except ValidationError as error:
                add_service_errors(contribution, error)
            else:
                messages.success(request, "Your contribution has been added to Form B.")
                return redirect("screening:form_b", child_id=access.child.pk, form_b_id=form_b.pk)
    elif request.method == "POST" and may_edit:
        form = FormBForm(request.POST)
        if form.is_valid():
            complete = request.POST.get("action") == "complete"
            try:
                form_b = services.form_b_update(actor=request.user, form_b=form_b, data=form.data_object(),
                                                complete=complete, session_key=_session_key(request))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if complete:
                    messages.success(request, "Form B is complete.")
                else:
                    messages.success(request, "Form B has been saved as a draft.")
                return redirect("screening:form_b", child_id=access.child.pk, form_b_id=form_b.pk)
    elif request.method == "POST":
        raise Http404("No such page")
    if form is None and may_edit:
        form = FormBForm(initial=FormBForm.initial_for(form_b))
    if contribution is None:
        contribution = ContributionForm(prefix="contribution")
    return render(request, "screening/form_b.html", {
        "child": access.child, "form_b": form_b, "form": form, "contribution_form": contribution,
        "suggestion": services.form_b_suggestion(form_b),
        "contributions": form_b.contributions.select_related("author", "agency"),
        "indicator_labels": [indicator_label(code) for code in form_b.indicators],
        "model_labels": [ExploitationModel(m).label for m in form_b.exploitation_models],
    })


@require_POST
@login_required
def form_b_panel_referral(request, child_id: int, form_b_id: int):
    access = child_for_user(request.user, child_id, request=request, change=True)
    form_b = get_object_or_404(FormB, pk=form_b_id, child=access.child)
    try:
        services.form_b_refer_to_panel(actor=request.user, form_b=form_b, session_key=_session_key(request))
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
