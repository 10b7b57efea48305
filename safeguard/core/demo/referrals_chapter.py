"""Chapter 3: referrals followed up to their outcome, §9 assessments and a signed decision not to refer.

Everything goes through ``safeguard.referrals.services``, as the people in the demo region would do
it, so every step has its event, audit record, chronology entry, task and notification.

* Referrals in every state: Jodie's (from her screening) is received, accepted and has its outcome
  recorded; Chloe's is accepted and waits for its outcome; Kayleigh's is received and raised to red;
  Ruby's is still sent; a direct referral for Megan is declined, with the reason, because early
  help already works with the family.
* An under-13 case: Lily Dawson, 12, seen at the sexual health service. The assessment says a
  referral to children's social care is a must and the referral goes red.
* A position of trust: Connor Hale, 16, at Eastmoor College, and a 34-year-old sports coach. There
  is no opt-out; the student support officer refers to the LADO and the team manager accepts it.
* A decision not to refer: Sam, 15, and a partner of 16 from the same year group. One criterion
  (C4) gives cause for concern, so a referral is a must and not referring needs the designated
  lead's approval: the named nurse approves and the nurse signs the record.
* A decision still waiting for its approval: Freya Collins, 15, at Northbridge Academy, and a
  partner of 16 at Eastmoor College. The head of year first consulted the Family Contact Point
  without naming her (an anonymised consultation, §9.2), then assessed: her living circumstances
  (C4) make a referral a must, so the draft not to refer waits for the school's designated lead
  (``dsl``); the author can still change it, and the named lead (``schoollead``) can open the approval.
"""

from __future__ import annotations

from safeguard.access.policy import ChildAccess, child_for_user
from safeguard.referrals.models import Destination, Priority, Referral
from safeguard.referrals.services import (
    AssessmentAnswers,
    DecisionData,
    approval_give,
    assessment_action_done,
    assessment_child_age,
    assessment_record,
    consultation_record,
    decision_draft,
    decision_request_approvals,
    decision_sign,
    referral_accept,
    referral_decline,
    referral_open,
    referral_receive,
    referral_record_outcome,
)

from .stories import _child, _note, ago, born


def _as(user, child) -> ChildAccess:
    """The access the person would have on the page: the demo goes through the same gate."""
    return child_for_user(user, child.pk, change=True)


def _screening_referral(child) -> Referral:
    """The referral to children's social care that the screenings chapter opened for this child."""
    referral = Referral.objects.filter(child=child, destination=Destination.CSC).order_by("pk").first()
    assert referral is not None, "the screenings chapter opens this referral"
    return referral


def _assess(region, username: str, child, *, partner_ages, activity_days: float, criteria=None, notes=None,
            summary: str = "", **facts):
    activity = ago(activity_days).date()
    age = assessment_child_age(date_of_birth=child.date_of_birth, activity_date=activity, today=ago(0).date(),
                               stated_age=None)
    return assessment_record(
        access=_as(region.users[username], child),
        answers=AssessmentAnswers(child_age=age, partner_ages=list(partner_ages), criteria=criteria or {},
                                  criteria_notes=notes or {}, activity_date=activity, summary=summary, **facts),
    )


def _reason(assessment, code: str) -> str:
    return " ".join(a["reason"] for a in assessment.actions if a["code"] == code)


def referrals_in_every_state(region, cast) -> None:
    c = cast.children
    mash, csclead = region.users["mash"], region.users["csclead"]

    # Outcome recorded: Jodie's referral from her screening.
    jodie = _screening_referral(c["jodie"])
    referral_receive(access=_as(mash, jodie.child), referral=jodie, note="Checked against our records: not previously known.")
    referral_accept(access=_as(mash, jodie.child), referral=jodie, note="Accepted for a strategy discussion with the police CSE team.")
    referral_record_outcome(access=_as(mash, jodie.child), referral=jodie,
        outcome="Strategy discussion held with the police CSE team and the school. Section 47 enquiries started; "
                "a social worker is allocated and will visit Jodie and her mum this week. The school's named lead "
                "joins the core group.",
    )

    # Accepted: Chloe's, with its outcome still to record.
    chloe = _screening_referral(c["chloe"])
    referral_accept(access=_as(mash, chloe.child), referral=chloe, note="Accepted: linked with Megan Hart's record, same two men.")

    # Received, and raised to red on receipt: Kayleigh is going missing overnight.
    kayleigh = _screening_referral(c["kayleigh"])
    referral_receive(access=_as(csclead, kayleigh.child), referral=kayleigh, priority=Priority.RED,
                     note="Raised to red: missing overnight three times this month.")

    # Ruby's referral from the police stays sent: it waits in the MASH queue.

    # Declined, with the reason: Megan's direct referral, below the threshold while early help works with her.
    megan = referral_open(
        access=_as(region.users["teacher"], c["megan"]), destination=Destination.CSC, priority=Priority.GREEN,
        reason="Megan has a second phone and messages from a man she met online who also messages Chloe Barnes. "
               "Her mum is worried about late nights.",
    )
    referral_decline(access=_as(mash, megan.child), referral=megan,
        reason="Below the threshold for children's social care on its own: Northbridge Early Help already works "
               "with Megan and her mum weekly. Discussed with the early help worker, who will complete a Form B "
               "with the school. Refer again at once if Megan meets the man or goes missing.",
    )


def under_13_case(region, cast) -> None:
    """Lily, 12: any sexual activity is an offence; the referral is a must and goes red."""
    lily = _child(
        region, "nurse", "Lily", "Dawson", address="5 Weaver Close, Northbridge", postcode="NB6 2JS",
        date_of_birth=born(12, 5), gender="female", ethnicity="White British", languages="English",
        school="Northbridge Academy",
    )
    _note(region, "nurse", lily, 3, "Lily came to the drop-in clinic with an older cousin and asked for the morning-"
                                    "after pill. She said the other person is \"Kai, he's 17, from my cousin's\".",
          hour=16)
    cast.children["lily"] = lily
    assessment = _assess(
        region, "nurse", lily, partner_ages=[17], activity_days=4, penetrative=True,
        criteria={"C1": "yes", "C3": "yes", "C6": "yes", "C12": "yes", "C5": "no"},
        notes={"C12": "Lily said \"it's fine, everyone does it\"."},
        summary="Seen at the drop-in clinic; sexual activity four days ago with a 17-year-old known to her cousin.",
    )
    nurse = region.users["nurse"]
    assessment_action_done(access=_as(nurse, lily), assessment=assessment, code="DISCUSS_CP_LEAD")
    referral_open(
        access=_as(nurse, lily), destination=Destination.CSC, source=assessment,
        reason=_reason(assessment, "REFER_CSC") + " Lily is 12; the other person is 17 and known to her cousin. "
               "Lily's mum does not know she came to the clinic.",
    )


def position_of_trust_case(region, cast) -> None:
    """Connor, 16, and a sports coach of 34 at his college: the LADO must be told; no opt-out."""
    connor = _child(
        region, "lecturer", "Connor", "Hale", address="12 Quarry Lane, Eastmoor", postcode="EM3 4PW",
        date_of_birth=born(16, 6), gender="male", ethnicity="White British", languages="English",
        local_authority="Eastmoor County Council", school="Eastmoor College",
    )
    _note(region, "lecturer", connor, 6, "A teammate told me Connor has been staying late after training with the "
                                         "academy's sports coach and going back to the coach's flat at weekends.",
          hour=17)
    cast.children["connor"] = connor
    lecturer = region.users["lecturer"]
    assessment = _assess(
        region, "lecturer", connor, partner_ages=[34], activity_days=10, position_of_trust=True,
        partner_works_with_children=True,
        criteria={"C7": "yes", "C11": "yes", "C13": "yes", "C9": "no"},
        notes={"C11": "Connor said the coach told him \"keep this between us or you're off the squad\"."},
        summary="Connor, 16, told me he has had sex with the college football academy's coach, aged 34.",
    )
    lado = referral_open(
        access=_as(lecturer, connor), destination=Destination.LADO, source=assessment,
        reason=_reason(assessment, "REFER_LADO") + " The coach is employed by Eastmoor College's football academy "
               "and coaches under-18 squads.",
    )
    referral_accept(access=_as(region.users["csclead"], lado.child), referral=lado,
                    note="LADO informed the same day; a position of trust meeting is being arranged.")


def decision_not_to_refer(region, cast) -> None:
    """Sam, 15, and a partner of 16: a must, a designated lead's approval, a signed record."""
    sam = cast.children["sam"]
    nurse, lead = region.users["nurse"], region.users["healthlead"]
    assessment = _assess(
        region, "nurse", sam, partner_ages=[16], activity_days=14,
        criteria={code: "no" for code in ("C1", "C2", "C3", "C5", "C6", "C7", "C8", "C9", "C10", "C11", "C12",
                                          "C13", "C14")} | {"C4": "yes"},
        notes={"C4": "Sam is staying with his aunt while his parents separate."},
        summary="Sam asked for condoms and advice. His partner is 16 and in the year above at the same school.",
    )
    decision = decision_draft(
        access=_as(nurse, sam), subject=assessment,
        data=DecisionData(
            kind="not_refer", destination=Destination.CSC, decision="Not to refer to children's social care",
            reasons="Sam is 15 and his partner is 16, in the year above at the same school; they have been together "
                    "for eight months and both describe it as \"our decision\". Nothing suggests pressure, gifts or "
                    "secrecy, and no criterion other than C4 gives cause for concern. C4: Sam is staying with his "
                    "aunt while his parents separate; his aunt knows he attends the clinic and the family has asked "
                    "their GP for support. Reviewed at each appointment; a new concern means a referral.",
            information="Case discussion with Hannah Cole, named nurse for safeguarding, at the weekly meeting.",
            decision_maker_ids=[lead.pk],
        ),
    )
    [approval] = decision_request_approvals(access=_as(nurse, sam), decision=decision)
    approval_give(access=_as(lead, sam), approval=approval,
                  note="Discussed with Nina Patel. I agree: close in age, no sign of exploitation; review at each "
                       "appointment.")
    decision_sign(access=_as(nurse, sam), decision=decision)


def decision_awaiting_approval(region, cast) -> None:
    """Freya, 15, and a partner of 16: a consultation without her name, an assessment, and a draft
    decision not to refer that waits for the school's designated lead."""
    teacher = region.users["teacher"]
    consultation_record(
        actor=teacher, consulted_agency=region.agencies["csc"], consulted_person="Maya Brooks",
        consulted_on=ago(3).date(), age_band="13_to_15",
        summary="A Year 11 pupil of 15 has a partner of 16 at the college; they have been together since the "
                "summer. She looks after her mum, who is unwell, most evenings. Nothing suggests pressure or gifts.",
        advice="Complete the sexual activity assessment (§9.3). If a criterion gives cause for concern a referral "
               "is a must; not referring then needs your designated lead's approval, with the reasons recorded.",
    )
    freya = _child(
        region, "teacher", "Freya", "Collins", address="31 Linden Avenue, Northbridge", postcode="NB8 4EW",
        date_of_birth=born(15, 8), gender="female", ethnicity="White British", languages="English",
        school="Northbridge Academy",
    )
    _note(region, "teacher", freya, 2, "Freya told me she has a boyfriend of 16 at Eastmoor College and asked the "
                                       "school nurse about contraception. She cares for her mum most evenings.",
          hour=13)
    cast.children["freya"] = freya
    assessment = _assess(
        region, "teacher", freya, partner_ages=[16], activity_days=7,
        criteria={code: "no" for code in ("C1", "C2", "C3", "C5", "C6", "C7", "C8", "C9", "C10", "C11", "C12",
                                          "C13", "C14")} | {"C4": "yes"},
        notes={"C4": "Freya is a young carer for her mum, who has multiple sclerosis; the young carers' service "
                     "supports the family."},
        summary="Freya, 15, has a partner of 16 at Eastmoor College; she says they decided together and nobody "
                "else is involved.",
    )
    decision = decision_draft(
        access=_as(teacher, freya), subject=assessment,
        data=DecisionData(
            kind="not_refer", destination=Destination.CSC, decision="Not to refer to children's social care",
            reasons="Freya is 15 and her partner is 16; they have been together since the summer and both say it is "
                    "their own decision. Nothing suggests pressure, gifts, secrecy or an older adult. C4: she is a "
                    "young carer for her mum, and the young carers' service already supports the family. The "
                    "school nurse will see her next week; any new concern means a referral.",
            information="Anonymised consultation with Maya Brooks at the Family Contact Point three days ago.",
        ),
    )
    decision_request_approvals(access=_as(teacher, freya), decision=decision)


def build(region, cast) -> None:
    referrals_in_every_state(region, cast)
    under_13_case(region, cast)
    position_of_trust_case(region, cast)
    decision_not_to_refer(region, cast)
    decision_awaiting_approval(region, cast)
