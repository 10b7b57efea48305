"""An approval always names someone who exists (issue 10 item 4): an under-13 decision not to refer in
an agency with no senior manager goes to the partnership's designated senior manager, and the author
is told at once; with nobody to ask, the request is refused and nothing waits for ever."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from safeguard.accounts.models import Role
from safeguard.children.models import Involvement
from safeguard.notifications.models import Notification, Task
from safeguard.referrals import services
from safeguard.referrals.models import Approval, DecisionRecord, DecisionStatus
from tests.factories import access_for, user
from tests.factories import child as make_child

from .conftest import assessment_for, not_referring


@pytest.fixture
def health_under_13(personas):
    """Twelve at the activity, known only to the sexual health service (which has no senior manager)."""
    return make_child(first_name="Lily", last_name="Grant", dob=date(2012, 6, 1), involved=[personas.health],
                      lead=personas.health)


@pytest.fixture
def health_dsl(personas):
    return user("hana_health_dsl", personas.health, Role.DESIGNATED_LEAD, Role.PRACTITIONER)


@pytest.fixture
def partnership_manager(personas, settings):
    """A senior manager in children's social care, named by the partnership for agencies with none."""
    manager = user("carl_csc_manager", personas.csc, Role.SENIOR_MANAGER, first_name="Carl", last_name="Evans")
    settings.SAFEGUARD_PARTNERSHIP_SENIOR_MANAGER = manager.username
    return manager


def _draft(personas, child):
    assessment = assessment_for(personas.health_practitioner, child, partner_ages=[13])
    decision = not_referring(personas.health_practitioner, child, assessment, reasons="Exceptional: see the notes")
    assert decision.required_approvals == ["designated_lead", "senior_manager"]
    return decision


def test_with_nobody_to_ask_the_request_is_refused_at_once_and_nothing_waits(personas, health_under_13, health_dsl,
                                                                            settings):
    settings.SAFEGUARD_PARTNERSHIP_SENIOR_MANAGER = ""
    decision = _draft(personas, health_under_13)
    with pytest.raises(ValidationError, match="Nobody in City Sexual Health Service is a senior manager"):
        services.decision_request_approvals(access=access_for(personas.health_practitioner, health_under_13),
                                            decision=decision)
    assert not Approval.objects.exists() and not Task.objects.filter(kind="approval").exists()
    assert DecisionRecord.objects.get(pk=decision.pk).status == DecisionStatus.DRAFT


def test_a_setting_naming_an_inactive_or_missing_account_is_nobody(personas, health_under_13, health_dsl, settings):
    settings.SAFEGUARD_PARTNERSHIP_SENIOR_MANAGER = "no_such_person"
    decision = _draft(personas, health_under_13)
    with pytest.raises(ValidationError, match="has not named a senior manager"):
        services.decision_request_approvals(access=access_for(personas.health_practitioner, health_under_13),
                                            decision=decision)


def test_the_partnership_senior_manager_approves_for_an_agency_that_has_none(
    personas, health_under_13, health_dsl, partnership_manager
):
    decision = _draft(personas, health_under_13)
    dsl, sm = services.decision_request_approvals(access=access_for(personas.health_practitioner, health_under_13),
                                                  decision=decision)
    assert (dsl.agency, dsl.approver) == (personas.health, None)
    assert (sm.agency, sm.approver) == (personas.csc, partnership_manager)
    # The approver's agency is brought in, so they can open the record; their task is theirs alone.
    assert Involvement.objects.filter(child=health_under_13, agency=personas.csc).exists()
    task = Task.objects.get(kind="approval", source_id=str(sm.pk))
    assert task.assignee == partnership_manager and task.agency is None
    assert Notification.objects.filter(recipient=partnership_manager, kind="approval").exists()
    # Another senior manager in that agency is not the one asked.
    other = user("sue_other_manager", personas.csc, Role.SENIOR_MANAGER)
    with pytest.raises(PermissionDenied):
        services.approval_give(access=access_for(other, health_under_13), approval=sm)
    services.approval_give(access=access_for(health_dsl, health_under_13), approval=dsl)
    services.approval_give(access=access_for(partnership_manager, health_under_13), approval=sm)
    signed = services.decision_sign(access=access_for(personas.health_practitioner, health_under_13),
                                    decision=decision)
    assert signed.is_signed


def test_a_setting_naming_an_agency_asks_its_holders_of_the_role(personas, health_under_13, health_dsl, settings):
    settings.SAFEGUARD_PARTNERSHIP_SENIOR_MANAGER = f"agency:{personas.csc.name}"
    first = user("mo_manager", personas.csc, Role.SENIOR_MANAGER)
    second = user("meg_manager", personas.csc, Role.SENIOR_MANAGER)
    decision = _draft(personas, health_under_13)
    _, sm = services.decision_request_approvals(access=access_for(personas.health_practitioner, health_under_13),
                                                decision=decision)
    assert (sm.agency, sm.approver, sm.role) == (personas.csc, None, "senior_manager")
    task = Task.objects.get(kind="approval", source_id=str(sm.pk))
    assert (task.agency, task.role) == (personas.csc, "senior_manager")
    services.approval_give(access=access_for(second, health_under_13), approval=sm)
    assert Approval.objects.get(pk=sm.pk).decided_by == second and first.pk != second.pk


def test_the_author_is_told_at_once_who_was_asked(client_for, personas, health_under_13, health_dsl,
                                                  partnership_manager):
    decision = _draft(personas, health_under_13)
    client = client_for(personas.health_practitioner)
    page = client.post(reverse("referrals:decision_request_approval", args=[decision.pk]), follow=True)
    text = page.content.decode().replace("&#x27;", "'")
    assert ("Nobody in City Sexual Health Service is a senior manager, so the senior manager's approval has gone "
            "to Carl Evans, Family Contact Point (MASH)") in text
    assert "(asked of Carl Evans, Family Contact Point (MASH), for the partnership)" in text
    inbox = client_for(partnership_manager).get(reverse("referrals:approvals")).content.decode()
    assert "Lily Grant" in inbox


def test_with_nobody_to_ask_the_page_says_so(client_for, personas, health_under_13, settings):
    settings.SAFEGUARD_PARTNERSHIP_SENIOR_MANAGER = ""
    decision = _draft(personas, health_under_13)
    page = client_for(personas.health_practitioner).post(
        reverse("referrals:decision_request_approval", args=[decision.pk]), follow=True).content.decode()
    assert "Nobody in City Sexual Health Service is a designated safeguarding lead" in page
    assert not Approval.objects.exists()


def test_an_overdue_stand_in_approval_escalates_as_any_other(personas, health_under_13, health_dsl,
                                                             partnership_manager):
    csc_lead = user("nell_csc_lead", personas.csc, Role.NAMED_LEAD, Role.PRACTITIONER)
    decision = _draft(personas, health_under_13)
    _, sm = services.decision_request_approvals(access=access_for(personas.health_practitioner, health_under_13),
                                                decision=decision)
    assert services.approvals_escalate_overdue(sm.due_at + timedelta(minutes=1)) == 2
    assert Notification.objects.filter(recipient=csc_lead, kind="approval_escalated").exists()
