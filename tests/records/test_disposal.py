"""Retention review, legal hold and disposal: through the services and over HTTP."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from safeguard.api.errors import ServiceConflict
from safeguard.audit.models import AuditEvent, Verb
from safeguard.audit.services import audit_verify
from safeguard.children.models import Child, ChronologyItem
from safeguard.missing.models import Episode, ProfilePhoto, Visitor
from safeguard.records import services
from safeguard.records.holdings import child_holdings
from safeguard.records.models import DisposalDecision, LegalHold, RetentionSchedule
from safeguard.referrals.models import DecisionRecord
from safeguard.screening.models import Screening
from tests.factories import access_for
from tests.factories import child as make_child

from .builders import full_file

TODAY = date(2026, 12, 1)


def _every_row_gone(holdings) -> None:
    for model, pks in holdings.items():
        assert not model._base_manager.filter(pk__in=pks).exists(), f"{model._meta.label} rows left behind"


def test_a_record_past_retention_is_listed_disposed_of_after_a_signed_decision_and_the_chain_verifies(
    client_for, personas
):
    made = full_file(personas)
    kid = made.child
    assert made.decision.signed_at is not None  # a signed decision record is on file too
    lead = client_for(personas.named_lead)

    from safeguard.records.tick import retention_schedules_refresh

    assert retention_schedules_refresh(now=timezone.now()) >= 1  # `safeguard tick` works out when records come due
    listed = lead.get(reverse("records:review"))
    assert listed.status_code == 200
    assert f'href="{reverse("records:child", args=[kid.pk])}"' in listed.text and "Due now" in listed.text

    page = lead.get(reverse("records:child", args=[kid.pk]))
    assert page.status_code == 200 and "school_cp" in page.text and "Sign the decision" in page.text
    # Disposal is not possible without a signed decision.
    holdings = child_holdings(kid)
    assert DisposalDecision.objects.filter(child_id=kid.pk).count() == 0

    signed = lead.post(reverse("records:disposal_sign", args=[kid.pk]), {"confirm": "on"})
    assert signed.status_code == 302
    decision = DisposalDecision.objects.get(child_id=kid.pk)
    assert (decision.status, decision.rule, decision.record_kind) == ("signed", "school_cp", "concern")
    photo_files = [p.file.name for p in ProfilePhoto.objects.filter(child=kid)]
    assert photo_files

    done = lead.post(reverse("records:dispose", args=[kid.pk, decision.pk]),
                     {"confirm": "on", "version": decision.version})
    assert done.status_code == 302 and done.url == reverse("records:disposals")

    assert not Child.objects.filter(pk=kid.pk).exists()
    _every_row_gone(holdings)
    for model in (Screening, DecisionRecord, Episode, Visitor, ChronologyItem, RetentionSchedule):
        assert not model._base_manager.filter(pk__in=holdings.get(model, set())).exists()
    tombstone = DisposalDecision.objects.get(pk=decision.pk)
    assert tombstone.status == "disposed" and tombstone.disposed_at is not None
    assert tombstone.removed["children.child"] == 1 and tombstone.removed["referrals.decisionrecord"] == 1
    event = AuditEvent.objects.get(verb=Verb.RECORD_DISPOSED, child_id=kid.pk)
    assert event.payload["rule"] == "school_cp" and event.payload["rows"] == sum(tombstone.removed.values())
    # The audit trail keeps its events about the child (by id) and still verifies.
    assert AuditEvent.objects.filter(child_id=kid.pk).count() > 10
    result = audit_verify()
    assert result.ok, result.problem
    # The tombstones list says what went, when and under which rule.
    listed = lead.get(reverse("records:disposals"))
    assert "school_cp" in listed.text and "Disposed of" in listed.text


def test_audit_payloads_about_the_child_hold_no_personal_data(personas):
    """Disposal leaves the audit events alone, so they must never have held the child's details."""
    made = full_file(personas, first_name="Quorra", last_name="Vantablack")
    events = AuditEvent.objects.filter(child_id=made.child.pk)
    assert events.count() > 10
    for event in events:
        text = str(event.payload).lower()
        for word in ("quorra", "vantablack", "dean", "07700", "hatchback", "aunt"):
            assert word not in text, f"{event.verb} payload holds {word!r}"


def test_a_legal_hold_blocks_disposal_and_lifting_it_is_versioned(client_for, personas):
    made = full_file(personas)
    kid = made.child
    lead = client_for(personas.named_lead)
    services.retention_schedule_refresh(child=kid)
    lead.post(reverse("records:hold_place", args=[kid.pk]), {"reason": "Civil claim: solicitors asked us to keep it"})
    hold = LegalHold.objects.get(child=kid)
    assert hold.in_force and hold.placed_by == personas.named_lead
    assert AuditEvent.objects.filter(verb=Verb.LEGAL_HOLD_PLACED, child_id=kid.pk).exists()

    page = lead.get(reverse("records:review"))
    assert "Legal hold" in page.text
    refused = lead.post(reverse("records:disposal_sign", args=[kid.pk]), {"confirm": "on"})
    assert refused.status_code == 400 and "legal hold is in force" in refused.text
    assert not DisposalDecision.objects.filter(child_id=kid.pk).exists()

    # A stale lift (someone else changed the hold) is refused; the current one lifts it.
    stale = lead.post(reverse("records:hold_lift", args=[kid.pk, hold.pk]),
                      {"version": hold.version + 1, "lift_reason": "Claim settled last month"})
    assert stale.status_code == 200 and "reload the page" in stale.text
    lead.post(reverse("records:hold_lift", args=[kid.pk, hold.pk]),
              {"version": hold.version, "lift_reason": "Claim settled last month"})
    hold.refresh_from_db()
    assert not hold.in_force and hold.version == 2


def test_a_hold_placed_after_the_decision_was_signed_still_stops_disposal(personas):
    made = full_file(personas)
    kid = made.child
    decision = services.disposal_sign(access=access_for(personas.named_lead, kid), today=TODAY)
    services.legal_hold_place(access=access_for(personas.named_lead, kid), reason="Police investigation, DC Hale")
    with pytest.raises(ServiceConflict, match="legal hold"):
        services.record_dispose(access=access_for(personas.named_lead, kid), decision_id=decision.pk,
                                version=decision.version, today=TODAY)
    assert Child.objects.filter(pk=kid.pk).exists()
    assert Screening.objects.filter(child=kid).exists()


def test_a_record_not_yet_due_cannot_be_disposed_of(personas):
    kid = make_child(dob=date(2012, 5, 14), involved=[personas.school], lead=personas.school)
    with pytest.raises(ServiceConflict, match="not due"):
        services.disposal_sign(access=access_for(personas.named_lead, kid), today=TODAY)


def test_only_the_owning_agencys_lead_signs(personas):
    made = full_file(personas)
    # The MASH worker sees every child but does not own the school's record.
    with pytest.raises(PermissionDenied):
        services.disposal_sign(access=access_for(personas.mash_worker, made.child), today=TODAY)


def test_new_activity_that_changes_the_rule_stops_a_signed_disposal(personas):
    made = full_file(personas)
    kid = made.child
    decision = services.disposal_sign(access=access_for(personas.named_lead, kid), today=TODAY)
    Child.objects.filter(pk=kid.pk).update(looked_after=True)  # now kept to the 75th birthday
    with pytest.raises(ServiceConflict):
        services.record_dispose(access=access_for(personas.named_lead, kid), decision_id=decision.pk,
                                version=decision.version, today=TODAY)
    assert Child.objects.filter(pk=kid.pk).exists()


def test_a_no_concern_record_comes_due_six_years_after_the_last_activity(personas):
    kid = make_child(dob=date(2012, 5, 14), involved=[personas.school], lead=personas.school)
    from safeguard.screening import services as screening

    screening.screening_submit(
        access=access_for(personas.practitioner, kid),
        header=screening.FormAHeader(referrer_name="Tara", organisation="Northgate Academy", contact_details="0100",
                                     child_name=kid.full_name, previous_cp_referral="no"),
        answers=screening.FormAAnswers(ticked=[]),
    )
    schedule = services.retention_schedule_refresh(child=kid)
    assert (schedule.record_kind, schedule.rule) == ("no_concern", "no_concern")
    today = timezone.localdate()
    assert schedule.due_on == today.replace(year=today.year + 6)


def test_the_review_list_is_bounded_and_its_queries_do_not_grow(client_for, personas, django_assert_max_num_queries):
    for n in range(60):
        kid = make_child(first_name=f"Child{n}", dob=date(1995, 1, 1), involved=[personas.school],
                         lead=personas.school)
        services.retention_schedule_refresh(child=kid)
    lead = client_for(personas.named_lead)
    with django_assert_max_num_queries(12):
        page = lead.get(reverse("records:review"))
    assert page.status_code == 200 and "60 records" in page.text
    assert page.text.count('href="/records/children/') == 50
    assert lead.get(reverse("records:review") + "?days=90&page=2").text.count('href="/records/children/') == 10


def test_the_tick_refreshes_schedules_in_bounded_batches(personas):
    from safeguard.records.tick import retention_schedules_refresh

    make_child(dob=date(1995, 1, 1), involved=[personas.school], lead=personas.school)
    assert retention_schedules_refresh(now=timezone.now()) == 1
    assert retention_schedules_refresh(now=timezone.now()) == 0  # fresh: nothing to do
    assert RetentionSchedule.objects.count() == 1


def test_a_retention_setting_naming_no_rule_stops_the_process(settings):
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    settings.SAFEGUARD_RETENTION_YEARS = {"no_concren": 6}
    with pytest.raises(ImproperlyConfigured, match="NO_CONCREN"):
        apps.get_app_config("records").ready()
    settings.SAFEGUARD_RETENTION_YEARS = {"concern_police": 30}
    apps.get_app_config("records").ready()
