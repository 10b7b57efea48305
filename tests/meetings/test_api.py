"""The meetings API: the same access rules and services as the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguard.meetings.models import Action, AgencyReport
from tests.factories import child as make_child
from tests.meetings.builders import action, strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def kid(personas):
    return make_child(involved=[personas.school], lead=personas.school)


def test_meetings_are_listed_for_invitees_only(client_for, personas, kid):
    meeting = strategy(personas, kid)
    listed = client_for(personas.health_practitioner).get(reverse("api:meetings")).json()
    assert [m["id"] for m in listed["results"]] == [meeting.pk]
    assert listed["results"][0]["children"] == [kid.pk]
    assert client_for(personas.outsider).get(reverse("api:meetings")).json()["results"] == []
    assert client_for(personas.outsider).get(reverse("api:meeting", kwargs={"meeting_id": meeting.pk})).status_code == 404
    detail = client_for(personas.practitioner).get(reverse("api:meeting", kwargs={"meeting_id": meeting.pk})).json()
    assert {r["agency"] for r in detail["reports"]} == {personas.school.name, personas.health.name}


def test_a_report_is_submitted_through_the_api_and_a_stale_version_is_a_conflict(client_for, personas, kid):
    meeting = strategy(personas, kid)
    report = meeting.reports.get(agency=personas.health)
    client = client_for(personas.health_practitioner)
    url = reverse("api:meeting-report", kwargs={"meeting_id": meeting.pk, "report_id": report.pk})
    saved = client.post(url, {"text": "Draft", "version": report.version}, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["status"] == "requested"
    stale = client.post(url, {"text": "Final", "version": report.version, "submit": True}, content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == saved.json()["version"] and stale.json()["your_version"] == report.version
    assert stale.json()["current"]["text"] == "Draft"  # both versions: what is saved and what was sent
    done = client.post(url, {"text": "Final", "version": saved.json()["version"], "submit": True},
                       content_type="application/json")
    assert done.status_code == 200
    assert AgencyReport.objects.get(pk=report.pk).status == AgencyReport.Status.SUBMITTED
    # The school reads it but may not write the health service's report.
    other = client_for(personas.practitioner).post(url, {"text": "x", "version": 9}, content_type="application/json")
    assert other.status_code == 403


def test_the_owner_closes_an_action_through_the_api(client_for, personas, kid):
    meeting = strategy(personas, kid)
    task = action(personas, kid, meeting)
    client = client_for(personas.practitioner)
    mine = client.get(reverse("api:meeting-actions") + "?mine=1").json()["results"]
    assert [a["id"] for a in mine] == [task.pk]
    url = reverse("api:meeting-action-close", kwargs={"action_id": task.pk})
    assert client.post(url, {"status": "done", "outcome": "", "version": 1}, content_type="application/json").status_code == 400
    done = client.post(url, {"status": "done", "outcome": "Spoken to", "version": 1}, content_type="application/json")
    assert done.status_code == 200 and Action.objects.get(pk=task.pk).status == "done"
    again = client.post(url, {"status": "done", "outcome": "Again", "version": 2}, content_type="application/json")
    assert again.status_code == 409
    assert client_for(personas.outsider).post(url, {}, content_type="application/json").status_code == 404
