"""Who should take which CSE course, and who has (§1, §11.2). Counts are GROUP BYs by agency (and
team); the list of staff is paginated by the page that shows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value, When

from safeguard.accounts.models import Role, RoleGrant, User
from safeguard.rules.board_report import CountTable
from safeguard.rules.training import STATUS_TEXT, TrainingStatus, completed_since, expires_on

from ..models import Course, TrainingRecord
from .board import count_table

COURSE_FIELD = {Course.AWARENESS: "awareness_completed_on", Course.MULTI_AGENCY: "multi_agency_completed_on"}
COVERAGE_COLUMNS = [(TrainingStatus.IN_DATE.value, STATUS_TEXT[TrainingStatus.IN_DATE]),
                    (TrainingStatus.EXPIRED.value, STATUS_TEXT[TrainingStatus.EXPIRED]),
                    (TrainingStatus.NOT_RECORDED.value, STATUS_TEXT[TrainingStatus.NOT_RECORDED])]
NO_TEAM = "No team recorded"


def course_roles(course: Course) -> frozenset[str]:
    """The roles whose holders should take ``course`` (settings SAFEGUARD_TRAINING_*_ROLES)."""
    name = "SAFEGUARD_TRAINING_AWARENESS_ROLES" if course == Course.AWARENESS else "SAFEGUARD_TRAINING_MULTI_AGENCY_ROLES"
    roles = frozenset(getattr(settings, name))
    unknown = sorted(roles - set(Role.values))
    if unknown:
        raise ImproperlyConfigured(f"{name} names roles that do not exist: {', '.join(unknown)}")
    return roles


def staff_expected(course: Course) -> QuerySet[User]:
    """Active staff holding a role that should take the course."""
    holds = RoleGrant.objects.filter(user=OuterRef("pk"), role__in=course_roles(course))
    return User.objects.filter(is_active=True, agency__isnull=False).filter(Exists(holds))


def _status_expression(course: Course, *, today: date, refresh_years: int, prefix: str = "training__"):
    column = f"{prefix}{COURSE_FIELD[course]}"
    since = completed_since(today, refresh_years=refresh_years)
    return Case(
        When(**{f"{column}__isnull": True}, then=Value(TrainingStatus.NOT_RECORDED.value)),
        When(**{f"{column}__lt": since}, then=Value(TrainingStatus.EXPIRED.value)),
        default=Value(TrainingStatus.IN_DATE.value), output_field=CharField(),
    )


def coverage_rows(course: Course, *, today: date, refresh_years: int, agency_id: int | None = None,
                  by_team: bool = False) -> list[Any]:
    """``{"agency", "team"?, "cat", "n"}`` rows: staff expected to take the course, by status."""
    staff = staff_expected(course)
    if agency_id is not None:
        staff = staff.filter(agency_id=agency_id)
    fields = {"ag": F("agency_id")}
    if by_team:
        fields["team"] = F("training__team")
    return list(
        staff.annotate(cat=_status_expression(course, today=today, refresh_years=refresh_years))
        .values("cat", **fields).annotate(n=Count("id")).order_by()
    )


def coverage_tables(*, today: date, refresh_years: int, agencies: dict[int, str]) -> list[CountTable]:
    return [
        count_table(f"training_{course.value}", f"{course.label}: staff who should take it", "1, 11.2",
               columns=COVERAGE_COLUMNS, rows=coverage_rows(course, today=today, refresh_years=refresh_years),
               agencies=agencies,
               note="Counts of staff, not children; in date means completed within the refresh period.")
        for course in (Course.AWARENESS, Course.MULTI_AGENCY)
    ]


@dataclass(frozen=True)
class TeamCoverage:
    team: str
    expected: int
    in_date: int

    @property
    def percent(self) -> int:
        return round(100 * self.in_date / self.expected) if self.expected else 0


def team_coverage(course: Course, *, agency_id: int, today: date, refresh_years: int) -> list[TeamCoverage]:
    rows = coverage_rows(course, today=today, refresh_years=refresh_years, agency_id=agency_id, by_team=True)
    teams: dict[str, list[int]] = {}
    for row in rows:
        counts = teams.setdefault(row["team"] or NO_TEAM, [0, 0])
        counts[0] += row["n"]
        if row["cat"] == TrainingStatus.IN_DATE.value:
            counts[1] += row["n"]
    return [TeamCoverage(team, e, d) for team, (e, d) in sorted(teams.items(), key=lambda i: i[0].lower())]


@dataclass(frozen=True)
class StaffTraining:
    user: User
    record: TrainingRecord | None
    awareness_expected: bool
    multi_agency_expected: bool

    def expires(self, course: Course, refresh_years: int) -> date | None:
        completed = getattr(self.record, COURSE_FIELD[course], None) if self.record else None
        return expires_on(completed, refresh_years=refresh_years) if completed else None


def staff_for_agency(agency_id: int) -> QuerySet[User]:
    """Active staff of an agency with a role that should take either course, with their record."""
    awareness = RoleGrant.objects.filter(user=OuterRef("pk"), role__in=course_roles(Course.AWARENESS))
    multi = RoleGrant.objects.filter(user=OuterRef("pk"), role__in=course_roles(Course.MULTI_AGENCY))
    return (
        User.objects.filter(is_active=True, agency_id=agency_id)
        .annotate(awareness_expected=Exists(awareness), multi_agency_expected=Exists(multi))
        .filter(Q(awareness_expected=True) | Q(multi_agency_expected=True))
        .select_related("training")
        .order_by("last_name", "first_name", "id")
    )


def record_for(user: User) -> TrainingRecord | None:
    return TrainingRecord.objects.filter(user=user).first()
