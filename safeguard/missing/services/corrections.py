"""Correcting a recorded return (issue 10): who, when and why are kept with each detail before and
after; a correction made by someone else since the form was opened is refused, not overwritten; an
interview not yet held is worked out again from the corrected facts (§14.1)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.access.policy import ChildAccess
from safeguard.api.errors import ServiceConflict
from safeguard.audit.models import Verb
from safeguard.children.chronology import record_on_file
from safeguard.children.models import ChronologyItem
from safeguard.children.summaries import summary
from safeguard.notifications.services import task_reschedule
from safeguard.platform.rules_settings import rules_params
from safeguard.rules.return_interview import ReturnInterviewInput, evaluate

from ..models import Episode, ReturnCorrection, ReturnInterview
from ..selectors import cse_risk_known
from ._common import _clean, _kept, _local, _name
from .episodes import RETURN_TEXT_FIELDS, ReturnDetails, _episode_for

RETURN_FLAGS = ("harmed", "criminal_activity", "risky_contact", "mental_health_or_ld")
# What the rules read from a return: a correction of any of these works the interview out again.
RULE_INPUTS = ("returned_at", *RETURN_FLAGS, "other_risk")
FIELD_WORDS = {
    "returned_at": "when they came back", "found_where": "where they were found", "who_with": "who with",
    "vehicles": "vehicles", "addresses": "addresses", "phones": "phone numbers",
    "names_mentioned": "names mentioned", "harmed": "harm", "criminal_activity": "criminal activity",
    "risky_contact": "contact with risky people", "mental_health_or_ld": "mental health or learning disability",
    "other_risk": "other risk factors", "appearance": "appearance", "items_retained": "items kept",
}


class ReturnChanged(ServiceConflict):
    """The return was corrected by someone else since the form was opened (409 on the API)."""


def correction_rows(correction: ReturnCorrection) -> list[tuple[str, str, str]]:
    """(what, before, after) in words, for the episode page."""
    def words(name: str, value) -> str:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if name == "returned_at" and value:
            return _local(datetime.fromisoformat(value))
        return str(value or "")
    return [(FIELD_WORDS.get(name, name), words(name, before), words(name, after))
            for name, (before, after) in correction.changes.items()]


def _stored(value) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value


@transaction.atomic
def episode_return_correct(
    *, access: ChildAccess, episode: Episode, details: ReturnDetails, reason: str, seen_corrections: int,
    language_flags_kept: Mapping[str, Sequence[str]] | None = None,
) -> ReturnCorrection:
    """Correct the recorded return. ``seen_corrections`` is how many corrections the form showed: the
    return's version. A different count under the lock means someone corrected it since: refused."""
    access.require_change()
    _episode_for(access, episode)
    episode = Episode.objects.select_for_update(of=("self",)).select_related("child").get(pk=episode.pk)
    if episode.returned_at is None:
        raise ValidationError("The return has not been recorded yet, so there is nothing to correct")
    last = episode.return_corrections.select_related("corrected_by").last()
    if episode.return_corrections.count() != seen_corrections:
        raise ReturnChanged(
            f"{_name(last.corrected_by) if last else 'Someone'} corrected this return at "
            f"{_local(last.corrected_at) if last else 'a later time'}: reload the page to see their correction, "
            "then make yours again"
        )
    if not _clean(reason):
        raise ValidationError({"reason": "Say why the return is being corrected"})
    now = timezone.now()
    if details.returned_at > now:
        raise ValidationError({"returned_time": "The time the child returned must be in the past"})
    if details.returned_at < episode.last_seen_at:
        raise ValidationError({"returned_time": "The time the child returned must be after they were last seen"})
    wanted = {"returned_at": details.returned_at, **{n: _clean(getattr(details, n)) for n in RETURN_TEXT_FIELDS},
              **{n: bool(getattr(details, n)) for n in RETURN_FLAGS}}
    changes = {name: [_stored(getattr(episode, name)), _stored(value)]
               for name, value in wanted.items() if getattr(episode, name) != value}
    if not changes:
        raise ValidationError("Nothing has changed: correct at least one detail, or go back")
    kept = _kept(language_flags_kept)
    for name, value in wanted.items():
        setattr(episode, name, value)
    episode.language_flags_kept = {**episode.language_flags_kept, **kept}
    episode.save()
    correction = ReturnCorrection.objects.create(
        episode=episode, corrected_by=access.actor, agency=access.agency, corrected_at=now,
        reason=_clean(reason), changes=changes,
    )
    interview = ReturnInterview.objects.select_for_update().filter(episode=episode).first()
    if interview is not None and interview.status == ReturnInterview.Status.PENDING and set(changes) & set(
            RULE_INPUTS):
        _interview_again(interview, episode, actor=access.actor)
    record_on_file(
        access, kind=ChronologyItem.Kind.MISSING_EPISODE, occurred_at=now, source=episode,
        summary=summary("missing.return_corrected", what=", ".join(FIELD_WORDS[n] for n in changes),
                        reason=_clean(reason)),
        verb=Verb.EPISODE_RETURN_CORRECTED,
        payload={"correction": correction.pk, "fields": sorted(changes)}, language_kept=kept,
    )
    return correction


def _interview_again(interview: ReturnInterview, episode: Episode, *, actor) -> None:
    """The interview not yet held, worked out again from the corrected return (§14.1)."""
    cse_risk = cse_risk_known(episode.child)
    outcome = evaluate(
        ReturnInterviewInput(
            missing_from=episode.missing_from, returned_at=cast(datetime, episode.returned_at),  # corrected, so set
            duration_hours=cast(float, episode.duration_hours), criminal_activity=episode.criminal_activity,
            harmed=episode.harmed, mental_health_or_ld=episode.mental_health_or_ld, cse_risk=cse_risk,
            risky_contact=episode.risky_contact, other_risk=bool(episode.other_risk),
        ),
        rules_params(),
    )
    interview.requirement, interview.priority = outcome.interview, outcome.priority
    interview.priority_reasons = list(outcome.priority_reasons)
    interview.reasons = [reason.to_dict() for reason in outcome.reasons]
    interview.cse_risk_derived, interview.rules_version, interview.due_at = cse_risk, outcome.rules_version, \
        outcome.due_by
    interview.save(update_fields=["requirement", "priority", "priority_reasons", "reasons", "cse_risk_derived",
                                  "rules_version", "due_at"])
    task_reschedule(source=interview, due_at=interview.due_at, actor=actor)
