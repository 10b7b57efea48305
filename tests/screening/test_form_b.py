"""Form B (screening.md): each §5 sign observed / not observed / not known with evidence and a date,
analysis and risk level before completion, a high level prompting the panel, and the safety plan."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AuditEvent, Verb
from safeguard.children.models import Involvement
from safeguard.notifications.models import Task
from safeguard.notifications.selectors import tasks_for
from safeguard.referrals.models import Referral
from safeguard.screening import services
from safeguard.screening.models import FormB, SafetyAction
from tests.factories import access_for
from tests.factories import child as make_child


@pytest.fixture
def form_b(personas):
    kid = make_child(involved=[personas.school], lead=personas.school)
    screening = services.screening_submit(
        access=access_for(personas.practitioner, kid),
        header=services.FormAHeader(referrer_name="Tara", organisation="Northgate Academy", contact_details="0100",
                                    child_name=kid.full_name, previous_cp_referral="no"),
        answers=services.FormAAnswers(ticked=["S3"]),
    )
    return FormB.objects.get(screening=screening)


def url(form_b):
    return reverse("screening:form_b", args=[form_b.child_id, form_b.pk])


def date_parts(prefix, day):
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


# -- the services -------------------------------------------------------------------------------

def test_signs_keep_their_status_evidence_and_date_and_feed_the_indicators(personas, form_b):
    seen = date(2026, 3, 1)
    data = services.FormBData(
        indicators=["U1", "I5"], exploitation_models=[],
        signs={"I12": services.SignFinding("observed", "Silver car outside school", seen),
               "I13": services.SignFinding("not_observed"), "I1": services.SignFinding("not_known")},
    )
    saved = services.form_b_update(access=access_for(personas.mash_worker, form_b.child), form_b=form_b, data=data)
    assert saved.signs["I12"] == {"status": "observed", "evidence": "Silver car outside school", "seen_on": "2026-03-01"}
    assert saved.signs["I13"]["status"] == "not_observed" and "I1" not in saved.signs  # not known
    assert saved.signs["I5"]["status"] == "observed"  # listed as an indicator: observed, no evidence yet
    assert saved.indicators == ["I5", "I12", "U1"]  # the handbook's order; I13 was not observed
    assert saved.suggested_risk_level == "high"  # S3 on the screening with I12 and U1


def test_a_sign_not_known_cannot_carry_evidence(personas, form_b):
    data = services.FormBData(indicators=[], exploitation_models=[],
                              signs={"I9": services.SignFinding("not_known", "hotel in town")})
    with pytest.raises(ValidationError):
        services.form_b_update(access=access_for(personas.mash_worker, form_b.child), form_b=form_b, data=data)


def test_the_safety_plan_gives_the_owner_agency_a_task_until_the_outcome_is_recorded(personas, form_b):
    due = timezone.localdate() + timedelta(days=7)
    action = services.safety_action_add(access=access_for(personas.mash_worker, form_b.child), form_b=form_b, description="Disruption visit",
                                        owner_name="PC Pete", owner_agency=personas.police, due_on=due)
    assert Involvement.objects.filter(child=form_b.child, agency=personas.police).exists()
    task = tasks_for(personas.police_lead).get(kind="safety_action")
    assert task.due_at.date() == due
    with pytest.raises(PermissionDenied):  # a partner contributes; children's social care sets the plan
        services.safety_action_add(access=access_for(personas.practitioner, form_b.child), form_b=form_b, description="x", owner_name="y",
                                   owner_agency=personas.school, due_on=due)
    with pytest.raises(PermissionDenied):  # only the owner's agency or children's social care
        services.safety_action_complete(access=access_for(personas.practitioner, action.form_b.child), action=action, outcome="Done")
    with pytest.raises(ValidationError):
        services.safety_action_complete(access=access_for(personas.police_lead, action.form_b.child), action=action, outcome="  ")
    done = services.safety_action_complete(access=access_for(personas.police_lead, action.form_b.child), action=action, outcome="Visited; warned")
    assert done.status == "done" and done.done_by == personas.police_lead
    task.refresh_from_db()
    assert task.done_at is not None
    with pytest.raises(ValidationError):
        services.safety_action_add(access=access_for(personas.mash_worker, form_b.child), form_b=form_b, description="Late", owner_name="Pete",
                                   owner_agency=personas.police, due_on=timezone.localdate() - timedelta(days=1))


# -- over HTTP ----------------------------------------------------------------------------------

def test_completing_needs_analysis_and_level_and_keeps_what_was_typed(client_for, personas, form_b):
    client = client_for(personas.mash_worker)
    response = client.post(url(form_b), {"action": "complete", "sign_I12": "observed",
                                         "sign_I12_evidence": "Grey van at the gates", "factors": ["U1"]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Write the analysis before you complete Form B" in page
    assert "Choose the risk level before you complete Form B" in page
    assert "Grey van at the gates" in page
    assert re.search(r'value="U1"[^>]*checked', page)
    form_b.refresh_from_db()
    assert form_b.status == "draft" and form_b.analysis == "" and "I12" not in form_b.signs
    assert not AuditEvent.objects.filter(verb=Verb.FORM_B_COMPLETED).exists()


def test_a_sign_with_evidence_but_no_finding_is_refused_in_plain_words(client_for, personas, form_b):
    response = client_for(personas.mash_worker).post(url(form_b), {"action": "save", "sign_I9": "not_known",
                                                                   "sign_I9_evidence": "Hotel in town"})
    assert "Say whether I9 was observed, or remove its evidence and date" in response.content.decode()


def test_a_high_level_prompts_a_panel_referral(client_for, personas, form_b):
    client = client_for(personas.mash_worker)
    seen = timezone.localdate() - timedelta(days=3)
    response = client.post(url(form_b), {
        "action": "complete", "sign_I12": "observed", "sign_I12_evidence": "Silver car, three times",
        **date_parts("sign_I12_seen_on", seen), "factors": ["U1"], "exploitation_models": ["organised"],
        "childs_account": "She said \"he is my boyfriend\"", "analysis": "Groomed by an older man with a car",
        "risk_level": "high"})
    assert response.status_code == 302
    form_b.refresh_from_db()
    assert form_b.status == "complete" and form_b.signs["I12"]["seen_on"] == seen.isoformat()
    page = client.get(url(form_b)).content.decode()
    assert "refer the child to the Multi-Agency Risk Panel" in page and "Silver car, three times" in page
    assert "Suggested risk level: high" in page
    client.post(reverse("screening:form_b_panel_referral", args=[form_b.child_id, form_b.pk]))
    assert Referral.objects.get(child=form_b.child, destination="marp").source == form_b


def test_partners_contribute_and_only_csc_sets_the_plan(client_for, personas, form_b):
    client = client_for(personas.practitioner)
    response = client.post(url(form_b), {"action": "contribute", "contribution-text": "Absent every Friday"})
    assert response.status_code == 302
    page = client.get(url(form_b)).content.decode()
    assert "Absent every Friday" in page and "Northgate Academy" in page
    assert "Add an action to the safety plan" not in page
    due = timezone.localdate() + timedelta(days=5)
    refused = client.post(url(form_b), {"action": "add_action", "plan-description": "x", "plan-owner_name": "y",
                                        "plan-owner_agency": personas.school.pk, **date_parts("plan-due_on", due)})
    assert refused.status_code == 404 and not SafetyAction.objects.exists()


def test_the_safety_plan_over_http(client_for, personas, form_b):
    client = client_for(personas.mash_worker)
    bad = client.post(url(form_b), {"action": "add_action", "plan-description": "Disruption visit",
                                    "plan-owner_name": "", "plan-owner_agency": personas.police.pk})
    page = bad.content.decode()
    assert bad.status_code == 200 and not SafetyAction.objects.exists()
    assert "Enter the name of the person who will do it" in page and "Disruption visit" in page
    due = timezone.localdate() + timedelta(days=5)
    ok = client.post(url(form_b), {"action": "add_action", "plan-description": "Disruption visit",
                                   "plan-owner_name": "PC Pete", "plan-owner_agency": personas.police.pk,
                                   **date_parts("plan-due_on", due)})
    assert ok.status_code == 302
    action = SafetyAction.objects.get()
    police = client_for(personas.police_lead)
    assert "Disruption visit" in police.get(url(form_b)).content.decode()
    done = police.post(url(form_b), {"action": "action_outcome", "safety_action_id": action.pk,
                                     f"outcome-{action.pk}-outcome": "Visited the address"})
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and not Task.objects.filter(kind="safety_action", done_at__isnull=True).exists()


def test_the_form_b_page_has_a_bounded_query_count(client_for, personas, form_b, django_assert_max_num_queries):
    due = timezone.localdate() + timedelta(days=5)
    for i in range(5):
        services.safety_action_add(access=access_for(personas.mash_worker, form_b.child), form_b=form_b, description=f"Action {i}",
                                   owner_name="Pete", owner_agency=personas.police, due_on=due)
        services.form_b_contribute(access=access_for(personas.practitioner, form_b.child), form_b=form_b, text=f"Note {i}")
    client = client_for(personas.mash_worker)
    with django_assert_max_num_queries(25):
        assert client.get(url(form_b)).status_code == 200


# -- no button loses what was typed (issue 10 item 1) -------------------------------------------

SECTIONS = {
    "sections": "1", "sign_I12": "observed", "sign_I12_evidence": "Silver car at the gates",
    "factors": ["U1"], "exploitation_models": ["boyfriend", "online"],
    "trafficking_concerns": "Seen in Leeds twice", "disability_considerations": "None known",
    "childs_account": "She said \"he buys me things\"", "analysis": "Groomed by an older man", "risk_level": "medium",
}


def _plan(personas, *, owner_name="PC Pete"):
    due = timezone.localdate() + timedelta(days=5)
    return {"plan-description": "Disruption visit", "plan-owner_name": owner_name,
            "plan-owner_agency": personas.police.pk, **date_parts("plan-due_on", due)}


def _saved_sections(form_b):
    form_b.refresh_from_db()
    assert form_b.status == "draft"
    assert form_b.analysis == "Groomed by an older man" and form_b.childs_account == "She said \"he buys me things\""
    assert form_b.exploitation_models == ["boyfriend", "online"] and form_b.risk_level == "medium"
    assert form_b.trafficking_concerns == "Seen in Leeds twice" and form_b.disability_considerations == "None known"
    assert form_b.signs["I12"]["evidence"] == "Silver car at the gates" and "U1" in form_b.indicators


def test_adding_an_action_saves_the_draft_first(client_for, personas, form_b):
    client = client_for(personas.mash_worker)
    response = client.post(url(form_b), {**SECTIONS, **_plan(personas), "action": "add_action"})
    assert response.status_code == 302
    _saved_sections(form_b)
    assert SafetyAction.objects.get().description == "Disruption visit"
    page = client.get(url(form_b)).content.decode()
    assert "Groomed by an older man" in page and "Form B has been saved as a draft" in page
    assert re.search(r'value="online"[^>]*checked', page)


def test_an_action_refused_still_keeps_the_sections_and_what_was_typed(client_for, personas, form_b):
    client = client_for(personas.mash_worker)
    response = client.post(url(form_b), {**SECTIONS, **_plan(personas, owner_name=""), "action": "add_action"})
    page = response.content.decode()
    assert response.status_code == 200 and not SafetyAction.objects.exists()
    assert "Enter the name of the person who will do it" in page and "Disruption visit" in page
    assert "Groomed by an older man" in page
    _saved_sections(form_b)


def test_adding_a_contribution_saves_the_draft_first(client_for, personas, form_b):
    client = client_for(personas.mash_worker)
    response = client.post(url(form_b), {**SECTIONS, "contribution-text": "Known to us since May",
                                         "action": "contribute"})
    assert response.status_code == 302
    _saved_sections(form_b)
    assert form_b.contributions.get().text == "Known to us since May"


def test_sections_that_cannot_be_saved_stop_the_step_and_come_back_as_typed(client_for, personas, form_b):
    client = client_for(personas.mash_worker)
    response = client.post(url(form_b), {**SECTIONS, "sign_I9": "not_known", "sign_I9_evidence": "Hotel in town",
                                         **_plan(personas), "action": "add_action"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Say whether I9 was observed, or remove its evidence and date" in page
    assert "Groomed by an older man" in page and "Hotel in town" in page and "Disruption visit" in page
    form_b.refresh_from_db()
    assert form_b.analysis == "" and not SafetyAction.objects.exists()


def test_text_typed_in_another_box_comes_back_after_the_step(client_for, personas, form_b):
    client = client_for(personas.mash_worker)
    response = client.post(url(form_b), {**SECTIONS, **_plan(personas), "contribution-text": "Half-written note",
                                         "action": "add_action"})
    assert response.status_code == 302 and SafetyAction.objects.exists() and not form_b.contributions.exists()
    page = client.get(url(form_b)).content.decode()
    assert "Half-written note" in page
    assert "Half-written note" not in client.get(url(form_b)).content.decode()  # kept once, not for ever


def test_the_panel_referral_from_the_page_saves_the_draft_first(client_for, personas, form_b):
    client = client_for(personas.mash_worker)
    client.post(url(form_b), {**SECTIONS, "risk_level": "high", "action": "save"})
    response = client.post(url(form_b), {**SECTIONS, "risk_level": "high", "analysis": "Rewritten before referring",
                                         "action": "refer_panel"})
    assert response.status_code == 302
    form_b.refresh_from_db()
    assert form_b.analysis == "Rewritten before referring"
    assert Referral.objects.get(child=form_b.child, destination="marp").source == form_b


def test_the_page_is_one_form_so_every_button_posts_everything(client_for, personas, form_b):
    services.safety_action_add(access=access_for(personas.mash_worker, form_b.child), form_b=form_b,
                               description="Visit", owner_name="Pete", owner_agency=personas.police,
                               due_on=timezone.localdate() + timedelta(days=3))
    page = client_for(personas.mash_worker).get(url(form_b)).content.decode()
    content = page[page.index("<main"):page.index("</main>")]
    assert content.count("<form") == 1  # the page's one form, from the panel prompt to the contributions
    main = page[page.index('id="form-b-page"'):page.index("</form>", page.index('id="form-b-page"'))]
    for button in ('value="save"', 'value="add_action"', 'value="contribute"', 'value="outcome:'):
        assert button in main
    assert 'name="sections"' in main and 'name="analysis"' in main and 'name="plan-description"' in main
