"""Issue 11 item 8: actions are owned only by agencies that work with children, and an account
without a child-level role never sees a child's name or an action's text in tasks or notifications."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safeguard.notifications.models import Notification, Task
from safeguard.notifications.services import notify, task_open
from safeguard.screening import services
from safeguard.screening.forms import SafetyActionForm
from safeguard.screening.models import FormB
from tests.factories import access_for
from tests.factories import child as make_child


@pytest.fixture
def form_b(personas):
    kid = make_child(first_name="Kayleigh", last_name="Dunmore", involved=[personas.school], lead=personas.school)
    screening = services.screening_submit(
        access=access_for(personas.practitioner, kid),
        header=services.FormAHeader(referrer_name="Tara", organisation="Northgate Academy", contact_details="0100",
                                    child_name=kid.full_name, previous_cp_referral="no"),
        answers=services.FormAAnswers(ticked=["S3"]),
    )
    return FormB.objects.get(screening=screening)


def test_the_partnership_board_cannot_own_a_safety_action(personas, form_b):
    with pytest.raises(ValidationError) as refused:
        services.safety_action_add(access=access_for(personas.mash_worker, form_b.child), form_b=form_b,
                                   description="Visit the hotel with the manager", owner_name="Ann",
                                   owner_agency=personas.lscb, due_on=timezone.localdate() + timedelta(days=3))
    assert "works with children" in str(refused.value)
    assert not Task.objects.filter(agency=personas.lscb).exists()
    choices = set(SafetyActionForm(prefix="plan").fields["owner_agency"].queryset)
    assert personas.lscb not in choices and personas.police in choices and personas.school in choices


def test_an_analyst_and_an_administrator_see_no_child_details(client_for, personas, form_b):
    kid = form_b.child
    # A team task and a notification about the child, addressed to the board's agency and people.
    task_open(kind="safety_action", title="Safety plan action for {child}: visit the hotel",
              url="/", agency=personas.lscb, child=kid)
    notify(recipients=[personas.analyst, personas.admin], kind="safety_action",
           title="About {child}", url="/", child=kid)
    for note in Notification.objects.filter(recipient__in=[personas.analyst, personas.admin]):
        assert note.child is None and "Dunmore" not in note.title and "a child" in note.title
    for person in (personas.analyst, personas.admin):
        client = client_for(person)
        for name in ("home", "notifications:inbox"):
            page = client.get(reverse(name)).content.decode()
            assert "Dunmore" not in page and "visit the hotel" not in page, (person, name)
