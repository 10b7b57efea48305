"""Issue 10 item 3: one open draft Form B per child. A second screening needing Form B joins the
open draft and says so; the database holds it whatever the route, and at once."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AuditEvent, Verb
from safeguard.screening import services
from safeguard.screening.models import FormB, Screening
from tests.factories import access_for, make_personas
from tests.factories import child as make_child


def _submit(user_pk, child_pk, ticked=("S1",)):
    from safeguard.accounts.models import User
    from safeguard.children.models import Child

    kid = Child.objects.get(pk=child_pk)
    header = services.FormAHeader(referrer_name="Tara Teacher", organisation="Northgate Academy",
                                  contact_details="0100 000000", child_name=kid.full_name, previous_cp_referral="no")
    return services.screening_submit(access=access_for(User.objects.get(pk=user_pk), kid), header=header,
                                     answers=services.FormAAnswers(ticked=list(ticked)))


@pytest.fixture
def kid(personas):
    return make_child(involved=[personas.school, personas.health], lead=personas.school)


def test_a_second_screening_needing_form_b_joins_the_open_draft(personas, kid):
    first = _submit(personas.practitioner.pk, kid.pk)
    second = _submit(personas.health_practitioner.pk, kid.pk, ["R1", "R5", "R6"])
    draft = FormB.objects.get(child=kid)
    assert draft.screening == first and draft.status == "draft"
    assert second.joined_form_b == draft and not second.form_bs.exists()
    assert AuditEvent.objects.filter(verb=Verb.FORM_B_UPDATED, child_id=kid.pk,
                                     payload__joined_by_screening=second.pk).exists()


def test_the_result_page_and_form_b_say_it_joined(client_for, personas, kid):
    _submit(personas.practitioner.pk, kid.pk)
    second = _submit(personas.health_practitioner.pk, kid.pk, ["S3"])
    draft = FormB.objects.get(child=kid)
    page = client_for(personas.health_practitioner).get(
        reverse("screening:detail", args=[kid.pk, second.pk])).content.decode()
    assert "so this screening joined it rather than opening a second one" in page
    assert reverse("screening:form_b", args=[kid.pk, draft.pk]) in page
    page = client_for(personas.mash_worker).get(reverse("screening:form_b", args=[kid.pk, draft.pk])).content.decode()
    assert "Later screenings that needed Form B joined this draft" in page
    assert reverse("screening:detail", args=[kid.pk, second.pk]) in page


def test_home_pages_show_one_line_per_child(client_for, personas, kid):
    _submit(personas.practitioner.pk, kid.pk)
    _submit(personas.health_practitioner.pk, kid.pk, ["S2"])
    draft = FormB.objects.get(child=kid)
    link = f'href="{reverse("screening:form_b", args=[kid.pk, draft.pk])}"'
    assert client_for(personas.mash_worker).get("/").content.decode().count(link) == 1
    # The health practitioner's screening joined the draft: it is on their home page too, once.
    assert client_for(personas.health_practitioner).get("/").content.decode().count(link) == 1


def test_a_completed_form_b_leaves_room_for_a_new_draft(personas, kid):
    _submit(personas.practitioner.pk, kid.pk)
    draft = FormB.objects.get(child=kid)
    services.form_b_update(access=access_for(personas.mash_worker, kid), form_b=draft, complete=True,
                           data=services.FormBData(indicators=[], exploitation_models=[], analysis="Done",
                                                   risk_level="medium"))
    later = _submit(personas.practitioner.pk, kid.pk)
    assert later.joined_form_b is None and later.form_bs.get().status == "draft"
    assert FormB.objects.filter(child=kid).count() == 2


def test_the_database_refuses_a_second_open_draft(personas, kid):
    _submit(personas.practitioner.pk, kid.pk)
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        FormB.objects.create(child=kid, created_by=personas.mash_worker, created_at=now,
                             updated_by=personas.mash_worker, updated_at=now)


@pytest.mark.django_db(transaction=True)
def test_screenings_at_once_open_exactly_one_draft(race):
    personas = make_personas()
    kid = make_child(involved=[personas.school], lead=personas.school)
    results = race(*[lambda: _submit(personas.practitioner.pk, kid.pk).pk for _ in range(8)])
    assert all(isinstance(r, int) for r in results), results
    assert FormB.objects.filter(child=kid, status="draft").count() == 1
    draft = FormB.objects.get(child=kid)
    assert Screening.objects.filter(child=kid, joined_form_b=draft).count() == 7
