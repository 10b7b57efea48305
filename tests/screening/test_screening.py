"""Form A through the services and over HTTP: the rules' band decides what happens next."""

from __future__ import annotations

import dataclasses
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AuditEvent, Verb
from safeguard.children.models import ChronologyItem
from safeguard.notifications.models import Task
from safeguard.referrals.models import Referral
from safeguard.screening import services
from safeguard.screening.models import FormB, Screening
from tests.factories import access_for
from tests.factories import child as make_child


def header(child, **extra):
    return services.FormAHeader(referrer_name="Tara Teacher", organisation="Northgate Academy",
                                contact_details="0100 000000", child_name=child.full_name,
                                previous_cp_referral="no", **extra)


def submit(actor, child, ticked, **answers):
    return services.screening_submit(access=access_for(actor, child), header=header(child),
                                     answers=services.FormAAnswers(ticked=ticked, **answers))


@pytest.fixture
def kid(personas):
    return make_child(involved=[personas.school], lead=personas.school)


def test_three_risk_indicators_mean_form_b_and_a_referral_to_csc(personas, kid):
    screening = submit(personas.practitioner, kid, ["R1", "R5", "R6", "V2"], evidence={"R5": "Out until 2am"})
    assert screening.band == "concern" and screening.form_b_required
    assert screening.reasons[0]["text"] == "3 risk indicators (R1, R5, R6)"
    assert screening.referral.destination == "csc" and screening.referral.source == screening
    assert FormB.objects.get(screening=screening).status == "draft"
    assert ChronologyItem.objects.filter(child=kid, kind="screening").exists()
    assert ChronologyItem.objects.filter(child=kid, kind="form_b").exists()
    assert AuditEvent.objects.filter(verb=Verb.SCREENING_SUBMITTED, child_id=kid.pk).exists()
    assert AuditEvent.objects.filter(verb=Verb.FORM_B_CREATED, child_id=kid.pk).exists()


def test_one_significant_indicator_is_significant(personas, kid):
    screening = submit(personas.practitioner, kid, ["S1"])
    assert screening.band == "significant" and screening.reasons[0]["text"] == "significant risk indicator S1"
    assert Referral.objects.get(child=kid, destination="csc").priority == "red"
    assert submit(personas.practitioner, kid, ["R1", "R2", "R3"]).referral.priority == "amber"


def test_an_emerging_concern_asks_for_a_named_lead_discussion_and_a_review(personas, kid):
    screening = submit(personas.practitioner, kid, ["R3", "R9"])
    assert screening.band == "emerging" and not screening.form_b_required
    assert screening.review_due is not None and screening.referral is None
    assert Task.objects.filter(kind="screening_discussion", assignee=personas.named_lead).exists()
    review = Task.objects.get(kind="screening_review", assignee=personas.practitioner)
    assert review.due_at.date() == screening.review_due
    assert not FormB.objects.exists() and not Referral.objects.exists()


def test_nothing_ticked_is_recorded_and_nothing_follows(personas, kid):
    screening = submit(personas.practitioner, kid, [])
    assert screening.band == "none" and screening.actions == []
    assert not Task.objects.exists() and not Referral.objects.exists()


def test_not_referring_records_the_reason_and_the_user_and_sends_nothing(personas, kid):
    screening = submit(personas.practitioner, kid, ["S2"], not_referring_reason="Already open to CSC this week")
    assert screening.referral is None and screening.not_referring_reason == "Already open to CSC this week"
    assert not Referral.objects.exists()
    event = AuditEvent.objects.get(verb=Verb.NOT_REFERRING_RECORDED)
    assert event.actor == personas.practitioner
    assert FormB.objects.filter(screening=screening).exists()  # Form B is still required


def test_a_new_screening_supersedes_the_last_and_neither_changes(personas, kid):
    first = submit(personas.practitioner, kid, ["R1"])
    second = submit(personas.named_lead, kid, ["R1", "R2", "R3"])
    first.refresh_from_db()
    assert first.superseded_by == second and first.band == "emerging" and first.ticked == ["R1"]
    assert second.is_current
    assert AuditEvent.objects.filter(verb=Verb.SCREENING_SUPERSEDED, target_id=str(first.pk)).exists()
    assert not Task.objects.filter(kind="screening_review", done_at__isnull=True).exists()


def test_an_outsider_cannot_screen_a_child_they_cannot_see(personas, kid):
    # The gate answers as for a record that does not exist; a service never sees the request.
    with pytest.raises(Http404):
        submit(personas.outsider, kid, ["S1"])
    assert not Screening.objects.exists()


def test_the_services_refuse_an_access_that_may_not_change_the_record(personas, kid):
    from dataclasses import replace

    read_only = replace(access_for(personas.practitioner, kid), can_change=False)
    with pytest.raises(PermissionDenied):
        services.screening_submit(access=read_only, header=header(kid), answers=services.FormAAnswers(ticked=["S1"]))
    assert not Screening.objects.exists()
    screening = submit(personas.practitioner, kid, ["S1", "S3"])
    form_b = FormB.objects.get(screening=screening)
    mash = replace(access_for(personas.mash_worker, kid), can_change=False)
    with pytest.raises(PermissionDenied):
        services.form_b_update(access=mash, form_b=form_b,
                               data=services.FormBData(indicators=[], exploitation_models=[]))
    with pytest.raises(PermissionDenied):
        services.form_b_contribute(access=mash, form_b=form_b, text="A note")
    assert not form_b.contributions.exists()


def test_a_form_b_is_only_changed_through_its_own_childs_access(personas, kid):
    other = make_child(involved=[personas.school])
    form_b = FormB.objects.get(screening=submit(personas.practitioner, kid, ["S1", "S3"]))
    with pytest.raises(PermissionDenied):
        services.form_b_contribute(access=access_for(personas.practitioner, other), form_b=form_b, text="A note")
    assert not form_b.contributions.exists()


def test_form_b_needs_analysis_and_risk_level_to_complete_and_high_prompts_the_panel(personas, kid):
    screening = submit(personas.practitioner, kid, ["S1", "S3"])
    form_b = FormB.objects.get(screening=screening)
    data = services.FormBData(indicators=["U1", "I12"], exploitation_models=["boyfriend"])
    with pytest.raises(ValidationError) as error:
        services.form_b_update(access=access_for(personas.mash_worker, form_b.child), form_b=form_b, data=data, complete=True)
    assert set(error.value.message_dict) == {"analysis", "risk_level"}
    with pytest.raises(PermissionDenied):  # other agencies contribute; they do not complete
        services.form_b_update(access=access_for(personas.practitioner, form_b.child), form_b=form_b, data=data)
    done = services.form_b_update(
        access=access_for(personas.mash_worker, form_b.child), form_b=form_b, complete=True,
        data=services.FormBData(indicators=["U1", "I12"], exploitation_models=["boyfriend"],
                                analysis="Picked up by cars at night", risk_level="high"))
    assert done.status == "complete" and done.suggested_risk_level == "high"
    referral = services.form_b_refer_to_panel(access=access_for(personas.mash_worker, done.child), form_b=done)
    assert referral.destination == "marp"
    assert services.form_b_refer_to_panel(access=access_for(personas.mash_worker, done.child), form_b=done) == referral  # once only
    with pytest.raises(ValidationError):
        services.form_b_update(access=access_for(personas.mash_worker, done.child), form_b=done, data=data)


def test_the_suggested_level_explains_itself():
    from safeguard.rules.form_b_risk import suggest_risk_level

    high = suggest_risk_level(screening_band="significant", significant=["S1"], indicators=["U1"], trafficking=False)
    assert high.level == "high" and "going missing (U1)" in high.reasons
    medium = suggest_risk_level(screening_band="concern", significant=[], indicators=[], trafficking=False)
    assert medium.level == "medium"
    low = suggest_risk_level(screening_band="emerging", significant=[], indicators=["I5"], trafficking=False)
    assert low.level == "low" and low.reasons == ("no escalating indicator recorded",)


# -- over HTTP ----------------------------------------------------------------------------------

FORM = {"referrer_name": "Tara", "organisation": "Northgate Academy", "contact_details": "0100",
        "child_name": "Jodie Smyth", "previous_cp_referral": "no"}


def test_the_form_is_prefilled_and_uses_the_official_labels(client_for, personas, kid):
    page = client_for(personas.practitioner).get(reverse("screening:new", args=[kid.pk])).content.decode()
    for label in ("History of local authority care", "Older &#x27;boyfriend&#x27; / relationship with controlling adult",
                  "Entering / leaving vehicles driven by unknown adults", "Name of person making referral"):
        assert label in page
    assert 'value="Jodie Smyth"' in page and 'value="Northgate Academy"' in page


def test_submitting_three_risk_indicators_shows_form_b_required_with_reasons(client_for, personas, kid):
    client = client_for(personas.practitioner)
    response = client.post(reverse("screening:new", args=[kid.pk]),
                           {**FORM, "ticked": ["R1", "R5", "R6"], "evidence_R5": "Out until 2am"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Form B required" in page and "3 risk indicators (R1, R5, R6)" in page
    assert "A referral to children's social care" in page
    mash_home = client_for(personas.mash_worker).get(reverse("home")).content.decode()
    assert "Jodie Smyth" in mash_home and "Referrals to children's social care waiting" in mash_home


def test_bad_input_keeps_what_was_typed_and_writes_nothing(client_for, personas, kid):
    client = client_for(personas.practitioner)
    response = client.post(reverse("screening:new", args=[kid.pk]), {
        **FORM, "previous_cp_referral": "", "ticked": ["R1"], "evidence_R1": "Excluded twice",
        "evidence_S1": "note on an unticked item", "not_referring": "on"})
    page = response.content.decode()
    assert response.status_code == 200 and not Screening.objects.exists()
    assert "Select whether a child protection referral was made before" in page
    assert "Say why you are not referring" in page and "or remove its evidence" in page
    assert "Excluded twice" in page and 'value="R1" checked' in page


def test_a_flagged_evidence_note_can_be_kept_and_the_choice_is_recorded(client_for, personas, kid):
    client = client_for(personas.practitioner)
    data = {**FORM, "ticked": ["R5"], "evidence_R5": "She is streetwise and stays out"}
    page = client.post(reverse("screening:new", args=[kid.pk]), data).content.decode()
    assert "Check your wording" in page and not Screening.objects.exists()
    response = client.post(reverse("screening:new", args=[kid.pk]), {**data, "keep_wording": "on"})
    assert response.status_code == 302
    screening = Screening.objects.get()
    assert screening.language_flags_kept == {"evidence_R5": ["streetwise"]}
    assert AuditEvent.objects.filter(verb=Verb.LANGUAGE_FLAG_KEPT, child_id=kid.pk).exists()


def test_an_outsider_gets_404_on_every_screening_page(client_for, personas, kid):
    screening = submit(personas.practitioner, kid, ["R1"])
    client = client_for(personas.outsider)
    for url in (reverse("screening:new", args=[kid.pk]), reverse("screening:list", args=[kid.pk]),
                reverse("screening:detail", args=[kid.pk, screening.pk])):
        assert client.get(url).status_code == 404


def test_home_and_screening_list_query_counts_are_bounded(client_for, personas, django_assert_max_num_queries):
    kids = [make_child(first_name=f"Child{i}", involved=[personas.school]) for i in range(6)]
    for k in kids:
        submit(personas.practitioner, k, ["R1"])
        submit(personas.practitioner, k, ["R1", "R2", "R3"])
    client = client_for(personas.practitioner)
    # "Your agency's children" asks which of its recent children the user may see by id, then reads
    # only the ten it shows (one more query than reading all of them whole).
    with django_assert_max_num_queries(21):
        assert client.get(reverse("home")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("screening:list", args=[kids[0].pk])).status_code == 200


def test_the_api_submits_and_lists_with_the_same_rules(client_for, personas, kid):
    client = client_for(personas.practitioner)
    url = reverse("api:children-screenings", args=[kid.pk])
    response = client.post(url, {**FORM, "ticked": ["S3"], "evidence": {"S3": "Silver car"}},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["band"] == "significant" and response.json()["referral"] is not None
    assert client.get(url).json()["count"] == 1
    bad = client.post(url, {**FORM, "ticked": ["R1"], "evidence": {"S1": "x"}}, content_type="application/json")
    assert bad.status_code == 400 and not Screening.objects.filter(band="emerging").exists()
    assert client_for(personas.outsider).get(url).status_code == 404


def test_a_review_coming_due_alerts_once(personas, kid):
    from datetime import timedelta

    from django.utils import timezone

    from safeguard.notifications.models import Notification
    from safeguard.screening.tick import screening_reviews_due_alert

    screening = submit(personas.practitioner, kid, ["R1"])
    assert screening_reviews_due_alert(now=timezone.now()) == 0  # 28 days to go
    due = timezone.make_aware(timezone.datetime.combine(screening.review_due, timezone.datetime.min.time()))
    assert screening_reviews_due_alert(now=due + timedelta(hours=9)) == 2  # the practitioner and the named lead
    assert screening_reviews_due_alert(now=due + timedelta(days=1)) == 0  # once only
    assert Notification.objects.filter(kind="screening_review_due", recipient=personas.practitioner).count() == 1


def test_a_tick_with_no_review_newly_due_reads_nothing_else(personas, kid, django_assert_max_num_queries):
    """Work proportional to what is due (issue 15): alerted screenings are marked and never re-read."""
    from datetime import timedelta

    from django.utils import timezone

    from safeguard.screening.tick import screening_reviews_due_alert

    for _ in range(3):
        screening = submit(personas.practitioner, kid, ["R1"])
    due = timezone.make_aware(timezone.datetime.combine(screening.review_due, timezone.datetime.min.time()))
    assert screening_reviews_due_alert(now=due + timedelta(hours=9)) == 2  # only the current screening
    screening.refresh_from_db()
    assert screening.review_alerted_at is not None
    with django_assert_max_num_queries(1):
        assert screening_reviews_due_alert(now=due + timedelta(days=1)) == 0


def test_the_home_page_lists_the_agencys_children_and_the_result_shows_the_band_as_a_tag(client_for, personas, kid):
    screening = submit(personas.practitioner, kid, ["R3", "R9"])
    client = client_for(personas.practitioner)
    home = client.get(reverse("home")).content.decode()
    assert 'id="my-children"' in home and "Jodie Smyth" in home
    assert "Screenings due for review" in home and "Review the CSE screening of Jodie Smyth" in home
    result = client.get(reverse("screening:detail", args=[kid.pk, screening.pk])).content.decode()
    assert 'govuk-tag govuk-tag--yellow">Emerging concern' in result and screening.rules_version in result
    assert 'id="my-children"' not in client_for(personas.outsider).get(reverse("home")).content.decode()
    analyst = client_for(personas.analyst).get(reverse("home")).content.decode()
    assert "agency-level information only" in analyst


# -- Form A's header and the decision not to refer (issue 10 item 12) ----------------------------

def _form_a(client, kid) -> str:
    return client.get(reverse("screening:new", args=[kid.pk])).content.decode()


def test_a_previous_referral_on_the_record_is_prefilled(client_for, personas, kid):
    page = _form_a(client_for(personas.practitioner), kid)
    assert not re.search(r'name="previous_cp_referral" value="yes"[^>]*checked', page)
    screening = submit(personas.practitioner, kid, ["S1"])  # sends a referral to children's social care
    sent = timezone.localtime(screening.referral.sent_at)
    page = _form_a(client_for(personas.practitioner), kid)
    assert re.search(r'name="previous_cp_referral" value="yes"[^>]*checked', page)
    assert f'value="{sent.day} {sent:%B %Y}"' in page


def test_an_earlier_yes_is_prefilled_with_its_when(client_for, personas, kid):
    services.screening_submit(access=access_for(personas.practitioner, kid),
                              header=dataclasses.replace(header(kid), previous_cp_referral="yes",
                                                         previous_cp_referral_when="Spring 2023"),
                              answers=services.FormAAnswers(ticked=["R1"]))
    page = _form_a(client_for(personas.practitioner), kid)
    assert re.search(r'name="previous_cp_referral" value="yes"[^>]*checked', page)
    assert 'value="Spring 2023"' in page


def test_why_not_referring_is_revealed_by_the_box_and_required_without_optional(client_for, personas, kid):
    client = client_for(personas.practitioner)
    page = _form_a(client, kid)
    assert "Why you are not referring (optional)" not in page and "If yes, when? (optional)" not in page
    assert re.search(r'id="id_not_referring"[^>]*aria-controls="conditional-id_not_referring"', page) or re.search(
        r'aria-controls="conditional-id_not_referring"[^>]*id="id_not_referring"', page)
    assert 'class="govuk-checkboxes__conditional govuk-checkboxes__conditional--hidden" ' \
           'id="conditional-id_not_referring"' in page
    assert 'aria-controls="conditional-id_previous_cp_referral"' in page
    assert 'id="conditional-id_previous_cp_referral"' in page
    assert "aria-expanded" not in page
    response = client.post(reverse("screening:new", args=[kid.pk]), {
        "referrer_name": "Tara", "organisation": "Northgate Academy", "contact_details": "0100",
        "child_name": kid.full_name, "previous_cp_referral": "no", "ticked": ["S1"], "not_referring": "on",
    })
    page = response.content.decode()
    assert response.status_code == 200 and not Screening.objects.exists()
    assert "Say why you are not referring to children&#x27;s social care" in page
    # The error is inside the revealed questions, which are shown because the box is ticked.
    assert 'class="govuk-checkboxes__conditional" id="conditional-id_not_referring"' in page
