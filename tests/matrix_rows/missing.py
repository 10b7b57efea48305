"""Authorization-matrix rows for missing episodes, interviews, the review list and the police inbox.

The school's child is used throughout (tests/matrix.py): a practitioner of the school reports the
episode, so everyone who sees that child sees its episodes, and nobody else does.
"""

from tests.matrix import CHILD_LEVEL, SEES_SCHOOL_CHILD, Expect, Row, api_expect, who

REVIEWERS = {"named_lead", "police_lead", "mash_worker", "senior_manager"}


def _episode(ctx, *, returned=False, outcome=False):
    from tests.missing.builders import declined, report
    from tests.missing.builders import returned as record_return

    episode = report(ctx["personas"].practitioner, ctx["child"])
    interview = None
    if returned or outcome:
        interview = record_return(ctx["personas"].practitioner, episode)
    if outcome:
        declined(ctx["personas"].practitioner, interview)
    return episode, interview


def child(ctx):
    return {"child_id": ctx["child"].pk}


def episode(ctx):
    found, _ = _episode(ctx)
    return {"child_id": ctx["child"].pk, "episode_id": found.pk}


def returned_episode(ctx):
    found, _ = _episode(ctx, returned=True)
    return {"child_id": ctx["child"].pk, "episode_id": found.pk}


def decided_episode(ctx):
    found, _ = _episode(ctx, outcome=True)
    return {"child_id": ctx["child"].pk, "episode_id": found.pk}


def api_episode(ctx):
    found, _ = _episode(ctx)
    return {"episode_id": found.pk}


def api_interview(ctx):
    _, interview = _episode(ctx, returned=True)
    return {"interview_id": interview.pk}


def _profile(ctx, *, photo=False):
    from safeguard.missing import services
    from tests.missing.builders import access_for, png_upload

    return services.profile_update(
        access=access_for(ctx["personas"].practitioner, ctx["child"]), data=services.ProfileData(description="Tall"),
        photo=png_upload() if photo else None,
    )


def profile_child(ctx):
    _profile(ctx)
    return {"child_id": ctx["child"].pk}


def photo(ctx):
    profile = _profile(ctx, photo=True)
    return {"child_id": ctx["child"].pk, "photo_id": profile.photo_id}


def visitor(ctx):
    from django.utils import timezone

    from safeguard.missing import services
    from tests.missing.builders import access_for

    record = services.visitor_record(
        access=access_for(ctx["personas"].practitioner, ctx["child"]),
        details=services.VisitorDetails(how="in_person", occurred_at=timezone.now(), description="Man, about 30"),
    )
    return {"child_id": ctx["child"].pk, "visitor_id": record.pk}


def submission(ctx):
    from safeguard.missing import services
    from tests.missing.builders import access_for

    _profile(ctx)  # a profile is needed before one can be sent
    sent = services.profile_send_to_police(access=access_for(ctx["personas"].practitioner, ctx["child"]))
    return {"submission_id": sent.pk}


SEES_200 = who(200, SEES_SCHOOL_CHILD, 404)
SEES_302 = who(302, SEES_SCHOOL_CHILD, 404)

ROWS = {
    "missing:review": Row(get=who(200, REVIEWERS, 404)),
    "missing:police_inbox": Row(get=who(200, {"police_lead"}, 404)),
    "missing:police_submission": Row(kwargs=submission, get=who(200, {"police_lead"}, 404)),
    "missing:police_submission_pdf": Row(kwargs=submission, get=who(200, {"police_lead"}, 404)),
    "missing:police_submission_receive": Row(kwargs=submission, get=Expect(405),
                                              post=who(302, {"police_lead"}, 404)),
    "missing:child": Row(kwargs=child, get=SEES_200),
    "missing:report": Row(kwargs=child, get=SEES_200, post=SEES_200),  # empty form: shown again with errors
    "missing:episode": Row(kwargs=episode, get=SEES_200),
    "missing:classify": Row(kwargs=episode, get=SEES_200, post=SEES_200),
    "missing:return": Row(kwargs=episode, get=SEES_200, post=SEES_200),
    "missing:return_correct": Row(kwargs=returned_episode, get=SEES_200, post=SEES_200),
    "missing:interview": Row(kwargs=returned_episode, get=SEES_200),
    "missing:interview_arrange": Row(kwargs=returned_episode, get=SEES_200, post=SEES_200),
    "missing:interview_outcome": Row(kwargs=returned_episode, get=SEES_200, post=SEES_200),
    "missing:interview_send": Row(kwargs=decided_episode, get=Expect(405), post=SEES_302),
    "missing:interview_pdf": Row(kwargs=decided_episode, get=SEES_200),
    "missing:profile": Row(kwargs=child, get=SEES_200),
    "missing:profile_edit": Row(kwargs=child, get=SEES_200, post=SEES_302),  # every field is optional
    "missing:profile_send": Row(kwargs=child, get=Expect(405), post=SEES_302),
    "missing:profile_pdf": Row(kwargs=child, get=SEES_200),
    "missing:profile_photo": Row(kwargs=photo, get=SEES_200),
    "missing:visitor_add": Row(kwargs=child, get=SEES_200, post=SEES_200),
    "missing:visitor": Row(kwargs=visitor, get=SEES_200),
    "api:missing-episodes": Row(get=api_expect(200, CHILD_LEVEL, 200), post=api_expect(400, CHILD_LEVEL, 400)),
    "api:missing-episode": Row(kwargs=api_episode, get=api_expect(200, SEES_SCHOOL_CHILD, 404)),
    "api:missing-episode-classification": Row(kwargs=api_episode, post=api_expect(400, SEES_SCHOOL_CHILD, 404)),
    "api:missing-episode-return": Row(kwargs=api_episode, post=api_expect(400, SEES_SCHOOL_CHILD, 404)),
    # An empty correction (no reason, no count of corrections seen) is refused to those who may change it.
    "api:missing-episode-return-correct": Row(kwargs=api_episode, post=api_expect(400, SEES_SCHOOL_CHILD, 404)),
    "api:missing-interviews": Row(get=api_expect(200, CHILD_LEVEL, 200)),
    "api:missing-interview": Row(kwargs=api_interview, get=api_expect(200, SEES_SCHOOL_CHILD, 404)),
    "api:missing-interview-outcome": Row(kwargs=api_interview, post=api_expect(400, SEES_SCHOOL_CHILD, 404)),
    "api:missing-interview-police": Row(kwargs=api_interview, post=api_expect(400, SEES_SCHOOL_CHILD, 404)),
    "api:missing-profile": Row(kwargs=profile_child, get=api_expect(200, SEES_SCHOOL_CHILD, 404)),
    # An empty upload is refused (400) to those who may change the child; 404 to the rest.
    "api:missing-profile-photo": Row(kwargs=child, get=api_expect(405, CHILD_LEVEL, 405),
                                     post=api_expect(400, SEES_SCHOOL_CHILD, 404)),
}
