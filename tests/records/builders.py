"""A child with something of every kind on file, made through the services (for disposal and
subject access tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from safeguard.children.models import Child
from safeguard.children.services import WhatHappened, chronology_entry_record, observation_record
from safeguard.missing import services as missing
from safeguard.referrals import services as referrals
from safeguard.referrals.models import DecisionRecord
from safeguard.screening import services as screening
from tests.factories import access_for
from tests.factories import child as make_child
from tests.missing.builders import declined, png_upload, report, returned
from tests.referrals.conftest import assessment_for, not_referring

BORN = date(2010, 1, 1)  # fifteen at the assessment's activity date (tests/referrals/conftest.py)
OLD_ENOUGH = date(1990, 1, 1)  # a school's file is kept to 25: this child's came due in 2015


@dataclass
class FullFile:
    child: Child
    decision: DecisionRecord


def full_file(personas, *, dob: date = OLD_ENOUGH, first_name: str = "Zofia", last_name: str = "Łukasiewicz") -> FullFile:
    kid = make_child(first_name=first_name, last_name=last_name, dob=BORN, involved=[personas.school],
                     lead=personas.school)
    practitioner = personas.practitioner
    access = access_for(practitioner, kid)
    observation_record(access=access, indicators=["I5"], happened=WhatHappened(occurred_at=timezone.now(),
                       source="seen"), details="New phone and clothes", people="Older man called Dean",
                       vehicles="Silver hatchback")
    chronology_entry_record(access=access, happened=WhatHappened(occurred_at=timezone.now(), source="told_by_other",
                            source_detail="Her aunt"), text="Aunt says she stays out overnight")
    screening.screening_submit(
        access=access,
        header=screening.FormAHeader(referrer_name="Tara Teacher", organisation="Northgate Academy",
                                     contact_details="0100 000000", child_name=kid.full_name,
                                     previous_cp_referral="no"),
        answers=screening.FormAAnswers(ticked=["R1", "R5", "R6", "V2"], evidence={"R5": "Out until 2am"}),
    )
    assessment = assessment_for(practitioner, kid, partner_ages=[16], criteria={"C4": "yes"})
    decision = not_referring(practitioner, kid, assessment)
    [approval] = referrals.decision_request_approvals(access=access_for(practitioner, kid), decision=decision)
    referrals.approval_give(access=access_for(personas.designated_lead, kid), approval=approval)
    decision = referrals.decision_sign(access=access_for(practitioner, kid), decision=decision)
    episode = report(practitioner, kid)
    interview = returned(practitioner, episode, who_with="A man called Dean", phones="07700 900123")
    declined(practitioner, interview)
    missing.visitor_record(access=access_for(practitioner, kid), details=missing.VisitorDetails(
        how="in_person", occurred_at=timezone.now(), description="Man in his 30s asking for her",
        name_given="Dean"))
    missing.profile_update(access=access_for(practitioner, kid), data=missing.ProfileData(
        description="Tall", associates="Dean"), photo=png_upload())
    # Made today, dated as a record opened long ago (its date of birth decides when it comes due).
    Child.objects.filter(pk=kid.pk).update(date_of_birth=dob)
    return FullFile(child=Child.objects.get(pk=kid.pk), decision=decision)
