"""Authorization-matrix rows for meetings, reports, actions and the Multi-Agency Risk Panel.

The school's child (tests/matrix.py) is the subject: a strategy discussion convened by the MASH
worker, with the school practitioner and the health practitioner invited. Invitees and whoever runs
the meeting see it; nobody else does (404). Panel members see a child referred to the panel; the
same child answers 404 to them before the referral (see `children:detail` in the core rows, where
the child is not at the panel).
"""

from tests.matrix import CHILD_LEVEL, SEES_SCHOOL_CHILD, Expect, Row, api_expect, who

AT_MEETING = {"mash_worker", "practitioner", "health_practitioner"}
RUNS_MEETING = {"mash_worker"}
PANEL = {"panel_chair", "panel_member"}


def _meeting(ctx):
    from tests.meetings.builders import strategy

    return strategy(ctx["personas"], ctx["child"])


def meeting(ctx):
    return {"meeting_id": _meeting(ctx).pk}


def invitation(ctx):
    found = _meeting(ctx)
    return {"meeting_id": found.pk, "invitation_id": found.invitations.get(user=ctx["personas"].health_practitioner).pk}


def overview(ctx):
    return {"meeting_id": _meeting(ctx).pk, "child_id": ctx["child"].pk}


def report(ctx):
    found = _meeting(ctx)
    return {"meeting_id": found.pk, "report_id": found.reports.get(agency=ctx["personas"].health).pk}


def attachment(ctx):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from safeguard.meetings import services

    found = _meeting(ctx)
    record = found.reports.get(agency=ctx["personas"].health)
    services.report_save(actor=ctx["personas"].health_practitioner, report=record, text="Draft", version=record.version,
                         attachments=[SimpleUploadedFile("notes.pdf", b"%PDF-1.4 x", content_type="application/pdf")])
    return {"meeting_id": found.pk, "report_id": record.pk, "attachment_id": record.attachments.get().pk}


def panel_meeting(ctx):
    from tests.meetings.builders import panel_meeting as build

    return {"meeting_id": build(ctx["personas"]).pk}


def action(ctx):
    from tests.meetings.builders import action as build

    return {"action_id": build(ctx["personas"], ctx["child"], _meeting(ctx)).pk}


def panel_referral(ctx):
    from tests.meetings.builders import panel_referred

    return {"referral_id": panel_referred(ctx["personas"], ctx["child"]).pk}


def panel_case(ctx):
    from tests.meetings.builders import panel_case as build

    build(ctx["personas"], ctx["child"])
    return {"child_id": ctx["child"].pk}


def child(ctx):
    return {"child_id": ctx["child"].pk}


# Who sees a meeting action about the child: everyone who sees the child (the meeting brought the
# MASH's agency, and so the panel chair's, into the child's circle) and the invited health practitioner.
ACTION_SEERS = SEES_SCHOOL_CHILD | {"health_practitioner", "panel_chair"}
GET_405 = Expect(405)

ROWS = {
    "meetings:index": Row(get=who(200, CHILD_LEVEL, 404)),
    "meetings:my_actions": Row(get=who(200, CHILD_LEVEL, 404)),
    "meetings:convene_group": Row(kwargs=lambda ctx: {"kind": "panel"}, get=who(200, {"panel_chair"}, 404),
                                  post=who(200, {"panel_chair"}, 404)),  # empty form: shown again with errors
    "meetings:child": Row(kwargs=child, get=who(200, SEES_SCHOOL_CHILD, 404)),
    "meetings:convene": Row(kwargs=child, get=who(200, SEES_SCHOOL_CHILD, 404), post=who(200, SEES_SCHOOL_CHILD, 404)),
    "meetings:child_action_add": Row(kwargs=child, get=who(200, SEES_SCHOOL_CHILD, 404),
                                     post=who(200, SEES_SCHOOL_CHILD, 404)),
    "meetings:detail": Row(kwargs=meeting, get=who(200, AT_MEETING, 404)),
    "meetings:change": Row(kwargs=meeting, get=who(200, RUNS_MEETING, 404), post=who(200, RUNS_MEETING, 404)),
    "meetings:cancel": Row(kwargs=meeting, get=who(200, RUNS_MEETING, 404), post=who(200, RUNS_MEETING, 404)),
    "meetings:invite": Row(kwargs=meeting, get=who(200, RUNS_MEETING, 404), post=who(200, RUNS_MEETING, 404)),
    "meetings:attendance": Row(kwargs=invitation, get=GET_405, post=who(302, RUNS_MEETING, 404)),
    "meetings:minutes": Row(kwargs=meeting, get=who(200, RUNS_MEETING, 404), post=who(200, RUNS_MEETING, 404)),
    "meetings:decision_add": Row(kwargs=meeting, get=who(200, RUNS_MEETING, 404), post=who(200, RUNS_MEETING, 404)),
    "meetings:action_add": Row(kwargs=meeting, get=who(200, RUNS_MEETING, 404), post=who(200, RUNS_MEETING, 404)),
    "meetings:agenda_build": Row(kwargs=panel_meeting, get=GET_405, post=who(302, {"panel_chair"}, 404)),
    "meetings:agenda_pdf": Row(kwargs=meeting, get=who(200, AT_MEETING, 404)),
    "meetings:minutes_pdf": Row(kwargs=meeting, get=who(200, AT_MEETING, 404)),
    "meetings:overview": Row(kwargs=overview, get=who(200, AT_MEETING, 404)),
    # The health practitioner writes their agency's report (an empty post saves a draft); the others read it.
    "meetings:report": Row(kwargs=report, get=who(200, AT_MEETING, 404), post=who(302, {"health_practitioner"}, 404)),
    "meetings:attachment": Row(kwargs=attachment, get=who(200, AT_MEETING, 404)),
    "meetings:action": Row(kwargs=action, get=who(200, ACTION_SEERS, 404),
                           post=who(200, {"practitioner", "mash_worker"}, 404)),  # empty form: errors
    "meetings:action_edit": Row(kwargs=action, get=who(200, {"practitioner", "mash_worker"}, 404),
                                post=who(200, {"practitioner", "mash_worker"}, 404)),
    "meetings:panel": Row(get=who(200, PANEL, 404)),
    "meetings:panel_accept": Row(kwargs=panel_referral, get=who(200, {"panel_chair"}, 404),
                                 post=who(302, {"panel_chair"}, 404)),  # the note is optional: accepted
    "meetings:panel_decline": Row(kwargs=panel_referral, get=who(200, {"panel_chair"}, 404),
                                  post=who(200, {"panel_chair"}, 404)),  # the reason is required
    # A child referred to and open at the panel: panel members see it as well as the school's circle.
    "meetings:panel_case": Row(kwargs=panel_case, get=who(200, SEES_SCHOOL_CHILD | PANEL, 404)),
    "meetings:panel_refer": Row(kwargs=child, get=who(200, SEES_SCHOOL_CHILD, 404),
                                post=who(200, SEES_SCHOOL_CHILD, 404)),
    "meetings:panel_close": Row(kwargs=panel_case, get=who(200, {"panel_chair"}, 404),
                                post=who(200, {"panel_chair"}, 404)),
}


def api_meeting(ctx):
    return {"meeting_id": _meeting(ctx).pk}


ROWS.update({
    "api:meetings": Row(get=api_expect(200, CHILD_LEVEL, 200)),
    "api:meeting": Row(kwargs=api_meeting, get=api_expect(200, AT_MEETING, 404)),
    # An empty body is refused (400) for anyone who sees the meeting, before who may write is asked.
    "api:meeting-report": Row(kwargs=report, get=api_expect(200, AT_MEETING, 404), post=api_expect(400, AT_MEETING, 404)),
    "api:meeting-actions": Row(get=api_expect(200, CHILD_LEVEL, 200)),
    "api:meeting-action": Row(kwargs=action, get=api_expect(200, ACTION_SEERS, 404)),
    "api:meeting-action-close": Row(kwargs=action, post=api_expect(400, ACTION_SEERS, 404)),
})
