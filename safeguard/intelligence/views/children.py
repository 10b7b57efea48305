"""A child's intelligence: links, movements and National Referral Mechanism referrals (§7, §10)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from safeguard.access.intelligence import may_see_intelligence
from safeguard.children.models import Observation
from safeguard.platform.versioning import StaleEdit

from .. import selectors, services
from ..forms import LinkForm, MovementForm, NrmDecisionForm, NrmForm
from ..models import EntityKind, NrmReferral
from ._common import child_access, form_page, picker_context, posted, show_errors


@login_required
def child(request, child_id: int):
    access = child_access(request, child_id, record_view=True)
    record = access.child
    network = selectors.network_of(child_id=record.pk)
    return render(request, "intelligence/child.html", {
        "child": record,
        "links": selectors.links_for_child(record),
        "nrm": selectors.nrm_for_child(record),
        "network": network,
        "whole": may_see_intelligence(request.user),
    })


def _chosen(request, name: str, kind: str = ""):
    value = request.POST.get(name) if request.method == "POST" else request.GET.get(name)
    if value and str(value).isdigit():
        return selectors.entity_search_one(user=request.user, entity_id=int(value), kind=kind)
    return None


def _observation(request, child):
    """The observation a link is recorded from (its people, places and vehicles as text), if any."""
    value = request.POST.get("observation") if request.method == "POST" else request.GET.get("observation")
    if value and str(value).isdigit():
        return Observation.objects.filter(pk=int(value), child=child).first()
    return None


@login_required
def link_add(request, child_id: int):
    access = child_access(request, child_id, change=True)
    record = access.child
    chosen = _chosen(request, "entity")
    observation = _observation(request, record)
    form = LinkForm(posted(request), initial={"entity": chosen.pk if chosen else None})
    if request.method == "POST" and form.is_valid():
        if chosen is None:
            form.add_error("entity", "Choose who or what the child is linked to, or record a new one")
        else:
            details = form.details(source_kind="observation", source=observation) if observation else form.details()
            try:
                outcome = services.link_child(access=access, entity=chosen, details=details,
                                              language_flags_kept=form.language_flags_kept)
            except (ValidationError, services.Conflict) as error:
                show_errors(form, error)
            else:
                raised = f" {len(outcome.alerts)} alert{'s' if len(outcome.alerts) != 1 else ''} raised." \
                    if outcome.alerts else ""
                messages.success(request, f"{record.full_name} has been linked to {chosen.label}.{raised}")
                return redirect("intelligence:child", child_id=record.pk)
    return form_page(
        request, form=form, title="Link the child to a person, vehicle, phone, account or place",
        button="Save the link", caption=f"Record {record.pk}: {record.full_name}",
        intro="Search for who or what you know about. If it is not recorded yet, record it; if you know no "
        "more than a few words, put them in what happened (handbook §7, §10).",
        back=reverse("intelligence:child", kwargs={"child_id": record.pk}), template="intelligence/link_form.html",
        picker_field="entity", chosen=chosen, child=record, picker_errors=form.errors.get("entity", []),
        observation=observation, hidden={"observation": observation.pk} if observation else {},
        picker_results=picker_context(request, {"entity": ""})["entity"]["results"],
        picker_query=request.GET.get("q_entity", ""),
    )


@login_required
def movement_add(request, child_id: int):
    access = child_access(request, child_id, change=True)
    record = access.child
    chosen = {
        "to_place": _chosen(request, "to_place", EntityKind.PLACE),
        "from_place": _chosen(request, "from_place", EntityKind.PLACE),
        "with_person": _chosen(request, "with_person", EntityKind.PERSON),
        "vehicle": _chosen(request, "vehicle", EntityKind.VEHICLE),
    }
    form = MovementForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if chosen["to_place"] is None:
            form.add_error("to_place", "Choose the place the child was moved to")
        else:
            c = form.cleaned_data
            try:
                services.movement_record(access=access, details=services.MovementDetails(
                    to_place=chosen["to_place"], from_place=chosen["from_place"], with_person=chosen["with_person"],
                    vehicle=chosen["vehicle"], occurred_on=c["occurred_on"], grading=form.grading(), notes=c["notes"],
                ))
            except (ValidationError, services.Conflict) as error:
                show_errors(form, error)
            else:
                messages.success(request, "The movement has been recorded.")
                return redirect("intelligence:child", child_id=record.pk)
    return form_page(
        request, form=form, title="Record a movement (trafficking concern)", button="Record the movement",
        caption=f"Record {record.pk}: {record.full_name}",
        intro="Where the child was moved from and to, when, with whom and in which vehicle (handbook §7). Moving "
        "a child within the country for exploitation is trafficking.",
        back=reverse("intelligence:child", kwargs={"child_id": record.pk}), template="intelligence/movement_form.html",
        chosen=chosen, child=record, pickers=picker_context(request, {
            "to_place": "place", "from_place": "place", "with_person": "person", "vehicle": "vehicle"}),
    )


@login_required
def nrm_add(request, child_id: int):
    access = child_access(request, child_id, change=True)
    record = access.child
    form = NrmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            referral = services.nrm_refer(
                access=access, details=services.NrmDetails(c["referred_on"], c["summary"], c["reference"]),
                language_flags_kept=form.language_flags_kept,
            )
        except (ValidationError, services.Conflict) as error:
            show_errors(form, error)
        else:
            messages.success(request, "The National Referral Mechanism referral has been recorded.")
            return redirect("intelligence:nrm", child_id=record.pk, nrm_id=referral.pk)
    return form_page(
        request, form=form, title="Record a National Referral Mechanism referral", button="Record the referral",
        caption=f"Record {record.pk}: {record.full_name}",
        intro="Your agency refers as first responder. A child's consent is not needed (under 18). Record the "
        "reasonable and conclusive grounds decisions when they come (handbook §7).",
        back=reverse("intelligence:child", kwargs={"child_id": record.pk}),
    )


@login_required
def nrm(request, child_id: int, nrm_id: int):
    access = child_access(request, child_id, record_view=request.method == "GET", change=request.method == "POST")
    record = access.child
    referral = NrmReferral.objects.select_related("first_responder", "referred_by").filter(
        pk=nrm_id, child=record).first()
    if referral is None:
        raise Http404("No such record")
    form = NrmDecisionForm(posted(request), initial={"version": referral.version})
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            services.nrm_decision_record(access=access, referral=referral, version=c["version"], stage=c["stage"],
                                         decision=c["decision"], decided_on=c["decided_on"])
        except (ValidationError, services.Conflict, StaleEdit) as error:
            show_errors(form, error)
        else:
            messages.success(request, "The decision has been recorded.")
            return redirect("intelligence:nrm", child_id=record.pk, nrm_id=referral.pk)
    return render(request, "intelligence/nrm.html", {"child": record, "referral": referral, "form": form})
