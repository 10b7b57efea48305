"""Thin views: load the child through the access chokepoint, validate, make one service call."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
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

LIST_PAGE_SIZE = 50  # a child's screenings a page; Form Bs shown at most (issue 15)


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
        "form_b": screening.form_bs.first() or screening.joined_form_b,
    })


# The Form B page is one HTML form: whichever button is pressed, everything typed is posted together.
# On a draft the lead may edit, the sections are saved as a draft first (the hidden "sections" marker
# says they were on the page), then the button's own step runs; text typed in another box and not
# used by that step comes back on the page (kept in the session across the redirect), so no button
# loses what was typed (issue 10 item 1).
SECTIONS_MARKER = "sections"
KEPT_SESSION_KEY = "form_b_kept"
STEPS = ("save", "complete", "contribute", "add_action", "action_outcome", "refer_panel")


def _typed(form) -> bool:
    """Whether anything was typed into this (bound) sub-form."""
    for bound_field in form:
        if bound_field.name == "keep_wording":
            continue
        value = bound_field.value()
        values = value if isinstance(value, list | tuple) else [value]
        if any(str(v).strip() for v in values if v not in (None, False)):
            return True
    return False


def _chosen(request) -> tuple[str, int | None]:
    """The button pressed: its step, and the safety action it is about (for an outcome)."""
    action = request.POST.get("action") or "save"
    if action.startswith("outcome:"):
        return "action_outcome", parse_id(action.partition(":")[2]) or 0
    if action == "action_outcome":  # the older shape: the action's id in its own field
        return action, parse_id(request.POST.get("safety_action_id")) or 0
    return action, None


def _sub_forms(request, form_b, *, is_lead: bool) -> dict:
    """Every small form the page shows this user, bound to the POST: {key: form}."""
    forms: dict = {}
    if is_lead and form_b.status != FormB.Status.JOINED:
        forms["action_form"] = SafetyActionForm(request.POST, prefix="plan")
    if form_b.status == FormB.Status.DRAFT:
        forms["contribution_form"] = ContributionForm(request.POST, prefix="contribution")
    for pk in form_b.safety_actions.filter(status=SafetyAction.Status.OPEN).values_list("pk", flat=True):
        if f"outcome-{pk}-outcome" in request.POST:
            forms[f"outcome:{pk}"] = SafetyActionOutcomeForm(request.POST, prefix=f"outcome-{pk}")
    return forms


def _step(access: ChildAccess, form_b, action: str, form, safety_action) -> str | None:
    """Run the chosen small step with its bound form: the success message, or None (errors on the form)."""
    if not form.is_valid():
        return None
    c = form.cleaned_data
    try:
        if action == "contribute":
            services.form_b_contribute(access=access, form_b=form_b, text=c["text"],
                                       language_flags_kept=form.language_flags_kept)
            return "Your contribution has been added to Form B."
        if action == "add_action":
            services.safety_action_add(
                access=access, form_b=form_b, description=c["description"], owner_name=c["owner_name"],
                owner_agency=c["owner_agency"], due_on=c["due_on"], language_flags_kept=form.language_flags_kept)
            return "The action has been added to the safety plan."
        services.safety_action_complete(access=access, action=safety_action, outcome=c["outcome"],
                                        language_flags_kept=form.language_flags_kept)
        return "The action's outcome has been recorded."
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def _bound_for_page(forms: dict) -> dict:
    bound: dict = {"outcome_forms": {}}
    for key, form in forms.items():
        if key.startswith("outcome:"):
            bound["outcome_forms"][int(key.partition(":")[2])] = form
        else:
            bound[key] = form
    return bound


def _form_b_post(request, access: ChildAccess, form_b, may_edit: bool, is_lead: bool) -> dict | None:
    """Handle one POST to the Form B page. Returns None when done (redirect), else the bound forms
    to show again with what was typed."""
    action, safety_action_id = _chosen(request)
    if action not in STEPS or (action == "add_action" and not is_lead) or (
            action in ("save", "complete") and not may_edit):
        raise Http404("No such page")
    safety_action = None
    forms = _sub_forms(request, form_b, is_lead=is_lead)
    chosen_key = {"contribute": "contribution_form", "add_action": "action_form"}.get(action)
    if action == "action_outcome":
        safety_action = get_object_or_404(SafetyAction, pk=safety_action_id or 0, form_b=form_b)
        chosen_key = f"outcome:{safety_action.pk}"
        forms[chosen_key] = SafetyActionOutcomeForm(request.POST, prefix=f"outcome-{safety_action.pk}")
    if chosen_key is not None and chosen_key not in forms:
        raise Http404("No such page")
    bound = _bound_for_page(forms)
    done: list[str] = []
    if may_edit and (SECTIONS_MARKER in request.POST or action in ("save", "complete")):
        sections = FormBForm(request.POST)
        bound["form"] = sections
        if not sections.is_valid():
            return bound
        complete = action == "complete"
        try:
            services.form_b_update(access=access, form_b=form_b, data=sections.data_object(), complete=complete,
                                   version=sections.opened_version)
        except StaleEdit as stale:  # someone saved since this page was opened (issue 11 item 12)
            bound.update(stale_context(sections, stale))
            return bound
        except ValidationError as error:
            add_service_errors(sections, error)
            return bound
        form_b.refresh_from_db()
        done.append("Form B is complete." if complete else "Form B has been saved as a draft.")
    if action == "refer_panel":
        try:
            services.form_b_refer_to_panel(access=access, form_b=form_b)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            done.append("The referral to the Multi-Agency Risk Panel has been sent.")
    elif chosen_key is not None:
        result = _step(access, form_b, action, forms[chosen_key], safety_action)
        if result is None:
            bound["bound_form"] = forms[chosen_key]
            for text in done:
                messages.success(request, text)
            return bound
        done.append(result)
    for text in done:
        messages.success(request, text)
    # What was typed in the other boxes, and not used by this step, comes back after the redirect.
    kept = {key: {f.name: f.value() for f in form} for key, form in forms.items()
            if key != chosen_key and _typed(form)}
    if kept:
        request.session[f"{KEPT_SESSION_KEY}:{form_b.pk}"] = kept
    return None


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
            result = _form_b_post(request, access, form_b, may_edit, is_lead)
        except PermissionDenied:
            raise Http404("No such record") from None
        if result is None:
            return redirect("screening:form_b", child_id=access.child.pk, form_b_id=form_b.pk)
        bound = result
        form_b.refresh_from_db()
        may_edit = is_lead and form_b.status == FormB.Status.DRAFT
    kept = request.session.pop(f"{KEPT_SESSION_KEY}:{form_b.pk}", {}) if request.method == "GET" else {}
    form = bound.get("form") or (FormBForm(initial=FormBForm.initial_for(form_b)) if may_edit else None)
    safety_actions = list(form_b.safety_actions.select_related("owner_agency", "done_by"))
    outcome_forms = bound.get("outcome_forms", {})
    # The form whose errors the summary lists: the step's own, else the sections'.
    bound_form = bound.get("bound_form") or bound.get("form")
    may_record = {a.pk: is_lead or request.user.agency_id == a.owner_agency_id for a in safety_actions}
    plan = [(a, (outcome_forms.get(a.pk) or SafetyActionOutcomeForm(prefix=f"outcome-{a.pk}",
                                                                     initial=kept.get(f"outcome:{a.pk}")))
             if a.status == SafetyAction.Status.OPEN and may_record[a.pk] else None) for a in safety_actions]
    signs = [(sign, form_b.signs[sign.code], SignStatus(form_b.signs[sign.code]["status"]).label)
             for sign in SIGNS if sign.code in form_b.signs]
    open_draft = (selectors.open_form_b_for_child(access.child)
                  if form_b.status == FormB.Status.JOINED else None)
    action_form = None
    if is_lead and form_b.status != FormB.Status.JOINED:
        action_form = bound.get("action_form") or SafetyActionForm(prefix="plan", initial=kept.get("action_form"))
    return render(request, "screening/form_b.html", {
        "child": access.child, "form_b": form_b, "form": form, "open_draft": open_draft, "stale": bound.get("stale"),
        "joined_screenings": form_b.joined_screenings.select_related("submitted_by")[:20],
        "contribution_form": bound.get("contribution_form") or ContributionForm(
            prefix="contribution", initial=kept.get("contribution_form")),
        "action_form": action_form, "plan": plan, "bound_form": bound_form,
        # What Enter in a box does: the first button of the page's one form (see the template).
        "default_action": "save" if may_edit else "add_action" if is_lead else "contribute",
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
    page = Paginator(selectors.screenings_for_child(access.child), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "screening/list.html", {
        "child": access.child,
        "page": page,
        "screenings": page.object_list,
        "form_bs": selectors.form_bs_for_child(access.child)[:LIST_PAGE_SIZE],
    })
