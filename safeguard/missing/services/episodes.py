"""Reporting a child absent or missing, reclassifying, recording the return (which asks the rules
for the interview), callers and visitors, and linking children missing together (§10.5, §14)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safeguard.access.policy import ChildAccess
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.chronology import record_on_file
from safeguard.children.models import ChronologyItem
from safeguard.children.summaries import clause, summary
from safeguard.intelligence.models import SourceKind
from safeguard.intelligence.selectors import entities_linked_from
from safeguard.intelligence.services import LinkDetails, link_child
from safeguard.notifications.models import Notification
from safeguard.notifications.services import notify
from safeguard.platform.rules_settings import rules_params
from safeguard.platform.versioning import version_bump, version_check
from safeguard.rules.return_interview import ReturnInterviewInput, evaluate

from ..co_missing import shared_things
from ..models import (
    Classification,
    ClassificationChange,
    CoMissingLink,
    Episode,
    MissingFrom,
    ReturnInterview,
    Visitor,
)
from ..selectors import cse_risk_known
from ._common import _clean, _kept, _local, _named_leads
from .interviews import _interview_tasks_open

CO_MISSING_CANDIDATES = 500  # overlapping episodes of other children compared per episode


def _episode_for(access: ChildAccess, episode: Episode) -> None:
    if episode.child_id != access.child.pk:
        raise ValueError("The access is for another child")


# -- reporting an episode ------------------------------------------------------------------------


@dataclass(frozen=True)
class EpisodeReport:
    """What the reporter knows when a child goes missing (§14; missing.md "Episodes")."""

    missing_from: str
    last_seen_at: datetime
    classification: str = Classification.MISSING
    placement: str = ""
    last_seen_where: str = ""
    circumstances: str = ""
    reported_to_police: bool = False
    police_reported_at: datetime | None = None
    police_reference: str = ""


def _check_report(report: EpisodeReport, now: datetime) -> None:
    errors = {}
    if report.missing_from not in MissingFrom.values:
        errors["missing_from"] = "Select where the child was missing from"
    if report.classification not in Classification.values:
        errors["classification"] = "Select absent or missing"
    if report.last_seen_at > now:
        errors["last_seen_time"] = "The time the child was last seen must be in the past"
    if report.police_reported_at is not None:
        if report.police_reported_at > now:
            errors["police_time"] = "The time it was reported to the police must be in the past"
        elif report.police_reported_at < report.last_seen_at:
            errors["police_time"] = "The time it was reported to the police must be after the child was last seen"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def episode_report(
    *,
    access: ChildAccess,
    report: EpisodeReport,
    send_profile: bool = False,
    language_flags_kept: Mapping[str, Sequence[str]] | None = None,
) -> Episode:
    """Record that a child is absent or missing. The actor's agency becomes involved; with
    ``send_profile`` the child's profile goes to the police inbox in the same step."""
    access.require_change()
    child, actor = access.child, access.actor
    now = timezone.now()
    _check_report(report, now)
    kept = _kept(language_flags_kept)
    episode = Episode.objects.create(
        child=child,
        missing_from=report.missing_from,
        placement=_clean(report.placement) or (child.placement if report.missing_from == MissingFrom.CARE else ""),
        last_seen_at=report.last_seen_at,
        last_seen_where=_clean(report.last_seen_where),
        circumstances=_clean(report.circumstances),
        reported_at=now,
        reported_by=actor,
        agency=access.agency,
        reported_to_police=report.reported_to_police,
        police_reported_at=report.police_reported_at if report.reported_to_police else None,
        police_reference=_clean(report.police_reference) if report.reported_to_police else "",
        classification=report.classification,
        language_flags_kept=kept,
    )
    ClassificationChange.objects.create(
        episode=episode, from_value="", to_value=episode.classification, reason="Reported",
        changed_by=actor, agency=access.agency, changed_at=now,
    )
    record_on_file(
        access,
        kind=ChronologyItem.Kind.MISSING_EPISODE,
        occurred_at=episode.last_seen_at,
        summary=summary(
            "missing.reported",
            classification=episode.get_classification_display().lower(),
            missing_from=episode.get_missing_from_display().lower(),
            where=f"; last seen at {episode.last_seen_where}" if episode.last_seen_where else "",
        ),
        verb=Verb.EPISODE_REPORTED,
        source=episode,
        payload={
            "missing_from": episode.missing_from,
            "classification": episode.classification,
            "reported_to_police": episode.reported_to_police,
        },
        language_kept=kept,
    )
    co_missing_find(episode)
    if send_profile:
        from .profiles import profile_send_to_police

        profile_send_to_police(access=access, episode=episode)
    return episode


@transaction.atomic
def episode_classify(
    *, access: ChildAccess, episode: Episode, classification: str, reason: str, version: int | None = None
) -> Episode:
    """Change absent to missing (or back) on review, keeping who, when and why (§14). ``version`` is
    the one the page was opened at: an episode changed since raises ``StaleEdit``."""
    access.require_change()
    _episode_for(access, episode)
    actor = access.actor
    if classification not in Classification.values:
        raise ValidationError({"classification": "Select absent or missing"})
    if not _clean(reason):
        raise ValidationError({"reason": "Say why the classification is changing"})
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    version_check(episode, version, label="missing episode")
    if classification == episode.classification:
        raise ValidationError({"classification": f"The episode is already classed as {classification}"})
    now = timezone.now()
    change = ClassificationChange.objects.create(
        episode=episode, from_value=episode.classification, to_value=classification, reason=_clean(reason),
        changed_by=actor, agency=access.agency, changed_at=now,
    )
    episode.classification = classification
    version_bump(episode)
    episode.save(update_fields=["classification", "version"])
    record_on_file(
        access,
        kind=ChronologyItem.Kind.MISSING_EPISODE,
        occurred_at=now,
        summary=summary(
            "missing.reclassified", from_value=change.from_value, to_value=change.to_value, reason=change.reason
        ),
        verb=Verb.EPISODE_CLASSIFIED,
        source=change,
        audit_target=episode,
        payload={"from": change.from_value, "to": change.to_value},
    )
    return episode


# -- the return and the interview the rules ask for -----------------------------------------------


@dataclass(frozen=True)
class ReturnDetails:
    """What is known when the child is found or comes back (§10.5.7; missing.md)."""

    returned_at: datetime
    found_where: str = ""
    who_with: str = ""
    vehicles: str = ""
    addresses: str = ""
    phones: str = ""
    names_mentioned: str = ""
    harmed: bool = False
    criminal_activity: bool = False
    risky_contact: bool = False
    mental_health_or_ld: bool = False
    other_risk: str = ""
    appearance: str = ""
    items_retained: str = ""


RETURN_TEXT_FIELDS = (
    "found_where", "who_with", "vehicles", "addresses", "phones", "names_mentioned", "other_risk",
    "appearance", "items_retained",
)


# How a person, vehicle, phone, account or place picked on the return form is linked to the child.
RETURN_LINK_KINDS = {"person": "seen_with", "vehicle": "picked_up_by", "phone": "called_by", "social": "called_by",
                     "place": "found_at"}


@transaction.atomic
def episode_return_record(
    *,
    access: ChildAccess,
    episode: Episode,
    details: ReturnDetails,
    language_flags_kept: Mapping[str, Sequence[str]] | None = None,
    linked: Sequence = (),
) -> ReturnInterview:
    """Record the return; the rules decide the interview (required or offered, priority, due time)
    and the people responsible get a task (§14.1). ``linked``: intelligence entities picked on the
    form, each linked to the child from this episode (their pattern alerts raised in this step)."""
    access.require_change()
    _episode_for(access, episode)
    actor = access.actor
    episode = Episode.objects.select_for_update(of=("self",)).select_related("child", "agency").get(pk=episode.pk)
    now = timezone.now()
    if episode.returned_at is not None:
        raise ValidationError("The return has already been recorded for this episode")
    if details.returned_at > now:
        raise ValidationError({"returned_time": "The time the child returned must be in the past"})
    if details.returned_at < episode.last_seen_at:
        raise ValidationError({"returned_time": "The time the child returned must be after they were last seen"})
    kept = _kept(language_flags_kept)
    episode.returned_at = details.returned_at
    for name in RETURN_TEXT_FIELDS:
        setattr(episode, name, _clean(getattr(details, name)))
    for name in ("harmed", "criminal_activity", "risky_contact", "mental_health_or_ld"):
        setattr(episode, name, bool(getattr(details, name)))
    episode.return_recorded_by = actor
    episode.return_recorded_at = now
    episode.language_flags_kept = {**episode.language_flags_kept, **kept}
    version_bump(episode)  # a return is recorded once (refused above); it still moves the version on
    episode.save()

    returned_at = episode.returned_at
    hours = cast(float, episode.duration_hours)
    cse_risk = cse_risk_known(episode.child)
    outcome = evaluate(
        ReturnInterviewInput(
            missing_from=episode.missing_from,
            returned_at=returned_at,
            duration_hours=hours,
            criminal_activity=episode.criminal_activity,
            harmed=episode.harmed,
            mental_health_or_ld=episode.mental_health_or_ld,
            cse_risk=cse_risk,
            risky_contact=episode.risky_contact,
            other_risk=bool(episode.other_risk),
        ),
        rules_params(),
    )
    interview = ReturnInterview.objects.create(
        episode=episode,
        child=episode.child,
        requirement=outcome.interview,
        priority=outcome.priority,
        priority_reasons=list(outcome.priority_reasons),
        reasons=[reason.to_dict() for reason in outcome.reasons],
        cse_risk_derived=cse_risk,
        rules_version=outcome.rules_version,
        due_at=outcome.due_by,
    )
    record_on_file(
        access,
        kind=ChronologyItem.Kind.MISSING_EPISODE,
        occurred_at=returned_at,
        summary=summary(
            "missing.returned",
            hours=hours,
            plural="s" if round(hours) != 1 else "",
            found=f": {clause(episode.found_where)}" if episode.found_where else "",
            requirement="required" if outcome.interview == "required" else "offered",
            due=_local(interview.due_at),
        ),
        verb=Verb.EPISODE_RETURNED,
        source=episode,
        payload={"duration_hours": round(hours, 1), "harmed": episode.harmed,
                 "criminal_activity": episode.criminal_activity},
        language_kept=kept,
    )
    audit_record(
        verb=Verb.INTERVIEW_REQUIRED,
        actor=actor,
        target=interview,
        child_id=episode.child_id,
        payload={"interview": outcome.interview, "priority_reasons": list(outcome.priority_reasons),
                 "cse_risk_derived": cse_risk, "rules_version": outcome.rules_version},
    )
    _interview_tasks_open(interview=interview, actor=actor)
    for entity in linked:
        link_child(access=access, entity=entity, details=LinkDetails(
            kind=RETURN_LINK_KINDS[entity.kind], occurred_on=timezone.localdate(episode.returned_at),
            source_kind=SourceKind.MISSING_EPISODE, source=episode,
        ))
    co_missing_find(episode)
    return interview


# -- callers and visitors to the home (§10.5.11) --------------------------------------------------


@dataclass(frozen=True)
class VisitorDetails:
    how: str
    occurred_at: datetime
    description: str
    name_given: str = ""
    vehicle: str = ""
    phone: str = ""
    turned_away: bool = False
    told_childs_age: bool = False
    passed_to_police: bool = False


# How a person, vehicle, phone, account or place picked on the visitor form is linked to the child.
VISITOR_LINK_KINDS = {"person": "visited", "vehicle": "seen_with", "phone": "called_by", "social": "called_by",
                      "place": "other"}


@transaction.atomic
def visitor_record(*, access: ChildAccess, details: VisitorDetails, linked: Sequence = ()) -> Visitor:
    """A caller or visitor asking for the child, with their description and vehicle (§10.5.11).
    ``linked``: intelligence entities picked on the form, each linked to the child from this visit
    in the same transaction (their pattern alerts raised in this step), as on the return form."""
    access.require_change()
    if details.how not in Visitor.How.values:
        raise ValidationError({"how": "Select how they made contact"})
    if details.occurred_at > timezone.now():
        raise ValidationError({"occurred_time": "The time must be in the past"})
    if not _clean(details.description):
        raise ValidationError({"description": "Describe the person"})
    visitor = Visitor.objects.create(
        child=access.child, how=details.how, occurred_at=details.occurred_at, name_given=_clean(details.name_given),
        description=_clean(details.description), vehicle=_clean(details.vehicle), phone=_clean(details.phone),
        turned_away=details.turned_away, told_childs_age=details.told_childs_age,
        passed_to_police=details.passed_to_police, recorded_by=access.actor, agency=access.agency,
    )
    record_on_file(
        access,
        kind=ChronologyItem.Kind.VISITOR,
        occurred_at=visitor.occurred_at,
        summary=summary(
            "missing.visitor",
            who=visitor.name_given or "Someone",
            how=visitor.get_how_display().lower(),
            vehicle=f"; vehicle: {visitor.vehicle}" if visitor.vehicle else "",
            turned_away="; turned away" if visitor.turned_away else "",
        ),
        verb=Verb.VISITOR_RECORDED,
        source=visitor,
        payload={"how": visitor.how, "turned_away": visitor.turned_away, "passed_to_police": visitor.passed_to_police},
    )
    for entity in linked:
        link_child(access=access, entity=entity, details=LinkDetails(
            kind=VISITOR_LINK_KINDS[entity.kind], occurred_on=timezone.localdate(visitor.occurred_at),
            source_kind=SourceKind.VISITOR, source=visitor,
        ))
    return visitor


# -- children missing together (§10.5.4) ----------------------------------------------------------


def co_missing_find(episode: Episode) -> list[CoMissingLink]:
    """Link this episode with other children's overlapping episodes that share something, and alert
    the named leads involved once per pair. Call inside the transaction of the episode's write."""
    now = timezone.now()
    end = episode.returned_at or now
    overlapping = (
        Episode.objects.exclude(child_id=episode.child_id)
        .filter(last_seen_at__lte=end)
        .filter(Q(returned_at__isnull=True) | Q(returned_at__gte=episode.last_seen_at))
        .select_related("child")
        .order_by("-last_seen_at")[:CO_MISSING_CANDIDATES]
    )
    found = []
    candidates = list(overlapping)
    linked = entities_linked_from(Episode, [episode.pk] + [other.pk for other in candidates])
    for other in candidates:
        shared = shared_things(episode, other, linked.get(episode.pk, {}), linked.get(other.pk, {}))
        if not shared:
            continue
        a, b = sorted((episode, other), key=lambda e: e.pk)
        link, created = CoMissingLink.objects.get_or_create(
            episode_a=a, episode_b=b, defaults={"shared": shared, "found_at": now}
        )
        if not created and link.shared != shared:
            link.shared = shared
            link.save(update_fields=["shared"])
        found.append(link)
        if created:
            _co_missing_alert(a, b, shared)
    return found


_co_missing_find = co_missing_find


def _co_missing_alert(a: Episode, b: Episode, shared: list[dict]) -> None:
    kinds = sorted({s["kind"] for s in shared})
    for mine, theirs in ((a, b), (b, a)):
        # Each child's named leads hear about their own child: the page shows the other child's
        # episode only to those who may see that child, so nothing is learnt about a hidden record.
        recipients = _named_leads({mine.agency_id, mine.child.lead_agency_id})
        created = notify(
            recipients=recipients,
            kind="co_missing",
            title="{child} was missing at the same time as another child, sharing a "
            + " and a ".join(kinds)
            + ": look at what they shared",
            url=mine.get_absolute_url(),
            child=mine.child,
            level=Notification.Level.ALERT,
            dedupe_key=f"missing:comissing:{a.pk}:{b.pk}:{mine.pk}",
        )
        if created:
            audit_record(
                verb=Verb.ALERT_RAISED, target=mine, child_id=mine.child_id,
                payload={"kind": "co_missing", "with_episode": theirs.pk, "shared": ",".join(kinds),
                         "recipients": len(created)},
            )
