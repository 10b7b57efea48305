"""Authorization-matrix rows for records management: retention, holds, disposal, subject access.

Only a named lead works here, and only on children their agency sees (the school's child): everyone
else gets the 404 a missing record gets. Empty posts are shown again with their errors (400)."""

from tests.matrix import POST_ONLY, Expect, Row, who

LEAD = {"named_lead"}


def child(ctx):
    return {"child_id": ctx["child"].pk}


def _lead_access(ctx):
    from tests.factories import access_for

    return access_for(ctx["personas"].named_lead, ctx["child"])


def hold(ctx):
    from safeguard.records import services

    found = services.legal_hold_place(access=_lead_access(ctx), reason="Civil claim: solicitors asked us to keep it")
    return {"child_id": ctx["child"].pk, "hold_id": found.pk}


def decision(ctx):
    return {"child_id": ctx["child"].pk, "decision_id": 1}


def _request(ctx, *, released=False):
    from safeguard.records import services

    found = services.subject_access_open(access=_lead_access(ctx))
    if released:
        found = services.subject_access_release(access=_lead_access(ctx), request_id=found.pk, version=found.version,
                                                reviewed=True)
    return {"child_id": ctx["child"].pk, "request_id": found.pk}


def request(ctx):
    return _request(ctx)


def released(ctx):
    return _request(ctx, released=True)


LEAD_200 = who(200, LEAD, 404)
LEAD_400 = who(400, LEAD, 404)

ROWS = {
    "accounts:step_up": Row(get=Expect(302)),  # a code given just now: straight on; the anonymous to sign in
    "records:review": Row(get=LEAD_200),
    "records:disposals": Row(get=LEAD_200),
    "records:child": Row(kwargs=child, get=LEAD_200),
    "records:hold_place": Row(kwargs=child, get=LEAD_200, post=LEAD_200),
    "records:hold_lift": Row(kwargs=hold, get=LEAD_200, post=LEAD_200),
    "records:disposal_sign": Row(kwargs=child, get=POST_ONLY, post=LEAD_400),
    "records:dispose": Row(kwargs=decision, get=POST_ONLY, post=LEAD_400),
    "records:sar_open": Row(kwargs=child, get=POST_ONLY, post=who(302, LEAD, 404)),
    "records:sar": Row(kwargs=request, get=LEAD_200),
    "records:sar_redact": Row(kwargs=request, get=POST_ONLY, post=LEAD_400),
    "records:sar_unredact": Row(kwargs=request, get=POST_ONLY, post=LEAD_400),
    "records:sar_release": Row(kwargs=request, get=POST_ONLY, post=LEAD_400),
    "records:sar_pdf": Row(kwargs=released, get=LEAD_200),
    "records:sar_json": Row(kwargs=released, get=LEAD_200),
}
