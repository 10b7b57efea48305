"""A year of records with known counts, for the board report tests (period: calendar 2025).

Made straight in the database: the report only reads, and the counts have to be exact. Each
comment says what the report must find.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from safeguard.children.models import Involvement
from safeguard.missing.models import Episode, ReturnInterview
from safeguard.referrals.models import Referral
from safeguard.reports.selectors.board import Period
from safeguard.screening.models import FormB, Screening
from tests.factories import child as make_child

PERIOD = Period(date(2025, 1, 1), date(2025, 12, 31))


def at(month: int, day: int = 10, hour: int = 12, year: int = 2025) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def screening(child, agency, user, band: str, when: datetime, **extra) -> Screening:
    """A submitted screening; the child's screening until now is superseded by it (one current
    screening per child is a database constraint). The new row is written pointing at the old one,
    so that at no moment are two current, then the pointers are turned round."""
    current = Screening.objects.filter(child=child, superseded_by__isnull=True).first()
    made = Screening.objects.create(
        child=child, agency=agency, submitted_by=user, submitted_at=when, referrer_name=str(user),
        organisation=agency.name, contact_details="01234", child_name=child.full_name,
        previous_cp_referral="no", band=band, form_b_required=band == "significant", rules_version="t",
        superseded_by=current, **extra,
    )
    if current is not None:
        Screening.objects.filter(pk=current.pk).update(superseded_by=made)
        Screening.objects.filter(pk=made.pk).update(superseded_by=None)
        made.superseded_by = None
    return made


def referral(child, agency, user, *, destination: str, sent: datetime, status: str = "sent",
             outcome_after: timedelta | None = None) -> Referral:
    return Referral.objects.create(
        child=child, referrer=user, referring_agency=agency, destination=destination, reason="Concern",
        sent_at=sent, status=status, outcome_at=sent + outcome_after if outcome_after is not None else None,
    )


def episode(child, agency, user, *, when: datetime, classification: str = "missing",
            returned_after: timedelta | None = timedelta(hours=20)) -> Episode:
    return Episode.objects.create(
        child=child, missing_from="care", last_seen_at=when, reported_at=when, reported_by=user, agency=agency,
        classification=classification,
        returned_at=when + returned_after if returned_after is not None else None,
    )


def interview(ep: Episode, *, status: str = "pending", conducted_after: timedelta | None = None,
              requirement: str = "required") -> ReturnInterview:
    return ReturnInterview.objects.create(
        episode=ep, child=ep.child, requirement=requirement, rules_version="t",
        due_at=ep.returned_at + timedelta(hours=72), status=status,
        conducted_at=ep.returned_at + conducted_after if conducted_after is not None else None,
    )


def form_b(child, user, *, completed: datetime, risk: str, indicators=(), models=(), trafficking="") -> FormB:
    return FormB.objects.create(
        child=child, created_by=user, created_at=completed, updated_by=user, updated_at=completed,
        status="complete", risk_level=risk, completed_by=user, completed_at=completed,
        indicators=list(indicators), exploitation_models=list(models), trafficking_concerns=trafficking,
    )


def build(personas) -> dict:
    """The school (Northgate Academy) and the health service, with these records in 2025:

    Screenings — school: 7 significant, 3 concern; health: 6 emerging. (One school screening in
    2024 is outside the period.)
    Children — H0–H5 are recorded as Asian British (with stray spaces), the rest have no ethnicity.
    Children — 10 school children (S0–S9), 6 health children (H0–H5); S0 and S1 are also known to
    health. Every one of them had a screening in 2025 except S9 (2024 only), so 15 in the report.
    Referrals — school: 6 to children's social care (outcome within 1 day for 6), 2 to police
    (no outcome yet).
    Missing — health reports 8 missing episodes and 1 absence; 8 interviews after returns in 2025:
    6 completed within 72 hours, 1 completed after, 1 declined.
    Form Bs completed in 2025 (by the health practitioner) — 6 children: 6 medium or high (11A),
    5 with a missing episode before completion (10A), 1 with trafficking concerns (12A), none with
    sign I24 (13A).
    """
    school, health = personas.school, personas.health
    teacher, nurse = personas.practitioner, personas.health_practitioner
    s_kids = [make_child(first_name=f"S{i}", dob=date(2011, 6, 1), involved=[school], lead=school,
                         gender="female" if i < 6 else "male") for i in range(10)]
    h_kids = [make_child(first_name=f"H{i}", dob=date(2009, 2, 1), involved=[health], lead=health,
                         gender="female", ethnicity=" Asian British ") for i in range(6)]
    for kid in s_kids[:2]:
        Involvement.objects.create(child=kid, agency=health, reason=Involvement.Reason.RECORDED)
    for i in range(7):
        screening(s_kids[i], school, teacher, "significant", at(3, i + 1))
    for i in range(7, 9):
        screening(s_kids[i], school, teacher, "concern", at(4, i))
    screening(s_kids[0], school, teacher, "concern", at(5))
    screening(s_kids[9], school, teacher, "concern", at(6, year=2024))
    for kid in h_kids:
        screening(kid, health, nurse, "emerging", at(2))
    for i in range(6):
        referral(s_kids[i], school, teacher, destination="csc", sent=at(3, i + 2), status="outcome_recorded",
                 outcome_after=timedelta(hours=20))
    for i in range(2):
        referral(s_kids[i], school, teacher, destination="police", sent=at(7, i + 1))
    episodes = [episode(h_kids[i % 6], health, nurse, when=at(8, i + 1)) for i in range(8)]
    episode(h_kids[0], health, nurse, when=at(9), classification="absent", returned_after=None)
    for ep in episodes[:6]:
        interview(ep, status="completed", conducted_after=timedelta(hours=30))
    interview(episodes[6], status="completed", conducted_after=timedelta(hours=90))
    interview(episodes[7], status="declined")
    for i, kid in enumerate(h_kids):
        form_b(kid, nurse, completed=at(10, i + 1), risk="high" if i < 3 else "medium",
               trafficking="Taken to another town" if i == 0 else "")
    return {"school_children": s_kids, "health_children": h_kids}
