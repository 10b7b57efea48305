import pytest
from django.urls import reverse

from safeguard.access.models import BreakGlassAccess
from safeguard.access.policy import Why, access_reason, children_visible_to
from safeguard.audit.models import AuditEvent, Verb
from tests.factories import child


@pytest.fixture
def school_child(personas):
    return child(involved=[personas.school], lead=personas.school)


@pytest.mark.parametrize(
    ("persona", "why"),
    [
        ("practitioner", Why.AGENCY_INVOLVED),
        ("named_lead", Why.NAMED_LEAD),
        ("mash_worker", Why.CHILDRENS_SOCIAL_CARE),
        ("police_lead", Why.POLICE_CSE_LEAD),
        ("outsider", None),
        ("health_practitioner", None),
        ("analyst", None),
        ("admin", None),
        ("panel_chair", None),
    ],
)
def test_who_may_see_a_child_and_why(personas, school_child, persona, why):
    user = getattr(personas, persona)
    assert access_reason(user, school_child) == why
    assert (school_child in children_visible_to(user)) is (why is not None)


def test_uninvolved_agency_gets_404_then_break_glass_is_granted_and_recorded(client_for, personas, school_child):
    client = client_for(personas.outsider)
    detail = reverse("children:detail", kwargs={"child_id": school_child.pk})
    assert client.get(detail).status_code == 404

    url = reverse("children:break_glass", kwargs={"child_id": school_child.pk})
    short = client.post(url, {"reason": "need"})
    assert short.status_code == 200 and "at least 10 characters" in short.content.decode()
    assert not BreakGlassAccess.objects.exists()

    response = client.post(url, {"reason": "Child disclosed at youth club; checking for an open plan"})
    assert response.status_code == 302
    assert client.get(detail).status_code == 200
    grant = BreakGlassAccess.objects.get()
    assert grant.user == personas.outsider and grant.child == school_child
    assert AuditEvent.objects.filter(verb=Verb.BREAK_GLASS, child_id=school_child.pk, actor=personas.outsider).exists()
    viewed = AuditEvent.objects.filter(verb=Verb.CHILD_VIEWED, child_id=school_child.pk).latest("id")
    assert viewed.payload["why"] == "break_glass"


def test_break_glass_lasts_for_that_session_only(client, personas, school_child):
    from tests.factories import login_verified

    login_verified(client, personas.outsider)
    client.post(reverse("children:break_glass", kwargs={"child_id": school_child.pk}),
                {"reason": "Strategy discussion tomorrow; need context"})
    assert client.get(reverse("children:detail", kwargs={"child_id": school_child.pk})).status_code == 200
    client.logout()
    login_verified(client, personas.outsider)
    assert client.get(reverse("children:detail", kwargs={"child_id": school_child.pk})).status_code == 404


def test_named_lead_sees_break_glass_on_their_agency_children(client_for, personas, school_child):
    BreakGlassAccess.objects.create(user=personas.outsider, agency=personas.voluntary, child=school_child,
                                    reason="Checking before a home visit", session_key="x",
                                    expires_at="2099-01-01T00:00:00Z")
    page = client_for(personas.named_lead).get(reverse("access:break_glass_log"))
    assert page.status_code == 200
    assert "Checking before a home visit" in page.content.decode()


def test_who_accessed_a_record_page_filters_by_user(client_for, personas, school_child):
    client = client_for(personas.practitioner)
    client.get(reverse("children:detail", kwargs={"child_id": school_child.pk}))
    client = client_for(personas.named_lead)
    url = reverse("access:record_access")
    page = client.get(url, {"child": school_child.pk, "user": "tara_teacher"}).content.decode()
    assert "tara_teacher" in page or "Tara Tester" in page
    assert "Viewed a child&#x27;s record" in page or "Viewed a child's record" in page
    empty = client.get(url, {"child": school_child.pk, "user": "nobody"}).content.decode()
    assert "No accesses match" in empty
    bad = client.get(url, {"child": "abc"}).content.decode()
    assert "Enter the record number as digits" in bad
