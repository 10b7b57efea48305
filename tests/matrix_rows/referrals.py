"""Authorization-matrix rows for referrals, assessments, consultations, decisions and approvals (issue 5).

The referral goes from the school to children's social care, so the receiving team (the CSC
agency's staff: the MASH worker and the panel chair) sees it as well as everyone who sees the child.
"""

from tests.factories import access_for
from tests.matrix import CHILD_LEVEL, SEES_SCHOOL_CHILD, Expect, Row, api_expect, school_child, who

SEES_REFERRAL = SEES_SCHOOL_CHILD | {"panel_chair"}
# A children's social care referral is the MASH's to act on; the panel chair in the same agency is not (issue 11 item 10).
RECEIVING_TEAM = {"mash_worker"}
SCHOOL_CONSULTATION = {"practitioner", "named_lead", "designated_lead", "senior_manager", "mash_worker", "panel_chair"}


def _referral(ctx):
    from safeguard.referrals.services import referral_open

    return referral_open(access=access_for(ctx["personas"].practitioner, ctx["child"]), destination="csc",
                         reason="Older boyfriend collects her from school")


def referral(ctx):
    return {"referral_id": _referral(ctx).pk}


def _assessment(ctx):
    from safeguard.referrals.services import AssessmentAnswers, assessment_record

    return assessment_record(access=access_for(ctx["personas"].practitioner, ctx["child"]),
                             answers=AssessmentAnswers(child_age=14, partner_ages=[19]))


def assessment(ctx):
    return {"assessment_id": _assessment(ctx).pk}


def assessment_action(ctx):
    return {"assessment_id": _assessment(ctx).pk, "code": "DISCUSS_CP_LEAD"}


def consultation(ctx):
    from django.utils import timezone

    from safeguard.referrals.services import consultation_record

    record = consultation_record(actor=ctx["personas"].practitioner, consulted_agency=ctx["personas"].csc,
                                 consulted_on=timezone.localdate(), age_band="13_to_15",
                                 summary="A pupil of 15 with a partner of 16", advice="No referral needed")
    return {"consultation_id": record.pk}


def _decision(ctx):
    from safeguard.referrals.services import DecisionData, decision_draft

    return decision_draft(access=access_for(ctx["personas"].practitioner, ctx["child"]), subject=_assessment(ctx),
                          data=DecisionData(kind="not_refer", destination="csc", decision="Not referring",
                                            reasons="Both 15 and 16, consensual, no other concern"))


def decision(ctx):
    return {"decision_id": _decision(ctx).pk}


def decision_child(ctx):
    return {"child_id": _decision(ctx).child_id}


def approval(ctx):
    from safeguard.referrals.services import decision_request_approvals

    decision = _decision(ctx)
    [first] = decision_request_approvals(access=access_for(ctx["personas"].practitioner, decision.child),
                                         decision=decision)
    return {"approval_id": first.pk}


AUTHOR = {"practitioner"}

ROWS = {
    # Pages
    "referrals:queue": Row(get=who(200, CHILD_LEVEL, 404)),
    "referrals:create": Row(kwargs=school_child, get=who(200, SEES_SCHOOL_CHILD, 404),
                            post=who(200, SEES_SCHOOL_CHILD, 404)),  # empty form: shown again with errors
    "referrals:detail": Row(kwargs=referral, get=who(200, SEES_REFERRAL, 404)),
    "referrals:receive": Row(kwargs=referral, get=Expect(405), post=who(200, SEES_REFERRAL, 404)),
    "referrals:accept": Row(kwargs=referral, get=Expect(405), post=who(302, RECEIVING_TEAM, 404)),
    "referrals:decline": Row(kwargs=referral, get=Expect(405), post=who(200, SEES_REFERRAL, 404)),
    "referrals:outcome": Row(kwargs=referral, get=Expect(405), post=who(200, SEES_REFERRAL, 404)),
    "referrals:pack": Row(kwargs=referral, get=who(200, SEES_REFERRAL, 404)),
    "referrals:assessment_add": Row(kwargs=school_child, get=who(200, SEES_SCHOOL_CHILD, 404),
                                    post=who(200, SEES_SCHOOL_CHILD, 404)),
    "referrals:assessment": Row(kwargs=assessment, get=who(200, SEES_SCHOOL_CHILD, 404)),
    "referrals:assessment_action_done": Row(kwargs=assessment_action, get=Expect(405),
                                            post=who(302, SEES_SCHOOL_CHILD, 404)),
    "referrals:consultations": Row(get=who(200, CHILD_LEVEL, 404)),
    "referrals:consultation_add": Row(get=who(200, CHILD_LEVEL, 404), post=who(200, CHILD_LEVEL, 404)),
    "referrals:consultation": Row(kwargs=consultation, get=who(200, SCHOOL_CONSULTATION, 404)),
    "referrals:decision_add": Row(kwargs=school_child, get=who(200, SEES_SCHOOL_CHILD, 404),
                                  post=who(200, SEES_SCHOOL_CHILD, 404)),
    "referrals:child_decisions": Row(kwargs=decision_child, get=who(200, SEES_SCHOOL_CHILD, 404)),
    "referrals:decision": Row(kwargs=decision, get=who(200, SEES_SCHOOL_CHILD, 404)),
    "referrals:decision_edit": Row(kwargs=decision, get=who(200, AUTHOR, 404), post=who(200, AUTHOR, 404)),
    "referrals:decision_request_approval": Row(kwargs=decision, get=Expect(405), post=who(302, AUTHOR, 404)),
    # The author may try to sign (and is told the approval is missing); anyone else is refused.
    "referrals:decision_sign": Row(kwargs=decision, get=Expect(405), post=who(302, AUTHOR, 404)),
    "referrals:approvals": Row(get=who(200, {"named_lead", "designated_lead", "senior_manager"}, 404)),
    "referrals:approval": Row(kwargs=approval, get=who(200, {"designated_lead", "named_lead"}, 404),
                              post=Expect(404, {"anonymous": 302, "designated_lead": 200, "named_lead": 302})),
    # API
    "api:referrals-list": Row(get=api_expect(200, CHILD_LEVEL, 200), post=api_expect(400, CHILD_LEVEL, 400)),
    "api:referrals-detail": Row(kwargs=referral, get=api_expect(200, SEES_REFERRAL, 404)),
    "api:referrals-status": Row(kwargs=referral, get=api_expect(405, CHILD_LEVEL, 405),
                                post=api_expect(400, SEES_REFERRAL, 404)),
    "api:referrals-outcome": Row(kwargs=referral, get=api_expect(405, CHILD_LEVEL, 405),
                                 post=api_expect(400, SEES_REFERRAL, 404)),
    "api:assessments-list": Row(kwargs=school_child, get=api_expect(200, SEES_SCHOOL_CHILD, 404),
                                post=api_expect(400, SEES_SCHOOL_CHILD, 404)),
    "api:assessments-detail": Row(kwargs=assessment, get=api_expect(200, SEES_SCHOOL_CHILD, 404)),
    "api:decisions-list": Row(kwargs=school_child, get=api_expect(200, SEES_SCHOOL_CHILD, 404),
                              post=api_expect(400, SEES_SCHOOL_CHILD, 404)),
    "api:decisions-detail": Row(kwargs=decision, get=api_expect(200, SEES_SCHOOL_CHILD, 404)),
    "api:decisions-request-approval": Row(
        kwargs=decision,
        post=Expect(403, {**{p: 404 for p in CHILD_LEVEL}, **{p: 403 for p in SEES_SCHOOL_CHILD},
                          "practitioner": 200})),
    "api:decisions-sign": Row(
        kwargs=decision,
        post=Expect(403, {**{p: 404 for p in CHILD_LEVEL}, **{p: 403 for p in SEES_SCHOOL_CHILD},
                          "practitioner": 400})),  # the author is told the approval is missing
    "api:approvals-list": Row(get=Expect(200, {"anonymous": 403})),
    "api:approvals-detail": Row(kwargs=approval, get=Expect(404, {"anonymous": 403, "designated_lead": 200,
                                                                  "named_lead": 200}),
                                post=Expect(404, {"anonymous": 403, "designated_lead": 400, "named_lead": 400})),
}
