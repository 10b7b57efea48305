"""Referrals: send, receive, accept, decline, record the outcome — each with who and when
(workflow.md "Referrals", §10.4.4). Every change writes a ReferralEvent and an audit event, moves
the tasks on and tells the people concerned, in one transaction.

Tasks: the referrer owns ``referral_outcome`` until the outcome (or a decline) is recorded; the
receiving team owns ``referral_to_act`` (due by the RAG timescale) until it accepts or declines,
then ``referral_record_outcome`` until it records the outcome.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.access.policy import ChildAccess
from safeguard.accounts.models import Agency, AgencyKind, Role
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.chronology import record_on_file
from safeguard.children.models import ChronologyItem, Involvement
from safeguard.children.services import involvement_ensure
from safeguard.children.summaries import summary
from safeguard.notifications.services import notify, task_open, task_reschedule, tasks_close_for
from safeguard.referrals.models import Assessment, Destination, Priority, Referral, ReferralEvent, Status
from safeguard.referrals.selectors import is_receiving_team, may_record_outcome
from safeguard.referrals.timescales import referral_due_at
from safeguard.rules import RULES_VERSION
from safeguard.rules.referral_priority import referral_priority

from ._common import DESTINATION_ACTION, action_task_kind

# Where a referral goes by default when no agency is named: the first active agency of this kind.
# The LADO and the risk panel sit with the local authority's children's services (design decision).
DESTINATION_AGENCY_KIND: dict[str, str] = {
    Destination.CSC: AgencyKind.CSC,
    Destination.POLICE: AgencyKind.POLICE,
    Destination.LADO: AgencyKind.CSC,
    Destination.MARP: AgencyKind.CSC,
}
# The role in the receiving agency whose team task a new referral is.
DESTINATION_ROLE: dict[str, str] = {
    Destination.CSC: Role.CSC_MASH,
    Destination.POLICE: Role.POLICE_LEAD,
    Destination.LADO: Role.CSC_MASH,
    Destination.MARP: Role.MARP_CHAIR,
}
TASK_OUTCOME = "referral_outcome"
TASK_ACT = "referral_to_act"
TASK_RECORD_OUTCOME = "referral_record_outcome"


def _default_destination_agency(destination: str):
    kind = DESTINATION_AGENCY_KIND.get(destination)
    if kind is None:
        return None
    return Agency.objects.filter(kind=kind, is_active=True).order_by("pk").first()


def referral_priority_for(source) -> str:
    """The RAG priority a referral starts with (the receiving team may change it on receipt):
    rules RP1-RP6 (``safeguard.rules.referral_priority``). Other sources pass ``priority=`` to
    ``referral_open`` themselves; without one a referral starts amber."""
    if isinstance(source, Assessment):
        facts = {
            "immediate_risk": source.immediate_risk,
            "under_13": source.outcome.get("age_band") == "under_13",
            "must_action": any(a.get("strength") == "must" for a in source.actions),
        }
        return referral_priority(source="assessment", facts={k for k, v in facts.items() if v}).priority
    return referral_priority(source="none").priority


def _locked(access: ChildAccess, referral: Referral) -> Referral:
    """The referral under a row lock, after checking the access is to change its child."""
    access.require_change()
    if referral.child_id != access.child.pk:
        raise PermissionDenied("This referral is about another child.")
    return Referral.objects.select_for_update(of=("self",)).select_related("child", "referrer").get(pk=referral.pk)


@transaction.atomic
def referral_open(
    *,
    access: ChildAccess,
    destination: str,
    reason: str,
    source=None,
    destination_agency: Agency | None = None,
    destination_other: str = "",
    priority: str = "",
    language_kept: Mapping[str, Sequence[str]] | None = None,
) -> Referral:
    """Send a referral about the child of ``access``. ``source`` (a screening, an assessment)
    travels with it: the destination agency is brought into the child's circle, so its team sees
    the child and the source without breaking glass. The referral is on the child's chronology,
    in the audit trail, a task for the receiving team and an outcome to follow up for the referrer.
    ``priority`` is the RAG priority the caller worked out (e.g. the screening's); without one it
    comes from the source."""
    access.require_change()
    child, actor = access.child, access.actor
    if destination not in Destination.values:
        raise ValidationError({"destination": "Choose where the referral goes."})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter the reason for the referral."})
    if destination == Destination.OTHER and not destination_other.strip():
        raise ValidationError({"destination_other": "Enter where the referral goes."})
    if priority and priority not in Priority.values:
        raise ValidationError({"priority": "Choose red, amber or green."})
    now = timezone.now()
    priority = priority or referral_priority_for(source)
    receiving = destination_agency or _default_destination_agency(destination)
    referral = Referral.objects.create(
        child=child,
        referrer=actor,
        referring_agency=actor.agency,
        destination=destination,
        destination_agency=receiving,
        destination_other=destination_other.strip(),
        reason=reason.strip(),
        source=source,
        status=Status.SENT,
        priority=priority,
        due_at=referral_due_at(now, priority) if receiving is not None else None,
        sent_at=now,
        language_flags_kept=dict(language_kept or {}),
    )
    ReferralEvent.objects.create(referral=referral, status=Status.SENT, actor=actor, agency=actor.agency, at=now)
    url = referral.get_absolute_url()
    record_on_file(
        access,
        kind=ChronologyItem.Kind.REFERRAL,
        summary=summary("referrals.referral", destination=referral.get_destination_display(), reason=referral.reason),
        verb=Verb.REFERRAL_CREATED,
        source=referral,
        occurred_at=now,
        payload={
            "destination": destination,
            "destination_agency_id": receiving.pk if receiving else None,
            "priority": priority,
            "rules_version": RULES_VERSION,
            "source": source._meta.label_lower if source is not None else "",
            "source_id": source.pk if source is not None else None,
        },
        language_kept=language_kept,
    )
    if receiving is not None:
        # The receiving team joins the child's circle (§10.4.4): a different involvement from the
        # referrer's own, and one that break glass does not stop.
        involvement_ensure(child=child, agency=receiving, reason=Involvement.Reason.REFERRAL, actor=actor)
        task_open(
            kind=TASK_ACT,
            title=f"New {Priority(priority).name.lower()} referral of {{child}} from {actor.agency}: "
            "receive it and decide",
            url=url,
            agency=receiving,
            role=DESTINATION_ROLE.get(destination, ""),
            child=child,
            due_at=referral.due_at,
            source=referral,
            dedupe_key=f"referral-act-{referral.pk}",
            actor=actor,
        )
    task_open(
        kind=TASK_OUTCOME,
        title=f"Follow up the outcome of the referral of {{child}} to {referral.where}",
        url=url,
        assignee=actor,
        child=child,
        source=referral,
        dedupe_key=f"referral-outcome-{referral.pk}",
        actor=actor,
        notify_owner=False,
    )
    if isinstance(source, Assessment) and destination in DESTINATION_ACTION:
        tasks_close_for(source=source, kind=action_task_kind(DESTINATION_ACTION[destination]), actor=actor)
    return referral


# What the referrer is told when their referral moves on.
STATUS_NEWS: dict[str, str] = {
    Status.SENT: "was sent",
    Status.RECEIVED: "was received: see who has it",
    Status.ACCEPTED: "was accepted: see what happens next",
    Status.DECLINED: "was declined: read why and decide what to do",
    Status.OUTCOME_RECORDED: "has an outcome: read it",
}


def _require_receiving_team(actor, referral: Referral) -> None:
    if not is_receiving_team(actor, referral):
        raise PermissionDenied("Only the receiving team can do this.")


def _already(referral: Referral, fallback: str) -> ValidationError:
    """What a losing request is told, read under the lock: who moved the referral on, and when."""
    last = referral.events.select_related("actor").order_by("-at", "-pk").first()
    if last is None or last.status in (Status.SENT,):
        return ValidationError(fallback)
    when = timezone.localtime(last.at).strftime("%-d %B %Y at %H:%M")
    by = last.actor.get_full_name() or last.actor.username
    return ValidationError(f"This referral was already {Status(last.status).label.lower()} by {by} on {when}.")


def _step(*, actor, referral: Referral, to: str, note: str = "", at: datetime | None = None) -> ReferralEvent:
    """Move the referral to ``to``: the event with who and when, the audit, and a word to the referrer."""
    at = at or timezone.now()
    before = referral.status
    referral.status = to
    event = ReferralEvent.objects.create(
        referral=referral, status=to, actor=actor, agency=actor.agency, at=at, note=note.strip()
    )
    audit_record(
        verb=Verb.REFERRAL_STATUS_CHANGED,
        actor=actor,
        target=referral,
        child_id=referral.child_id,
        payload={"from": before, "to": to},
    )
    notify(
        recipients=[referral.referrer],
        kind="referral_status",
        title=f"The referral of {{child}} to {referral.where} {STATUS_NEWS[to]}",
        url=referral.get_absolute_url(),
        child=referral.child,
        exclude=actor,
    )
    return event


@transaction.atomic
def referral_receive(*, access: ChildAccess, referral: Referral, priority: str = "", note: str = "") -> Referral:
    """The receiving team has it. It may set the RAG priority, which resets the deadline."""
    referral = _locked(access, referral)
    actor = access.actor
    _require_receiving_team(actor, referral)
    if referral.status != Status.SENT:
        raise _already(referral, "This referral has already been received.")
    if priority and priority not in Priority.values:
        raise ValidationError({"priority": "Choose red, amber or green."})
    _step(actor=actor, referral=referral, to=Status.RECEIVED, note=note)
    fields = ["status"]
    if priority and priority != referral.priority:
        referral.priority = priority
        referral.due_at = referral_due_at(referral.sent_at, priority)
        fields += ["priority", "due_at"]
        task_reschedule(dedupe_key=f"referral-act-{referral.pk}", due_at=referral.due_at, actor=actor)
    referral.save(update_fields=fields)
    return referral


@transaction.atomic
def referral_accept(*, access: ChildAccess, referral: Referral, note: str = "") -> Referral:
    """Accepted for action (received first, if it had not been). The team then owes an outcome."""
    referral = _locked(access, referral)
    actor = access.actor
    _require_receiving_team(actor, referral)
    if referral.status not in (Status.SENT, Status.RECEIVED):
        raise _already(referral, "Only a referral that is waiting for a decision can be accepted.")
    if referral.status == Status.SENT:
        _step(actor=actor, referral=referral, to=Status.RECEIVED)
    _step(actor=actor, referral=referral, to=Status.ACCEPTED, note=note)
    referral.save(update_fields=["status"])
    tasks_close_for(source=referral, kind=TASK_ACT, actor=actor)
    task_open(
        kind=TASK_RECORD_OUTCOME,
        title=f"Record the outcome of the referral of {{child}} to {referral.where}",
        url=referral.get_absolute_url(),
        assignee=actor,
        child=referral.child,
        source=referral,
        dedupe_key=f"referral-record-outcome-{referral.pk}",
        actor=actor,
        notify_owner=False,
    )
    return referral


@transaction.atomic
def referral_decline(*, access: ChildAccess, referral: Referral, reason: str) -> Referral:
    """Declined, with the reason: that is the referral's outcome, so the referrer's task closes."""
    referral = _locked(access, referral)
    actor = access.actor
    _require_receiving_team(actor, referral)
    if referral.status not in (Status.SENT, Status.RECEIVED):
        raise _already(referral, "Only a referral that is waiting for a decision can be declined.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the referral is declined."})
    now = timezone.now()
    if referral.status == Status.SENT:
        _step(actor=actor, referral=referral, to=Status.RECEIVED, at=now)
    _step(actor=actor, referral=referral, to=Status.DECLINED, note=reason, at=now)
    referral.outcome = f"Declined: {reason.strip()}"
    referral.outcome_at = now
    referral.save(update_fields=["status", "outcome", "outcome_at"])
    tasks_close_for(source=referral, actor=actor)
    return referral


@transaction.atomic
def referral_record_outcome(
    *, access: ChildAccess, referral: Referral, outcome: str, outcome_at: datetime | None = None
) -> Referral:
    """The outcome (§10.4.4): the referrer's follow-up task closes and the referrer is told."""
    referral = _locked(access, referral)
    actor = access.actor
    if not may_record_outcome(actor, referral):
        raise PermissionDenied("Only the receiving team can record the outcome.")
    allowed = (Status.ACCEPTED,) if referral.destination_agency_id else (Status.SENT, Status.RECEIVED, Status.ACCEPTED)
    if referral.status not in allowed:
        raise ValidationError("Accept the referral before recording its outcome.")
    if not (outcome or "").strip():
        raise ValidationError({"outcome": "Enter the outcome of the referral."})
    now = timezone.now()
    outcome_at = outcome_at or now
    if outcome_at > now or outcome_at < referral.sent_at:
        raise ValidationError({"outcome_at": "The date of the outcome must be between the referral and today."})
    _step(actor=actor, referral=referral, to=Status.OUTCOME_RECORDED, note=outcome, at=now)
    referral.outcome = outcome.strip()
    referral.outcome_at = outcome_at
    referral.save(update_fields=["status", "outcome", "outcome_at"])
    record_on_file(
        access,
        kind=ChronologyItem.Kind.REFERRAL,
        summary=summary("referrals.outcome", where=referral.where, outcome=referral.outcome),
        verb=Verb.REFERRAL_OUTCOME_RECORDED,
        source=referral,
        occurred_at=outcome_at,
        payload={"outcome_at": outcome_at.isoformat()},
    )
    tasks_close_for(source=referral, actor=actor)
    return referral


@transaction.atomic
def referral_pack_export(*, access: ChildAccess, referral: Referral) -> bytes:
    """The referral pack as a PDF (child, what travelled with it, chronology extract, referrer).
    Audited as an export: reading needs no more than the access to see the child."""
    from safeguard.referrals.pdf import referral_pack_pdf

    if referral.child_id != access.child.pk:
        raise PermissionDenied("This referral is about another child.")
    actor = access.actor
    content = referral_pack_pdf(referral)
    audit_record(
        verb=Verb.EXPORTED,
        actor=actor,
        target=referral,
        child_id=referral.child_id,
        payload={"what": "referral_pack", "bytes": len(content)},
    )
    return content
