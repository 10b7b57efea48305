"""Every write to screenings and Form Bs: the change, and what it records on the child's file, in one
transaction. Each service takes the ``ChildAccess`` the view got from ``access.policy`` and asserts
what it needs; it never decides access itself."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.access.policy import ChildAccess, agencies_working_with_children
from safeguard.accounts.models import Role
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.chronology import record_on_file, writer_involvement_ensure
from safeguard.children.indicators import CATALOGUE, INDICATOR_CODES
from safeguard.children.models import Child, ChronologyItem, Involvement
from safeguard.children.services import involvement_ensure
from safeguard.children.summaries import summary
from safeguard.language.services import language_flags_kept_record
from safeguard.notifications.services import task_open, tasks_close_for
from safeguard.platform.rules_settings import rules_params
from safeguard.platform.versioning import version_bump, version_check
from safeguard.referrals.models import Destination
from safeguard.referrals.services import referral_open
from safeguard.rules.form_b_risk import suggest_risk_level
from safeguard.rules.referral_priority import referral_priority
from safeguard.rules.screening import evaluate
from safeguard.screening.models import (
    Band,
    FormB,
    FormBContribution,
    RiskLevel,
    SafetyAction,
    Screening,
    SignStatus,
)

SIGN_CODES: tuple[str, ...] = tuple(i.code for i in CATALOGUE if i.group == "sign")  # §5, I1-I25


def _kept(flags: Mapping[str, Sequence[str]] | None) -> dict[str, list[str]]:
    return {k: list(v) for k, v in (flags or {}).items() if v}


@dataclass(frozen=True)
class FormAHeader:
    """Form A's header (§16). Forms prefill it from the child's record and the user's profile."""

    referrer_name: str
    organisation: str
    contact_details: str
    child_name: str
    previous_cp_referral: str
    child_age: int | None = None
    local_authority: str = ""
    ethnicity: str = ""
    gender: str = ""
    languages: str = ""
    disabilities: str = ""
    previous_cp_referral_when: str = ""
    level1_assessment_date: date | None = None


@dataclass(frozen=True)
class FormAAnswers:
    ticked: Sequence[str]
    evidence: Mapping[str, str] = field(default_factory=dict)
    not_referring_reason: str = ""  # only read when the screening confirms concerns
    language_flags_kept: Mapping[str, Sequence[str]] | None = None


def _require_form_b_of(access: ChildAccess, form_b: FormB) -> None:
    """The Form B must be the access's child's (a view passes both; they must agree)."""
    access.require_change()
    if form_b.child_id != access.child.pk:
        raise PermissionDenied("You cannot change this record")


def named_leads(agency) -> list:
    from safeguard.accounts.models import User

    return list(User.objects.filter(agency=agency, is_active=True, role_grants__role=Role.NAMED_LEAD).distinct())


@transaction.atomic
def screening_submit(*, access: ChildAccess, header: FormAHeader, answers: FormAAnswers) -> Screening:
    """Submit a Form A: the rules decide the band; concerns open a referral to children's social care
    (unless the practitioner records why not) and a draft Form B; an emerging concern asks for a
    named-lead discussion and a review date. The previous current screening is superseded."""
    access.require_change()
    # The child's row is the lock every submission for this child queues on (item 13): the
    # previous current screening is read and superseded by one submission at a time.
    child = Child.objects.select_for_update().get(pk=access.child.pk)
    access = access.for_child(child)
    actor = access.actor
    previous = list(Screening.objects.select_for_update().filter(child=child, superseded_by__isnull=True))
    # Mark them "being superseded" (pointing at themselves) so the new one can be current under the
    # one-current constraint; they point at the new screening below, in this transaction.
    for old in previous:
        Screening.objects.filter(pk=old.pk).update(superseded_by=old.pk)
    outcome = evaluate(answers.ticked, {k: v for k, v in answers.evidence.items() if v.strip()}, rules_params())
    now = timezone.now()
    not_referring = answers.not_referring_reason.strip() if outcome.band in (Band.SIGNIFICANT, Band.CONCERN) else ""
    screening = Screening.objects.create(
        child=child, agency=actor.agency, submitted_by=actor, submitted_at=now,
        referrer_name=header.referrer_name.strip(), organisation=header.organisation.strip(),
        contact_details=header.contact_details.strip(), child_name=header.child_name.strip(),
        child_age=header.child_age, local_authority=header.local_authority.strip(),
        ethnicity=header.ethnicity.strip(), gender=header.gender.strip(), languages=header.languages.strip(),
        disabilities=header.disabilities.strip(), previous_cp_referral=header.previous_cp_referral,
        previous_cp_referral_when=header.previous_cp_referral_when.strip(),
        level1_assessment_date=header.level1_assessment_date,
        ticked=list(outcome.vulnerabilities + outcome.risk_indicators + outcome.significant_indicators),
        evidence=dict(outcome.evidence), band=outcome.band, form_b_required=outcome.form_b_required,
        reasons=[r.to_dict() for r in outcome.reasons], actions=list(outcome.actions),
        rules_version=outcome.rules_version,
        review_due=(timezone.localdate() + timedelta(days=outcome.review_days)) if outcome.review_days else None,
        language_flags_kept=_kept(answers.language_flags_kept), not_referring_reason=not_referring,
    )
    for old in previous:
        Screening.objects.filter(pk=old.pk).update(superseded_by=screening)
        audit_record(verb=Verb.SCREENING_SUPERSEDED, actor=actor, target=old, child_id=child.pk,
                     payload={"by": screening.pk})
        tasks_close_for(source=old, actor=actor)  # an old review is overtaken by the new screening
    url = screening.get_absolute_url()
    record_on_file(
        access, kind=ChronologyItem.Kind.SCREENING, occurred_at=now, source=screening,
        summary=summary("screening.submitted", band=screening.get_band_display(),
                        reasons="; ".join(r.text for r in outcome.reasons)),
        verb=Verb.SCREENING_SUBMITTED, language_kept=screening.language_flags_kept,
        payload={"band": outcome.band, "ticked": screening.ticked, "rules_version": outcome.rules_version},
    )

    if outcome.form_b_required:
        _form_b_open_or_join(access=access, screening=screening, now=now)
        if not_referring:
            audit_record(verb=Verb.NOT_REFERRING_RECORDED, actor=actor, target=screening, child_id=child.pk,
                         payload={"band": outcome.band})
        else:
            reasons = "; ".join(r.text for r in outcome.reasons)
            screening.referral = referral_open(
                access=access, destination=Destination.CSC, source=screening,
                priority=screening_referral_priority(screening),
                reason=f"CSE screening (Form A) shows {screening.get_band_display().lower()}: {reasons}.",
            )
            screening.save(update_fields=["referral"])
    elif outcome.band == Band.EMERGING:
        leads = [u for u in named_leads(actor.agency) if u.pk != actor.pk]
        for lead in leads:
            task_open(kind="screening_discussion", title="Discuss an emerging CSE concern about {child}",
                      url=url, assignee=lead, child=child, source=screening, actor=actor,
                      dedupe_key=f"screening:{screening.pk}:discuss:{lead.pk}")
        review_due = screening.review_due or timezone.localdate()  # the rules always set one for emerging
        task_open(kind="screening_review", title="Review the CSE screening of {child}", url=url,
                  assignee=actor, child=child, source=screening, actor=actor, notify_owner=False,
                  due_at=timezone.make_aware(datetime.combine(review_due, time(9, 0))),
                  dedupe_key=f"screening:{screening.pk}:review")
    return screening


def _form_b_open_or_join(*, access: ChildAccess, screening: Screening, now) -> FormB:
    """The child's one open draft Form B: the screening joins it if there is one, else opens it.
    Submissions for a child queue on the child's row, so two at once cannot both open a draft; the
    database's one-draft-per-child constraint holds it whatever the route (issue 10 item 3)."""
    child = Child.objects.select_for_update().get(pk=access.child.pk)
    draft = FormB.objects.select_for_update().filter(child=child, status=FormB.Status.DRAFT).first()
    if draft is None:
        return _form_b_open(access=access, screening=screening, now=now)
    screening.joined_form_b = draft
    screening.save(update_fields=["joined_form_b"])
    audit_record(verb=Verb.FORM_B_UPDATED, actor=access.actor, target=draft, child_id=child.pk,
                 payload={"joined_by_screening": screening.pk})
    return draft


def _form_b_open(*, access: ChildAccess, screening: Screening, now) -> FormB:
    child, actor = access.child, access.actor
    seen = {code for codes in child.observations.values_list("indicators", flat=True) for code in codes}
    observed = [code for code in INDICATOR_CODES if code in seen]  # in the handbook's order
    form_b = FormB.objects.create(
        child=child, screening=screening, created_by=actor, created_at=now, updated_by=actor, updated_at=now,
        indicators=observed,
        signs={code: {"status": SignStatus.OBSERVED, "evidence": "", "seen_on": ""}
               for code in observed if code in SIGN_CODES},
    )
    record_on_file(access, kind=ChronologyItem.Kind.FORM_B, occurred_at=now, source=form_b,
                   summary=summary("screening.form_b_opened"), verb=Verb.FORM_B_CREATED,
                   payload={"screening": screening.pk})
    return form_b


def form_b_may_edit(actor) -> bool:
    """Children's social care leads Form B (screening.md); others contribute."""
    return bool(actor is not None and actor.has_role(Role.CSC_MASH))


def screening_referral_priority(screening: Screening) -> str:
    """The RAG priority a referral from this screening starts with (rules RP5-RP6)."""
    facts = {"band_significant"} if screening.band == Band.SIGNIFICANT else set()
    return referral_priority(source="screening", facts=facts).priority


def form_b_suggestion(form_b: FormB):
    screening = form_b.screening
    return suggest_risk_level(
        screening_band=screening.band if screening else None,
        significant=[c for c in (screening.ticked if screening else []) if c.startswith("S")],
        indicators=form_b.indicators, trafficking=bool(form_b.trafficking_concerns.strip()),
    )


@dataclass(frozen=True)
class SignFinding:
    """What the assessment found about one §5 sign. A sign with no finding is "not known"."""

    status: str  # SignStatus: observed | not_observed | not_known
    evidence: str = ""
    seen_on: date | None = None


@dataclass(frozen=True)
class FormBData:
    """Form B's sections. ``indicators`` are codes found (a §5 sign listed here without a finding in
    ``signs`` counts as observed); ``signs`` gives §5 signs their status, evidence and date."""

    indicators: Sequence[str]
    exploitation_models: Sequence[str]
    trafficking_concerns: str = ""
    disability_considerations: str = ""
    childs_account: str = ""
    analysis: str = ""
    risk_level: str = ""
    language_flags_kept: Mapping[str, Sequence[str]] | None = None
    signs: Mapping[str, SignFinding] | None = None


def _signs_and_indicators(data: FormBData) -> tuple[dict, list[str]]:
    """The stored sign findings, and every code found in the handbook's order."""
    signs: dict[str, dict] = {}
    for code, finding in (data.signs or {}).items():
        if code not in SIGN_CODES:
            raise ValidationError({"signs": f"{code} is not a §5 sign"})
        if finding.status not in SignStatus.values:
            raise ValidationError({"signs": f"Say whether {code} was observed, not observed or is not known"})
        if finding.status == SignStatus.NOT_KNOWN:
            if finding.evidence.strip() or finding.seen_on:
                raise ValidationError({"signs": f"Say whether {code} was observed, or remove its evidence and date"})
            continue
        signs[code] = {"status": finding.status, "evidence": finding.evidence.strip(),
                       "seen_on": finding.seen_on.isoformat() if finding.seen_on else ""}
    unknown = set(data.indicators) - set(INDICATOR_CODES)
    if unknown:
        raise ValidationError({"indicators": f"Unknown codes: {', '.join(sorted(unknown))}"})
    for code in data.indicators:
        if code in SIGN_CODES and code not in signs:
            signs[code] = {"status": SignStatus.OBSERVED, "evidence": "", "seen_on": ""}
    found = {code for code, finding in signs.items() if finding["status"] == SignStatus.OBSERVED}
    found |= {code for code in data.indicators if code not in SIGN_CODES}
    return signs, [code for code in INDICATOR_CODES if code in found]


@transaction.atomic
def form_b_update(
    *, access: ChildAccess, form_b: FormB, data: FormBData, complete: bool = False, version: int | None = None
) -> FormB:
    """Save Form B's sections (children's social care); ``complete`` needs the analysis and a risk level.
    ``version`` is the one the form was opened at: a Form B saved since raises ``StaleEdit``."""
    _require_form_b_of(access, form_b)
    actor = access.actor
    if not form_b_may_edit(actor):
        raise PermissionDenied("Children's social care completes Form B; other agencies add contributions")
    form_b = FormB.objects.select_for_update().get(pk=form_b.pk)
    if form_b.status == FormB.Status.COMPLETE:
        raise ValidationError("This Form B is complete and can no longer be changed")
    version_check(form_b, version, label="Form B")
    if data.risk_level and data.risk_level not in RiskLevel.values:
        raise ValidationError({"risk_level": "Choose low, medium or high"})
    if complete:
        errors = {}
        if not data.analysis.strip():
            errors["analysis"] = "Write the analysis before you complete Form B"
        if not data.risk_level:
            errors["risk_level"] = "Choose the risk level before you complete Form B"
        if errors:
            raise ValidationError(errors)
    signs, indicators = _signs_and_indicators(data)
    now = timezone.now()
    form_b.signs, form_b.indicators = signs, indicators
    form_b.exploitation_models = list(data.exploitation_models)
    form_b.trafficking_concerns = data.trafficking_concerns.strip()
    form_b.disability_considerations = data.disability_considerations.strip()
    form_b.childs_account = data.childs_account.strip()
    form_b.analysis = data.analysis.strip()
    form_b.risk_level = data.risk_level
    suggestion = form_b_suggestion(form_b)
    form_b.suggested_risk_level = suggestion.level
    outcome_payload = {
        "risk_level": data.risk_level, "suggested": suggestion.level, "rules_version": suggestion.rules_version,
    }
    kept = _kept(data.language_flags_kept)
    form_b.language_flags_kept = {**form_b.language_flags_kept, **kept}
    form_b.updated_by, form_b.updated_at = actor, now
    version_bump(form_b)
    if complete:
        form_b.status, form_b.completed_by, form_b.completed_at = FormB.Status.COMPLETE, actor, now
    form_b.save()
    if complete:
        record_on_file(access, kind=ChronologyItem.Kind.FORM_B, occurred_at=now, source=form_b,
                       summary=summary("screening.form_b_completed",
                                       risk_level=form_b.get_risk_level_display().lower()),
                       verb=Verb.FORM_B_COMPLETED, payload=outcome_payload, language_kept=kept)
    else:
        audit_record(verb=Verb.FORM_B_UPDATED, actor=actor, target=form_b, child_id=form_b.child_id,
                     payload=outcome_payload)
        language_flags_kept_record(actor=actor, target=form_b, child_id=form_b.child_id, kept=kept)
    return form_b


@transaction.atomic
def form_b_contribute(
    *, access: ChildAccess, form_b: FormB, text: str, language_flags_kept: Mapping[str, Sequence[str]] | None = None
) -> FormBContribution:
    """Another agency's contribution to a Form B (it becomes involved with the child)."""
    _require_form_b_of(access, form_b)
    actor = access.actor
    if not text.strip():
        raise ValidationError({"text": "Write your contribution"})
    kept = _kept(language_flags_kept)
    contribution = FormBContribution.objects.create(
        form_b=form_b, author=actor, agency=actor.agency, text=text.strip(), created_at=timezone.now(),
        language_flags_kept=kept,
    )
    writer_involvement_ensure(access)  # not under break glass
    audit_record(verb=Verb.FORM_B_UPDATED, actor=actor, target=form_b, child_id=form_b.child_id,
                 payload={"contribution": contribution.pk})
    language_flags_kept_record(actor=actor, target=form_b, child_id=form_b.child_id, kept=kept)
    return contribution


@transaction.atomic
def form_b_refer_to_panel(*, access: ChildAccess, form_b: FormB):
    """A high risk level prompts a referral to the Multi-Agency Risk Panel (§13)."""
    _require_form_b_of(access, form_b)
    form_b = FormB.objects.select_for_update().get(pk=form_b.pk)
    if form_b.risk_level != RiskLevel.HIGH:
        raise ValidationError("Only a Form B with a high risk level is referred to the panel from here")
    if form_b.panel_referral_id:
        return form_b.panel_referral
    form_b.panel_referral = referral_open(
        access=access, destination=Destination.MARP, source=form_b,
        priority=referral_priority(source="form_b").priority,
        reason=f"Form B assesses the risk of sexual exploitation as high. {form_b.analysis}"[:2000],
    )
    form_b.save(update_fields=["panel_referral"])
    return form_b.panel_referral


@transaction.atomic
def safety_action_add(
    *, access: ChildAccess, form_b: FormB, description: str, owner_name: str, owner_agency, due_on: date,
    language_flags_kept: Mapping[str, Sequence[str]] | None = None,
) -> SafetyAction:
    """Add an action to Form B's safety plan (children's social care, who lead the plan; also after Form
    B is complete, since the plan outlives the assessment). The owner's agency is brought into the
    child's circle and gets a team task due on the date, which closes when the outcome is recorded."""
    _require_form_b_of(access, form_b)
    actor = access.actor
    if not form_b_may_edit(actor):
        raise PermissionDenied("Children's social care sets the safety plan; other agencies add contributions")
    if form_b.status == FormB.Status.JOINED:
        raise ValidationError("This draft joined the child's open Form B: add the action there")
    errors = {}
    if not description.strip():
        errors["description"] = "Say what is to be done"
    if not owner_name.strip():
        errors["owner_name"] = "Enter the name of the person who will do it"
    if owner_agency is None or not owner_agency.is_active:
        errors["owner_agency"] = "Choose the agency of the person who will do it"
    elif not agencies_working_with_children().filter(pk=owner_agency.pk).exists():
        errors["owner_agency"] = "Choose an agency that works with children: only they can own an action"
    if due_on is None:
        errors["due_on"] = "Enter the date it is due"
    elif due_on < timezone.localdate():
        errors["due_on"] = "The date it is due must be today or in the future"
    if errors:
        raise ValidationError(errors)
    child = form_b.child
    kept = _kept(language_flags_kept)
    action = SafetyAction.objects.create(
        form_b=form_b, description=description.strip(), owner_name=owner_name.strip(), owner_agency=owner_agency,
        due_on=due_on, created_by=actor, created_at=timezone.now(), language_flags_kept=kept,
    )
    involvement_ensure(child=child, agency=owner_agency, reason=Involvement.Reason.ADDED, actor=actor)
    task_open(kind="safety_action", title="Safety plan action for {child}: " + action.description[:80].replace("{", "("),
              url=action.get_absolute_url(), agency=owner_agency, child=child,
              source=action, actor=actor,
              due_at=timezone.make_aware(datetime.combine(due_on, time(17, 0))),
              dedupe_key=f"safety_action:{action.pk}")
    audit_record(verb=Verb.FORM_B_UPDATED, actor=actor, target=form_b, child_id=child.pk,
                 payload={"safety_action": action.pk, "owner_agency": owner_agency.pk, "due_on": due_on.isoformat()})
    language_flags_kept_record(actor=actor, target=form_b, child_id=child.pk, kept=kept)
    return action


@transaction.atomic
def safety_action_complete(
    *, access: ChildAccess, action: SafetyAction, outcome: str,
    language_flags_kept: Mapping[str, Sequence[str]] | None = None,
) -> SafetyAction:
    """Record what came of a safety plan action: children's social care, or the owner's agency."""
    _require_form_b_of(access, action.form_b)
    child, actor = access.child, access.actor
    if not (form_b_may_edit(actor) or actor.agency_id == action.owner_agency_id):
        raise PermissionDenied("Only children's social care or the action's own agency can record its outcome")
    action = SafetyAction.objects.select_for_update().get(pk=action.pk)
    if action.status == SafetyAction.Status.DONE:
        raise ValidationError("This action's outcome has already been recorded")
    if not outcome.strip():
        raise ValidationError({"outcome": "Say what came of the action"})
    kept = _kept(language_flags_kept)
    action.status, action.outcome = SafetyAction.Status.DONE, outcome.strip()
    action.done_by, action.done_at = actor, timezone.now()
    action.language_flags_kept = {**action.language_flags_kept, **kept}
    action.save(update_fields=["status", "outcome", "done_by", "done_at", "language_flags_kept"])
    tasks_close_for(source=action, actor=actor)
    audit_record(verb=Verb.FORM_B_UPDATED, actor=actor, target=action.form_b, child_id=child.pk,
                 payload={"safety_action": action.pk, "status": action.status})
    language_flags_kept_record(actor=actor, target=action.form_b, child_id=child.pk, kept=kept)
    return action
