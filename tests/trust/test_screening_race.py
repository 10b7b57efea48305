"""Issue 11 item 13: one current screening per child, whatever arrives at once."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from safeguard.screening import services
from safeguard.screening.models import Screening
from tests.factories import access_for, child, make_personas


def _submit(user_pk, child_pk):
    from safeguard.accounts.models import User
    from safeguard.children.models import Child

    kid = Child.objects.get(pk=child_pk)
    header = services.FormAHeader(referrer_name="Tara Teacher", organisation="Northgate Academy",
                                  contact_details="0100 000000", child_name=kid.full_name, previous_cp_referral="no")
    return services.screening_submit(access=access_for(User.objects.get(pk=user_pk), kid), header=header,
                                     answers=services.FormAAnswers(ticked=["R3", "R9"])).pk


@pytest.mark.django_db(transaction=True)
def test_twenty_screenings_at_once_leave_exactly_one_current(race):
    personas = make_personas()
    kid = child(involved=[personas.school], lead=personas.school)
    results = race(*[lambda: _submit(personas.practitioner.pk, kid.pk) for _ in range(20)])
    assert all(isinstance(r, int) for r in results), results
    assert Screening.objects.filter(child=kid).count() == 20
    current = Screening.objects.filter(child=kid, superseded_by__isnull=True)
    assert current.count() == 1
    # Each superseded screening points at a later one: the chain ends at the current screening.
    assert current.get().pk == max(results)


@pytest.mark.django_db
def test_the_database_refuses_a_second_current_screening(personas):
    kid = child(involved=[personas.school], lead=personas.school)
    first = Screening.objects.get(pk=_submit(personas.practitioner.pk, kid.pk))
    with pytest.raises(IntegrityError), transaction.atomic():
        Screening.objects.create(
            child=kid, agency=personas.school, submitted_by=personas.practitioner, submitted_at=first.submitted_at,
            referrer_name="x", organisation="x", contact_details="x", child_name="x", previous_cp_referral="no",
            band="none", form_b_required=False, rules_version="test",
        )
    second = _submit(personas.practitioner.pk, kid.pk)
    first.refresh_from_db()
    assert first.superseded_by_id == second
