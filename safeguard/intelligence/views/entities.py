"""Recording, finding and showing people, vehicles, phones, accounts and places (§7, §10)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from safeguard.access.intelligence import (
    entity_for_user,
    may_record_disruption,
    may_see_intelligence,
    record_intelligence_read,
)
from safeguard.access.policy import children_viewed_record, children_visible_for
from safeguard.platform.versioning import StaleEdit

from .. import selectors, services
from ..forms import DisruptionForm, EntityEditForm, EntityForm, EntityLinkForm, SearchForm
from ..models import EntityKind
from ._common import form_page, picker_context, posted, require_child_worker, show_errors


def _child_param(request) -> str:
    value = request.GET.get("child") or request.POST.get("for_child") or ""
    return value if value.isdigit() else ""


@login_required
def entity_create(request):
    require_child_worker(request)
    for_child = _child_param(request)
    form = EntityForm(posted(request), initial={"kind": request.GET.get("kind", "")})
    matches = []
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.entity_save(
                actor=request.user, data=form.data_for_service(), confirm_new_person=form.cleaned_data["confirm_new"]
            )
        except (ValidationError, services.Conflict) as error:
            show_errors(form, error)
        else:
            if outcome.entity is None:
                matches = outcome.likely_matches
                form.data = form.data.copy()
                form.data["confirm_new"] = "True"
            else:
                entity = outcome.entity
                messages.success(
                    request, f"{entity.label} has been recorded." if outcome.created
                    else f"{entity.label} was already recorded: the details you gave have been added to it.",
                )
                if for_child:
                    return redirect(reverse("intelligence:link_add", kwargs={"child_id": for_child})
                                    + f"?entity={entity.pk}")
                return redirect("intelligence:entity", entity_id=entity.pk)
    return render(request, "intelligence/entity_form.html", {
        "form": form, "matches": matches, "for_child": for_child, "kinds": EntityKind,
    })


@login_required
def entity(request, entity_id: int):
    found = entity_for_user(request.user, entity_id, request=request, record_view=True)
    children = children_visible_for(request)
    network = selectors.network_of(entity_id=found.pk)
    links = selectors.links_for_entity(user=request.user, entity=found, children=children)
    # The children named on the page: one audited read (issue 11 item 2).
    children_viewed_record(request, [r.child.child_id for r in links if r.child is not None and r.child.visible])
    return render(request, "intelligence/entity.html", {
        "entity": found,
        "links": links,
        "disruptions": selectors.disruptions_for_entity(found),
        "network": network if may_see_intelligence(request.user) else None,
        "may_disrupt": may_record_disruption(request.user),
        "whole": may_see_intelligence(request.user),
    })


@login_required
def entity_edit(request, entity_id: int):
    """Change what is recorded about an entity (issue 12): anyone who may see it and works with
    children's records, as for recording one. Opened at its version; a stale save shows both versions
    and keeps what was typed; a key that another record has is refused with that record named."""
    require_child_worker(request)
    found = entity_for_user(request.user, entity_id, request=request, record_view=request.method == "GET")
    form = EntityEditForm(posted(request), entity=found,
                          initial=EntityEditForm.initial_for(found, services.entity_aliases(found)))
    stale, taken = None, None
    if request.method == "POST" and form.is_valid():
        try:
            services.entity_update(actor=request.user, entity=found, version=form.opened_version,
                                   data=form.data_for_service())
        except (ValidationError, StaleEdit) as error:
            stale = show_errors(form, error)
            taken = getattr(error, "existing", None)
        else:
            messages.success(request, "The changes have been saved.")
            return redirect("intelligence:entity", entity_id=found.pk)
    return render(request, "intelligence/entity_edit.html", {
        "form": form, "entity": found, "stale": stale, "taken": taken,
    })


@login_required
def entity_link(request, entity_id: int):
    """Link this entity to another (a person uses a phone, drives a vehicle, lives at a place)."""
    require_child_worker(request)
    found = entity_for_user(request.user, entity_id, request=request)
    form = EntityLinkForm(posted(request))
    other = None
    other_id = (request.POST.get("other") or request.GET.get("other") or "")
    if other_id.isdigit():
        other = selectors.entity_search_one(user=request.user, entity_id=int(other_id))
    if request.method == "POST" and form.is_valid():
        if other is None:
            form.add_error("other", "Choose the record to link to")
        else:
            c = form.cleaned_data
            try:
                services.link_entities(
                    actor=request.user, entity=found, other=other,
                    details=services.LinkDetails(kind=c["kind"], occurred_on=c["occurred_on"], grading=form.grading(),
                                                 notes=c["notes"]),
                )
            except (ValidationError, services.Conflict) as error:
                show_errors(form, error)
            else:
                messages.success(request, f"{found.label} has been linked to {other.label}.")
                return redirect("intelligence:entity", entity_id=found.pk)
    return form_page(
        request, form=form, title=f"Link {found.label} to another record", button="Save the link",
        back=reverse("intelligence:entity", kwargs={"entity_id": found.pk}), template="intelligence/link_form.html",
        picker_field="other", chosen=other, entity=found, picker_errors=form.errors.get("other", []),
        picker_results=picker_context(request, {"other": ""})["other"]["results"],
        picker_query=request.GET.get("q_other", ""),
    )


@login_required
def disruption_add(request, entity_id: int):
    if not may_record_disruption(request.user):
        from django.http import Http404

        raise Http404("No such page")
    found = entity_for_user(request.user, entity_id, request=request)
    alert = None
    alert_id = request.GET.get("alert") or request.POST.get("alert") or ""
    if alert_id.isdigit():
        from safeguard.access.intelligence import alert_for_user

        alert = alert_for_user(request.user, alert_id)
    form = DisruptionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.disruption_record(actor=request.user, entity=found, details=form.details(), alert=alert,
                                       language_flags_kept=form.language_flags_kept)
        except (ValidationError, services.Conflict) as error:
            show_errors(form, error)
        else:
            messages.success(request, "The disruption action has been recorded.")
            if alert is not None:
                return redirect("intelligence:alert", alert_id=alert.pk)
            return redirect("intelligence:entity", entity_id=found.pk)
    return form_page(
        request, form=form, title="Record a disruption action", button="Record the action",
        caption=found.label, intro="Actions against a person, a place or a vehicle (handbook §15, Pursue). The "
        "panel sees them beside the network they concern.",
        back=reverse("intelligence:entity", kwargs={"entity_id": found.pk}), hidden={"alert": alert.pk if alert else ""},
    )


@login_required
def search(request):
    require_child_worker(request)
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        results = selectors.entity_search(
            user=request.user, query=form.cleaned_data["q"], kind=form.cleaned_data["kind"], limit=50,
            children=children_visible_for(request),
        )
        record_intelligence_read(request.user, None, "search", request=request)
    return render(request, "intelligence/search.html", {
        "form": form, "results": results, "whole": may_see_intelligence(request.user),
        "alerts": selectors.alerts_for(request.user, limit=5) if may_see_intelligence(request.user) else [],
    })


@login_required
def picker(request):
    """Search as you type (htmx): matching entities to choose, for a link form."""
    require_child_worker(request)
    field = request.GET.get("field", "entity")
    if field not in {"entity", "other", "to_place", "from_place", "with_person", "vehicle", "linked"}:
        field = "entity"
    query = request.GET.get("q") or request.GET.get(f"q_{field}", "")  # htmx sends the box by its name
    kind = request.GET.get("kind", "")
    kind = kind if kind in EntityKind.values else ""
    results = selectors.entity_search(user=request.user, query=query, kind=kind, limit=10, for_linking=True,
                                      children=children_visible_for(request)) if len(query.strip()) >= 2 else []
    if results:
        record_intelligence_read(request.user, None, "picker", request=request)
    return render(request, "intelligence/partials/picker_results.html", {
        "results": results, "field": field, "query": query, "kind": kind,
        "for_child": request.GET.get("child", ""), "multiple": request.GET.get("multiple") == "1",
    })

