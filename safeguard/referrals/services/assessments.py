"""Underage sexual activity assessments (§9) and anonymised consultations (§9.2).

``assessment_record`` evaluates the answers with ``safeguard.rules.sexual_activity``, stores the
outcome with the rules version, opens one task per action for the assessor, and puts the
assessment on the child's chronology and in the audit trail — whatever the outcome (§9.7).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.access.policy import ChildAccess, require_child_worker
from safeguard.accounts.models import Agency
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.chronology import record_on_file
from safeguard.children.models import ChronologyItem
from safeguard.children.summaries import summary
from safeguard.language.services import language_flags_kept_record
from safeguard.notifications.services import task_open, tasks_close_for
from safeguard.platform.rules_settings import rules_params
from safeguard.referrals.models import Assessment, Consultation
from safeguard.rules import RulesInputError
from safeguard.rules import sexual_activity as sa

from ._common import ACTION_TASK_TITLES, action_task_kind

AGE_BANDS = {"under_13": "Under 13", "13_to_15": "13 to 15", "16_to_17": "16 or 17"}
FACTS = (
    "position_of_trust",
    "partner_works_with_children",
    "pregnant",
    "penetrative",
    "disabled",
    "immediate_risk",
)


@dataclass(frozen=True)
class AssessmentAnswers:
    """What the practitioner answered (§9.3). Criteria not given are ``unknown``."""

    child_age: int
    partner_ages: Sequence[int | None] = ()
    criteria: Mapping[str, str] = field(default_factory=dict)
    criteria_notes: Mapping[str, str] = field(default_factory=dict)
    activity_date: date | None = None
    position_of_trust: bool = False
    partner_works_with_children: bool = False
    pregnant: bool = False
    penetrative: bool = False
    disabled: bool = False
    immediate_risk: bool = False
    summary: str = ""


def assessment_child_age(*, date_of_birth: date | None, activity_date: date | None, today: date,
                         stated_age: int | None) -> int:
    """The child's age on the day of the activity when known, else today (§9.1, sexual-activity.md).

    With no date of birth on the record, the age the practitioner states is used.
    """
    if date_of_birth is not None:
        try:
            age = sa.age_on(date_of_birth, activity_date or today)
        except RulesInputError:
            raise ValidationError({"activity_date": "The date of the activity is before the child's date of birth."}) from None
    elif stated_age is not None:
        age = stated_age
    else:
        raise ValidationError({"child_age": "Enter the child's age at the time of the activity."})
    if age > sa.MAX_CHILD_AGE:
        raise ValidationError(
            {"child_age": "The child was 18 or over: this assessment is for children under 18 (§9.1)."}
        )
    return age


def _rules_input(answers: AssessmentAnswers) -> sa.SexualActivityInput:
    try:
        return sa.SexualActivityInput(
            child_age=answers.child_age,
            partner_ages=tuple(answers.partner_ages),
            criteria=dict(answers.criteria),
            **{name: bool(getattr(answers, name)) for name in FACTS},
        )
    except RulesInputError as error:
        raise ValidationError({(error.field or "").split(".")[0].split("[")[0] or "__all__": error.message}) from None


@transaction.atomic
def assessment_record(
    *,
    access: ChildAccess,
    answers: AssessmentAnswers,
    language_kept: Mapping[str, Sequence[str]] | None = None,
) -> Assessment:
    """Record an assessment and its outcome; every action becomes a task for the assessor."""
    access.require_change()
    child, actor = access.child, access.actor
    outcome = sa.evaluate(_rules_input(answers), rules_params())
    now = timezone.now()
    assessment = Assessment.objects.create(
        child=child,
        assessor=actor,
        agency=actor.agency,
        recorded_at=now,
        activity_date=answers.activity_date,
        child_age=answers.child_age,
        partner_ages=list(answers.partner_ages),
        criteria={code: answers.criteria.get(code, "unknown") for code in sa.CRITERIA},
        criteria_notes={k: v.strip() for k, v in answers.criteria_notes.items() if v and v.strip()},
        summary=answers.summary.strip(),
        outcome=outcome.to_dict() | {"criteria": dict(outcome.criteria), "rules_applied": list(outcome.rules_applied)},
        rules_version=outcome.rules_version,
        language_flags_kept=dict(language_kept or {}),
        **{name: bool(getattr(answers, name)) for name in FACTS},
    )
    url = assessment.get_absolute_url()
    musts = [a.code for a in outcome.actions if a.strength == "must"]
    record_on_file(
        access,
        kind=ChronologyItem.Kind.ASSESSMENT,
        summary=summary(
            "referrals.assessment",
            age=answers.child_age,
            musts=f"must {', '.join(ACTION_TASK_TITLES[c].lower() for c in musts)}" if musts else "no action is a must",
        ),
        verb=Verb.ASSESSMENT_RECORDED,
        source=assessment,
        occurred_at=now,
        payload={
            "age_band": outcome.age_band,
            "actions": {a.code: a.strength for a in outcome.actions},
            "not_referring_allowed": outcome.not_referring.allowed,
            "rules_version": outcome.rules_version,
        },
        language_kept=language_kept,
    )
    for action in outcome.actions:
        task_open(
            kind=action_task_kind(action.code),
            title=f"{ACTION_TASK_TITLES[action.code]} ({action.strength}, §{action.section})",
            url=url,
            assignee=actor,
            child=child,
            source=assessment,
            dedupe_key=f"assessment-{assessment.pk}-{action.code}",
            actor=actor,
            notify_owner=False,
        )
    return assessment


@transaction.atomic
def assessment_action_done(*, access: ChildAccess, assessment: Assessment, code: str) -> int:
    """Mark an action's task done (a strategy discussion arranged, the lead consulted). Referral
    actions close themselves when the referral is sent or a decision not to refer is signed."""
    access.require_change()
    if assessment.child_id != access.child.pk:
        raise PermissionDenied("This assessment is about another child.")
    actor = access.actor
    if code not in {a["code"] for a in assessment.actions}:
        raise ValidationError("That action is not part of this assessment.")
    return tasks_close_for(source=assessment, kind=action_task_kind(code), actor=actor)


@transaction.atomic
def consultation_record(
    *,
    actor,
    consulted_agency: Agency,
    consulted_on: date,
    age_band: str,
    summary: str,
    advice: str,
    consulted_person: str = "",
    language_kept: Mapping[str, Sequence[str]] | None = None,
) -> Consultation:
    """An anonymised consultation (§9.2). No child is linked, and the audit event names none."""
    require_child_worker(actor)
    if not actor.agency_id:
        raise PermissionDenied("Your role does not work with children's records.")
    if age_band not in AGE_BANDS:
        raise ValidationError({"age_band": "Choose the child's age group."})
    if not summary.strip():
        raise ValidationError({"summary": "Describe the situation, without identifying the child."})
    if not advice.strip():
        raise ValidationError({"advice": "Enter the advice given."})
    if consulted_on > timezone.localdate():
        raise ValidationError({"consulted_on": "The date of the consultation must be today or in the past."})
    consultation = Consultation.objects.create(
        recorded_by=actor,
        agency=actor.agency,
        consulted_agency=consulted_agency,
        consulted_person=consulted_person.strip(),
        consulted_on=consulted_on,
        age_band=age_band,
        summary=summary.strip(),
        advice=advice.strip(),
        recorded_at=timezone.now(),
        language_flags_kept=dict(language_kept or {}),
    )
    audit_record(
        verb=Verb.CONSULTATION_RECORDED,
        actor=actor,
        target=consultation,
        payload={"consulted_agency_id": consulted_agency.pk, "age_band": age_band},
    )
    language_flags_kept_record(actor=actor, target=consultation, child_id=None, kept=language_kept or {})
    return consultation
