"""Episodes: classification history, the rules' decision with cse_risk from the record, visitors,
bad input, and access."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from safeguard.audit.models import AuditEvent, Verb
from safeguard.children.models import ChronologyItem
from safeguard.missing import selectors, services
from safeguard.missing.models import ClassificationChange, Episode, ReturnInterview, Visitor
from safeguard.referrals.services import referral_open
from tests.factories import child as make_child

from .builders import access_for, report, returned
from .conftest import at


def test_every_classification_change_is_kept_with_who_when_and_why(personas, cared_for, client_for, clock):
    clock(at(3, 18))
    episode = report(personas.residential_worker, cared_for, hours_ago=2, classification="absent")
    clock(at(3, 20))
    client = client_for(personas.residential_worker)
    url = reverse("missing:classify", args=[cared_for.pk, episode.pk])
    page = client.post(url, {"classification": "missing"}).content.decode()
    assert "Say why the classification is changing" in page
    response = client.post(url, {"classification": "missing", "reason": "Seen getting into a car with an adult"})
    assert response.status_code == 302
    changes = list(ClassificationChange.objects.filter(episode=episode))
    assert [(c.from_value, c.to_value) for c in changes] == [("", "absent"), ("absent", "missing")]
    assert changes[1].changed_by == personas.residential_worker and changes[1].changed_at == at(3, 20)
    assert AuditEvent.objects.filter(verb=Verb.EPISODE_CLASSIFIED, payload__to="missing").exists()
    page = client.get(reverse("missing:episode", args=[cared_for.pk, episode.pk])).content.decode()
    assert "Absent to missing" in page and "Seen getting into a car with an adult" in page
    with pytest.raises(ValidationError):
        services.episode_classify(access=access_for(personas.residential_worker, episode.child), episode=episode,
                                  classification="missing",
                                  reason="again")


def test_missing_from_home_is_offered_and_short_episodes_have_no_priority(personas, clock):
    clock(at(3, 18))
    kid = make_child(involved=[personas.school], lead=personas.school)
    interview = returned(personas.practitioner, report(personas.practitioner, kid, hours_ago=6, missing_from="home"),
                         after_hours=5)
    assert (interview.requirement, interview.priority, interview.priority_reasons) == ("offer", False, [])
    assert interview.cse_risk_derived is False
    assert "every child who returns from missing is offered a return interview" in interview.reasons[0]["text"]


def test_cse_risk_comes_from_the_record_without_anyone_ticking_it(personas, clock):
    clock(at(3, 18))
    kid = make_child(involved=[personas.school], lead=personas.school)
    assert selectors.cse_risk_known(kid) is False
    referral_open(access=access_for(personas.practitioner, kid), destination="marp", reason="Panel case")
    assert selectors.cse_risk_known(kid) is True
    interview = returned(personas.practitioner, report(personas.practitioner, kid, hours_ago=6, missing_from="home"),
                         after_hours=5)
    assert interview.requirement == "required" and interview.priority_reasons == ["cse_risk"]
    assert interview.cse_risk_derived is True
    assert AuditEvent.objects.get(verb=Verb.INTERVIEW_REQUIRED).payload["cse_risk_derived"] is True


def test_cse_risk_known_reads_the_latest_screening_band(personas, clock):
    from safeguard.screening.models import Screening

    clock(at(3, 18))
    kid = make_child(involved=[personas.school])

    def screening(band):
        return Screening.objects.create(
            child=kid, agency=personas.school, submitted_by=personas.practitioner, submitted_at=at(3, 12),
            referrer_name="Tara", organisation="Northgate Academy", contact_details="01234", child_name="Jodie",
            previous_cp_referral="no", band=band, form_b_required=False, rules_version="test",
        )

    emerging = screening("emerging")
    assert selectors.cse_risk_known(kid) is False
    # One current screening per child: the old one is superseded before the new one is current.
    Screening.objects.filter(pk=emerging.pk).update(superseded_by=emerging)
    concern = screening("concern")
    Screening.objects.filter(pk=emerging.pk).update(superseded_by=concern)
    assert selectors.cse_risk_known(kid) is True
    # A screening that was superseded no longer counts.
    Screening.objects.filter(pk=concern.pk).update(superseded_by=concern)
    assert selectors.cse_risk_known(kid) is False


def test_return_is_on_the_chronology_and_cannot_be_recorded_twice(personas, cared_for, clock):
    clock(at(3, 18))
    episode = report(personas.residential_worker, cared_for, hours_ago=3)
    returned(personas.residential_worker, episode, after_hours=2, appearance="Cold and tired")
    summaries = list(ChronologyItem.objects.filter(child=cared_for, kind="missing_episode").values_list("summary", flat=True))
    assert any(s.startswith("Returned after 2 hours") for s in summaries)
    with pytest.raises(ValidationError):
        returned(personas.residential_worker, episode, after_hours=2)
    assert ReturnInterview.objects.count() == 1


def test_the_return_reads_as_a_sentence(personas, cared_for, clock):
    """Where they were found follows the return as a clause, not "found at Came back…" (issue 10 item 7)."""
    clock(at(3, 18))
    episode = report(personas.residential_worker, cared_for, hours_ago=3)
    returned(personas.residential_worker, episode, after_hours=2, found_where="Came back to Hillside on her own.")
    item = ChronologyItem.objects.filter(child=cared_for, kind="missing_episode").order_by("-id").first()
    assert item.summary.startswith("Returned after 2 hours: came back to Hillside on her own. Return interview")
    assert "found at" not in item.summary


@pytest.mark.parametrize(
    ("written", "reads"),
    [
        ("Came back to Hillside on her own", "came back to Hillside on her own"),
        ("Found by police at 14 Station Road.", "found by police at 14 Station Road"),
        ("Hillside Children's Home", "Hillside Children's Home"),
        ("KFC on Hill Road", "KFC on Hill Road"),
        ("  dropped   at the gate ", "dropped at the gate"),
    ],
)
def test_a_free_text_answer_follows_a_colon_as_a_clause(written, reads):
    from safeguard.children.summaries import clause

    assert clause(written) == reads


def test_bad_report_keeps_what_was_typed_and_writes_nothing(personas, cared_for, client_for, clock):
    clock(at(3, 18))
    client = client_for(personas.residential_worker)
    before = AuditEvent.objects.count()
    page = client.post(
        reverse("missing:report", args=[cared_for.pk]),
        {
            "missing_from": "care", "classification": "missing",
            "last_seen_on_day": "3", "last_seen_on_month": "3", "last_seen_on_year": "2025",
            "last_seen_time": "half five",
            "last_seen_where": "Outside the chip shop on Fore Street",
            "reported_to_police": "yes", "police_reference": "MP/77",
        },
    ).content.decode()
    assert "Enter the time like 14:30 or 2:30pm" in page
    assert "Enter the date it was reported to the police" in page
    assert "Outside the chip shop on Fore Street" in page and "MP/77" in page and "half five" in page
    assert not Episode.objects.exists() and AuditEvent.objects.count() == before


def test_a_time_in_the_future_is_refused_by_the_service_and_shown_on_the_form(personas, cared_for, client_for, clock):
    clock(at(3, 18))
    client = client_for(personas.residential_worker)
    page = client.post(
        reverse("missing:report", args=[cared_for.pk]),
        {"missing_from": "care", "classification": "missing", "last_seen_on_day": "3", "last_seen_on_month": "3",
         "last_seen_on_year": "2025", "last_seen_time": "19:00", "reported_to_police": "no"},
    ).content.decode()
    assert "The time the child was last seen must be in the past" in page
    assert not Episode.objects.exists()


def test_return_before_last_seen_is_refused(personas, cared_for, client_for, clock):
    clock(at(3, 18))
    episode = report(personas.residential_worker, cared_for, hours_ago=3)
    client = client_for(personas.residential_worker)
    page = client.post(
        reverse("missing:return", args=[cared_for.pk, episode.pk]),
        {"returned_on_day": "3", "returned_on_month": "3", "returned_on_year": "2025", "returned_time": "10:00",
         "harmed": "no", "criminal_activity": "no", "risky_contact": "no", "mental_health_or_ld": "no",
         "found_where": "Park"},
    ).content.decode()
    assert "must be after they were last seen" in page and "Park" in page
    assert not ReturnInterview.objects.exists()
    episode.refresh_from_db()
    assert episode.returned_at is None


def test_residential_carers_record_callers_and_visitors(personas, cared_for, client_for, clock):
    clock(at(3, 18))
    client = client_for(personas.residential_worker)
    url = reverse("missing:visitor_add", args=[cared_for.pk])
    page = client.post(url, {"how": "in_person", "vehicle": "Black BMW"}).content.decode()
    assert "Describe the person" in page and "Black BMW" in page
    response = client.post(url, {
        "how": "in_person", "occurred_on_day": "3", "occurred_on_month": "3", "occurred_on_year": "2025",
        "occurred_time": "16:10", "name_given": "Jay", "description": "Man, about 25, grey tracksuit",
        "vehicle": "Black BMW 3 series, WX19 KLM", "turned_away": "on", "told_childs_age": "on",
    })
    assert response.status_code == 302
    visitor = Visitor.objects.get()
    assert visitor.turned_away and visitor.told_childs_age and not visitor.passed_to_police
    item = ChronologyItem.objects.get(child=cared_for, kind="visitor")
    assert "WX19 KLM" in item.summary and item.url.endswith(f"/visitors/{visitor.pk}/")
    assert "grey tracksuit" in client.get(item.url).content.decode()
    assert AuditEvent.objects.filter(verb=Verb.VISITOR_RECORDED, child_id=cared_for.pk).exists()


def test_an_outsider_sees_nothing_and_cannot_write(personas, cared_for, client_for, clock):
    clock(at(3, 18))
    episode = report(personas.residential_worker, cared_for, hours_ago=3)
    interview = returned(personas.residential_worker, episode, after_hours=2)
    client = client_for(personas.outsider)
    for name, args in [
        ("missing:child", [cared_for.pk]), ("missing:episode", [cared_for.pk, episode.pk]),
        ("missing:interview", [cared_for.pk, episode.pk]), ("missing:profile", [cared_for.pk]),
    ]:
        hidden = client.get(reverse(name, args=args))
        absent = client.get(reverse(name, args=[a + 999 for a in args]))
        assert hidden.status_code == absent.status_code == 404, name
    assert client.get(reverse("api:missing-episode", args=[episode.pk])).status_code == 404
    assert client.get(reverse("api:missing-episodes")).json()["results"] == []
    # The policy gives an outsider no access to change the child (404 like a missing record), and a
    # service refuses an access that may not change the file.
    with pytest.raises(Http404):
        access_for(personas.outsider, interview.child)
    with pytest.raises(PermissionDenied):
        services.interview_outcome_record(
            access=replace(access_for(personas.residential_worker, interview.child), can_change=False),
            interview=interview, result=services.InterviewOutcome(outcome="declined", reason="x"),
        )
    assert ReturnInterview.objects.get(pk=interview.pk).status == ReturnInterview.Status.PENDING
    # An episode of one child is not reachable under another child's address.
    other = make_child(involved=[personas.residential])
    assert client_for(personas.residential_worker).get(
        reverse("missing:episode", args=[other.pk, episode.pk])).status_code == 404


def test_the_interviewer_must_be_independent_of_the_placement(personas, cared_for, home_manager, clock):
    clock(at(3, 18))
    interview = returned(personas.residential_worker, report(personas.residential_worker, cared_for, hours_ago=3),
                         after_hours=2)
    with pytest.raises(ValidationError, match="independent"):
        services.interview_arrange(
            access=access_for(personas.residential_worker, interview.child), interview=interview,
            interviewer=home_manager,
        )
    with pytest.raises(ValidationError, match="independent"):
        services.interview_outcome_record(
            access=access_for(home_manager, interview.child), interview=interview,
            result=services.InterviewOutcome(outcome="completed", conducted_at=at(3, 17, 30), child_account="x"),
        )
    # Children's social care is independent of the home, and sees every child.
    services.interview_outcome_record(
        access=access_for(personas.mash_worker, interview.child), interview=interview,
        result=services.InterviewOutcome(outcome="completed", conducted_at=at(3, 17, 30), child_account="Talked"),
    )
    interview.refresh_from_db()
    assert interview.status == "completed" and interview.interviewer_agency == personas.csc


# -- correcting a recorded return (issue 10) ----------------------------------------------------

def _correction_post(episode, **changes):
    local = episode.returned_at.astimezone(at(1, 0).tzinfo)
    data = {
        "returned_on_day": str(local.day), "returned_on_month": str(local.month), "returned_on_year": str(local.year),
        "returned_time": local.strftime("%H:%M"), "found_where": episode.found_where, "harmed": "no",
        "criminal_activity": "no", "risky_contact": "no", "mental_health_or_ld": "no",
        "reason": "The home entered the wrong time", "seen_corrections": "0",
    }
    data.update(changes)
    return data


def test_a_recorded_return_is_corrected_with_who_when_and_why(personas, cared_for, client_for, clock):
    clock(at(3, 18))
    episode = report(personas.residential_worker, cared_for, hours_ago=4)
    interview = returned(personas.residential_worker, episode, after_hours=1, found_where="Bus station")
    episode.refresh_from_db()
    first_due = interview.due_at
    clock(at(3, 20))
    client = client_for(personas.residential_worker)
    url = reverse("missing:return_correct", args=[cared_for.pk, episode.pk])
    form = client.get(url).content.decode()
    assert "Bus station" in form and 'name="seen_corrections"' in form
    refused = client.post(url, _correction_post(episode, reason=""))
    assert "Say why the return is being corrected" in refused.content.decode()
    response = client.post(url, _correction_post(episode, found_where="Flat above the takeaway, Hill Road",
                                                 risky_contact="yes"))
    assert response.status_code == 302, response.content.decode()
    episode.refresh_from_db()
    assert episode.found_where == "Flat above the takeaway, Hill Road" and episode.risky_contact
    assert episode.return_recorded_by == personas.residential_worker  # the first recorder is kept
    correction = episode.return_corrections.get()
    assert correction.corrected_by == personas.residential_worker and correction.reason.startswith("The home")
    assert correction.changes == {"found_where": ["Bus station", "Flat above the takeaway, Hill Road"],
                                  "risky_contact": [False, True]}
    item = ChronologyItem.objects.filter(child=cared_for, kind="missing_episode").latest("id")
    assert item.summary.startswith("The recorded return was corrected (where they were found, contact with")
    assert AuditEvent.objects.filter(verb=Verb.EPISODE_RETURN_CORRECTED, child_id=cared_for.pk).exists()
    # The interview not yet held is worked out again: contact with risky people makes it a priority.
    interview.refresh_from_db()
    assert interview.priority and "risky_contact" in interview.priority_reasons and interview.due_at <= first_due
    page = client.get(reverse("missing:episode", args=[cared_for.pk, episode.pk])).content.decode()
    assert "Corrections to the return" in page and "The home entered the wrong time" in page
    assert "Where they were found: “Bus station” to “Flat above the takeaway, Hill Road”" in page


def test_a_correction_made_meanwhile_is_not_overwritten(personas, cared_for, client_for, clock):
    clock(at(3, 18))
    episode = report(personas.residential_worker, cared_for, hours_ago=4)
    returned(personas.residential_worker, episode, after_hours=1, found_where="Bus station")
    episode.refresh_from_db()
    details = services.ReturnDetails(returned_at=episode.returned_at, found_where="Park")
    services.episode_return_correct(access=access_for(personas.mash_worker, cared_for), episode=episode,
                                    details=details, reason="The child told me", seen_corrections=0)
    with pytest.raises(services.ReturnChanged, match="corrected this return at"):
        services.episode_return_correct(access=access_for(personas.residential_worker, cared_for), episode=episode,
                                        details=replace(details, found_where="Library"), reason="Late",
                                        seen_corrections=0)
    client = client_for(personas.residential_worker)
    page = client.post(reverse("missing:return_correct", args=[cared_for.pk, episode.pk]),
                       _correction_post(episode, found_where="Library")).content.decode()
    assert "corrected this return at" in page and "Library" in page  # what was typed stays on the page
    episode.refresh_from_db()
    assert episode.found_where == "Park" and episode.return_corrections.count() == 1
    with pytest.raises(ValidationError, match="Nothing has changed"):
        services.episode_return_correct(access=access_for(personas.residential_worker, cared_for), episode=episode,
                                        details=replace(details, found_where="Park"), reason="Again",
                                        seen_corrections=1)
