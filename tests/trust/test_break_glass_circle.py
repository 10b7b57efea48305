"""Issue 11 item 7: breaking glass never brings the agency into the child's circle, whatever is
written under it; the agency may ask the lead agency to add it, and a named lead of the lead
agency accepts or declines (recorded, audited, told)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safeguard.access.models import InvolvementRequest
from safeguard.audit.models import AuditEvent, Verb
from safeguard.children.models import Involvement
from safeguard.children.services.involvement_requests import involvement_request_decide
from safeguard.notifications.models import Notification
from safeguard.notifications.selectors import tasks_for
from safeguard.screening import services as screening
from safeguard.screening.models import FormB
from tests.factories import access_for, login_verified
from tests.factories import child as make_child


@pytest.fixture
def kid(personas):
    return make_child(first_name="Jodie", last_name="Smyth", involved=[personas.school], lead=personas.school)


def _break_glass(client, kid):
    answer = client.post(reverse("children:break_glass", args=[kid.pk]),
                         {"reason": "She came to the youth club asking for help tonight"})
    assert answer.status_code == 302
    assert client.get(reverse("children:detail", args=[kid.pk])).status_code == 200


def test_writing_under_break_glass_adds_no_involvement(client, personas, kid):
    form_b = FormB.objects.get(screening=screening.screening_submit(
        access=access_for(personas.practitioner, kid),
        header=screening.FormAHeader(referrer_name="Tara", organisation="Northgate Academy", contact_details="0100",
                                     child_name=kid.full_name, previous_cp_referral="no"),
        answers=screening.FormAAnswers(ticked=["S3"])))
    outsider = personas.outsider
    login_verified(client, outsider)
    _break_glass(client, kid)
    now = timezone.now() - timedelta(hours=1)
    writes = [
        client.post(reverse("api:children-observations", args=[kid.pk]), json.dumps({
            "indicators": ["I5"], "occurred_at": now.isoformat(), "source": "seen", "details": "New phone",
            "keep_wording": True}), content_type="application/json"),
        client.post(reverse("children:entry_add", args=[kid.pk]), {
            "occurred_on_day": now.day, "occurred_on_month": now.month, "occurred_on_year": now.year,
            "source": "seen", "text": "Came to the youth club"}),
        client.post(reverse("screening:form_b", args=[kid.pk, form_b.pk]), {
            "action": "contribute", "contribution-text": "We run the youth club she attends"}),
        client.put(reverse("api:missing-profile", args=[kid.pk]), json.dumps({"description": "Tall"}),
                   content_type="application/json"),
        client.post(reverse("api:missing-episodes"), json.dumps({
            "child": kid.pk, "missing_from": "home", "last_seen_at": now.isoformat(), "classification": "missing"}),
            content_type="application/json"),
    ]
    assert [w.status_code for w in writes if w.status_code >= 400] == [], [w.content[:200] for w in writes]
    assert not Involvement.objects.filter(child=kid, agency=outsider.agency).exists()
    assert FormB.objects.get(pk=form_b.pk).contributions.filter(agency=outsider.agency).exists()
    # A new session sees nothing: the circle did not widen.
    client.logout()
    login_verified(client, outsider)
    assert client.get(reverse("children:detail", args=[kid.pk])).status_code == 404


def test_the_lead_agency_accepts_a_request_to_be_added(client, personas, kid):
    outsider = personas.outsider
    login_verified(client, outsider)
    _break_glass(client, kid)
    asked = client.post(reverse("children:involvement_request", args=[kid.pk]),
                        {"reason": "We will run weekly sessions with her at the youth club"})
    assert asked.status_code == 302
    request = InvolvementRequest.objects.get()
    assert request.lead_agency == personas.school and request.status == "pending"
    assert AuditEvent.objects.filter(verb=Verb.INVOLVEMENT_REQUESTED, child_id=kid.pk).exists()
    assert tasks_for(personas.named_lead).filter(kind="involvement_request").exists()
    assert not Involvement.objects.filter(child=kid, agency=outsider.agency).exists()

    login_verified(client, personas.named_lead)
    inbox = client.get(reverse("children:involvement_requests")).content.decode()
    assert "We will run weekly sessions" in inbox
    answered = client.post(reverse("children:involvement_requests"),
                           {"request_id": request.pk, f"request-{request.pk}-decision": "accept"})
    assert answered.status_code == 302
    request.refresh_from_db()
    assert request.status == "accepted" and request.decided_by == personas.named_lead
    assert Involvement.objects.filter(child=kid, agency=outsider.agency, reason="added").exists()
    assert AuditEvent.objects.filter(verb=Verb.INVOLVEMENT_REQUEST_DECIDED, child_id=kid.pk).exists()
    assert Notification.objects.filter(recipient=outsider, kind="involvement_request_decided").exists()
    assert not tasks_for(personas.named_lead).filter(kind="involvement_request").exists()
    with pytest.raises(ValidationError) as late:
        involvement_request_decide(user=personas.named_lead, request_id=request.pk, accept=False,
                                   note="Changed my mind entirely")
    assert "already accepted by" in str(late.value)


def test_a_declined_request_adds_nobody_and_needs_a_reason(client, personas, kid):
    outsider = personas.outsider
    login_verified(client, outsider)
    _break_glass(client, kid)
    client.post(reverse("children:involvement_request", args=[kid.pk]), {"reason": "We might help her at the club"})
    request = InvolvementRequest.objects.get()
    with pytest.raises(ValidationError):
        involvement_request_decide(user=personas.named_lead, request_id=request.pk, accept=False)
    # Declining on the page without a reason is refused in plain words.
    login_verified(client, personas.named_lead)
    page = client.post(reverse("children:involvement_requests"),
                       {"request_id": request.pk, f"request-{request.pk}-decision": "decline"})
    assert "Say why you are declining" in page.content.decode()
    involvement_request_decide(user=personas.named_lead, request_id=request.pk, accept=False,
                               note="The school's pastoral team covers this")
    request.refresh_from_db()
    assert request.status == "declined"
    assert not Involvement.objects.filter(child=kid, agency=outsider.agency).exists()
