"""Issue 6, done when: a residential worker reports a child missing, records the return after 30
hours, sees the interview required with priority reason "over 24 hours" and its due time; an
independent interviewer completes it; it reaches the police inbox."""

from __future__ import annotations

from django.urls import reverse

from safeguard.audit.models import AuditEvent, Verb
from safeguard.children.models import ChronologyItem, Involvement
from safeguard.missing.models import Episode, PoliceSubmission, ReturnInterview
from safeguard.notifications.models import Task

from .conftest import at

REPORT = {
    "missing_from": "care",
    "placement": "Care View Children's Home",
    "classification": "missing",
    "last_seen_on_day": "3", "last_seen_on_month": "3", "last_seen_on_year": "2025",
    "last_seen_time": "17:00",
    "last_seen_where": "Getting into a silver car outside the home",
    "circumstances": "Left after a phone call; wearing a black puffer jacket.",
    "reported_to_police": "yes",
    "police_on_day": "3", "police_on_month": "3", "police_on_year": "2025",
    "police_time": "17:45",
    "police_reference": "MP/2025/0311",
}

RETURN = {
    "returned_on_day": "4", "returned_on_month": "3", "returned_on_year": "2025",
    "returned_time": "23:00",
    "found_where": "Flat above the takeaway, 14 Mill Street",
    "who_with": "Man called 'Taz'",
    "vehicles": "Silver Vauxhall Astra KX12 ABC",
    "addresses": "14 Mill Street",
    "phones": "07700 900123",
    "names_mentioned": "Taz\nBig J",
    "harmed": "no", "criminal_activity": "no", "risky_contact": "yes", "mental_health_or_ld": "no",
    "other_risk": "",
    "appearance": "Tired, new phone, smelt of cannabis",
    "items_retained": "Leggings and top, bagged for the police",
}


def test_report_return_interview_and_police_inbox(sign_in, personas, cared_for, home_manager, clock):
    worker = personas.residential_worker
    clock(at(3, 18))
    client = sign_in(worker)
    response = client.post(reverse("missing:report", args=[cared_for.pk]), REPORT)
    assert response.status_code == 302, response.content.decode()
    episode = Episode.objects.get()
    assert episode.agency == personas.residential and episode.classification == "missing"
    assert episode.police_reference == "MP/2025/0311"
    assert episode.classification_changes.get().reason == "Reported"
    assert ChronologyItem.objects.filter(child=cared_for, kind="missing_episode").count() == 1

    # The child comes back 30 hours after she was last seen.
    clock(at(4, 23, 30))
    client = sign_in(worker)
    response = client.post(reverse("missing:return", args=[cared_for.pk, episode.pk]), RETURN)
    assert response.status_code == 302, response.content.decode()
    interview = ReturnInterview.objects.get()
    assert interview.requirement == "required" and interview.priority
    assert interview.priority_reasons == ["over_24_hours", "risky_contact"]
    assert interview.due_at == at(7, 23)
    page = client.get(response.url).content.decode()
    assert "Return interview required" in page
    assert "Missing for over 24 hours (handbook §14.1)" in page
    assert "Missing from care: a return interview must always take place" in page
    assert "7 March 2025, 23:00" in page

    # The people responsible have tasks: the home's team and the child's social worker.
    tasks = Task.objects.filter(kind="return_interview")
    assert {(t.agency_id, t.assignee_id) for t in tasks} == {
        (personas.residential.pk, None), (None, personas.mash_worker.pk)
    }
    assert all(t.due_at == interview.due_at for t in tasks)

    # The home cannot record a completed interview itself: it is not independent of the placement.
    clock(at(5, 9))
    client = sign_in(worker)
    outcome_url = reverse("missing:interview_outcome", args=[cared_for.pk, episode.pk])
    completed = {
        "outcome": "completed",
        "conducted_on_day": "5", "conducted_on_month": "3", "conducted_on_year": "2025",
        "conducted_time": "08:30",
        "child_account": 'She said "Taz gave me a phone and a lift".',
        "risks_identified": "Adult male giving gifts and lifts",
        "actions_agreed": "Strategy discussion to be convened",
    }
    response = client.post(outcome_url, completed)
    page = response.content.decode()
    assert "independent of the child&#x27;s placement" in page
    assert "Taz gave me a phone and a lift" in page  # what was typed is kept
    interview.refresh_from_db()
    assert interview.status == "pending"

    # So the home arranges an independent interviewer from the health service.
    response = client.post(
        reverse("missing:interview_arrange", args=[cared_for.pk, episode.pk]),
        {"interviewer": personas.health_practitioner.pk},
    )
    assert response.status_code == 302
    assert Involvement.objects.filter(child=cared_for, agency=personas.health).exists()
    assert Task.objects.filter(kind="return_interview_conduct", assignee=personas.health_practitioner).exists()

    client = sign_in(personas.health_practitioner)
    response = client.post(outcome_url, completed)
    assert response.status_code == 302, response.content.decode()
    interview.refresh_from_db()
    assert interview.status == "completed" and interview.interviewer == personas.health_practitioner
    assert not Task.objects.filter(source_id=str(interview.pk), done_at__isnull=True).exists()
    assert AuditEvent.objects.filter(verb=Verb.INTERVIEW_COMPLETED, child_id=cared_for.pk).exists()

    response = client.post(reverse("missing:interview_send", args=[cared_for.pk, episode.pk]))
    assert response.status_code == 302
    submission = PoliceSubmission.objects.get()
    assert submission.kind == "interview_form" and submission.recipient_agency == personas.police
    assert submission.sent_at == at(5, 9) and submission.sent_by == personas.health_practitioner
    assert submission.recipient == "Missing-person coordinators, County Police"
    assert AuditEvent.objects.filter(verb=Verb.SENT_TO_POLICE, child_id=cared_for.pk).exists()
    page = client.get(reverse("missing:interview", args=[cared_for.pk, episode.pk])).content.decode()
    assert "Sent 5 March 2025, 09:00 to Missing-person coordinators, County Police" in page

    # It reaches the police inbox.
    police = sign_in(personas.police_lead)
    inbox = police.get(reverse("missing:police_inbox")).content.decode()
    assert "Return interview form" in inbox and "Kayleigh Brown" in inbox
    item = police.get(reverse("missing:police_submission", args=[submission.pk])).content.decode()
    assert "Taz gave me a phone and a lift" in item and "MP/2025/0311" in item
    pdf = police.get(reverse("missing:police_submission_pdf", args=[submission.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert police.post(reverse("missing:police_submission_receive", args=[submission.pk])).status_code == 302
    submission.refresh_from_db()
    assert submission.received_by == personas.police_lead
    # Other police leads or other roles do not see the inbox.
    assert sign_in(personas.residential_worker).get(reverse("missing:police_inbox")).status_code == 404


def test_no_interview_tells_the_coordinators_why(personas, cared_for, sign_in, clock):
    from tests.missing.builders import report, returned

    clock(at(10, 12))
    episode = report(personas.residential_worker, cared_for, hours_ago=10)
    interview = returned(personas.residential_worker, episode, after_hours=5)
    client = sign_in(personas.residential_worker)
    url = reverse("missing:interview_outcome", args=[cared_for.pk, episode.pk])
    page = client.post(url, {"outcome": "not_conducted"}).content.decode()
    assert "Say why the interview was not conducted" in page
    response = client.post(url, {"outcome": "not_conducted", "reason": "Moved to a secure placement out of area"})
    assert response.status_code == 302
    client.post(reverse("missing:interview_send", args=[cared_for.pk, episode.pk]))
    submission = PoliceSubmission.objects.get(interview=interview)
    assert submission.kind == "no_interview"
    assert ["Reason no interview took place", "Moved to a secure placement out of area"] in (
        submission.snapshot["sections"][2]["rows"]
    )
    assert AuditEvent.objects.filter(verb=Verb.INTERVIEW_NOT_CONDUCTED, child_id=cared_for.pk).exists()
