"""What the intelligence pages share: the access answers, the form page, the posted data."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from safeguard.access.intelligence import may_add_links, may_see_intelligence
from safeguard.access.policy import child_for_user


def posted(request):
    return request.POST if request.method == "POST" else None


def child_access(request, child_id: int, *, change: bool = False, record_view: bool = False):
    access = child_for_user(request.user, child_id, request=request, change=change, record_view=record_view)
    if change and access.child.merged_into_id:
        raise Http404("No such record")
    return access


def require_intelligence(request) -> None:
    """404 for anyone whose role does not see intelligence whole (a hidden page looks missing)."""
    if not may_see_intelligence(request.user):
        raise Http404("No such page")


def require_child_worker(request) -> None:
    if not may_add_links(request.user):
        raise Http404("No such page")


def form_page(request, *, form, title: str, button: str, back: str, intro: str = "", caption: str = "",
              template: str = "intelligence/form.html", **extra):
    return render(request, template, {"form": form, "title": title, "button": button, "back": back,
                                      "intro": intro, "caption": caption, **extra})


def picker_context(request, fields: dict[str, str], *, children=None) -> dict:
    """For each picker field (name → entity kind or ""): what was typed and the matches, so the page
    works without scripts (the Search button reloads it) as well as with htmx."""
    from safeguard.access.policy import children_visible_for

    from .. import selectors

    found = {}
    for name, kind in fields.items():
        query = (request.GET.get(f"q_{name}") or "").strip()
        results = selectors.entity_search(
            user=request.user, query=query, kind=kind, limit=10,
            children=children if children is not None else children_visible_for(request), for_linking=True,
        ) if len(query) >= 2 else []
        found[name] = {"query": query, "results": results}
    return found


def show_errors(form, error) -> dict | None:
    """A service's refusal on the form: field errors where it names a field, a conflict (a step
    already taken) at the top. A stale edit (``StaleEdit``) is said at the top too, and the form's
    hidden version moves on so that saving again keeps what was typed; the side-by-side comparison
    for ``includes/stale_edit.html`` is returned."""
    from django.core.exceptions import ValidationError

    from safeguard.platform.versioning import StaleEdit, stale_context
    from safeguard.ui.forms import add_service_errors

    if isinstance(error, StaleEdit):
        context = stale_context(form, error)["stale"]
        form.add_error(None, error.message)
        return context
    if isinstance(error, ValidationError):
        add_service_errors(form, error)
    else:
        form.add_error(None, list(getattr(error, "messages", [str(error)])))
    return None
