"""Issue 11 item 2: every read of child-level data is audited, once per request.

The walk: every named URL with a GET row in the authorization matrix, fetched by people who may see
the school's child. A response that carries the child's data (their name, their id as the record's
child, or a photo) must have written a `child_viewed` event naming that child, in the event's
`child_id` or, for a list, in its payload's `children`.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from safeguard.audit.models import AuditEvent, Verb
from tests.factories import child as make_child
from tests.factories import login_verified
from tests.matrix import SEES_SCHOOL_CHILD
from tests.test_authorization_matrix import MATRIX

SURNAME = "Quillfeather"  # a name no other text in the product contains
READERS = ["mash_worker", "practitioner"]
GET_ROWS = sorted(name for name, row in MATRIX.items() if row.get is not None)


@pytest.fixture
def ctx(personas):
    kid = make_child(first_name="Jodie", last_name=SURNAME, involved=[personas.school], lead=personas.school)
    ctx = {"child": kid, "personas": personas}
    # Records of every kind for the child, so that the lists have the child in them.
    for name in ("api:missing-interview", "api:referrals-detail", "api:assessments-detail",
                 "api:decisions-detail", "api:children-screening", "missing:profile_photo"):
        MATRIX[name].kwargs(ctx)
    return ctx


def _mentions_child(response, child_pk: int) -> bool:
    content_type = response.get("Content-Type", "")
    if content_type.startswith("image/"):
        return True
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if SURNAME.encode() in body:
        return True
    if content_type.startswith("application/json"):
        return _json_names_child(json.loads(body or b"null"), child_pk)
    return False


def _json_names_child(data, child_pk: int) -> bool:
    if isinstance(data, dict):
        if data.get("child") == child_pk or data.get("child_id") == child_pk:
            return True
        return any(_json_names_child(v, child_pk) for v in data.values())
    if isinstance(data, list):
        return any(_json_names_child(v, child_pk) for v in data)
    return False


def _names(event, child_pk: int) -> bool:
    return event.child_id == child_pk or child_pk in (event.payload or {}).get("children", [])


@pytest.mark.parametrize("name", GET_ROWS)
@pytest.mark.parametrize("persona", READERS)
def test_every_read_of_child_data_is_audited(name, persona, client, ctx):
    row = MATRIX[name]
    kid = ctx["child"]
    url = reverse(name, kwargs=row.kwargs(ctx) if row.kwargs else None) + row.query
    login_verified(client, getattr(ctx["personas"], persona))
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.get(url)
    if response.status_code != 200 or not _mentions_child(response, kid.pk):
        return
    views = [e for e in AuditEvent.objects.filter(id__gt=before, verb=Verb.CHILD_VIEWED) if _names(e, kid.pk)]
    assert len(views) == 1, f"GET {url} showed the child's data and wrote {len(views)} child_viewed events"


def test_a_list_writes_one_event_naming_every_child_returned(client, personas):
    kids = [make_child(last_name=f"{SURNAME}{i}", involved=[personas.school]) for i in range(3)]
    login_verified(client, personas.practitioner)
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.get(reverse("api:children-list"))
    assert response.status_code == 200
    events = list(AuditEvent.objects.filter(id__gt=before, verb=Verb.CHILD_VIEWED))
    assert len(events) == 1
    assert sorted(events[0].payload["children"]) == sorted(k.pk for k in kids)


def test_the_walk_covers_the_child_pages():
    """The walk is only as good as its list: the pages and API reads the issue names are in it."""
    for name in ("api:children-list", "api:children-detail", "children:edit", "children:detail"):
        assert name in GET_ROWS
    assert SEES_SCHOOL_CHILD >= set(READERS)
