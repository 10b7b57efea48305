"""Every task and notification says which child and what to do, to those who may see the child, and
never names a record by its number (issue 10 item 6). The main journeys run through the services;
then every task and notification they created is scanned."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.access.policy import may_see_child, works_with_children
from safeguard.accounts.models import Role
from safeguard.missing import services as missing
from safeguard.missing.models import ReturnInterview
from safeguard.missing.tick import interviews_due_alert
from safeguard.notifications.models import Notification, Task
from safeguard.notifications.services import notify, task_open, titled
from safeguard.referrals import services as referrals
from safeguard.screening import services as screening
from safeguard.screening.tick import screening_reviews_due_alert
from tests.factories import access_for, user
from tests.factories import child as make_child
from tests.missing.builders import report, returned

BARE_NUMBER = re.compile(r"\b(record|referral|decision|approval|episode|interview|screening)\s+(no\.?\s*)?\d+\b",
                         re.IGNORECASE)


def _screen(actor, child, ticked):
    return screening.screening_submit(
        access=access_for(actor, child),
        header=screening.FormAHeader(referrer_name="Tara", organisation="School", contact_details="0100",
                                     child_name=child.full_name, previous_cp_referral="no"),
        answers=screening.FormAAnswers(ticked=ticked),
    )


def _journeys(personas, client_for, settings):
    """Screening, referral, §9 assessment and decision, missing episode and interview, co-missing,
    break glass and the scheduled checks: what a working day raises."""
    settings.SAFEGUARD_PARTNERSHIP_DESIGNATED_LEAD = personas.analyst.username  # no child-level role
    home_lead = user("una_unit", personas.residential, Role.NAMED_LEAD, Role.PRACTITIONER)
    user("dana_health_dsl", personas.health, Role.DESIGNATED_LEAD)
    user("carl_manager", personas.csc, Role.SENIOR_MANAGER)
    settings.SAFEGUARD_PARTNERSHIP_SENIOR_MANAGER = "carl_manager"
    amira = make_child(first_name="Amira", last_name="Khan", involved=[personas.school], lead=personas.school)
    jodie = make_child(first_name="Jodie", last_name="Smyth", involved=[personas.school], lead=personas.school)
    lily = make_child(first_name="Lily", last_name="Grant", dob=date(2012, 6, 1), involved=[personas.health],
                      lead=personas.health)
    kay = make_child(first_name="Kayleigh", last_name="Brown", involved=[personas.residential],
                     lead=personas.residential, looked_after=True, placement="Care View",
                     lead_professional=personas.mash_worker)
    orphan = make_child(first_name="Nobody", last_name="Leads", involved=[personas.voluntary])

    # Form A: a concern (referral, Form B) and an emerging concern (discussion, review).
    concern = _screen(personas.practitioner, amira, ["R1", "R5", "R6"])
    _screen(personas.practitioner, jodie, ["R3", "R9"])
    referral = concern.referral
    mash = access_for(personas.mash_worker, amira)
    referrals.referral_receive(access=mash, referral=referral)
    referrals.referral_accept(access=mash, referral=referral)
    referrals.referral_record_outcome(access=mash, referral=referral, outcome="Strategy discussion held")

    # §9: an under-13 assessment and a decision not to refer, approved (one by the partnership) and signed.
    assessment = referrals.assessment_record(
        access=access_for(personas.health_practitioner, lily),
        answers=referrals.AssessmentAnswers(child_age=12, partner_ages=[13], criteria={}, activity_date=date(2025, 3, 1)),
    )
    decision = referrals.decision_draft(
        access=access_for(personas.health_practitioner, lily), subject=assessment,
        data=referrals.DecisionData(kind="not_refer", destination="csc", decision="Not to refer",
                                    reasons="Exceptional: see the notes", decision_maker_ids=[]),
    )
    approvals = referrals.decision_request_approvals(access=access_for(personas.health_practitioner, lily),
                                                     decision=decision)
    referrals.approvals_escalate_overdue(timezone.now() + timedelta(days=30))
    dsl, sm = approvals
    referrals.approval_give(access=access_for(dsl.agency.users.get(username="dana_health_dsl"), lily), approval=dsl)
    referrals.approval_give(access=access_for(sm.approver, lily), approval=sm)
    referrals.decision_sign(access=access_for(personas.health_practitioner, lily), decision=decision)

    # Missing: reported, returned, interview arranged and declined, sent to the police; missing together.
    friend = make_child(first_name="Leah", last_name="Green", involved=[personas.residential])
    episode = report(personas.residential_worker, kay, hours_ago=6)
    theirs = report(personas.residential_worker, friend, hours_ago=5)
    returned(personas.residential_worker, episode, after_hours=4, vehicles="Silver Astra KX12 ABC")
    returned(personas.residential_worker, theirs, after_hours=3, vehicles="silver astra, kx12abc")
    interview = ReturnInterview.objects.get(episode=episode)
    interviews_due_alert(now=interview.due_at - timedelta(hours=1))
    interviews_due_alert(now=interview.due_at + timedelta(hours=1))
    missing.interview_arrange(access=access_for(personas.residential_worker, kay), interview=interview,
                              interviewer=personas.health_practitioner)
    missing.interview_outcome_record(access=access_for(personas.health_practitioner, kay), interview=interview,
                                     result=missing.InterviewOutcome(outcome="declined", reason="Did not want to"))
    missing.interview_send_to_police(access=access_for(personas.health_practitioner, kay), interview=interview,
                                     recipient_agency=personas.police)

    # Break glass on a child with named leads, and on one whose agencies have none (the partnership's).
    for child in (amira, orphan):
        client_for(personas.health_practitioner).post(reverse("children:break_glass", args=[child.pk]),
                                                      {"reason": "Disclosure at the clinic; checking the plan"})
    screening_reviews_due_alert(now=timezone.now() + timedelta(days=400))
    return home_lead


def test_every_task_and_notification_names_the_child_and_what_to_do(personas, client_for, settings):
    _journeys(personas, client_for, settings)
    tasks, notes = list(Task.objects.select_related("child")), list(
        Notification.objects.select_related("recipient", "child"))
    kinds = {t.kind for t in tasks} | {n.kind for n in notes}
    for expected in ("referral_to_act", "referral_outcome", "referral_status", "approval", "approval_given",
                     "decision_sign", "screening_discussion", "screening_review", "return_interview",
                     "return_interview_conduct", "police_inbox", "co_missing", "break_glass",
                     "return_interview_overdue", "screening_review_due", "approval_escalated"):
        assert expected in kinds, f"the journeys raised no {expected}"
    for task in tasks:
        assert not BARE_NUMBER.search(task.title), task.title
        if task.child is not None:
            assert task.child.full_name in task.title, task.title
    for note in notes:
        assert not BARE_NUMBER.search(note.title), note.title
        assert "{child}" not in note.title
        if note.child is not None:
            assert works_with_children(note.recipient) and may_see_child(note.recipient, note.child)
            assert note.child.full_name in note.title, note.title


def test_an_account_without_a_child_level_role_is_never_told_a_childs_details(personas, client_for, settings):
    _journeys(personas, client_for, settings)
    told = Notification.objects.filter(recipient=personas.analyst)
    assert told.filter(kind="break_glass").exists()  # the partnership's designated lead in this test
    names = ["Amira", "Jodie", "Lily", "Kayleigh", "Leah", "Nobody Leads", "Khan", "Smyth", "Grant", "Brown"]
    for note in told:
        assert note.child is None and not any(name in note.title for name in names), note.title
        assert "a child" in note.title


@pytest.mark.parametrize(
    ("title", "named", "reads"),
    [
        ("Review the CSE screening of {child}", True, "Review the CSE screening of Amira Khan"),
        ("Review the CSE screening of {child}", False, "Review the CSE screening of a child"),
        ("{child} was missing at the same time as another child", False, "A child was missing at the same time as another child"),
        ("Undertake a full assessment (must, §9.5)", True, "Amira Khan: undertake a full assessment (must, §9.5)"),
        ("CSE screening due", True, "Amira Khan: CSE screening due"),
        ("A role for bob needs a second administrator's approval", False, "A role for bob needs a second administrator's approval"),
    ],
)
def test_a_title_names_the_child_only_when_it_may(personas, title, named, reads):
    amira = make_child(first_name="Amira", last_name="Khan", involved=[personas.school])
    assert titled(title, amira, named=named) == reads


def test_notify_and_task_open_decide_per_recipient(personas):
    amira = make_child(first_name="Amira", last_name="Khan", involved=[personas.school])
    notes = notify(recipients=[personas.practitioner, personas.outsider, personas.analyst], kind="x",
                   title="Look at {child}'s plan", child=amira, email=False)
    by = {n.recipient: n for n in notes}
    assert by[personas.practitioner].title == "Look at Amira Khan's plan" and by[personas.practitioner].child == amira
    assert by[personas.outsider].title == "Look at a child's plan" and by[personas.outsider].child is None
    assert by[personas.analyst].title == "Look at a child's plan" and by[personas.analyst].child is None
    team = task_open(kind="y", title="Check {child}", url="/", agency=personas.police, role=Role.POLICE_LEAD,
                     child=amira, notify_owner=False)
    outside = task_open(kind="y", title="Check {child}", url="/", agency=personas.voluntary, child=amira,
                        notify_owner=False)
    assert team.title == "Check Amira Khan" and outside.title == "Check a child"
