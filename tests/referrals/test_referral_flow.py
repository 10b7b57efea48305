"""A referral's life: sent, received, accepted or declined, outcome recorded — each with who and
when, audited, with the referrer's follow-up task and notifications (§10.4.4)."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AuditEvent, Verb
from safeguard.notifications.models import Notification, Task
from safeguard.referrals import services
from safeguard.referrals.models import Referral, Status
from safeguard.referrals.timescales import working_days_deadline
from tests.factories import access_for
from tests.factories import child as make_child

from .conftest import assessment_for


def _send(personas, child, **kwargs):
    return services.referral_open(access=access_for(personas.health_practitioner, child), destination="csc",
                                  reason="Partner aged 19", **kwargs)


def test_mash_accepts_records_the_outcome_and_the_referrer_is_told(client_for, personas, health_child):
    assessment = assessment_for(personas.health_practitioner, health_child)
    referral = _send(personas, health_child, source=assessment)
    outcome_task = Task.objects.get(kind="referral_outcome")
    assert outcome_task.assignee == personas.health_practitioner and outcome_task.done_at is None
    team_task = Task.objects.get(kind="referral_to_act")
    assert team_task.agency == personas.csc and team_task.role == "csc_mash"

    mash = client_for(personas.mash_worker)
    page = mash.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Sexual activity assessment" in page and "Accept the referral" in page
    assert mash.post(reverse("referrals:accept", args=[referral.pk]), {"note": "Allocated to duty team"}).status_code == 302
    today = timezone.localdate()
    response = mash.post(reverse("referrals:outcome", args=[referral.pk]), {
        "outcome": "Strategy discussion held; section 47 enquiry started",
        "outcome_on_day": today.day, "outcome_on_month": today.month, "outcome_on_year": today.year,
    })
    assert response.status_code == 302, response.content.decode()

    referral.refresh_from_db()
    assert referral.status == Status.OUTCOME_RECORDED and referral.outcome.startswith("Strategy discussion")
    steps = list(referral.events.values_list("status", "actor__username"))
    assert steps == [("sent", "nina_nurse"), ("received", "maya_mash"), ("accepted", "maya_mash"),
                     ("outcome_recorded", "maya_mash")]
    assert all(event.at for event in referral.events.all())
    outcome_task.refresh_from_db()
    assert outcome_task.done_at is not None
    assert not Task.objects.filter(source_type="referrals.referral", done_at__isnull=True).exists()
    told = Notification.objects.filter(recipient=personas.health_practitioner, kind="referral_status")
    assert told.filter(title__contains="has an outcome: read it").exists()
    # Every state change is in the audit trail.
    changes = list(AuditEvent.objects.filter(verb=Verb.REFERRAL_STATUS_CHANGED, target_id=str(referral.pk))
                   .order_by("id").values_list("payload", flat=True))
    assert [c["to"] for c in changes] == ["received", "accepted", "outcome_recorded"]
    assert AuditEvent.objects.filter(verb=Verb.REFERRAL_OUTCOME_RECORDED, target_id=str(referral.pk)).exists()
    # The referrer sees the outcome.
    page = client_for(personas.health_practitioner).get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "section 47 enquiry started" in page and "Outcome recorded" in page


def test_the_receiving_team_sees_the_child_and_the_attachment_without_break_glass(client_for, personas, health_child):
    assessment = assessment_for(personas.health_practitioner, health_child)
    residential = client_for(personas.residential_worker)
    assert residential.get(reverse("children:detail", args=[health_child.pk])).status_code == 404
    referral = services.referral_open(access=access_for(personas.health_practitioner, health_child), destination="other",
                                      destination_other="Care View placement team", reason="Placement planning",
                                      destination_agency=personas.residential, source=assessment)
    assert residential.get(reverse("referrals:detail", args=[referral.pk])).status_code == 200
    assert residential.get(reverse("children:detail", args=[health_child.pk])).status_code == 200
    assert residential.get(reverse("referrals:assessment", args=[assessment.pk])).status_code == 200
    assert not AuditEvent.objects.filter(verb=Verb.BREAK_GLASS).exists()


def test_only_the_receiving_team_acts_and_steps_keep_their_order(personas, health_child):
    referral = _send(personas, health_child)
    with pytest.raises(PermissionDenied):
        services.referral_accept(access=access_for(personas.health_practitioner, referral.child), referral=referral)
    with pytest.raises(PermissionDenied):
        services.referral_accept(access=access_for(personas.police_lead, referral.child), referral=referral)  # sees the child, not the team
    with pytest.raises(ValidationError):
        services.referral_record_outcome(access=access_for(personas.mash_worker, referral.child), referral=referral, outcome="x")
    with pytest.raises(ValidationError):
        services.referral_decline(access=access_for(personas.mash_worker, referral.child), referral=referral, reason=" ")
    assert Referral.objects.get().status == Status.SENT and referral.events.count() == 1


def test_a_decline_is_the_outcome_and_closes_the_referrers_task(personas, health_child):
    referral = _send(personas, health_child)
    services.referral_decline(access=access_for(personas.mash_worker, referral.child), referral=referral, reason="Already known; open case")
    referral.refresh_from_db()
    assert referral.status == Status.DECLINED and referral.outcome == "Declined: Already known; open case"
    assert Task.objects.get(kind="referral_outcome").done_at is not None
    assert Notification.objects.filter(recipient=personas.health_practitioner, title__contains="declined").exists()


def test_declining_without_a_reason_keeps_the_page_and_writes_nothing(client_for, personas, health_child):
    referral = _send(personas, health_child)
    before = AuditEvent.objects.count()
    response = client_for(personas.mash_worker).post(reverse("referrals:decline", args=[referral.pk]), {"reason": ""})
    assert response.status_code == 200 and "Enter why the referral is declined" in response.content.decode()
    assert AuditEvent.objects.count() == before and referral.events.count() == 1


def test_a_referral_form_with_bad_input_keeps_what_was_typed(client_for, personas, health_child):
    client = client_for(personas.health_practitioner)
    before = AuditEvent.objects.count()
    response = client.post(reverse("referrals:create", args=[health_child.pk]),
                           {"destination": "other", "destination_other": "", "priority": "amber",
                            "reason": "Seen with older men at the bus station"})
    page = response.content.decode()
    assert response.status_code == 200 and "Enter where the referral is going" in page
    assert "Seen with older men at the bus station" in page
    assert not Referral.objects.exists() and AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("sent", "priority", "due"),
    [
        (datetime(2025, 3, 7, 10), "red", datetime(2025, 3, 7)),  # Friday → same day
        (datetime(2025, 3, 7, 10), "amber", datetime(2025, 3, 10)),  # Friday → Monday
        (datetime(2025, 3, 7, 10), "green", datetime(2025, 3, 12)),  # Friday → Wednesday
        (datetime(2025, 3, 8, 10), "red", datetime(2025, 3, 10)),  # Saturday → Monday
        (datetime(2025, 3, 9, 10), "amber", datetime(2025, 3, 11)),  # Sunday → Tuesday
    ],
)
def test_timescales_count_working_days(sent, priority, due):
    from safeguard.referrals.timescales import referral_timescale_days

    deadline = working_days_deadline(timezone.make_aware(sent), referral_timescale_days(priority))
    assert timezone.localtime(deadline).date() == due.date()


def test_the_queue_puts_red_first_with_a_fixed_number_of_queries(client_for, personas, django_assert_max_num_queries):
    kids = [make_child(first_name=f"Child{n}", involved=[personas.health]) for n in range(6)]
    with time_machine.travel(datetime(2025, 3, 7, 10, tzinfo=timezone.get_current_timezone()), tick=False):
        services.referral_open(access=access_for(personas.health_practitioner, kids[0]), destination="csc", reason="a",
                               priority="green")
        red = services.referral_open(access=access_for(personas.health_practitioner, kids[1]), destination="csc", reason="b",
                                     priority="red")
    client = client_for(personas.mash_worker)
    url = reverse("referrals:queue")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    assert page.index(f"Referral {red.pk}<") < page.index("Green")
    assert "Overdue" in page
    for kid in kids[2:]:
        services.referral_open(access=access_for(personas.health_practitioner, kid), destination="csc", reason="c")
    # Four more referrals add no query per row; they bring one more priority band (none given), and
    # a page reads each band it shows once (at most four: red, amber, green, none).
    with django_assert_max_num_queries(len(few) + 1):
        page = client.get(url).content.decode()
    assert page.count("/referrals/") >= 6
    for kid in kids[:2]:
        services.referral_open(access=access_for(personas.health_practitioner, kid), destination="csc", reason="d",
                               priority="amber")
    with django_assert_max_num_queries(len(few) + 2):
        client.get(url)


def test_the_referral_pack_is_a_pdf_and_its_download_is_audited(client_for, personas, health_child):
    assessment = assessment_for(personas.health_practitioner, health_child)
    referral = _send(personas, health_child, source=assessment)
    response = client_for(personas.mash_worker).get(reverse("referrals:pack", args=[referral.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(verb=Verb.EXPORTED, target_id=str(referral.pk))
    assert event.actor == personas.mash_worker and event.payload["what"] == "referral_pack"


def test_the_api_takes_a_referral_through_its_life(client_for, personas, health_child):
    referrer = client_for(personas.health_practitioner)
    created = referrer.post(reverse("api:referrals-list"),
                            {"child": health_child.pk, "destination": "csc", "reason": "Partner aged 19"},
                            content_type="application/json")
    assert created.status_code == 201, created.content
    rid = created.json()["id"]
    assert referrer.post(reverse("api:referrals-status", args=[rid]), {"action": "accept"},
                         content_type="application/json").status_code == 403
    mash = client_for(personas.mash_worker)
    assert mash.post(reverse("api:referrals-status", args=[rid]), {"action": "accept"},
                     content_type="application/json").status_code == 200
    done = mash.post(reverse("api:referrals-outcome", args=[rid]), {"outcome": "Early help offered"},
                     content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "outcome_recorded"
    assert [e["status"] for e in done.json()["events"]] == ["sent", "received", "accepted", "outcome_recorded"]
    assert client_for(personas.outsider).get(reverse("api:referrals-detail", args=[rid])).status_code == 404


def test_a_screening_travels_with_its_referral_into_the_pack(client_for, personas):
    from safeguard.screening import services as screening

    kid = make_child(involved=[personas.school], lead=personas.school)
    submitted = screening.screening_submit(
        access=access_for(personas.practitioner, kid),
        header=screening.FormAHeader(referrer_name="Tara Teacher", organisation="Northgate Academy",
                                     contact_details="0100 000000", child_name=kid.full_name,
                                     previous_cp_referral="no"),
        answers=screening.FormAAnswers(ticked=["R1", "R5", "S1"]),
    )
    referral = Referral.objects.get(child=kid)
    assert referral.source == submitted
    mash = client_for(personas.mash_worker)
    page = mash.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert f"Screening {submitted.pk}" in page
    from safeguard.referrals.pdf import source_section

    heading, rows = source_section(referral)
    assert heading.startswith("What travelled") and any(label.startswith("Reason") for label, _ in rows)
    assert mash.get(reverse("referrals:pack", args=[referral.pk])).content.startswith(b"%PDF")


def test_each_team_queue_shows_its_own_destination(client_for, personas):
    """The MASH sees children's social care and LADO referrals, each under its own heading; the panel
    chair (in the same agency) sees the panel's; neither sees the other's (issue 10 item 11)."""
    kids = {d: make_child(first_name=f"Kid{d.title()}", involved=[personas.health]) for d in ("csc", "lado", "marp")}
    sent = {
        d: services.referral_open(access=access_for(personas.health_practitioner, kid), destination=d, reason="r",
                                  destination_agency=personas.csc)
        for d, kid in kids.items()
    }
    mash = client_for(personas.mash_worker).get(reverse("referrals:queue")).content.decode()
    assert "Referrals to children&#x27;s social care" in mash and "Referrals to the local authority designated" in mash
    assert f"Referral {sent['csc'].pk}<" in mash and f"Referral {sent['lado'].pk}<" in mash
    assert f"Referral {sent['marp'].pk}<" not in mash and "KidMarp" not in mash
    assert mash.index("KidCsc") < mash.index("Referrals to the local authority designated") < mash.index("KidLado")
    chair = client_for(personas.panel_chair).get(reverse("referrals:queue")).content.decode()
    assert "Referrals to the Multi-Agency Risk Panel" in chair and f"Referral {sent['marp'].pk}<" in chair
    assert "KidCsc" not in chair and "KidLado" not in chair
    # The panel referral is headed by the panel, not by the agency that hosts it.
    page = client_for(personas.panel_chair).get(reverse("referrals:detail", args=[sent["marp"].pk])).content.decode()
    assert f"Referral {sent['marp'].pk} to the Multi-Agency Risk Panel</h1>" in page
    assert "(MASH)</h1>" not in page
