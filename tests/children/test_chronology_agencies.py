"""The chronology page's agency filter: every agency involved or on the chronology, once, from two
semi-joins read once each (issue 15: not a join of agencies to rows with DISTINCT)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguard.access.policy import ChildAccess, Why
from safeguard.audit.models import Verb
from safeguard.children.chronology import record_on_file
from safeguard.children.models import Involvement
from safeguard.children.selectors import chronology_agencies

from .conftest import happened


def test_the_agency_choices_are_every_agency_involved_or_recorded_once(personas, school_child):
    for n, author in enumerate([personas.police_lead] * 3 + [personas.health_practitioner]):
        record_on_file(
            ChildAccess(child=school_child, why=Why.AGENCY_INVOLVED, can_change=True, user=author),
            kind="note", occurred_at=happened(day=n + 1).occurred_at, summary=f"Item {n}",
            verb=Verb.CHRONOLOGY_ENTRY_RECORDED, source=None,
        )
    # An agency on the chronology that is no longer involved still filters its items.
    Involvement.objects.filter(child=school_child, agency=personas.health).delete()
    with CaptureQueriesContext(connection) as queries:
        agencies = list(chronology_agencies(school_child))
    expected = {personas.school, personas.police, personas.health}
    assert set(agencies) == expected and len(agencies) == len(expected)
    assert [a.name for a in agencies] == sorted(a.name for a in agencies)
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert "DISTINCT" not in sql and " JOIN " not in sql
