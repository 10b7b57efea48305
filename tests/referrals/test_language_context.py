"""`consent` is not flagged in the reasons of a §9 assessment or decision about sexual activity between
peers aged 13 and over (§9.2, §9.7), where the handbook itself weighs whether it was consensual; it
stays flagged everywhere else, the live check included (issue 10 item 19)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguard.referrals.forms import AssessmentForm
from safeguard.referrals.models import Assessment, DecisionRecord
from safeguard.referrals.services import assessment_language_context
from safeguard.rules import sexual_activity as sa
from tests.factories import child as make_child

from .conftest import assessment_for

CONSENSUAL = "Both say the relationship is consensual and has lasted a year."


@pytest.mark.parametrize(
    ("child_age", "partner_ages", "peers"),
    [
        (15, [16], True),  # §9.2: 13-15 with a peer
        (13, [13], True),
        (16, [17, 16], True),
        (17, [19], True),  # two years apart at 16-17 is not a considerable difference
        (12, [13], False),  # under 13: never (§9.5)
        (14, [12], False),  # a partner under 13
        (14, [19], False),  # considerably older (SA4)
        (16, [26], False),  # ten years older at 16-17 (SA4)
        (15, [None], False),  # a partner's age not known
        (15, [], False),
        (15, [16, 30], False),  # one of several partners considerably older
    ],
)
def test_peers_aged_13_and_over(child_age, partner_ages, peers):
    assert sa.peers_aged_13_and_over(child_age, partner_ages) is peers
    assert assessment_language_context(child_age=child_age, partner_ages=partner_ages) == (
        "peer_sexual_activity" if peers else "")


@pytest.fixture
def fifteen(personas):
    from datetime import date

    return make_child(first_name="Amir", last_name="Haddad", dob=date(2010, 1, 1), involved=[personas.school],
                      lead=personas.school)


def _assessment_data(partner_ages, summary=CONSENSUAL):
    return {"activity_date_day": "1", "activity_date_month": "3", "activity_date_year": "2025",
            "partner_ages": partner_ages, "summary": summary}


@pytest.mark.parametrize(
    ("partner_ages", "summary", "flagged"),
    [
        ("16", CONSENSUAL, []),
        ("30", CONSENSUAL, ["consent"]),  # not peers: flagged
        ("not known", CONSENSUAL, ["consent"]),
        ("16", "She is streetwise; the relationship is consensual.", ["streetwise"]),  # other families stay
    ],
)
def test_the_assessment_form_lets_consent_stand_between_peers(fifteen, partner_ages, summary, flagged):
    form = AssessmentForm(_assessment_data(partner_ages, summary), child=fifteen)
    form.is_valid()
    assert sorted({f.code for flags in form.language_flags.values() for f in flags}) == flagged


def test_a_decision_resting_on_a_peer_assessment_lets_consent_stand(client_for, personas, fifteen):
    peer = assessment_for(personas.practitioner, fifteen, partner_ages=[16], criteria={"C4": "yes"})
    client = client_for(personas.practitioner)
    url = reverse("referrals:decision_add", args=[fifteen.pk]) + f"?assessment={peer.pk}"
    page = client.get(url).content.decode()
    assert "peer_sexual_activity" in page  # the live check is told where the text is written
    data = {"kind": "not_refer", "destination": "csc", "decision": "Not to refer", "reasons": CONSENSUAL}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    assert DecisionRecord.objects.get().language_flags_kept == {}


def test_a_decision_about_an_older_partner_flags_consent(client_for, personas, fifteen):
    older = assessment_for(personas.practitioner, fifteen, partner_ages=[24])
    assert Assessment.objects.count() == 1
    client = client_for(personas.practitioner)
    url = reverse("referrals:decision_add", args=[fifteen.pk]) + f"?assessment={older.pk}"
    assert "peer_sexual_activity" not in client.get(url).content.decode()
    response = client.post(url, {"kind": "not_refer", "destination": "csc", "decision": "Not to refer",
                                 "reasons": CONSENSUAL})
    assert response.status_code == 200 and "‘consensual’" in response.content.decode()


def test_any_other_decision_flags_consent(client_for, personas, fifteen):
    response = client_for(personas.practitioner).post(
        reverse("referrals:decision_add", args=[fifteen.pk]),
        {"kind": "close", "decision": "Close the case", "reasons": CONSENSUAL},
    )
    assert response.status_code == 200 and "‘consensual’" in response.content.decode()


@pytest.mark.parametrize(
    ("context", "flagged"),
    [("peer_sexual_activity", False), ("", True), ("somewhere_else", True)],
)
def test_the_live_check_takes_the_context_it_knows(client_for, personas, context, flagged):
    response = client_for(personas.practitioner).post(
        reverse("language:check"), {"reasons": CONSENSUAL, "language_context": context},
        HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="reasons",
    )
    assert response.status_code == 200 and ("‘consensual’" in response.content.decode()) is flagged


# -- the API asks the same as the forms (issue 10: the §9 serializers had no language check) ----------

STREETWISE = "She is streetwise and knew what she was doing."


def _post(client, name, args, body):
    return client.post(reverse(name, args=args), body, content_type="application/json")


def test_the_api_refuses_flagged_wording_in_a_referral_until_it_is_kept(client_for, personas, fifteen):
    client = client_for(personas.practitioner)
    body = {"child": fifteen.pk, "destination": "csc", "reason": STREETWISE}
    refused = _post(client, "api:referrals-list", [], body)
    assert refused.status_code == 400
    assert "reason" in refused.json() and "keep_wording" in refused.json()
    kept = _post(client, "api:referrals-list", [], {**body, "keep_wording": True})
    assert kept.status_code == 201, kept.content
    from safeguard.referrals.models import Referral

    assert Referral.objects.count() == 1  # the refused one wrote nothing


def test_the_api_checks_an_outcome(client_for, personas, fifteen):
    referral = _post(client_for(personas.practitioner), "api:referrals-list", [],
                     {"child": fifteen.pk, "destination": "csc", "reason": "Partner aged 19"}).json()
    mash = client_for(personas.mash_worker)
    assert _post(mash, "api:referrals-status", [referral["id"]], {"action": "accept"}).status_code == 200
    refused = _post(mash, "api:referrals-outcome", [referral["id"]], {"outcome": STREETWISE})
    assert refused.status_code == 400 and "outcome" in refused.json()
    kept = _post(mash, "api:referrals-outcome", [referral["id"]], {"outcome": STREETWISE, "keep_wording": True})
    assert kept.status_code == 200 and kept.json()["status"] == "outcome_recorded"


@pytest.mark.parametrize(("partner_ages", "flagged"), [([16], False), ([30], True)])
def test_the_api_lets_consent_stand_in_an_assessment_between_peers_only(client_for, personas, fifteen,
                                                                       partner_ages, flagged):
    body = {"activity_date": "2025-03-01", "partner_ages": partner_ages, "summary": CONSENSUAL}
    response = _post(client_for(personas.practitioner), "api:assessments-list", [fifteen.pk], body)
    assert (response.status_code == 400) is flagged, response.content
    if flagged:
        assert "summary" in response.json()
    else:
        assert Assessment.objects.get().language_flags_kept == {}


def test_the_api_checks_each_criterion_note_and_records_what_was_kept(client_for, personas, fifteen):
    body = {"activity_date": "2025-03-01", "partner_ages": [16], "criteria": {"C3": "yes"},
            "criteria_notes": {"C3": STREETWISE}}
    client = client_for(personas.practitioner)
    refused = _post(client, "api:assessments-list", [fifteen.pk], body)
    assert refused.status_code == 400 and "C3_note" in refused.json()
    kept = _post(client, "api:assessments-list", [fifteen.pk], {**body, "keep_wording": True})
    assert kept.status_code == 201
    assert Assessment.objects.get().language_flags_kept == {"C3_note": ["streetwise"]}


def test_the_api_checks_a_decision_in_the_context_of_its_assessment(client_for, personas, fifteen):
    peer = assessment_for(personas.practitioner, fifteen, partner_ages=[16], criteria={"C4": "yes"})
    client = client_for(personas.practitioner)
    body = {"kind": "not_refer", "destination": "csc", "decision": "Not to refer", "reasons": CONSENSUAL}
    resting = _post(client, "api:decisions-list", [fifteen.pk], {**body, "assessment": peer.pk})
    assert resting.status_code == 201, resting.content  # between peers, consent may be weighed (§9.2)
    alone = _post(client, "api:decisions-list", [fifteen.pk], {**body, "kind": "close"})
    assert alone.status_code == 400 and "reasons" in alone.json()
    url = reverse("api:decisions-detail", args=[resting.json()["id"]])
    patch = client.patch(url, {"information": STREETWISE, "version": resting.json()["version"]},
                         content_type="application/json")
    assert patch.status_code == 400 and "information" in patch.json()
    kept = client.patch(url, {"information": STREETWISE, "version": resting.json()["version"], "keep_wording": True},
                        content_type="application/json")
    assert kept.status_code == 200, kept.content
    assert DecisionRecord.objects.get(pk=resting.json()["id"]).language_flags_kept == {"information": ["streetwise"]}
