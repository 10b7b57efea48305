"""Pattern alerts and the network view (intelligence.md "Patterns"; handbook §11.2, §13)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from safeguard.access.intelligence import (
    alert_for_user,
    alerts_visible_to,
    may_record_disruption,
    network_for_user,
    record_intelligence_read,
)
from safeguard.access.policy import children_viewed_record, children_visible_for

from .. import selectors, services
from ..forms import AlertActionForm
from ._common import require_intelligence, show_errors

PAGE_SIZE = 50


@login_required
def alerts(request):
    require_intelligence(request)
    page = Paginator(
        alerts_visible_to(request.user).select_related("entity", "network").order_by("-raised_at", "-id"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    record_intelligence_read(request.user, None, "alerts", request=request)
    return render(request, "intelligence/alerts.html", {"page": page})


@login_required
def alert(request, alert_id: int):
    found = alert_for_user(request.user, alert_id, request=request, record_view=True)
    services.alert_viewed(user=request.user, alert=found)
    return _alert_page(request, found, AlertActionForm())


def _named(graph) -> list[int]:
    """The children a network drawing names (an audited read, issue 11 item 2)."""
    return [n.url_id for n in graph.nodes if n.kind == "child" and n.visible and n.url_id] if graph else []


def _alert_page(request, found, form):
    children = children_visible_for(request)
    detail = selectors.alert_detail(user=request.user, alert=found, children=children)
    graph = selectors.network_graph(user=request.user, network=detail.network, children=children) \
        if detail.network is not None else None
    children_viewed_record(request, [c.child_id for c in detail.children if c.visible] + _named(graph))
    return render(request, "intelligence/alert.html", {
        "detail": detail, "alert": found, "form": form, "graph": graph,
        "graph_json": graph.elements() if graph else [], "edges": graph.edges if graph else [],
        "may_disrupt": may_record_disruption(request.user),
    })


@login_required
@require_POST
def alert_action(request, alert_id: int):
    found = alert_for_user(request.user, alert_id, request=request)
    form = AlertActionForm(request.POST)
    if form.is_valid():
        try:
            services.alert_action_record(user=request.user, alert=found, text=form.cleaned_data["text"])
        except (ValidationError, services.Conflict) as error:
            show_errors(form, error)
        else:
            messages.success(request, "What was done has been recorded.")
            return redirect("intelligence:alert", alert_id=found.pk)
    return _alert_page(request, found, form)


@login_required
def network(request, network_id: int):
    found = network_for_user(request.user, network_id, request=request, record_view=True)
    graph = selectors.network_graph(user=request.user, network=found, children=children_visible_for(request))
    children_viewed_record(request, _named(graph))
    return render(request, "intelligence/network.html", {
        "graph": graph, "network": found, "graph_json": graph.elements(), "edges": graph.edges,
        "entities_count": graph.entities_count,
    })
