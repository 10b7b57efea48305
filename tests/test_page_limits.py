"""Every list has a page limit (issue 15; the brief's "every list has a page limit").

Two checks, both walking the URL configuration, so a new list is checked the day it is added:

- **Declared**: every API view that lists (DRF ``ListModelMixin``) has a paginator with a page size,
  and a client-chosen page size is capped; every Django ``ListView`` declares ``paginate_by``.
- **Observed**: every page in the authorization matrix is requested as the personas who see the most
  (MASH, police lead, named lead, panel chair, analyst, administrator), and no template is handed an
  unsliced queryset: a list reaches a template as a ``Page``, a sliced queryset, or a list built from
  one. (A queryset in a form's field is the form's business, not a list on the page.)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.paginator import Page
from django.db.models import QuerySet
from django.test.utils import ContextList
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.generic.list import MultipleObjectMixin
from rest_framework.mixins import ListModelMixin
from rest_framework.views import APIView

from safeguard.api.pagination import MAX_PAGE_SIZE
from tests.factories import child as make_child
from tests.factories import login_verified

WIDEST = ["mash_worker", "police_lead", "named_lead", "panel_chair", "analyst", "admin"]

# Lists that belong to one record and are bounded by its workflow, not by the size of the database:
# each is written down here with the reason, so a new unbounded list is still caught.
BOUNDED_BY_ONE_RECORD = {
    ("referrals:detail", "events"): "one referral's status changes: one per step of its workflow",
    ("referrals:decision", "corrections"): "one decision record's corrections, each signed by a person",
    ("referrals:assessment", "decisions"): "the decisions made on one assessment",
    ("referrals:assessment", "referrals"): "the referrals sent from one assessment",
    ("screening:form_b", "contributions"): "one Form B's contributions, one per agency asked",
}


def _patterns(resolver=None, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            yield from _patterns(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or pattern.pattern}", pattern


def _view_class(pattern: URLPattern):
    return getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", None)


def _declared_problem(view) -> str | None:
    """Why this view class lists without a page limit, or None."""
    if isinstance(view, type) and issubclass(view, APIView) and issubclass(view, ListModelMixin):
        paginator = view.pagination_class
        if paginator is None or not getattr(paginator, "page_size", None):
            return "lists with no paginator or no page size"
        if getattr(paginator, "page_size_query_param", None):
            cap = getattr(paginator, "max_page_size", None)
            if not cap or cap > MAX_PAGE_SIZE:
                return f"lets the client choose a page size without a cap of at most {MAX_PAGE_SIZE}"
    if isinstance(view, type) and issubclass(view, MultipleObjectMixin) and not view.paginate_by:
        return "a ListView without paginate_by"
    return None


def test_every_list_view_declares_a_page_limit():
    problems = {
        name: problem
        for name, pattern in _patterns()
        if not name.startswith("admin:") and (problem := _declared_problem(_view_class(pattern)))
    }
    assert problems == {}


def test_the_declared_check_catches_an_unlimited_list():
    from django.views.generic import ListView
    from rest_framework import generics
    from rest_framework.pagination import PageNumberPagination

    class Unpaged(generics.ListAPIView):
        pagination_class = None

    class Uncapped(generics.ListAPIView):
        pagination_class = type("P", (PageNumberPagination,), {"page_size": 50, "page_size_query_param": "n"})

    class PlainList(ListView):
        pass

    assert _declared_problem(Unpaged)
    assert _declared_problem(Uncapped)
    assert _declared_problem(PlainList)
    from safeguard.children.api import ChildListCreate, ChronologyList

    assert _declared_problem(ChildListCreate) is None and _declared_problem(ChronologyList) is None


# -- observed ------------------------------------------------------------------------------------


def unbounded_lists(context) -> list[str]:
    """Names of template variables holding a queryset with no limit (the whole table, filtered)."""
    found = []
    layers = context if isinstance(context, ContextList) else [context]
    for layer in layers:
        items = layer.flatten().items() if hasattr(layer, "flatten") else dict(layer).items()
        for key, value in items:
            candidates = value.values() if isinstance(value, dict) else [value]
            for candidate in candidates:
                if isinstance(candidate, Page):
                    continue
                if isinstance(candidate, QuerySet) and not candidate.query.is_sliced and not candidate.query.is_empty():
                    found.append(str(key))
    return sorted(set(found))


def test_the_observed_check_catches_an_unlimited_list(personas):
    from django.template import Context

    from safeguard.children.models import Child

    make_child(involved=[personas.school])
    assert unbounded_lists(Context({"children": Child.objects.all()})) == ["children"]
    assert unbounded_lists(Context({"children": Child.objects.all()[:50]})) == []
    assert unbounded_lists(Context({"summary": {"rows": Child.objects.filter(pk__gt=0)}})) == ["summary"]


def _matrix():
    from tests.test_authorization_matrix import MATRIX

    return MATRIX


@pytest.fixture
def ctx(personas):
    school_kid = make_child(involved=[personas.school], lead=personas.school)
    return {"child": school_kid, "personas": personas}


# Django admin's own pages are for administrators and paginate themselves (list_per_page).
@pytest.mark.parametrize(
    "name", sorted(n for n, row in _matrix().items() if row.get is not None and not n.startswith("admin:"))
)
def test_no_page_hands_a_template_an_unlimited_list(name, client, ctx):
    row = _matrix()[name]
    url = reverse(name, kwargs=row.kwargs(ctx) if row.kwargs else None) + row.query
    problems = {}
    for persona in WIDEST:
        if row.get.for_persona(persona) != 200:
            continue
        client.logout()
        login_verified(client, getattr(ctx["personas"], persona))
        response = client.get(url)
        if response.context is not None:
            found = [key for key in unbounded_lists(response.context) if (name, key) not in BOUNDED_BY_ONE_RECORD]
            if found:
                problems[persona] = found
    assert problems == {}, f"{name} renders lists with no limit: {problems}"
