"""Issue 11 items 10 and 11: only the destination team moves a referral on, each move runs under a
row lock and checks the transition there, and a losing request is told who won and when."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from safeguard.audit.models import AuditEvent, Verb
from safeguard.referrals import services
from safeguard.referrals.models import Referral, ReferralEvent, Status
from tests.factories import access_for


def _sent(personas, child):
    return services.referral_open(access=access_for(personas.health_practitioner, child), destination="csc",
                                  reason="Partner aged 19")


def test_the_panel_chair_cannot_decline_a_childrens_social_care_referral(client_for, personas, health_child):
    referral = _sent(personas, health_child)
    chair = client_for(personas.panel_chair)
    for action in ({"action": "decline", "note": "Not for us"}, {"action": "accept"}, {"action": "receive"}):
        answer = chair.post(reverse("api:referrals-status", args=[referral.pk]), action,
                            content_type="application/json")
        assert answer.status_code == 403, answer.content
    referral.refresh_from_db()
    assert referral.status == Status.SENT and referral.outcome == ""


def test_a_late_accept_is_told_who_accepted_and_when(personas, health_child):
    referral = _sent(personas, health_child)
    services.referral_accept(access=access_for(personas.mash_worker, health_child), referral=referral)
    with pytest.raises(ValidationError) as lost:
        services.referral_decline(access=access_for(personas.mash_worker, health_child), referral=referral,
                                  reason="Late")
    name = personas.mash_worker.get_full_name() or personas.mash_worker.username
    assert f"already accepted by {name} on " in lost.value.messages[0]


def test_a_late_accept_on_the_api_answers_400_with_the_winner(client_for, personas, health_child):
    referral = _sent(personas, health_child)
    mash = client_for(personas.mash_worker)
    url = reverse("api:referrals-status", args=[referral.pk])
    assert mash.post(url, {"action": "decline", "note": "Not met"}, content_type="application/json").status_code == 200
    late = mash.post(url, {"action": "accept"}, content_type="application/json")
    assert late.status_code == 400 and "already declined by" in late.content.decode()


def _attempt(user_pk, child_pk, referral_pk, action):
    from safeguard.accounts.models import User
    from safeguard.children.models import Child

    user = User.objects.get(pk=user_pk)
    access = access_for(user, Child.objects.get(pk=child_pk))
    referral = Referral.objects.get(pk=referral_pk)
    if action == "accept":
        return services.referral_accept(access=access, referral=referral).status
    return services.referral_decline(access=access, referral=referral, reason="Threshold not met").status


@pytest.mark.django_db(transaction=True)
def test_ten_accepts_and_ten_declines_at_once_leave_one_consistent_winner(race, personas, health_child):
    referral = _sent(personas, health_child)
    args = (personas.mash_worker.pk, health_child.pk, referral.pk)
    results = race(*[lambda a=a: _attempt(*args, a) for a in ["accept", "decline"] * 10])
    winners = [r for r in results if isinstance(r, str)]
    assert len(winners) == 1, results
    assert all(isinstance(r, ValidationError) for r in results if not isinstance(r, str)), results
    referral.refresh_from_db()
    assert referral.status == winners[0]
    assert (referral.status == Status.DECLINED) == referral.outcome.startswith("Declined")
    steps = list(ReferralEvent.objects.filter(referral=referral).values_list("status", flat=True))
    assert steps == ["sent", "received", referral.status]
    assert AuditEvent.objects.filter(verb=Verb.REFERRAL_STATUS_CHANGED, target_id=str(referral.pk)).count() == 2


@pytest.mark.django_db(transaction=True)
def test_twenty_accepts_at_once_write_exactly_one_accepted_event(race, personas, health_child):
    referral = _sent(personas, health_child)
    args = (personas.mash_worker.pk, health_child.pk, referral.pk)
    results = race(*[lambda: _attempt(*args, "accept") for _ in range(20)])
    assert sum(r == Status.ACCEPTED for r in results) == 1, results
    assert ReferralEvent.objects.filter(referral=referral, status=Status.ACCEPTED).count() == 1
