"""Decision records, approvals and signatures (§9.5, §9.7, §17): who must approve, what signing
fixes, and that a signed record cannot change by any route."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse

from safeguard.accounts.models import Role
from safeguard.audit.models import AuditEvent, Verb
from safeguard.notifications.models import Notification, Task
from safeguard.referrals import services
from safeguard.referrals.models import Approval, ApprovalStatus, DecisionRecord, DecisionStatus
from tests.factories import access_for, user

from .conftest import assessment_for, not_referring

CONSENSUAL_15_16 = {"partner_ages": [16], "criteria": {"C4": "yes"}}  # a concern makes the referral a must


def _signed(personas, school_child):
    assessment = assessment_for(personas.practitioner, school_child, **CONSENSUAL_15_16)
    decision = not_referring(personas.practitioner, school_child, assessment)
    [approval] = services.decision_request_approvals(access=access_for(personas.practitioner, decision.child), decision=decision)
    services.approval_give(access=access_for(personas.designated_lead, approval.decision.child), approval=approval)
    return services.decision_sign(access=access_for(personas.practitioner, decision.child), decision=decision)


def _verbs(decision):
    events = AuditEvent.objects.filter(child_id=decision.child_id).order_by("id")
    return [e.verb for e in events if e.verb.startswith(("decision", "approval"))]


def test_a_designated_lead_approves_not_referring_a_consensual_15_16_case(client_for, personas, school_child):
    assessment = assessment_for(personas.practitioner, school_child, **CONSENSUAL_15_16)
    assert next(a for a in assessment.actions if a["code"] == "REFER_CSC")["strength"] == "must"
    author = client_for(personas.practitioner)
    url = reverse("referrals:decision_add", args=[school_child.pk]) + f"?assessment={assessment.pk}"
    assert "designated safeguarding lead" in author.get(url).content.decode()
    response = author.post(url, {
        "kind": "not_refer", "destination": "csc", "decision": "Not to refer to children's social care",
        "reasons": "Both 15 and 16, in a relationship of a year that both describe as 'our choice'; the aunt's home is "
                   "being supported by early help.",
        "decision_makers": [personas.designated_lead.pk],
    })
    assert response.status_code == 302, response.content.decode()
    decision = DecisionRecord.objects.get()
    assert decision.required_approvals == ["designated_lead"] and not decision.exceptional
    assert {m["id"] for m in decision.decision_makers} == {personas.practitioner.pk, personas.designated_lead.pk}
    assert author.post(reverse("referrals:decision_sign", args=[decision.pk])).status_code == 302
    decision.refresh_from_db()
    assert not decision.is_signed  # approval first

    assert author.post(reverse("referrals:decision_request_approval", args=[decision.pk])).status_code == 302
    approval = Approval.objects.get()
    assert Task.objects.get(kind="approval").role == "designated_lead"
    dsl = client_for(personas.designated_lead)
    assert f"Decision record {decision.pk}" in dsl.get(reverse("referrals:approvals")).content.decode()
    response = dsl.post(reverse("referrals:approval", args=[approval.pk]),
                        {"answer": "approve", "note": "Discussed on 3 March; agree"})
    assert response.status_code == 302
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.APPROVED and approval.decided_by == personas.designated_lead
    assert Notification.objects.filter(recipient=personas.practitioner, kind="approval_given").exists()

    client_for(personas.practitioner)
    assert author.post(reverse("referrals:decision_sign", args=[decision.pk])).status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.SIGNED and decision.signed_by == personas.practitioner
    assert len(decision.content_hash) == 64 and services.decision_verify(decision)
    assert Task.objects.get(kind="sa_refer_csc").done_at is not None
    assert _verbs(decision) == [Verb.DECISION_DRAFTED, Verb.APPROVAL_REQUESTED, Verb.APPROVAL_GIVEN,
                                Verb.DECISION_SIGNED]
    page = author.get(reverse("referrals:decision", args=[decision.pk])).content.decode()
    assert "Signed by" in page and decision.content_hash in page and "the record matches it" in page


def test_a_signed_record_cannot_be_edited_through_the_pages(client_for, personas, school_child):
    decision = _signed(personas, school_child)
    client = client_for(personas.practitioner)
    edit = reverse("referrals:decision_edit", args=[decision.pk])
    assert client.get(edit).status_code == 409
    response = client.post(edit, {"kind": "not_refer", "destination": "csc", "decision": "Changed", "reasons": "Changed"})
    assert response.status_code == 409 and "record a correction" in response.content.decode()
    for name in ("referrals:decision_sign", "referrals:decision_request_approval"):
        assert client.post(reverse(name, args=[decision.pk])).status_code == 409
    fresh = DecisionRecord.objects.get(pk=decision.pk)
    assert fresh.reasons == decision.reasons and services.decision_verify(fresh)


def test_a_signed_record_cannot_be_edited_through_the_api(client_for, personas, school_child):
    decision = _signed(personas, school_child)
    client = client_for(personas.practitioner)
    url = reverse("api:decisions-detail", args=[decision.pk])
    assert client.get(url).json()["content_hash"] == decision.content_hash
    patch = client.patch(url, {"reasons": "Changed"}, content_type="application/json")
    put = client.put(url, {"kind": "not_refer", "destination": "csc", "decision": "x", "reasons": "y"},
                     content_type="application/json")
    sign = client.post(reverse("api:decisions-sign", args=[decision.pk]))
    assert (patch.status_code, put.status_code, sign.status_code) == (409, 409, 409)
    assert "correction" in patch.json()["detail"]
    assert services.decision_verify(DecisionRecord.objects.get(pk=decision.pk))


def test_the_service_and_the_database_refuse_to_change_a_signed_record(personas, school_child):
    decision = _signed(personas, school_child)
    data = services.DecisionData(kind="not_refer", destination="csc", decision="x", reasons="y")
    with pytest.raises(services.DecisionLocked):
        services.decision_update(access=access_for(personas.practitioner, decision.child), decision=decision, data=data)
    with pytest.raises(DatabaseError), transaction.atomic():
        DecisionRecord.objects.filter(pk=decision.pk).update(reasons="Rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        DecisionRecord.objects.filter(pk=decision.pk).delete()
    assert DecisionRecord.objects.get(pk=decision.pk).reasons == decision.reasons


def test_a_correction_is_a_new_record_pointing_to_the_old(client_for, personas, school_child):
    decision = _signed(personas, school_child)
    client = client_for(personas.practitioner)
    url = reverse("referrals:decision_add", args=[school_child.pk]) + f"?corrects={decision.pk}"
    assert "Correct decision record" in client.get(url).content.decode()
    response = client.post(url, {"kind": "not_refer", "destination": "csc", "decision": "Not to refer",
                                 "reasons": "As before; the partner is 16, not 17 as first written."})
    assert response.status_code == 302, response.content.decode()
    correction = DecisionRecord.objects.exclude(pk=decision.pk).get()
    assert correction.corrects == decision and not correction.is_signed
    assert correction.required_approvals == ["designated_lead"]
    assert AuditEvent.objects.filter(verb=Verb.DECISION_CORRECTED, target_id=str(correction.pk)).exists()
    assert "Corrected by" in client.get(reverse("referrals:decision", args=[decision.pk])).content.decode()


def test_not_referring_an_under_13_needs_both_approvals_to_sign(personas, young_child):
    assessment = assessment_for(personas.practitioner, young_child, partner_ages=[13])
    decision = not_referring(personas.practitioner, young_child, assessment, reasons="Exceptional: see the notes")
    assert decision.required_approvals == ["designated_lead", "senior_manager"] and decision.exceptional
    with pytest.raises(ValidationError):
        services.decision_sign(access=access_for(personas.practitioner, decision.child), decision=decision)
    dsl_approval, sm_approval = services.decision_request_approvals(access=access_for(personas.practitioner, decision.child), decision=decision)
    services.approval_give(access=access_for(personas.designated_lead, dsl_approval.decision.child), approval=dsl_approval)
    with pytest.raises(ValidationError, match="senior manager"):
        services.decision_sign(access=access_for(personas.practitioner, decision.child), decision=decision)
    with pytest.raises(PermissionDenied):  # the designated lead cannot give the senior manager's approval
        services.approval_give(access=access_for(personas.designated_lead, sm_approval.decision.child), approval=sm_approval)
    services.approval_give(access=access_for(personas.senior_manager, sm_approval.decision.child), approval=sm_approval)
    assert services.decision_sign(access=access_for(personas.practitioner, decision.child), decision=decision).is_signed


def test_an_under_13_decision_cannot_be_signed_over_http_without_both_approvals(client_for, personas, young_child):
    assessment = assessment_for(personas.practitioner, young_child, partner_ages=[13])
    decision = not_referring(personas.practitioner, young_child, assessment)
    dsl_approval, _ = services.decision_request_approvals(access=access_for(personas.practitioner, decision.child), decision=decision)
    services.approval_give(access=access_for(personas.designated_lead, dsl_approval.decision.child), approval=dsl_approval)
    client = client_for(personas.practitioner)
    page = client.post(reverse("referrals:decision_sign", args=[decision.pk]), follow=True).content.decode()
    assert "cannot be signed until the senior manager approve" in page
    assert client.post(reverse("api:decisions-sign", args=[decision.pk])).status_code == 400
    assert not DecisionRecord.objects.get(pk=decision.pk).is_signed
    assert not AuditEvent.objects.filter(verb=Verb.DECISION_SIGNED).exists()


@pytest.mark.parametrize("facts", [{"pregnant": True, "partner_ages": [14]}, {"position_of_trust": True, "partner_ages": [30]}])
def test_no_decision_not_to_refer_where_the_rules_allow_no_opt_out(client_for, personas, young_child, school_child, facts):
    child = young_child if facts.get("pregnant") else school_child
    assessment = assessment_for(personas.practitioner, child, **facts)
    with pytest.raises(services.NoOptOut):
        not_referring(personas.practitioner, child, assessment)
    page = client_for(personas.practitioner).get(
        reverse("referrals:decision_add", args=[child.pk]) + f"?assessment={assessment.pk}").content.decode()
    assert "The rules allow no decision not to refer here" in page
    assert not DecisionRecord.objects.exists()


def test_returning_with_reasons_sends_it_back_to_the_author(personas, school_child):
    assessment = assessment_for(personas.practitioner, school_child, **CONSENSUAL_15_16)
    decision = not_referring(personas.practitioner, school_child, assessment)
    [approval] = services.decision_request_approvals(access=access_for(personas.practitioner, decision.child), decision=decision)
    with pytest.raises(ValidationError):
        services.approval_return(access=access_for(personas.designated_lead, approval.decision.child), approval=approval, reasons="  ")
    services.approval_return(access=access_for(personas.designated_lead, approval.decision.child), approval=approval, reasons="Speak to the aunt first")
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.RETURNED
    assert Task.objects.get(kind="decision_returned").assignee == personas.practitioner
    assert AuditEvent.objects.filter(verb=Verb.APPROVAL_RETURNED).exists()
    # Asking again makes a new approval; the returned one stays as history.
    services.decision_request_approvals(access=access_for(personas.practitioner, decision.child), decision=decision)
    assert Approval.objects.filter(decision=decision).count() == 2


def test_the_author_cannot_approve_their_own_decision(personas, school_child):
    assessment = assessment_for(personas.designated_lead, school_child, **CONSENSUAL_15_16)
    decision = not_referring(personas.designated_lead, school_child, assessment)
    # The author is the school's only designated lead: nobody else could approve, so it is refused at once
    # rather than waiting for ever (issue 10 item 4).
    with pytest.raises(ValidationError, match="Nobody in Northgate Academy is a designated safeguarding lead"):
        services.decision_request_approvals(access=access_for(personas.designated_lead, decision.child),
                                            decision=decision)
    user("dana_second_dsl", personas.school, Role.DESIGNATED_LEAD)
    [approval] = services.decision_request_approvals(access=access_for(personas.designated_lead, decision.child), decision=decision)
    with pytest.raises(PermissionDenied):
        services.approval_give(access=access_for(personas.designated_lead, approval.decision.child), approval=approval)


def test_overdue_approvals_escalate_to_the_named_lead_once(personas, school_child):
    assessment = assessment_for(personas.practitioner, school_child, **CONSENSUAL_15_16)
    decision = not_referring(personas.practitioner, school_child, assessment)
    [approval] = services.decision_request_approvals(access=access_for(personas.practitioner, decision.child), decision=decision)
    assert services.approvals_escalate_overdue(approval.due_at - timedelta(minutes=1)) == 0
    later = approval.due_at + timedelta(minutes=1)
    assert services.approvals_escalate_overdue(later) == 1
    assert services.approvals_escalate_overdue(later) == 0
    assert services.approvals_escalate_overdue(now=later + timedelta(days=3)) == 0
    approval.refresh_from_db()
    assert approval.escalated_at == later
    alert = Notification.objects.get(recipient=personas.named_lead, kind="approval_escalated")
    assert alert.level == Notification.Level.ALERT
    assert Task.objects.get(kind="approval_escalated").role == "named_lead"
    assert AuditEvent.objects.filter(verb=Verb.APPROVAL_ESCALATED).count() == 1


def test_a_sharing_decision_records_purpose_lawful_basis_and_recipient(client_for, personas, school_child):
    client = client_for(personas.practitioner)
    url = reverse("referrals:decision_add", args=[school_child.pk])
    response = client.post(url, {"kind": "share", "decision": "Share the chronology with the police",
                                 "reasons": "Adults are targeting the child (§17.4)"})
    page = response.content.decode()
    assert response.status_code == 200 and "Enter the purpose of sharing" in page and "Choose the lawful basis" in page
    assert "Adults are targeting the child" in page and not DecisionRecord.objects.exists()
    response = client.post(url, {"kind": "share", "decision": "Share the chronology with the police",
                                 "reasons": "Adults are targeting the child (§17.4)", "purpose": "A joint investigation",
                                 "lawful_basis": "child_protection", "recipient": "County Police CSE team"})
    assert response.status_code == 302, response.content.decode()
    decision = DecisionRecord.objects.get()
    assert decision.required_approvals == [] and decision.lawful_basis == "child_protection"
    signed = services.decision_sign(access=access_for(personas.practitioner, decision.child), decision=decision)
    assert signed.is_signed and signed.recipient == "County Police CSE team"


def test_the_reasons_are_language_checked(client_for, personas, school_child):
    client = client_for(personas.practitioner)
    data = {"kind": "close", "decision": "Close", "reasons": "She is promiscuous and puts herself at risk"}
    response = client.post(reverse("referrals:decision_add", args=[school_child.pk]), data)
    assert response.status_code == 200 and "Check your wording" in response.content.decode()
    assert not DecisionRecord.objects.exists()
    response = client.post(reverse("referrals:decision_add", args=[school_child.pk]), {**data, "keep_wording": "on"})
    assert response.status_code == 302
    assert DecisionRecord.objects.get().language_flags_kept
    assert AuditEvent.objects.filter(verb=Verb.LANGUAGE_FLAG_KEPT).exists()


def test_changing_a_draft_withdraws_approvals(personas, school_child):
    assessment = assessment_for(personas.practitioner, school_child, **CONSENSUAL_15_16)
    decision = not_referring(personas.practitioner, school_child, assessment)
    [approval] = services.decision_request_approvals(access=access_for(personas.practitioner, decision.child), decision=decision)
    services.decision_update(access=access_for(personas.practitioner, decision.child), decision=decision, data=services.DecisionData(
        kind="not_refer", destination="csc", decision="Not to refer", reasons="Reworded"))
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.WITHDRAWN
    assert DecisionRecord.objects.get().status == DecisionStatus.DRAFT


def test_the_outcome_page_offers_a_decision_not_to_refer_wherever_the_rules_allow_one(client_for, personas,
                                                                                       school_child):
    """Issue 10 item 13: a "consider" referral (§9.2) may be answered by a decision not to refer too."""
    assessment = assessment_for(personas.practitioner, school_child, partner_ages=[16])
    refer = next(a for a in assessment.actions if a["code"] == "REFER_CSC")
    assert refer["strength"] == "consider" and assessment.not_referring["allowed"]
    page = client_for(personas.practitioner).get(reverse("referrals:assessment", args=[assessment.pk])).content.decode()
    link = (reverse("referrals:decision_add", args=[school_child.pk])
            + f"?assessment={assessment.pk}&amp;kind=not_refer&amp;destination=csc")
    assert f'href="{link}">Record a decision not to refer</a>' in page


def test_the_approvals_page_states_what_the_rules_require(client_for, personas):
    """Issue 10 item 13: not a blanket "designated lead" claim, but the NR table row by row."""
    from safeguard.rules.not_referring import not_referring_table

    page = client_for(personas.designated_lead).get(reverse("referrals:approvals")).content.decode()
    assert "A decision not to refer needs the designated safeguarding lead's approval" not in page
    rows = not_referring_table()
    assert [row.code for row in rows] == ["NR1", "NR2", "NR3", "NR4", "NR5", "NR6"]
    for row in rows:
        assert f"({row.code}, §{row.section})" in page
    assert "No approval needed" in page  # NR4
    assert "Approved by the designated safeguarding lead and a senior manager; exceptional" in page  # NR2, NR5
    assert "Not allowed: the referral must be made" in page  # NR1


def test_an_approval_cancelled_by_an_edit_says_so(client_for, personas, school_child):
    """Issue 10 item 13: an edit cancels the approvals, and the record says why."""
    assessment = assessment_for(personas.practitioner, school_child, **CONSENSUAL_15_16)
    decision = not_referring(personas.practitioner, school_child, assessment)
    [approval] = services.decision_request_approvals(access=access_for(personas.practitioner, school_child),
                                                     decision=decision)
    services.approval_give(access=access_for(personas.designated_lead, school_child), approval=approval)
    services.decision_update(access=access_for(personas.practitioner, school_child), decision=decision,
                             data=services.DecisionData(kind="not_refer", destination="csc", decision="Not to refer",
                                                        reasons="Reworded"))
    page = client_for(personas.practitioner).get(reverse("referrals:decision", args=[decision.pk])).content.decode()
    assert "cancelled because the draft changed" in page and "no longer needed" not in page
    assert f"({personas.designated_lead} had approved it on" in page
    page = client_for(personas.designated_lead).get(reverse("referrals:approval", args=[approval.pk])).content.decode()
    assert "Cancelled because the draft changed" in page


def test_a_child_has_a_list_of_its_decision_records(client_for, personas, school_child,
                                                     django_assert_max_num_queries):
    """Issue 10: a per-child list of decision records, linked from the child overview, audited."""
    signed = _signed(personas, school_child)
    draft = not_referring(personas.practitioner, school_child, None, reasons="A second thought")
    client = client_for(personas.practitioner)
    url = reverse("referrals:child_decisions", args=[school_child.pk])
    assert f'href="{url}"' in client.get(reverse("children:detail", args=[school_child.pk])).content.decode()
    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()
    assert page.index(f"Decision record {draft.pk}") < page.index(f"Decision record {signed.pk}")  # newest first
    assert reverse("referrals:decision", args=[signed.pk]) in page and "Signed" in page
    assert AuditEvent.objects.filter(verb=Verb.CHILD_VIEWED, child_id=school_child.pk, actor=personas.practitioner
                                     ).exists()
    assert client_for(personas.outsider).get(url).status_code == 404


def test_the_decision_record_links_its_approval_for_those_who_may_open_it(client_for, personas, school_child):
    """The named lead sees an approval through (selectors.approval_for_user) and reaches it from the
    decision record; so does the approver. The author, who may not open it, gets no link."""
    assessment = assessment_for(personas.practitioner, school_child, **CONSENSUAL_15_16)
    decision = not_referring(personas.practitioner, school_child, assessment)
    [approval] = services.decision_request_approvals(access=access_for(personas.practitioner, school_child),
                                                     decision=decision)
    link = f'href="{reverse("referrals:approval", args=[approval.pk])}"'
    for who, linked in ((personas.named_lead, True), (personas.designated_lead, True), (personas.practitioner, False)):
        page = client_for(who).get(reverse("referrals:decision", args=[decision.pk])).content.decode()
        assert (link in page) is linked, who
        assert client_for(who).get(reverse("referrals:approval", args=[approval.pk])).status_code == (
            200 if linked else 404)
