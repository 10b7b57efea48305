"""The board report (workflow.md "Reports to the LSCB", §11.2, §15): every figure is a GROUP BY in
the database, by agency and category; Python receives at most (agencies × categories) rows per
table, however many records the period holds. The counts go through ``rules.board_report.protect``
before anything is shown, so small counts read "<5" and no total or difference gives one away.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Trim
from django.utils import timezone

from safeguard.accounts.models import Agency
from safeguard.children.models import Child, Gender, Involvement
from safeguard.missing.models import Classification, Episode, ReturnInterview
from safeguard.referrals.models import Destination, Referral, Status
from safeguard.rules.board_report import (
    AGE_NOT_KNOWN,
    CIN_FACTORS,
    GANG_SIGN,
    NO_OUTCOME_YET,
    OUTCOME_TIME_BANDS,
    TRAFFICKING_MODEL,
    CountTable,
    ProtectedTable,
    age_band_bounds,
    protect,
)
from safeguard.screening.models import Band, FormB, RiskLevel, Screening

ETHNICITY_NOT_RECORDED = "Not recorded"
NO_FORM_B = "No completed Form B"


@dataclass(frozen=True)
class Period:
    """From the start of ``first`` to the end of ``last`` (local dates, both included)."""

    first: date
    last: date

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first, time.min))

    @property
    def until(self) -> datetime:
        """The first moment after the period."""
        return timezone.make_aware(datetime.combine(self.last + timedelta(days=1), time.min))

    def label(self) -> str:
        return f"{self.first.day} {self.first:%B %Y} to {self.last.day} {self.last:%B %Y}"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    section: str
    tables: tuple[ProtectedTable, ...]


@dataclass(frozen=True)
class BoardReport:
    period: Period
    threshold: int
    sections: tuple[Section, ...]

    @property
    def tables(self) -> list[ProtectedTable]:
        return [t for s in self.sections for t in s.tables]


# -- building count tables from GROUP BY rows -------------------------------------------------------


def count_table(key: str, title: str, section: str, *, columns: Iterable[tuple[str, str]],
           rows: Iterable[Mapping[str, Any]], overall_rows: Iterable[Mapping[str, Any]] | None = None, agencies: dict[int, str],
           rows_add_up: bool = True, columns_partition: bool = True, base_column: int | None = None,
           note: str = "") -> CountTable:
    """``rows`` are ``{"agency": id, "cat": value, "n": count}`` from one GROUP BY; ``columns`` maps
    category values to labels, in order. ``overall_rows`` (``{"cat", "n"}``) for tables whose agency
    rows do not add up (children several agencies know)."""
    keys = [k for k, _ in columns]
    index = {k: i for i, k in enumerate(keys)}
    by_agency: dict[int, list[int]] = defaultdict(lambda: [0] * len(keys))
    for row in rows:
        if row["cat"] in index and row["ag"] is not None:
            by_agency[row["ag"]][index[row["cat"]]] += row["n"]
    if overall_rows is None:
        overall = [sum(counts[i] for counts in by_agency.values()) for i in range(len(keys))]
    else:
        overall = [0] * len(keys)
        for row in overall_rows:
            if row["cat"] in index:
                overall[index[row["cat"]]] += row["n"]
    ordered = sorted(by_agency.items(), key=lambda item: agencies.get(item[0], "").lower())
    return CountTable(
        key=key, title=title, section=section, columns=tuple(label for _, label in columns),
        rows=tuple((agencies.get(a, "Agency no longer listed"), tuple(c)) for a, c in ordered if any(c)),
        overall=tuple(overall), rows_add_up=rows_add_up, columns_partition=columns_partition,
        base_column=base_column, note=note,
    )


def choices(choices) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in choices]


# -- the measures -----------------------------------------------------------------------------------


def _screenings(period: Period, agencies: dict[int, str]) -> list[CountTable]:
    screenings = Screening.objects.filter(submitted_at__gte=period.since, submitted_at__lt=period.until)
    by_band = screenings.values(ag=F("agency_id"), cat=F("band")).annotate(n=Count("id")).order_by()
    followed = Case(
        When(referral__isnull=False, then=Value("referred")),
        When(~Q(not_referring_reason=""), then=Value("not_referring")),
        default=Value("neither"), output_field=CharField(),
    )
    by_outcome = (screenings.annotate(cat=followed).values("cat", ag=F("agency_id"))
                  .annotate(n=Count("id")).order_by())
    return [
        count_table("screenings_band", "Screenings by outcome band", "4, 16", columns=choices(Band.choices),
               rows=by_band, agencies=agencies),
        count_table("screenings_followed", "What followed a screening", "10, 16",
               columns=[("referred", "A referral was made"), ("not_referring", "A decision not to refer"),
                        ("neither", "Neither recorded")],
               rows=by_outcome, agencies=agencies),
    ]


def _referrals(period: Period, agencies: dict[int, str]) -> list[CountTable]:
    referrals = Referral.objects.filter(sent_at__gte=period.since, sent_at__lt=period.until)
    by_destination = (referrals.values(ag=F("referring_agency_id"), cat=F("destination"))
                      .annotate(n=Count("id")).order_by())
    by_status = referrals.values(ag=F("referring_agency_id"), cat=F("status")).annotate(n=Count("id")).order_by()
    whens = []
    for label, days in OUTCOME_TIME_BANDS:
        if days is None:
            whens.append(When(outcome_at__isnull=False, then=Value(label)))
        else:
            whens.append(When(outcome_at__lte=F("sent_at") + timedelta(days=days), then=Value(label)))
    timing = Case(When(outcome_at__isnull=True, then=Value(NO_OUTCOME_YET)), *whens,
                  default=Value(NO_OUTCOME_YET), output_field=CharField())
    by_time = (referrals.annotate(cat=timing).values("cat", ag=F("referring_agency_id"))
               .annotate(n=Count("id")).order_by())
    bands = [(label, label) for label, _ in OUTCOME_TIME_BANDS] + [(NO_OUTCOME_YET, NO_OUTCOME_YET)]
    return [
        count_table("referrals_destination", "Referrals by destination", "10, 12",
               columns=choices(Destination.choices), rows=by_destination, agencies=agencies),
        count_table("referrals_status", "Referrals by where they stand", "10.4",
               columns=choices(Status.choices), rows=by_status, agencies=agencies),
        count_table("referrals_time", "Time from referral to recorded outcome", "10.4", columns=bands,
               rows=by_time, agencies=agencies),
    ]


def children_in_period(period: Period) -> QuerySet[Child]:
    """Children with something recorded in the period: a screening, a referral, a missing episode or
    a completed Form B (live records only)."""
    def within(model, field: str):
        return Exists(model.objects.filter(child=OuterRef("pk"), **{f"{field}__gte": period.since,
                                                                     f"{field}__lt": period.until}))

    return Child.objects.filter(merged_into__isnull=True).filter(
        within(Screening, "submitted_at") | within(Referral, "sent_at") | within(Episode, "last_seen_at")
        | within(FormB, "completed_at")
    )


def _child_dimensions(period: Period, prefix: str) -> dict[str, tuple[object, list[tuple[str, str]]]]:
    """Each child characteristic as an expression over the child (``prefix`` is "" on Child rows and
    "child__" on Involvement rows) and its columns."""
    outer = OuterRef("child" if prefix else "pk")
    latest_risk = Subquery(
        FormB.objects.filter(child=outer, status=FormB.Status.COMPLETE, completed_at__lt=period.until)
        .order_by("-completed_at", "-id").values("risk_level")[:1]
    )
    bands = age_band_bounds(period.last)
    age = Case(
        *[When(**{f"{prefix}date_of_birth__range": (earliest, latest)}, then=Value(label))
          for label, earliest, latest in bands],
        default=Value(AGE_NOT_KNOWN), output_field=CharField(),
    )
    return {
        "risk": (Coalesce(latest_risk, Value("none"), output_field=CharField()),
                 choices(RiskLevel.choices) + [("none", NO_FORM_B)]),
        "age": (age, [(label, label) for label, _, _ in bands] + [(AGE_NOT_KNOWN, AGE_NOT_KNOWN)]),
        "gender": (F(f"{prefix}gender"), choices(Gender.choices)),
        "looked_after": (Case(When(**{f"{prefix}looked_after": True}, then=Value("yes")), default=Value("no"),
                              output_field=CharField()),
                         [("yes", "Looked after"), ("no", "Not looked after")]),
        "disability": (Case(When(**{f"{prefix}disabilities": ""}, then=Value("no")), default=Value("yes"),
                            output_field=CharField()),
                       [("yes", "Disability recorded"), ("no", "None recorded")]),
        "ethnicity": (Trim(f"{prefix}ethnicity"), []),
    }


CHILD_TABLES = (
    ("risk", "Children by CSE risk level (latest completed Form B)", "4, 5"),
    ("age", "Children by age band (age on the last day of the period)", "3, 15"),
    ("gender", "Children by gender", "15"),
    ("ethnicity", "Children by ethnicity (as recorded)", "15"),
    ("looked_after", "Children by looked-after status", "14, 15"),
    ("disability", "Children by disability", "9.4, 15"),
)
CHILDREN_NOTE = ("A child known to several agencies is counted once in each of their rows and once overall, "
                 "so agency rows do not add up to the overall row.")


def _children(period: Period, agencies: dict[int, str]) -> list[CountTable]:
    active = children_in_period(period)
    involved = Involvement.objects.filter(child__in=active.values("pk"))
    on_child = _child_dimensions(period, "")
    on_involvement = _child_dimensions(period, "child__")
    tables = []
    for key, title, section in CHILD_TABLES:
        expression, columns = on_child[key]
        overall_rows = list(active.annotate(cat=expression).values("cat").annotate(n=Count("id")).order_by())
        rows = list(involved.annotate(cat=on_involvement[key][0]).values("cat", ag=F("agency_id"))
                    .annotate(n=Count("child", distinct=True)).order_by())
        if key == "ethnicity":
            for row in (*overall_rows, *rows):
                row["cat"] = row["cat"] or ETHNICITY_NOT_RECORDED
            seen = sorted({row["cat"] for row in overall_rows if row["cat"] != ETHNICITY_NOT_RECORDED}, key=str.lower)
            columns = [(c, c) for c in seen] + [(ETHNICITY_NOT_RECORDED, ETHNICITY_NOT_RECORDED)]
        tables.append(count_table(f"children_{key}", title, section, columns=columns, rows=rows,
                             overall_rows=overall_rows, agencies=agencies, rows_add_up=False, note=CHILDREN_NOTE))
    return tables


def _missing(period: Period, agencies: dict[int, str], *, due_hours: int) -> list[CountTable]:
    episodes = Episode.objects.filter(last_seen_at__gte=period.since, last_seen_at__lt=period.until)
    by_class = episodes.values(ag=F("agency_id"), cat=F("classification")).annotate(n=Count("id")).order_by()
    interviews = ReturnInterview.objects.filter(
        episode__returned_at__gte=period.since, episode__returned_at__lt=period.until
    )
    required = (interviews.values(ag=F("episode__agency_id"), cat=F("requirement"))
                .annotate(n=Count("id")).order_by())
    S = ReturnInterview.Status
    outcome = Case(
        When(status=S.COMPLETED, conducted_at__lte=F("episode__returned_at") + timedelta(hours=due_hours),
             then=Value("in_time")),
        When(status=S.COMPLETED, then=Value("late")),
        When(status=S.DECLINED, then=Value("declined")),
        When(status=S.NOT_CONDUCTED, then=Value("not_conducted")),
        default=Value("pending"), output_field=CharField(),
    )
    by_outcome = (interviews.annotate(cat=outcome).values("cat", ag=F("episode__agency_id"))
                  .annotate(n=Count("id")).order_by())
    return [
        count_table("missing_episodes", "Missing and absent episodes (by the reporting agency)", "6, 14",
               columns=choices(Classification.choices), rows=by_class, agencies=agencies),
        count_table("interviews_required", "Return interviews after returns in the period", "14.1",
               columns=choices(ReturnInterview.Requirement.choices), rows=required, agencies=agencies),
        count_table("interviews_outcome", "What happened to each return interview", "14.1",
               columns=[("in_time", f"Completed within {due_hours} hours"), ("late", f"Completed after {due_hours} hours"),
                        ("declined", "Declined by the child"), ("not_conducted", "Not conducted"),
                        ("pending", "Not yet done")],
               rows=by_outcome, agencies=agencies),
    ]


def cin_factor_conditions(period: Period) -> dict[str, Q]:
    """Each Children in Need census factor code as a condition on a completed Form B (see
    rules.board_report.CIN_FACTORS for the words)."""
    went_missing = Exists(Episode.objects.filter(
        child=OuterRef("child"), classification=Classification.MISSING,
        last_seen_at__gte=period.since, last_seen_at__lte=OuterRef("completed_at"),
    ))
    return {
        "11A": Q(risk_level__in=[RiskLevel.MEDIUM, RiskLevel.HIGH]),
        "10A": Q(went_missing),
        "12A": ~Q(trafficking_concerns="") | Q(exploitation_models__icontains=f'"{TRAFFICKING_MODEL}"'),
        "13A": Q(indicators__icontains=f'"{GANG_SIGN}"'),
    }


def _cin_factors(period: Period, agencies: dict[int, str]) -> list[CountTable]:
    assessed = FormB.objects.filter(status=FormB.Status.COMPLETE, completed_at__gte=period.since,
                                    completed_at__lt=period.until, child__merged_into__isnull=True)
    conditions = cin_factor_conditions(period)
    aggregates = {"assessed": Count("child", distinct=True)}
    for code, condition in conditions.items():
        aggregates[f"f{code}"] = Count("child", distinct=True, filter=condition)
    overall = assessed.aggregate(**aggregates)
    per_agency = assessed.values(ag=F("completed_by__agency_id")).annotate(**aggregates).order_by()
    keys = ["assessed"] + [f"f{f.code}" for f in CIN_FACTORS]
    columns = [("assessed", "Children assessed (Form B completed)")] + [
        (f"f{f.code}", f"{f.code} {f.label}") for f in CIN_FACTORS
    ]

    def flat(row: Mapping[str, Any], agency) -> list[dict]:
        return [{"ag": agency, "cat": k, "n": row[k] or 0} for k in keys]

    rows = [r for row in per_agency for r in flat(row, row["ag"])]
    return [
        count_table("cin_factors", "Children in Need census factors on assessed children", "4, 7, 14",
               columns=columns, rows=rows, overall_rows=flat(overall, None), agencies=agencies,
               rows_add_up=False, columns_partition=False, base_column=0,
               note="A child may have several factors. How each is found in the records: docs/reports.md."),
    ]


def agency_names() -> dict[int, str]:
    return dict(Agency.objects.values_list("id", "name"))


def board_report(*, period: Period, threshold: int, due_hours: int, extra_sections: Iterable[Section] = ()) -> BoardReport:
    """The whole report for ``period``: every table counted in SQL and protected."""
    agencies = agency_names()

    def protected(tables: list[CountTable]) -> tuple[ProtectedTable, ...]:
        return tuple(protect(t, threshold=threshold) for t in tables)

    sections = [
        Section("screenings", "Screenings and their outcomes", "4, 16", protected(_screenings(period, agencies))),
        Section("referrals", "Referrals: destination, outcome and time to outcome", "10, 12",
                protected(_referrals(period, agencies))),
        Section("children", "Children", "15", protected(_children(period, agencies))),
        Section("missing", "Missing episodes and return interviews", "14",
                protected(_missing(period, agencies, due_hours=due_hours))),
        Section("cin", "Children in Need census factors", "15", protected(_cin_factors(period, agencies))),
        *extra_sections,
    ]
    return BoardReport(period=period, threshold=threshold, sections=tuple(sections))
