"""Every named URL, every persona, every method: the expected answer is written down here.

A URL that is not in MATRIX fails `test_every_url_is_in_the_matrix`, so a new page cannot ship
without someone deciding who may use it. Statuses: 200 OK, 302 redirect (to sign-in for the
anonymous), 404 for anything the persona may not see (the same as "does not exist"), 405 for a
method the page does not take.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import access_for, login_verified, make_personas
from tests.factories import child as make_child
from tests.matrix import (
    CHILD_LEVEL,
    PERSONAS,
    POST_ONLY,
    SEES_SCHOOL_CHILD,
    SIGNED_IN_200,
    Expect,
    Row,
    api_expect,
    school_child,
    who,
)
from tests.shared_data import SharedLayer, fresh
from tests.ui.html import without_per_request_tokens


def school_observation(ctx):
    from django.utils import timezone

    from safeguard.children.services import WhatHappened, observation_record

    observation = observation_record(
        access=access_for(ctx["personas"].practitioner, ctx["child"]), indicators=["I5"],
        happened=WhatHappened(occurred_at=timezone.now(), source="seen"), details="New phone",
    )
    return {"child_id": ctx["child"].pk, "observation_id": observation.pk}


def school_entry(ctx):
    from django.utils import timezone

    from safeguard.children.services import WhatHappened, chronology_entry_record

    entry = chronology_entry_record(
        access=access_for(ctx["personas"].practitioner, ctx["child"]),
        happened=WhatHappened(occurred_at=timezone.now(), source="seen"), text="Late to school",
    )
    return {"child_id": ctx["child"].pk, "entry_id": entry.pk}


MATRIX: dict[str, Row] = {
    "home": Row(get=SIGNED_IN_200),
    "accounts:login": Row(get=Expect(200, {p: 302 for p in PERSONAS if p != "anonymous"})),
    "accounts:logout": Row(get=POST_ONLY, post=Expect(302)),
    "accounts:two_factor": Row(get=Expect(302, {})),
    "accounts:password_change": Row(get=SIGNED_IN_200),  # verified personas go straight on; anonymous to sign-in
    "ui:accessibility": Row(get=Expect(200)),
    "ui:privacy": Row(get=Expect(200)),
    "children:search": Row(get=who(200, CHILD_LEVEL, 404)),
    "children:detail": Row(kwargs=school_child, get=who(200, SEES_SCHOOL_CHILD, 404)),
    "children:break_glass": Row(kwargs=school_child, get=who(200, CHILD_LEVEL, 404),
                                post=who(200, CHILD_LEVEL, 404)),  # empty form: shown again with errors
    "children:create": Row(get=who(302, CHILD_LEVEL, 404), post=who(302, CHILD_LEVEL, 404)),  # to search first
    "children:edit": Row(kwargs=school_child, get=who(200, SEES_SCHOOL_CHILD, 404),
                         post=who(200, SEES_SCHOOL_CHILD, 404)),  # empty form: shown again with errors
    "children:alias_add": Row(kwargs=school_child, get=who(200, SEES_SCHOOL_CHILD, 404),
                              post=who(200, SEES_SCHOOL_CHILD, 404)),
    "children:merge": Row(kwargs=school_child, get=who(200, {"named_lead"}, 404), post=who(200, {"named_lead"}, 404)),
    "children:chronology": Row(kwargs=school_child, get=who(200, SEES_SCHOOL_CHILD, 404)),
    "children:observation_add": Row(kwargs=school_child, get=who(200, SEES_SCHOOL_CHILD, 404),
                                    post=who(200, SEES_SCHOOL_CHILD, 404)),
    "children:observation": Row(kwargs=school_observation, get=who(200, SEES_SCHOOL_CHILD, 404)),
    "children:entry_add": Row(kwargs=school_child, get=who(200, SEES_SCHOOL_CHILD, 404),
                              post=who(200, SEES_SCHOOL_CHILD, 404)),
    "children:entry": Row(kwargs=school_entry, get=who(200, SEES_SCHOOL_CHILD, 404)),
    "api:children-list": Row(get=api_expect(200, CHILD_LEVEL, 200), post=api_expect(400, CHILD_LEVEL, 400)),
    "api:children-search": Row(post=api_expect(400, CHILD_LEVEL, 400)),
    "api:children-detail": Row(kwargs=school_child, get=api_expect(200, SEES_SCHOOL_CHILD, 404)),
    "api:children-observations": Row(kwargs=school_child, get=api_expect(200, SEES_SCHOOL_CHILD, 404),
                                     post=api_expect(400, SEES_SCHOOL_CHILD, 404)),  # empty body: 400
    "api:children-chronology": Row(kwargs=school_child, get=api_expect(200, SEES_SCHOOL_CHILD, 404)),
    "api:schema": Row(get=Expect(200, {"anonymous": 403})),
    "api:docs": Row(get=SIGNED_IN_200),
    "access:break_glass_log": Row(get=who(200, {"named_lead"}, 404)),
    "access:record_access": Row(get=who(200, {"named_lead", "admin"}, 404)),
    "admin:index": Row(get=Expect(302, {"admin": 200})),
}



def _rows_from_apps() -> dict[str, Row]:
    """Rows each later app keeps beside its own tests: tests/matrix_rows/<app>.py defines ROWS."""
    import importlib
    import pkgutil

    import tests.matrix_rows as package

    rows: dict[str, Row] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module_rows = importlib.import_module(f"{package.__name__}.{info.name}").ROWS
        duplicated = set(module_rows) & (set(rows) | set(MATRIX))
        assert not duplicated, f"rows defined twice: {sorted(duplicated)}"
        rows.update(module_rows)
    return rows


MATRIX.update(_rows_from_apps())

# URL name prefixes covered elsewhere: Django admin's generated pages are for administrators only
# (tests/test_accounts.py), and the rule for them is `admin.site.has_permission`.
COVERED_ELSEWHERE = ("admin:",)


def _named_urls(resolver=None, namespace="") -> set[str]:
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            names |= _named_urls(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_is_in_the_matrix():
    missing = sorted(n for n in _named_urls() if n not in MATRIX and not n.startswith(COVERED_ELSEWHERE))
    assert missing == [], f"URLs with no row in the authorization matrix: {missing}"


# Each case used to make the thirteen personas, the school's child and its row's records (a referral,
# a meeting…) before one request: most of the module's time. Now the personas and the child are made
# once per module and a row's records once per row, each in a transaction rolled back afterwards
# (tests/shared_data.py); every case still runs in its own savepoint, so it starts from the same rows
# as before and what its request writes is rolled back before the next case.


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The personas and the school's child, shared by the module's tests."""
    layer = SharedLayer(django_db_blocker)

    def build():
        personas = make_personas()
        return {"child": make_child(involved=[personas.school], lead=personas.school), "personas": personas}

    made = layer.enter(build)
    yield made
    layer.leave()


class _RowRecords:
    """The URL of the row under test, its records made once for all the row's personas and methods."""

    def __init__(self, django_db_blocker, world):
        self._layer = SharedLayer(django_db_blocker)
        self._world = world
        self._name: str | None = None
        self._url = ""

    def url(self, name: str) -> str:
        if name != self._name:
            self.leave()
            row = MATRIX[name]

            def build():
                ctx = fresh(self._world)  # a row's own ctx: builders may keep records in it (intelligence's car)
                return reverse(name, kwargs=row.kwargs(ctx) if row.kwargs else None) + row.query

            self._url = self._layer.enter(build)
            self._name = name
        return self._url

    def leave(self) -> None:
        self._layer.leave()
        self._name = None


@pytest.fixture(scope="module")
def row_records(world, django_db_blocker):
    rows = _RowRecords(django_db_blocker, world)
    yield rows
    rows.leave()


@pytest.fixture
def matrix_url(request, row_records):
    """The case's URL; then the case's own savepoint (``db``), opened inside the row's."""
    url = row_records.url(request.node.callspec.params["name"])
    request.getfixturevalue("db")
    return url


@pytest.fixture
def ctx(world, row_records, request):
    """The personas and the school's child alone, no row's records (a test's own copies)."""
    row_records.leave()
    request.getfixturevalue("db")
    return fresh(world)


CASES = [(name, method, persona) for name, row in MATRIX.items() for method in ("get", "post", "put", "patch")
         if getattr(row, method) is not None for persona in PERSONAS]


@pytest.mark.parametrize(("name", "method", "persona"), CASES)
def test_matrix(name, method, persona, client, world, matrix_url):
    if persona != "anonymous":
        login_verified(client, fresh(getattr(world["personas"], persona)))
    response = getattr(client, method)(matrix_url)
    expected = getattr(MATRIX[name], method).for_persona(persona)
    assert response.status_code == expected, f"{method.upper()} {name} as {persona}"


def test_hidden_child_and_missing_child_look_the_same(client, ctx):
    login_verified(client, ctx["personas"].outsider)
    hidden = client.get(reverse("children:detail", kwargs={"child_id": ctx["child"].pk}))
    missing = client.get(reverse("children:detail", kwargs={"child_id": ctx["child"].pk + 999}))
    assert hidden.status_code == missing.status_code == 404
    # The pages differ only in per-request tokens (CSRF, CSP nonce, request id).
    assert without_per_request_tokens(hidden.content) == without_per_request_tokens(missing.content)
