"""Issue 11 item 14: bad input answers 400 or 404, never 500, on SQLite and on PostgreSQL.

One table of cases; each is the probe's request. The general fixes: one id parser
(`safeguard.platform.ids`), one JSON parser that takes one object of bounded depth
(`safeguard.api.parsers`), and validators on every field (item 15)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from tests.factories import child as make_child
from tests.matrix_rows.referrals import _decision
from tests.matrix_rows.screening import school_form_b

TWENTY_DIGITS = "9" * 20
DEEP = "[" * 100_000 + "]" * 100_000


@dataclass
class Case:
    name: str
    method: str
    url: Any  # ctx -> url
    body: Any = None  # ctx -> body (JSON unless form=True), or raw text
    form: bool = False
    expect: tuple[int, ...] = (400,)


def _decision_body(**extra):
    return {"kind": "not_refer", "destination": "csc", "decision": "Not referring", "reasons": "No concern", **extra}


CASES = [
    Case("child filter is a superscript two", "get", lambda c: reverse("api:missing-episodes") + "?child=²"),
    Case("child filter of twenty digits", "get", lambda c: reverse("api:missing-episodes") + f"?child={TWENTY_DIGITS}"),
    Case("relied_on 1e30", "post", lambda c: reverse("api:decisions-list", args=[c["child"].pk]),
         lambda c: _decision_body(relied_on=[1e30])),
    Case("decision_makers 1e30", "post", lambda c: reverse("api:decisions-list", args=[c["child"].pk]),
         lambda c: _decision_body(decision_makers=[1e30])),
    Case("decision_makers a huge whole number", "post", lambda c: reverse("api:decisions-list", args=[c["child"].pk]),
         lambda c: _decision_body(decision_makers=[10**30])),
    Case("safety_action_id abc on a Form B", "post",
         lambda c: reverse("screening:form_b", args=[c["child"].pk, c["form_b"].pk]),
         lambda c: {"action": "action_outcome", "safety_action_id": "abc", "outcome": "Done"}, form=True,
         expect=(404,)),
    Case("safety action number ² on a Form B", "post",
         lambda c: reverse("screening:form_b", args=[c["child"].pk, c["form_b"].pk]),
         lambda c: {"action": "outcome:²", "outcome": "Done"}, form=True, expect=(404,)),
    Case("PATCH with body null", "patch", lambda c: reverse("api:decisions-detail", args=[c["decision"].pk]),
         lambda c: "null"),
    Case("PATCH with body []", "patch", lambda c: reverse("api:decisions-detail", args=[c["decision"].pk]),
         lambda c: "[]"),
    Case("JSON nested 100,000 deep", "post", lambda c: reverse("api:children-list"), lambda c: DEEP),
    Case("alias over 100 characters (API)", "post", lambda c: reverse("api:children-list"),
         lambda c: {"first_name": "Amy", "last_name": "Zed", "aliases": [{"first_name": "A" * 150, "last_name": "B"}]}),
    Case("alias over 100 characters (page)", "post", lambda c: reverse("children:edit", args=[c["child"].pk]),
         lambda c: {"first_name": "Jodie", "last_name": "Smyth", "gender": "female", "looked_after": "no",
                    "aliases": "A" * 150 + " B", "version": "1"}, form=True, expect=(200,)),
    Case("NUL in a criteria_notes key", "post", lambda c: reverse("api:assessments-list", args=[c["child"].pk]),
         lambda c: {"child_age": 14, "partner_ages": [19], "criteria_notes": {"C1\u0000": "note"}}),
    Case("a record number of twenty digits in the path", "get",
         lambda c: reverse("api:missing-episode", args=[int(TWENTY_DIGITS)]), expect=(404,)),
    Case("a child number of twenty digits in the path", "get",
         lambda c: reverse("children:detail", args=[int(TWENTY_DIGITS)]), expect=(404,)),
    Case("a referral number of twenty digits", "get",
         lambda c: reverse("api:referrals-detail", args=[int(TWENTY_DIGITS)]), expect=(404,)),
]


@pytest.fixture
def ctx(personas):
    from safeguard.screening.models import FormB

    kid = make_child(first_name="Jodie", last_name="Smyth", involved=[personas.school, personas.csc],
                     lead=personas.school)
    ctx = {"child": kid, "personas": personas}
    ctx["decision"] = _decision(ctx)

    ids = school_form_b(ctx)
    ctx["form_b"] = FormB.objects.get(pk=ids["form_b_id"])
    return ctx


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_answers_400_or_404_never_500(case, ctx, client_for):
    user = ctx["personas"].mash_worker if case.form and "form_b" in case.url(ctx) else ctx["personas"].practitioner
    client = client_for(user)
    url = case.url(ctx)
    body = case.body(ctx) if case.body else None
    kwargs = {}
    if body is not None and not case.form:
        kwargs = {"data": body if isinstance(body, str) else json.dumps(body), "content_type": "application/json"}
    elif body is not None:
        kwargs = {"data": body}
    answer = getattr(client, case.method)(url, **kwargs)
    assert answer.status_code in case.expect, (case.name, answer.status_code, answer.content[:300])
