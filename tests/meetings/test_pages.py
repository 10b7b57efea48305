"""The meeting pages through HTTP: convening from a referral, invitations, reports, minutes,
decisions, actions, the overview and the printable papers, as the people who use them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AuditEvent, Verb
from safeguard.meetings.models import Action, AgencyReport, Decision, Meeting
from tests.factories import child as make_child
from tests.meetings.builders import action, referred, strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def kid(personas):
    return make_child(involved=[personas.school], lead=personas.school)


def _day(moment):
    local = timezone.localtime(moment)
    return {"day_day": local.day, "day_month": local.month, "day_year": local.year}


def test_a_mash_worker_arranges_a_strategy_discussion_from_the_referral(client_for, personas, kid):
    referral = referred(personas, kid, priority="red")
    client = client_for(personas.mash_worker)
    index = client.get(reverse("meetings:index"))
    assert f"?referral={referral.pk}" in index.content.decode()
    start = timezone.now() + timedelta(days=1)
    url = reverse("meetings:convene", kwargs={"child_id": kid.pk}) + f"?referral={referral.pk}"
    bad = client.post(url, {"kind": "strategy", **_day(start), "start_time": "10:00", "end_time": "09:00"})
    assert bad.status_code == 200
    page = bad.content.decode()
    assert "The meeting must end after it starts" in page or "Enter where the meeting is held" in page
    response = client.post(url, {"kind": "strategy", **_day(start), "start_time": "10:00", "end_time": "11:00",
                                 "place": "MASH office", "referral": referral.pk})
    meeting = Meeting.objects.get(referral=referral)
    assert response.status_code == 302 and response.url == reverse("meetings:detail", kwargs={"meeting_id": meeting.pk})
    assert f"?referral={referral.pk}" not in client.get(reverse("meetings:index")).content.decode()
    response = client.post(reverse("meetings:invite", kwargs={"meeting_id": meeting.pk}),
                           {"person": personas.health_practitioner.username})
    assert response.status_code == 302
    assert meeting.reports.filter(agency=personas.health).exists()
    unknown = client.post(reverse("meetings:invite", kwargs={"meeting_id": meeting.pk}), {"person": "nobody"})
    assert "No one who works with children has that username" in unknown.content.decode()


def test_the_convener_finds_who_to_invite_by_name_or_agency(client_for, personas, kid):
    """Issue 13: the convener need not know a username: a search by name or agency lists people who work
    with children (at most ten), each with its own Invite button; those invited say so."""
    meeting = strategy(personas, kid, invite=False)
    url = reverse("meetings:invite", kwargs={"meeting_id": meeting.pk})
    client = client_for(personas.mash_worker)
    health = personas.health_practitioner
    page = client.get(url, {"find": f"{health.last_name[:4]} {health.agency.name.split()[0]}"})
    found = page.context["found"]
    assert health in found and all(p.is_active for p in found)
    assert personas.analyst not in client.get(url, {"find": personas.analyst.last_name}).context["found"]
    assert client.get(url, {"find": "x"}).context["found"] == []  # one letter finds no one
    assert client.get(url, {"find": "zzzz-nobody"}).context["found"] == []
    assert "No one who works with children matches" in client.get(url, {"find": "zzzz-nobody"}).content.decode()
    invited = client.post(url, {"person": health.username})
    assert invited.status_code == 302 and meeting.invitations.filter(user=health).exists()
    again = client.get(url, {"find": health.last_name})
    assert health.pk in again.context["invited"] and "Invited" in again.content.decode()
    assert client_for(personas.practitioner).get(url, {"find": health.last_name}).status_code == 404


def test_an_invitee_reads_the_overview_and_submits_the_report(client_for, personas, kid):
    meeting = strategy(personas, kid)
    client = client_for(personas.health_practitioner)
    detail = client.get(reverse("meetings:detail", kwargs={"meeting_id": meeting.pk}))
    assert detail.status_code == 200
    overview = client.get(reverse("meetings:overview", kwargs={"meeting_id": meeting.pk, "child_id": kid.pk}))
    assert overview.status_code == 200 and "Chronology across every agency" in overview.content.decode()
    assert AuditEvent.objects.filter(actor=personas.health_practitioner, verb=Verb.CHILD_VIEWED, child_id=kid.pk).exists()
    assert AuditEvent.objects.filter(actor=personas.health_practitioner, verb=Verb.MEETING_VIEWED, child_id=kid.pk).exists()
    report = meeting.reports.get(agency=personas.health)
    url = reverse("meetings:report", kwargs={"meeting_id": meeting.pk, "report_id": report.pk})
    empty = client.post(url, {"text": "", "version": report.version, "submit": "1"})
    assert "Write the report before submitting it" in empty.content.decode()
    done = client.post(url, {"text": "Seen twice at the clinic with an older man", "version": report.version, "submit": "1"})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.status == AgencyReport.Status.SUBMITTED
    # The school may read it, not write it; someone not invited does not see the meeting at all.
    assert client_for(personas.practitioner).get(url).status_code == 200
    assert client_for(personas.outsider).get(url).status_code == 404
    assert client_for(personas.outsider).get(reverse("meetings:detail", kwargs={"meeting_id": meeting.pk})).status_code == 404


def test_minutes_decisions_and_actions_then_the_owner_completes_the_action(client_for, personas, kid):
    meeting = strategy(personas, kid, hours_from_now=-1)
    client = client_for(personas.mash_worker)
    response = client.post(reverse("meetings:minutes", kwargs={"meeting_id": meeting.pk}),
                           {"minutes": "Agreed section 47 enquiries", "version": meeting.version})
    assert response.status_code == 302
    stale = client.post(reverse("meetings:minutes", kwargs={"meeting_id": meeting.pk}),
                        {"minutes": "Overwrite", "version": meeting.version})
    text = stale.content.decode()
    assert "This meeting changed since you opened it (saved by" in text and "reload the page" in text
    assert personas.mash_worker.get_full_name() in text and "Overwrite" in text  # who saved; what was typed is kept
    meeting.refresh_from_db()
    assert meeting.minutes == "Agreed section 47 enquiries"
    response = client.post(reverse("meetings:decision_add", kwargs={"meeting_id": meeting.pk}),
                           {"child": kid.pk, "decision": "Section 47 enquiries", "reasons": "Likely significant harm"})
    assert response.status_code == 302 and Decision.objects.get(meeting=meeting).is_signed
    due = (timezone.localdate() + timedelta(days=5))
    response = client.post(reverse("meetings:action_add", kwargs={"meeting_id": meeting.pk}), {
        "child": kid.pk, "description": "Speak to the child's form tutor", "owner": personas.practitioner.email,
        "due_on_day": due.day, "due_on_month": due.month, "due_on_year": due.year,
    })
    assert response.status_code == 302
    task = Action.objects.get(meeting=meeting)
    owner = client_for(personas.practitioner)
    home = owner.get(reverse("home")).content.decode()
    assert "Speak to the child" in home and 'id="my-actions"' in home
    url = reverse("meetings:action", kwargs={"action_id": task.pk})
    assert owner.post(url, {"status": "done", "outcome": "Spoken to", "version": task.version}).status_code == 302
    again = owner.post(url, {"status": "done", "outcome": "Again", "version": task.version})
    assert again.status_code == 200
    assert "already" in again.content.decode() or "Close the action" not in again.content.decode()
    task.refresh_from_db()
    assert task.status == Action.Status.DONE and task.outcome == "Spoken to"


def test_printable_minutes_are_for_attendees_only_and_each_download_is_recorded(client_for, personas, kid):
    meeting = strategy(personas, kid)
    action(personas, kid, meeting)
    url = reverse("meetings:minutes_pdf", kwargs={"meeting_id": meeting.pk})
    response = client_for(personas.health_practitioner).get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(verb=Verb.EXPORTED, actor=personas.health_practitioner, payload__what="minutes").exists()
    # The school's named lead sees the child but was not invited: no papers.
    assert client_for(personas.named_lead).get(url).status_code == 404
    agenda = client_for(personas.mash_worker).get(reverse("meetings:agenda_pdf", kwargs={"meeting_id": meeting.pk}))
    assert agenda.status_code == 200 and agenda.content.startswith(b"%PDF")


def test_the_meeting_page_does_a_bounded_number_of_queries(client_for, personas, kid, django_assert_max_num_queries):
    meeting = strategy(personas, kid)
    for _ in range(3):
        action(personas, kid, meeting)
    client = client_for(personas.mash_worker)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("meetings:detail", kwargs={"meeting_id": meeting.pk})).status_code == 200
