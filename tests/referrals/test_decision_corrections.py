"""Issue 11 item 9: only the authoring agency's people correct a signed decision; a correction keeps
the kind and needs the same approvals."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from safeguard.referrals import services
from safeguard.referrals.models import DecisionRecord
from tests.factories import access_for
from tests.referrals.test_decisions import _signed


def _data(kind="not_refer", **extra):
    return services.DecisionData(kind=kind, destination="csc", decision="Not to refer",
                                 reasons="As before; the partner is 16, not 17.", **extra)


def test_another_agency_cannot_correct_a_signed_decision(client_for, personas, school_child):
    decision = _signed(personas, school_child)
    # Children's social care sees every child, but did not make the decision.
    with pytest.raises(PermissionDenied):
        services.decision_draft(access=access_for(personas.mash_worker, school_child), data=_data(),
                                corrects=decision)
    mash = client_for(personas.mash_worker)
    page = mash.get(reverse("referrals:decision", args=[decision.pk])).content.decode()
    assert "Record a correction" not in page
    url = reverse("referrals:decision_add", args=[school_child.pk]) + f"?corrects={decision.pk}"
    assert mash.get(url).status_code == 404
    api = mash.post(reverse("api:decisions-list", args=[school_child.pk]),
                    json.dumps({"kind": "refer", "destination": "csc", "decision": "x", "reasons": "y",
                                "corrects": decision.pk}), content_type="application/json")
    assert api.status_code == 403
    assert DecisionRecord.objects.filter(corrects=decision).count() == 0


def test_a_correction_keeps_the_kind(personas, school_child):
    decision = _signed(personas, school_child)
    with pytest.raises(ValidationError) as refused:
        services.decision_draft(access=access_for(personas.named_lead, school_child),
                                data=_data(kind="share", purpose="x", lawful_basis="child_protection", recipient="y"),
                                corrects=decision)
    assert "keeps the kind" in str(refused.value)


def test_a_correction_needs_the_same_approvals_and_cannot_shed_them_by_a_later_edit(personas, school_child):
    decision = _signed(personas, school_child)
    assert decision.required_approvals == ["designated_lead"]
    # A colleague in the same agency corrects it, with no assessment behind the new draft.
    correction = services.decision_draft(access=access_for(personas.named_lead, school_child), data=_data(),
                                         corrects=decision)
    assert correction.agency_id == decision.agency_id
    assert correction.subject == decision.subject
    assert "designated_lead" in correction.required_approvals
    with pytest.raises(ValidationError):
        services.decision_update(access=access_for(personas.named_lead, school_child), decision=correction,
                                 data=_data(kind="refer"))
    correction.refresh_from_db()
    assert correction.kind == "not_refer" and "designated_lead" in correction.required_approvals
    with pytest.raises(ValidationError):  # not signable without the designated lead's approval
        services.decision_sign(access=access_for(personas.named_lead, school_child), decision=correction)
