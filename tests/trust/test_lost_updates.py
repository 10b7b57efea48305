"""Issue 11 item 12: two people editing the same record — the second save never silently overwrites
the first. Pages show both versions and keep what was typed; the API answers 409 with both."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguard.children import services as children
from safeguard.missing import services as missing
from safeguard.platform.versioning import StaleEdit
from safeguard.screening import services as screening
from safeguard.screening.models import FormB
from tests.factories import access_for
from tests.factories import child as make_child


def _form_b(personas, kid):
    submitted = screening.screening_submit(
        access=access_for(personas.practitioner, kid),
        header=screening.FormAHeader(referrer_name="Tara", organisation="Northgate Academy", contact_details="0100",
                                     child_name=kid.full_name, previous_cp_referral="no"),
        answers=screening.FormAAnswers(ticked=["S3"]),
    )
    return FormB.objects.get(screening=submitted)


def _analysis(text):
    return screening.FormBData(indicators=[], exploitation_models=[], analysis=text)


@pytest.fixture
def kid(personas):
    return make_child(first_name="Jodie", last_name="Smyth", involved=[personas.school], lead=personas.school)


def test_a_stale_child_record_save_shows_both_versions_and_keeps_what_was_typed(client_for, personas, kid):
    client = client_for(personas.practitioner)
    url = reverse("children:edit", args=[kid.pk])
    opened = client.get(url)
    assert 'name="version" value="1"' in opened.content.decode()
    # Someone else saves first.
    children.child_update(access=access_for(personas.named_lead, kid),
                          data=children.ChildData("Jodie", "Smyth", {"school": "Northgate Academy"}), version=1)
    answer = client.post(url, {"version": "1", "first_name": "Jodie", "last_name": "Smyth", "gender": "female",
                               "looked_after": "no", "school": "Riverside College"})
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "This record changed since you opened it" in page
    assert "Riverside College" in page and "Northgate Academy" in page  # side by side
    assert 'name="version" value="2"' in page  # saving again keeps theirs, knowingly
    kid.refresh_from_db()
    assert kid.school == "Northgate Academy" and kid.version == 2
    again = client.post(url, {"version": "2", "first_name": "Jodie", "last_name": "Smyth", "gender": "female",
                              "looked_after": "no", "school": "Riverside College"})
    assert again.status_code == 302
    kid.refresh_from_db()
    assert kid.school == "Riverside College" and kid.version == 3


def test_a_stale_form_b_save_is_refused_on_the_page(client_for, personas, kid):
    form_b = _form_b(personas, kid)
    url = reverse("screening:form_b", args=[kid.pk, form_b.pk])
    screening.form_b_update(access=access_for(personas.mash_worker, kid), form_b=form_b,
                            data=_analysis("First worker's analysis"), version=1)
    answer = client_for(personas.mash_worker).post(url, {"action": "save", "version": "1",
                                                         "analysis": "Second worker's analysis"})
    page = answer.content.decode()
    assert answer.status_code == 200 and "This record changed since you opened it" in page
    assert "First worker&#x27;s analysis" in page and "Second worker&#x27;s analysis" in page
    form_b.refresh_from_db()
    assert form_b.analysis == "First worker's analysis" and form_b.version == 2


def test_the_profile_api_answers_409_with_both_versions(client_for, personas, kid):
    missing.profile_update(access=access_for(personas.practitioner, kid), data=missing.ProfileData(description="Tall"))
    client = client_for(personas.practitioner)
    url = reverse("api:missing-profile", args=[kid.pk])
    read = client.get(url)
    assert read["ETag"] == '"1"' and read.json()["version"] == 1
    first = client.put(url, {"description": "Tall, red coat"}, content_type="application/json", HTTP_IF_MATCH='"1"')
    assert first.status_code == 200 and first["ETag"] == '"2"'
    stale = client.put(url, {"description": "Short"}, content_type="application/json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 409
    body = stale.json()
    assert body["current_version"] == 2 and body["current"]["description"] == "Tall, red coat"
    assert body["yours"]["description"] == "Short"
    in_body = client.put(url, {"description": "Short", "version": 1}, content_type="application/json")
    assert in_body.status_code == 409


def test_a_stale_classification_is_refused(personas, kid):
    from tests.missing.builders import report

    episode = report(personas.practitioner, kid)
    access = access_for(personas.practitioner, kid)
    missing.episode_classify(access=access, episode=episode, classification="absent", reason="Seen nearby", version=1)
    with pytest.raises(StaleEdit) as stale:
        missing.episode_classify(access=access, episode=episode, classification="absent", reason="x", version=1)
    assert stale.value.current_version == 2 and stale.value.current["classification"] == "Absent"


# -- races on PostgreSQL: two connections save the version they both opened ------------------------


def _save_form_b(user_pk, form_b_pk, text):
    from safeguard.accounts.models import User

    form_b = FormB.objects.select_related("child").get(pk=form_b_pk)
    try:
        screening.form_b_update(access=access_for(User.objects.get(pk=user_pk), form_b.child), form_b=form_b,
                                data=_analysis(text), version=1)
    except StaleEdit:
        return "stale"
    return "saved"


@pytest.mark.django_db(transaction=True)
def test_two_form_b_saves_at_once_one_wins_the_other_is_told(race):
    from tests.factories import make_personas

    personas = make_personas()
    kid = make_child(involved=[personas.school], lead=personas.school)
    form_b = _form_b(personas, kid)
    outcomes = race(*[lambda t=t: _save_form_b(personas.mash_worker.pk, form_b.pk, t) for t in ("first", "second")])
    assert sorted(outcomes) == ["saved", "stale"], outcomes
    form_b.refresh_from_db()
    assert form_b.version == 2 and form_b.analysis == ["first", "second"][outcomes.index("saved")]


def _save_child(user_pk, child_pk, school):
    from safeguard.accounts.models import User
    from safeguard.children.models import Child

    kid = Child.objects.get(pk=child_pk)
    try:
        children.child_update(access=access_for(User.objects.get(pk=user_pk), kid),
                              data=children.ChildData(kid.first_name, kid.last_name, {"school": school}), version=1)
    except StaleEdit:
        return "stale"
    return "saved"


@pytest.mark.django_db(transaction=True)
def test_two_child_record_saves_at_once_one_wins_the_other_is_told(race):
    from tests.factories import make_personas

    personas = make_personas()
    kid = make_child(involved=[personas.school], lead=personas.school)
    schools = ["Northgate Academy", "Riverside College"]
    outcomes = race(*[lambda s=s: _save_child(personas.practitioner.pk, kid.pk, s) for s in schools])
    assert sorted(outcomes) == ["saved", "stale"], outcomes
    kid.refresh_from_db()
    assert kid.version == 2 and kid.school == schools[outcomes.index("saved")]
