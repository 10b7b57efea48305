from tests.factories import access_for
from tests.matrix import SEES_SCHOOL_CHILD, Expect, Row, api_expect, school_child, who


def _screening(ctx):
    from safeguard.screening.services import FormAAnswers, FormAHeader, screening_submit

    child = ctx["child"]
    screening = screening_submit(
        access=access_for(ctx["personas"].practitioner, child),
        header=FormAHeader(referrer_name="T", organisation="S", contact_details="C", child_name=child.full_name,
                           previous_cp_referral="no"),
        answers=FormAAnswers(ticked=["S1"]),
    )
    return screening


def school_screening(ctx):
    screening = _screening(ctx)
    return {"child_id": ctx["child"].pk, "screening_id": screening.pk}


def school_form_b(ctx):
    screening = _screening(ctx)
    # A second screening of the child joins the open draft Form B rather than opening another.
    form_b = screening.form_bs.first() or screening.joined_form_b
    return {"child_id": ctx["child"].pk, "form_b_id": form_b.pk}


# A screening with concerns refers to children's social care, whose agency then sees the child: the
# panel chair in the personas works there.
AFTER_CSC_REFERRAL = SEES_SCHOOL_CHILD | {"panel_chair"}

ROWS = {
    "screening:list": Row(kwargs=school_child, get=who(200, SEES_SCHOOL_CHILD, 404)),
    "screening:new": Row(kwargs=school_child, get=who(200, SEES_SCHOOL_CHILD, 404),
                         post=who(200, SEES_SCHOOL_CHILD, 404)),  # empty form: shown again with errors
    "screening:detail": Row(kwargs=school_screening, get=who(200, AFTER_CSC_REFERRAL, 404)),
    # Children's social care saves the sections (an empty POST is a valid draft); others may only
    # post a contribution (action=contribute), so a bare POST from them is refused like a hidden page.
    "screening:form_b": Row(kwargs=school_form_b, get=who(200, AFTER_CSC_REFERRAL, 404),
                            post=who(302, {"mash_worker"}, 404)),
    # Only a high risk level is referred; this Form B has none yet, so the page says so and goes back.
    "screening:form_b_panel_referral": Row(kwargs=school_form_b, get=Expect(405),
                                           post=who(302, AFTER_CSC_REFERRAL, 404)),
    "api:children-screenings": Row(kwargs=school_child, get=api_expect(200, SEES_SCHOOL_CHILD, 404),
                                   post=api_expect(400, SEES_SCHOOL_CHILD, 404)),
    "api:children-screening": Row(kwargs=school_screening, get=api_expect(200, AFTER_CSC_REFERRAL, 404)),
}
