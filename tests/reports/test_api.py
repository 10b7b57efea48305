"""The reports API: the board report's protected figures for the analyst, the dashboard figures
for a named lead; nobody else; audited."""

from __future__ import annotations

from django.urls import reverse

from safeguard.audit.models import AuditEvent, Verb
from tests.reports.fixture import build


def test_the_board_report_api_gives_the_same_protected_figures(client_for, personas):
    build(personas)
    client = client_for(personas.analyst)
    response = client.get(reverse("api:reports-board"), {"first": "2025-01-01", "last": "2025-12-31"})
    assert response.status_code == 200
    body = response.json()
    assert body["threshold"] == 5
    bands = next(t for t in body["tables"] if t["key"] == "screenings_band")
    assert bands["all_agencies"] == ["*", "<5", "*", "0", "16"]
    assert {"agency": "Northgate Academy", "figures": ["*", "<5", "0", "0", "10"]} in bands["rows"]
    assert AuditEvent.objects.filter(verb=Verb.REPORT_RUN, payload__format="api").count() == 1


def test_a_bad_period_is_a_400_with_the_reason(client_for, personas):
    client = client_for(personas.analyst)
    response = client.get(reverse("api:reports-board"), {"first": "2025-12-01", "last": "2025-01-01"})
    assert response.status_code == 400
    assert "on or after" in response.content.decode()


def test_the_dashboard_api_is_for_named_leads(client_for, personas):
    assert client_for(personas.analyst).get(reverse("api:reports-dashboard")).status_code == 403
    response = client_for(personas.named_lead).get(reverse("api:reports-dashboard"))
    assert response.status_code == 200
    body = response.json()
    assert body["agency"] == "Northgate Academy"
    assert set(body["counts"]) == {"children", "reviews_due", "referrals_awaiting_outcome", "overdue_interviews",
                                   "overdue_actions", "overdue_meeting_actions"}
    assert len(body["trends"]["months"]) == 12
    assert AuditEvent.objects.filter(verb=Verb.DASHBOARD_VIEWED, payload__via="api").count() == 1
