"""The Multi-Agency Risk Panel (§13): who sees panel children, acceptance and closure by the chair,
and the VOLT agenda built from the data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from safeguard.access.policy import Why, child_for_user, children_visible_to
from safeguard.meetings import selectors, services
from safeguard.meetings.models import Decision, Kind, PanelCase
from safeguard.referrals.models import Status
from tests.factories import access_for
from tests.factories import child as make_child
from tests.meetings.builders import details, panel_case, panel_referred
from tests.missing.builders import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def kid(personas):
    return make_child(involved=[personas.school], lead=personas.school)


def _sees(person, child) -> bool:
    return children_visible_to(person).filter(pk=child.pk).exists()


def test_panel_members_see_children_referred_to_and_open_at_the_panel_only(personas, kid, client_for):
    other = make_child(first_name="Other", involved=[personas.school])
    client = client_for(personas.panel_member)
    detail = reverse("children:detail", kwargs={"child_id": kid.pk})
    assert client.get(detail).status_code == 404 and not _sees(personas.panel_member, kid)
    referral = panel_referred(personas, kid)
    assert client.get(detail).status_code == 200
    assert child_for_user(personas.panel_member, kid.pk).why == Why.PANEL_MEMBER
    assert _sees(personas.panel_member, kid) and not _sees(personas.panel_member, other)
    assert client.get(reverse("children:detail", kwargs={"child_id": other.pk})).status_code == 404
    services.panel_case_open(access=access_for(personas.panel_chair, kid), referral=referral)
    assert client.get(detail).status_code == 200


def test_a_declined_referral_takes_the_child_away_from_the_panel(personas, kid):
    referral = panel_referred(personas, kid)
    services.panel_referral_decline(access=access_for(personas.panel_chair, kid), referral=referral, reason="Not high risk")
    assert not _sees(personas.panel_member, kid)


def test_only_the_chair_accepts_and_a_second_acceptance_is_refused(personas, kid):
    referral = panel_referred(personas, kid)
    with pytest.raises(PermissionDenied):
        services.panel_case_open(access=access_for(personas.mash_worker, kid), referral=referral)
    case = services.panel_case_open(access=access_for(personas.panel_chair, kid), referral=referral)
    referral.refresh_from_db()
    assert case.status == PanelCase.Status.OPEN and referral.status == Status.ACCEPTED
    with pytest.raises(services.AlreadyDone):
        services.panel_case_open(access=access_for(personas.panel_chair, kid), referral=referral)


def test_closing_a_case_is_a_signed_decision_and_records_the_referrals_outcome(personas, kid):
    case = panel_case(personas, kid)
    closed = services.panel_case_close(
        access=access_for(personas.panel_chair, kid), case=case, decision="Close: risk reduced",
        reasons="Engaged with the project; no missing episodes for three months", version=case.version,
    )
    assert closed.status == PanelCase.Status.CLOSED and closed.closure.is_signed
    closed.referral.refresh_from_db()
    assert closed.referral.status == Status.OUTCOME_RECORDED
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.filter(pk=closed.closure_id).update(reasons="Changed")
    with pytest.raises(services.AlreadyDone):
        services.panel_case_close(access=access_for(personas.panel_chair, kid), case=case, decision="x", reasons="y",
                                  version=closed.version)
    assert not _sees(personas.panel_member, kid)


def test_the_chair_accepts_on_the_panel_page(personas, kid, client_for):
    referral = panel_referred(personas, kid)
    client = client_for(personas.panel_chair)
    page = client.get(reverse("meetings:panel")).content.decode()
    assert reverse("meetings:panel_accept", kwargs={"referral_id": referral.pk}) in page
    response = client.post(reverse("meetings:panel_accept", kwargs={"referral_id": referral.pk}), {"reason": ""})
    assert response.status_code == 302
    assert PanelCase.objects.filter(child=kid, status="open").exists()
    # A panel member may not accept.
    member = client_for(personas.panel_member)
    assert member.get(reverse("meetings:panel_accept", kwargs={"referral_id": referral.pk})).status_code == 404


def test_the_volt_agenda_shows_changed_victims_and_children_missing_together(personas, kid, time_machine):
    friend = make_child(first_name="Casey", last_name="Moor", involved=[personas.school])
    quiet = make_child(first_name="Quiet", last_name="Case", involved=[personas.school])
    now = timezone.now()
    time_machine.move_to(now - timedelta(hours=5), tick=False)
    for child in (kid, friend, quiet):
        panel_case(personas, child)
    time_machine.move_to(now, tick=False)
    earlier = services.meeting_convene(actor=personas.panel_chair, details=details(Kind.PANEL, hours_from_now=-3))
    services.minutes_record(actor=personas.panel_chair, meeting=earlier, accesses=[], minutes="Last month", version=earlier.version)
    # Since the last panel: the two go missing together from the same place; the third has nothing new.
    report(personas.practitioner, kid, hours_ago=2, last_seen_where="Bus station, Market Street")
    report(personas.practitioner, friend, hours_ago=2, last_seen_where="Bus station, Market Street")
    meeting = services.meeting_convene(actor=personas.panel_chair, details=details(Kind.PANEL, hours_from_now=24))
    agenda = selectors.panel_agenda(meeting, now=timezone.now(), user=personas.panel_chair)
    victims = {v["child_id"] for v in agenda["victims"]}
    assert victims == {kid.pk, friend.pk}
    assert all(v["evidence"] for v in agenda["victims"])
    assert any(e["kind"] == "Missing episode" for v in agenda["victims"] for e in v["evidence"])
    assert [set(t["children"]) for t in agenda["trends"] if t["kind"] == "co_missing"] == [{kid.pk, friend.pk}]
    meeting = services.agenda_build(actor=personas.panel_chair, meeting=meeting, agenda=agenda, version=meeting.version)
    # Every open case is on the meeting for its monthly review; panel members are at it.
    assert set(selectors.meeting_child_ids(meeting)) == {kid.pk, friend.pk, quiet.pk}
    with pytest.raises(PermissionDenied):
        services.agenda_build(actor=personas.panel_member, meeting=meeting, agenda=agenda, version=meeting.version)


def test_the_panel_meeting_page_shows_the_volt_sections(personas, kid, client_for):
    panel_case(personas, kid)
    meeting = services.meeting_convene(actor=personas.panel_chair, details=details(Kind.PANEL))
    client = client_for(personas.panel_chair)
    response = client.post(reverse("meetings:agenda_build", kwargs={"meeting_id": meeting.pk}),
                           {"version": meeting.version})
    assert response.status_code == 302
    page = client_for(personas.panel_member).get(reverse("meetings:detail", kwargs={"meeting_id": meeting.pk}))
    text = page.content.decode()
    assert 'id="volt-victims"' in text and 'id="volt-trends"' in text and kid.full_name in text
    stale = client_for(personas.panel_chair).post(
        reverse("meetings:agenda_build", kwargs={"meeting_id": meeting.pk}), {"version": 1}, follow=True)
    assert "reload the page" in stale.content.decode()


def test_a_risk_management_group_meeting_is_built_from_the_review_list(personas, kid, client_for):
    for hours in (200, 100, 2):
        report(personas.practitioner, kid, hours_ago=hours, last_seen_where=f"Place {hours}")
    meeting = services.meeting_convene(actor=personas.named_lead, details=details(Kind.RMG))
    client = client_for(personas.named_lead)
    assert client.post(reverse("meetings:agenda_build", kwargs={"meeting_id": meeting.pk}),
                       {"version": meeting.version}).status_code == 302
    meeting.refresh_from_db()
    rows = meeting.agenda["children"]
    assert [r["child_id"] for r in rows] == [kid.pk]
    assert any("episodes" in reason for reason in rows[0]["reasons"]) and "missing now" in rows[0]["reasons"]
    assert selectors.meeting_child_ids(meeting) == [kid.pk]
    # Per-child decisions and actions at the group.
    decision = services.decision_sign(actor=personas.named_lead, meeting=meeting, child=kid,
                                      accesses=[access_for(personas.named_lead, kid)], decision="Reclassify as missing",
                                      reasons="At risk when absent")
    assert decision.child == kid
    task = services.action_create(actor=personas.named_lead, meeting=meeting, access=access_for(personas.named_lead, kid),
                                  details=services.ActionDetails("Return interview follow-up", personas.practitioner,
                                                                 timezone.localdate() + timedelta(days=2)))
    assert task.child == kid and task.meeting == meeting


def test_offenders_locations_and_alerts_come_from_the_intelligence_app(personas, kid):
    from safeguard.intelligence import services as intel
    from tests.intelligence import builders as intel_builders

    friends = [make_child(first_name=name, last_name="Lane", involved=[personas.school]) for name in ("Amy", "Bea")]
    for child in (kid, *friends):
        panel_case(personas, child)
    police = personas.police_lead
    man = intel_builders.person(police, "Dee Marsh")
    flat = intel_builders.place(police, "12 Station Road")
    for child in (kid, *friends):
        intel_builders.link(police, child, man)
        intel_builders.link(police, child, flat, kind="visited")
    intel.disruption_record(actor=police, entity=man, details=intel.DisruptionDetails(
        action="cawn_served", occurred_on=timezone.localdate(), outcome="Served at the flat"))
    meeting = services.meeting_convene(actor=personas.panel_chair, details=details(Kind.PANEL, hours_from_now=24))
    agenda = selectors.panel_agenda(meeting, now=timezone.now(), user=personas.panel_chair)
    offenders = {o["title"]: o for o in agenda["offenders"]}
    assert "Dee Marsh" in offenders
    assert offenders["Dee Marsh"]["status"].startswith("Latest disruption: Child abduction warning notice served")
    assert kid.full_name in offenders["Dee Marsh"]["evidence"][0]
    assert [loc["title"] for loc in agenda["locations"] if loc["kind"] == "place"] == ["12 Station Road"]
    assert agenda["locations"][0]["evidence"][0].startswith("3 children linked")
    assert any(t["kind"] == "alert" for t in agenda["trends"])
    assert all(kid.first_name not in t["title"] for t in agenda["trends"] if t["kind"] == "alert")


def test_the_agenda_counts_no_handling_code_c_link_at_a_hot_spot(personas, kid):
    """Issue 12: the agenda is built once and read (and downloaded) by every invitee, whatever their
    agency, so a place is a hot spot on it only by links that may be shared (P), as in the board's
    report; C links still count on the product's own pages."""
    from safeguard.intelligence import selectors as intel_selectors
    from tests.intelligence import builders as intel_builders

    friends = [make_child(first_name=name, last_name="Lane", involved=[personas.school]) for name in ("Amy", "Bea", "Cas")]
    police = personas.police_lead
    hotel = intel_builders.place(police, "Harbour Hotel")
    park = intel_builders.place(police, "Riverside Park")
    for child in (kid, *friends[:2]):
        intel_builders.link(police, child, hotel, handling="C", conditions="Police only: live operation")
        intel_builders.link(police, child, park)
    intel_builders.link(police, friends[2], hotel)  # one permitted link: far from three children
    meeting = services.meeting_convene(actor=personas.panel_chair, details=details(Kind.PANEL, hours_from_now=24))
    agenda = selectors.panel_agenda(meeting, now=timezone.now(), user=personas.panel_chair)
    assert [loc["title"] for loc in agenda["locations"] if loc["kind"] == "place"] == ["Riverside Park"]
    spots = intel_selectors.hot_spots(since=timezone.localdate() - timedelta(days=90))
    assert {s.label: s.children for s in spots if s.place is not None} == {"Harbour Hotel": 4, "Riverside Park": 3}


def test_the_chair_s_task_opens_a_referral_page_that_leads_to_the_panel_s_accept(personas, kid, client_for):
    """Issue 13: the chair's task for a referral to the panel lands on the referral's page, which sends
    them to accept it by opening the case (not to the generic accept, which would open no case)."""
    from safeguard.notifications.models import Task

    referral = panel_referred(personas, kid)
    task = Task.objects.get(source_type="referrals.referral", source_id=str(referral.pk), role="marp_chair")
    assert task.url == referral.get_absolute_url()
    page = client_for(personas.panel_chair).get(task.url).content.decode()
    assert reverse("meetings:panel_accept", args=[referral.pk]) in page
    assert reverse("meetings:panel_decline", args=[referral.pk]) in page
    assert f'action="{reverse("referrals:accept", args=[referral.pk])}"' not in page
    referrer_page = client_for(personas.practitioner).get(task.url).content.decode()
    assert reverse("meetings:panel_accept", args=[referral.pk]) not in referrer_page
    panel_case(personas, make_child(first_name="Second", involved=[personas.school]))  # another child's case
    services.panel_case_open(access=access_for(personas.panel_chair, kid), referral=referral)
    opened = client_for(personas.panel_chair).get(task.url).content.decode()
    assert reverse("meetings:panel_accept", args=[referral.pk]) not in opened


def test_victims_are_ranked_by_risk_each_with_their_newest_changes_in_a_fixed_number_of_queries(
    personas, kid, time_machine, django_assert_max_num_queries
):
    """V ranks by the latest Form B's risk level, then children with only a Form A (its band), then
    those with no screening; each shows their five newest changes since the last panel (and says
    there are more). The section reads all the open cases in a fixed number of queries."""
    from safeguard.children.models import ChronologyItem
    from safeguard.screening import services as screening
    from safeguard.screening.models import FormB
    from tests.screening.test_screening import submit

    banded = make_child(first_name="Banded", last_name="Case", involved=[personas.school])
    unscreened = make_child(first_name="Unscreened", last_name="Case", involved=[personas.school])
    high = kid
    screened = submit(personas.practitioner, high, ["S1", "S3"])
    screening.form_b_update(
        access=access_for(personas.mash_worker, high), form_b=FormB.objects.get(screening=screened), complete=True,
        data=screening.FormBData(indicators=["U1", "I12"], exploitation_models=["boyfriend"],
                                 analysis="Picked up by cars at night", risk_level="high"))
    submit(personas.practitioner, banded, ["R1"])
    now = timezone.now()
    for child in (unscreened, banded, high):
        panel_case(personas, child)
        for n in range(7):
            ChronologyItem.objects.create(child=child, occurred_at=now - timedelta(minutes=n), recorded_at=now,
                                          kind=ChronologyItem.Kind.NOTE, agency=personas.school, summary=f"Note {n}")
    meeting = services.meeting_convene(actor=personas.panel_chair, details=details(Kind.PANEL, hours_from_now=24))
    with django_assert_max_num_queries(4):  # open cases, their changes, Form B risks, Form A bands
        victims = selectors.panel_victims(since=now - timedelta(hours=1))
    assert [v["child_id"] for v in victims] == [high.pk, banded.pk, unscreened.pk]
    assert victims[0]["risk"] == "Form B: high risk"
    assert victims[1]["risk"].startswith("Form A: ") and victims[2]["risk"] == "No screening"
    newest = [e["summary"] for e in victims[2]["evidence"]]
    assert len(newest) == 5 and "Note 0" in newest and "Note 6" not in newest
    assert [e["when"] for e in victims[2]["evidence"]] == sorted((e["when"] for e in victims[2]["evidence"]), reverse=True)
    assert all(v["more"] for v in victims)
    assert meeting.kind == Kind.PANEL
