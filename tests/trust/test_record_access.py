"""Issue 11 item 4 and issue 10 item 15: "Record access" shows accesses only, says plainly when a
number is unknown or outside scope, and its labels read right."""

import pytest
from django.urls import reverse

from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from tests.factories import child as make_child

pytestmark = pytest.mark.django_db

URL = "/audit/record-access/"


@pytest.fixture
def school_child(personas):
    return make_child(involved=[personas.school], lead=personas.school)


def test_the_page_keeps_its_address():
    assert reverse("access:record_access") == URL


def test_only_accesses_are_listed(client_for, personas, school_child):
    client = client_for(personas.practitioner)
    client.get(reverse("children:detail", kwargs={"child_id": school_child.pk}))
    audit_record(verb=Verb.CHILD_UPDATED, actor=personas.practitioner, target=school_child, child_id=school_child.pk)
    audit_record(verb=Verb.EXPORTED, actor=personas.practitioner, target=school_child, child_id=school_child.pk)
    page = client_for(personas.named_lead).get(URL, {"child": school_child.pk}).content.decode()
    assert "Viewed a child&#x27;s record" in page and "Exported or printed" in page
    assert "Updated a child&#x27;s record" not in page


def test_an_unknown_number_is_a_form_error_not_a_404(client_for, personas):
    response = client_for(personas.named_lead).get(URL, {"child": 987654})
    assert response.status_code == 200
    assert "There is no child record with that number that you can see" in response.content.decode()


def test_a_child_outside_scope_gets_the_same_answer(client_for, personas):
    elsewhere = make_child(first_name="Kim", involved=[personas.health])
    response = client_for(personas.named_lead).get(URL, {"child": elsewhere.pk})
    assert response.status_code == 200
    assert "There is no child record with that number that you can see" in response.content.decode()
    admin_page = client_for(personas.admin).get(URL, {"child": elsewhere.pk})
    assert "There is no child record" not in admin_page.content.decode()


def test_labels_say_optional_once(client_for, personas):
    page = client_for(personas.named_lead).get(URL).content.decode()
    assert "(optional) (optional)" not in page
    assert "Username (optional)" in page
