"""Someone breaks glass: the child's named leads are told at once, or whoever stands in for them when
none of the child's agencies has one (issue 10 item 10), and it shows in the log of those told."""

from __future__ import annotations

from django.urls import reverse

from safeguard.access.models import BreakGlassAccess
from safeguard.accounts.models import Role
from safeguard.notifications.models import Notification
from tests.factories import child, user

REASON = {"reason": "Disclosure at the clinic; checking for an open plan"}


def _break_glass(client_for, person, kid):
    response = client_for(person).post(reverse("children:break_glass", args=[kid.pk]), REASON)
    assert response.status_code == 302
    return BreakGlassAccess.objects.get(child=kid, user=person)


def _told(kid):
    return {n.recipient: n for n in Notification.objects.filter(kind="break_glass", child=kid)}


def test_the_named_leads_of_the_childs_agencies_are_told(client_for, personas):
    kid = child(first_name="Amira", last_name="Khan", involved=[personas.school], lead=personas.school)
    grant = _break_glass(client_for, personas.outsider, kid)
    told = _told(kid)
    assert set(told) == {personas.named_lead}
    note = told[personas.named_lead]
    assert note.level == Notification.Level.ALERT and "Amira Khan" in note.title and "Olly Tester" in note.title
    assert note.url.endswith(f"#break-glass-{grant.pk}")
    log = client_for(personas.named_lead).get(reverse("access:break_glass_log")).content.decode()
    assert f'id="break-glass-{grant.pk}"' in log and REASON["reason"] in log


def test_with_no_named_lead_the_lead_agencys_designated_lead_is_told_and_sees_it_in_the_log(client_for, personas):
    dsl = user("hana_health_dsl", personas.health, Role.DESIGNATED_LEAD, Role.PRACTITIONER)
    kid = child(first_name="Lily", last_name="Grant", involved=[personas.health], lead=personas.health)
    grant = _break_glass(client_for, personas.outsider, kid)
    assert set(_told(kid)) == {dsl} and "Lily Grant" in _told(kid)[dsl].title
    log = client_for(dsl).get(reverse("access:break_glass_log"))
    assert log.status_code == 200 and f'id="break-glass-{grant.pk}"' in log.content.decode()


def test_failing_those_the_partnerships_designated_lead_is_told(client_for, personas, settings):
    settings.SAFEGUARD_PARTNERSHIP_DESIGNATED_LEAD = personas.mash_worker.username
    kid = child(first_name="Nobody", last_name="Leads", involved=[personas.voluntary])
    grant = _break_glass(client_for, personas.health_practitioner, kid)
    told = _told(kid)
    assert set(told) == {personas.mash_worker} and "Nobody Leads" in told[personas.mash_worker].title
    assert list(grant.told.all()) == [personas.mash_worker]
    log = client_for(personas.mash_worker).get(reverse("access:break_glass_log"))
    assert log.status_code == 200 and f'id="break-glass-{grant.pk}"' in log.content.decode()


def test_with_nobody_named_nobody_is_told_and_the_opening_still_works(client_for, personas, settings):
    settings.SAFEGUARD_PARTNERSHIP_DESIGNATED_LEAD = ""
    kid = child(first_name="Nobody", last_name="Leads", involved=[personas.voluntary])
    _break_glass(client_for, personas.health_practitioner, kid)
    assert not Notification.objects.filter(kind="break_glass").exists()
    # Someone never told of any opening has no log to see.
    assert client_for(personas.health_practitioner).get(reverse("access:break_glass_log")).status_code == 404
