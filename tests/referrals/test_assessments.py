"""The underage sexual activity assessment (§9): form → rules → outcome page → tasks → referral."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from safeguard.audit.models import AuditEvent, Verb
from safeguard.children.models import ChronologyItem
from safeguard.notifications.models import Task
from safeguard.referrals.models import Assessment, Consultation, Referral

from .conftest import assessment_for

FORM = {
    "activity_date_day": "1", "activity_date_month": "3", "activity_date_year": "2025",
    "partner_ages": "19",
    "summary": 'Told the nurse "my boyfriend is 19".',
    **{f"C{n}": "unknown" for n in range(1, 15)},
}


def test_a_14_year_old_with_a_19_year_old_partner_must_be_referred_to_csc(personas, health_child):
    assessment = assessment_for(personas.health_practitioner, health_child, partner_ages=[19])
    assert assessment.child_age == 14 and assessment.outcome["age_band"] == "13_to_15"
    refer = next(a for a in assessment.actions if a["code"] == "REFER_CSC")
    assert (refer["strength"], refer["section"]) == ("must", "9.5")
    assert assessment.outcome["criteria"]["C6"] == "yes"  # the age difference, from the ages
    assert assessment.rules_version
    kinds = set(Task.objects.filter(assignee=personas.health_practitioner, done_at__isnull=True).values_list("kind", flat=True))
    assert {"sa_refer_csc", "sa_strategy_discussion", "sa_discuss_cp_lead"} <= kinds
    assert ChronologyItem.objects.filter(child=health_child, kind="assessment").exists()
    event = AuditEvent.objects.get(verb=Verb.ASSESSMENT_RECORDED)
    assert event.child_id == health_child.pk and event.payload["actions"]["REFER_CSC"] == "must"


def test_the_health_practitioner_assesses_refers_and_the_task_closes(client_for, personas, health_child):
    client = client_for(personas.health_practitioner)
    form = client.get(reverse("referrals:assessment_add", args=[health_child.pk])).content.decode()
    assert "C13: Methods consistent with grooming" in form and "§9.3" in form

    response = client.post(reverse("referrals:assessment_add", args=[health_child.pk]), FORM)
    assert response.status_code == 302, response.content.decode()
    assessment = Assessment.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Must refer to children&#x27;s social care" in page and "§9.5" in page
    assert "A decision not to refer" in page and "designated lead" in page

    make = reverse("referrals:create", args=[health_child.pk]) + f"?assessment={assessment.pk}&destination=csc"
    form = client.get(make).content.decode()
    assert "goes with this referral" in form
    response = client.post(make, {"destination": "csc", "priority": "amber", "reason": "Partner aged 19 (§9.5)",
                                  "assessment": assessment.pk})
    assert response.status_code == 302, response.content.decode()
    referral = Referral.objects.get()
    assert referral.source == assessment and referral.destination_agency == personas.csc
    assert Task.objects.get(kind="sa_refer_csc").done_at is not None
    assert Task.objects.get(kind="referral_outcome", assignee=personas.health_practitioner).done_at is None


def test_an_assessment_with_bad_input_keeps_what_was_typed_and_writes_nothing(client_for, personas, health_child):
    client = client_for(personas.health_practitioner)
    before = AuditEvent.objects.count()
    bad = {**FORM, "partner_ages": "nineteen", "activity_date_month": "13", "C4": "yes", "C4_note": "Lives with an aunt"}
    response = client.post(reverse("referrals:assessment_add", args=[health_child.pk]), bad)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "‘nineteen’ is not an age" in page
    assert 'value="nineteen"' in page and "Lives with an aunt" in page and 'value="13"' in page
    assert not Assessment.objects.exists() and not Task.objects.exists()
    assert AuditEvent.objects.count() == before


def test_an_adult_is_out_of_scope(client_for, personas):
    from tests.factories import child as make_child

    older = make_child(dob=date(2005, 1, 1), involved=[personas.health])
    client = client_for(personas.health_practitioner)
    response = client.post(reverse("referrals:assessment_add", args=[older.pk]), FORM)
    assert response.status_code == 200 and "for children under 18" in response.content.decode()
    assert not Assessment.objects.exists()


def test_actions_other_than_referrals_are_marked_done_from_the_outcome_page(client_for, personas, health_child):
    assessment = assessment_for(personas.health_practitioner, health_child)
    client = client_for(personas.health_practitioner)
    url = reverse("referrals:assessment_action_done", args=[assessment.pk, "DISCUSS_CP_LEAD"])
    assert client.post(url).status_code == 302
    assert Task.objects.get(kind="sa_discuss_cp_lead").done_by == personas.health_practitioner
    assert client.post(reverse("referrals:assessment_action_done", args=[assessment.pk, "NOPE"])).status_code == 404


def test_an_anonymised_consultation_names_no_child(client_for, personas):
    client = client_for(personas.practitioner)
    response = client.post(reverse("referrals:consultation_add"), {
        "consulted_agency": personas.csc.pk, "consulted_person": "Duty social worker",
        "consulted_on_day": "2", "consulted_on_month": "3", "consulted_on_year": "2025",
        "age_band": "13_to_15", "summary": "A pupil of 15 with a partner of 16.", "advice": "Keep under review.",
    })
    assert response.status_code == 302, response.content.decode()
    consultation = Consultation.objects.get()
    assert consultation.consulted_agency == personas.csc
    event = AuditEvent.objects.get(verb=Verb.CONSULTATION_RECORDED)
    assert event.child_id is None and event.payload == {"consulted_agency_id": personas.csc.pk, "age_band": "13_to_15"}
    # The agency consulted sees it; an agency not part of it does not.
    assert client_for(personas.mash_worker).get(response["Location"]).status_code == 200
    assert client_for(personas.outsider).get(response["Location"]).status_code == 404


def test_the_api_records_an_assessment_with_the_same_rules(client_for, personas, health_child):
    client = client_for(personas.health_practitioner)
    url = reverse("api:assessments-list", args=[health_child.pk])
    response = client.post(url, {"activity_date": "2025-03-01", "partner_ages": [19, None]}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert {"code": "REFER_CSC", "strength": "must", "section": "9.5"}.items() <= next(
        a for a in body["outcome"]["actions"] if a["code"] == "REFER_CSC").items()
    bad = client.post(url, {"partner_ages": [], "criteria": {"C99": "yes"}}, content_type="application/json")
    assert bad.status_code == 400 and set(bad.json()) == {"partner_ages", "criteria"}
    assert client_for(personas.outsider).get(url).status_code == 404
