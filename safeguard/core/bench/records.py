"""The case records of the synthetic data set: referrals, missing episodes with their return
interviews, and screenings. Called by ``generate.generate`` after the children exist."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from safeguard.accounts.models import AgencyKind
from safeguard.missing.models import Classification, Episode, MissingFrom, ReturnInterview
from safeguard.referrals.models import Destination, Priority, Referral, Status
from safeguard.screening.models import Band, PreviousReferral, Screening

from .writer import RowWriter, next_id

if TYPE_CHECKING:
    from .generate import World

OPEN_STATUSES = [Status.SENT, Status.RECEIVED, Status.ACCEPTED]
LOADED = [Referral, Episode, ReturnInterview, Screening]  # the tables written here


def _child(world: World, rng: random.Random) -> int:
    return world.first_child + rng.randrange(world.scale.children)


def write_referrals(world: World, seed: int, digest) -> list:
    rng = random.Random(f"{seed}-referrals")
    referrers = [a for a, kind in world.agency_kind.items() if kind not in (AgencyKind.CSC, AgencyKind.LSCB)]
    destinations = [(Destination.CSC, world.agencies["csc"]), (Destination.POLICE, world.agencies["police"]),
                    (Destination.MARP, world.agencies["csc"]), (Destination.OTHER, None)]
    fields = ["id", "child", "referrer", "referring_agency", "destination", "destination_agency",
              "destination_other", "reason", "source_type", "source_id", "status", "priority", "due_at", "sent_at",
              "outcome", "outcome_at", "language_flags_kept"]
    rows = RowWriter(Referral, fields, digest)
    referral_id = next_id(Referral)
    for _ in range(world.scale.referrals):
        child = _child(world, rng)
        agency = rng.choice(referrers)
        destination, to_agency = rng.choices(destinations, weights=[70, 18, 8, 4])[0]
        sent = world.when_after(rng, world.created_at(child))
        recent = world.as_of - sent < timedelta(days=30)
        status = rng.choice(OPEN_STATUSES) if recent else rng.choices(
            [Status.OUTCOME_RECORDED, Status.DECLINED], weights=[85, 15])[0]
        priority = rng.choices([Priority.RED, Priority.AMBER, Priority.GREEN], weights=[10, 40, 50])[0]
        closed = status in (Status.OUTCOME_RECORDED, Status.DECLINED)
        outcome_at = min(world.as_of, sent + timedelta(days=rng.randint(1, 20))) if closed else None
        rows.add((referral_id, child, world.someone_at(rng, agency), agency, destination, to_agency,
                  "Youth offending panel" if destination == Destination.OTHER else "",
                  "Concerns about exploitation: see the screening.", None, None, status, priority,
                  sent + timedelta(days={"red": 0, "amber": 1, "green": 3}[priority], hours=8), sent,
                  "Assessed; support offered." if closed else "", outcome_at, {}))
        referral_id += 1
    rows.flush()
    return [Referral]


def write_episodes(world: World, seed: int, digest) -> list:
    """Missing episodes, most from care; a few children go missing again and again."""
    rng = random.Random(f"{seed}-missing")
    scale = world.scale
    pool = world.looked_after or [world.first_child]
    runners = [rng.choice(pool) for _ in range(max(1, scale.episodes // 4))]
    reporters = [a for a, kind in world.agency_kind.items() if kind in (AgencyKind.RESIDENTIAL, AgencyKind.POLICE)]
    episode_fields = [
        "id", "child", "missing_from", "placement", "last_seen_at", "last_seen_where", "circumstances",
        "reported_at", "reported_by", "agency", "reported_to_police", "police_reported_at", "police_reference",
        "classification", "language_flags_kept", "returned_at", "found_where", "who_with", "vehicles", "addresses",
        "phones", "names_mentioned", "harmed", "criminal_activity", "risky_contact", "mental_health_or_ld",
        "other_risk", "appearance", "items_retained", "return_recorded_by", "return_recorded_at"]
    interview_fields = [
        "id", "episode", "child", "requirement", "priority", "priority_reasons", "reasons", "cse_risk_derived",
        "rules_version", "due_at", "status", "conducted_at", "child_account", "risks_identified",
        "actions_agreed", "not_conducted_reason", "language_flags_kept", "due_soon_alerted_at", "overdue_alerted_at"]
    episodes = RowWriter(Episode, episode_fields, digest)
    interviews = RowWriter(ReturnInterview, interview_fields, digest)
    episode_id, interview_id = next_id(Episode), next_id(ReturnInterview)
    for _ in range(scale.episodes):
        child = runners[int(len(runners) * rng.random() ** 2)]  # a skew: some children run often
        agency = rng.choice(reporters)
        seen = world.when_after(rng, world.created_at(child))
        reported = seen + timedelta(hours=rng.randint(1, 6))
        open_now = world.as_of - seen < timedelta(days=2) and rng.random() < 0.5
        returned = None if open_now else seen + timedelta(hours=rng.randint(2, 120))
        who = world.someone_at(rng, agency)
        classification = rng.choices([Classification.MISSING, Classification.ABSENT], weights=[70, 30])[0]
        episodes.add((
            episode_id, child, MissingFrom.CARE if rng.random() < 0.7 else MissingFrom.HOME, "", seen,
            "Town centre", "Did not come back after school.", min(reported, world.as_of), who, agency, True,
            min(reported, world.as_of), f"MP/{episode_id}", classification, {}, returned,
            "" if returned is None else "Found by police", "", "", "", "", "", rng.random() < 0.05,
            rng.random() < 0.05, rng.random() < 0.2, False, "", "", "", None if returned is None else who,
            returned))
        if returned is not None:
            due = returned + timedelta(hours=72)
            status = ReturnInterview.Status.PENDING
            if due < world.as_of - timedelta(days=7):
                status = rng.choices([ReturnInterview.Status.COMPLETED, ReturnInterview.Status.DECLINED,
                                      ReturnInterview.Status.NOT_CONDUCTED], weights=[90, 5, 5])[0]
            done = status == ReturnInterview.Status.COMPLETED
            interviews.add((
                interview_id, episode_id, child,
                ReturnInterview.Requirement.REQUIRED if classification == Classification.MISSING
                else ReturnInterview.Requirement.OFFER, False, [], [], False, "bench", due, status,
                due - timedelta(hours=12) if done else None, "Talked about where they had been." if done else "",
                "", "", "Not reachable" if status == ReturnInterview.Status.NOT_CONDUCTED else "", {},
                # A live tick alerted these when they came due.
                due - timedelta(hours=24) if due - timedelta(hours=24) < world.as_of else None,
                due if due < world.as_of and status == ReturnInterview.Status.PENDING else None))
            interview_id += 1
        episode_id += 1
    episodes.flush()
    interviews.flush()
    return [Episode, ReturnInterview]


def write_screenings(world: World, seed: int, digest) -> list:
    """One current screening for one child in twenty-five, most already past their review date (and
    alerted then, except those due in the last week)."""
    rng = random.Random(f"{seed}-screening")
    schools = [a for a, kind in world.agency_kind.items() if kind == AgencyKind.SCHOOL]
    fields = [
        "id", "child", "agency", "submitted_by", "submitted_at", "referrer_name", "organisation",
        "contact_details", "child_name", "child_age", "local_authority", "ethnicity", "gender", "languages",
        "disabilities", "previous_cp_referral", "previous_cp_referral_when", "level1_assessment_date", "ticked",
        "evidence", "band", "form_b_required", "reasons", "actions", "rules_version", "review_due",
        "language_flags_kept", "referral", "not_referring_reason", "superseded_by", "review_alerted_at"]
    rows = RowWriter(Screening, fields, digest)
    screening_id = next_id(Screening)
    step = 25
    for child in range(world.first_child, world.first_child + world.scale.children, step):
        child += rng.randrange(step)
        if child >= world.first_child + world.scale.children:
            break
        agency = rng.choice(schools)
        submitted = world.when_after(rng, world.created_at(child))
        review = submitted + timedelta(days=90)
        band = rng.choices([Band.SIGNIFICANT, Band.CONCERN, Band.EMERGING, Band.NONE], weights=[5, 20, 35, 40])[0]
        rows.add((
            screening_id, child, agency, world.someone_at(rng, agency), submitted, "Bench practitioner", "School",
            "01632 960000", "Recorded on the child's record", 14, "Bench region", "", "", "", "",
            PreviousReferral.NOT_KNOWN, "", None, [], {}, band, band in (Band.SIGNIFICANT, Band.CONCERN), [], [],
            "bench", review.date(), {}, None, "Monitoring in school", None,
            # Reviews that fell due more than a week ago were alerted then, as a live system's tick did.
            review if review < world.as_of - timedelta(days=7) else None))
        screening_id += 1
    rows.flush()
    return [Screening]
