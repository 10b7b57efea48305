"""The board report's shape (workflow.md "Reports to the LSCB", §11.2, §15): age bands, time-to-
outcome bands, the Children in Need census factor codes, and the protection of every count table
before anyone sees it (``protect``: small counts as "<5", see ``suppression``).

Plain Python: the reports app counts in SQL and hands the counts here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .suppression import Line, Suppressed, display, suppress

# Age on the last day of the period, in whole years: (label, lowest age, highest age).
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("Under 10", 0, 9),
    ("10 to 12", 10, 12),
    ("13 to 15", 13, 15),
    ("16 to 17", 16, 17),
    ("18 and over", 18, 200),
)
AGE_NOT_KNOWN = "Not known"

# Time from a referral being sent to its outcome: (label, up to this many days; None = no limit).
OUTCOME_TIME_BANDS: tuple[tuple[str, int | None], ...] = (
    ("Within 1 day", 1),
    ("2 to 3 days", 3),
    ("4 to 7 days", 7),
    ("8 to 28 days", 28),
    ("Over 28 days", None),
)
NO_OUTCOME_YET = "No outcome yet"


@dataclass(frozen=True)
class CinFactor:
    """A Children in Need census factor code, and how the product finds it in its own records."""

    code: str
    label: str
    derived_from: str


# How each factor is derived from the records of an assessed child (a Form B completed in the
# period). The reports app's selectors implement exactly these; docs/reports.md repeats them.
CIN_FACTORS: tuple[CinFactor, ...] = (
    CinFactor("11A", "Child sexual exploitation",
              "the completed Form B set a medium or high CSE risk level (§4, §5)"),
    CinFactor("10A", "Missing",
              "the child had a missing episode (classified missing, not absent) that began in the "
              "period or up to the Form B's completion (§6, §14)"),
    CinFactor("12A", "Trafficking",
              "the Form B records trafficking concerns (§7) or the organised exploitation and "
              "trafficking model"),
    CinFactor("13A", "Gangs",
              "the Form B found sign I24, involvement in gangs (§5)"),
)
GANG_SIGN = "I24"
TRAFFICKING_MODEL = "organised"


def born_after_for_age(on: date, age: int) -> date:
    """A child is younger than ``age`` on ``on`` exactly when born after the returned date."""
    try:
        return on.replace(year=on.year - age)
    except ValueError:  # 29 February in a year that has none
        return on.replace(year=on.year - age, day=28)


def age_band_bounds(on: date) -> list[tuple[str, date, date]]:
    """Each age band as (label, born on or after, born on or before) for ages on ``on``."""
    bounds = []
    for label, low, high in AGE_BANDS:
        earliest = born_after_for_age(on, high + 1)  # born after this: at most ``high``
        latest = born_after_for_age(on, low)  # born on or before this: at least ``low``
        bounds.append((label, date.fromordinal(earliest.toordinal() + 1), latest))
    return bounds


@dataclass(frozen=True)
class CountTable:
    """Counts by agency (rows) and category (columns), with the overall row.

    ``columns_partition``: every counted thing falls in exactly one column, so a Total column is
    added and each row's columns add up to it. ``rows_add_up``: every counted thing belongs to one
    agency, so the agency rows add up to the overall row (counts of screenings, referrals,
    episodes); otherwise (children, whom several agencies may know) they do not, and only each row
    is protected on its own. ``base_column``: the other columns each count a subset of this one (a
    child may be in several), so "base − column" is a figure a reader can work out.
    """

    key: str
    title: str
    section: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int, ...]], ...]
    overall: tuple[int, ...]
    columns_partition: bool = True
    rows_add_up: bool = True
    base_column: int | None = None
    note: str = ""
    row_heading: str = "Agency"
    overall_label: str = "All agencies"


@dataclass(frozen=True)
class ProtectedTable:
    key: str
    title: str
    section: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    overall: tuple[str, ...]
    note: str = ""
    row_heading: str = "Agency"
    overall_label: str = "All agencies"
    hidden: int = 0
    # The shown figures as numbers (None where hidden), for charts.
    overall_numbers: tuple[int | None, ...] = field(default=())
    row_numbers: tuple[tuple[int | None, ...], ...] = field(default=())


def _layout(table: CountTable) -> tuple[list[int], list[Line], list[bool], int]:
    """Every cell's value in one list (agency rows, then the overall row if there is one, then the
    figures a reader can work out but are not printed), the lines that tie them together and which
    are printed. A ranked list (``overall`` empty) has no overall row."""
    width = len(table.columns) + (1 if table.columns_partition else 0)
    all_rows = [counts for _, counts in table.rows] + ([table.overall] if table.overall else [])
    values: list[int] = []
    for counts in all_rows:
        if len(counts) != len(table.columns):
            raise ValueError(f"{table.key}: a row has {len(counts)} counts for {len(table.columns)} columns")
        values.extend(counts)
        if table.columns_partition:
            values.append(sum(counts))
    shown = [True] * len(values)
    lines: list[Line] = []

    def cell(r: int, c: int) -> int:
        return r * width + c

    for r in range(len(all_rows)):
        if table.columns_partition:
            lines.append(Line(cell(r, width - 1), tuple(cell(r, c) for c in range(len(table.columns)))))
        if table.base_column is not None:
            for c in range(len(table.columns)):
                if c == table.base_column:
                    continue
                complement = all_rows[r][table.base_column] - all_rows[r][c]
                values.append(complement)
                shown.append(False)
                lines.append(Line(cell(r, table.base_column), (cell(r, c), len(values) - 1)))
    if table.rows_add_up and table.rows and table.overall:
        overall = len(all_rows) - 1
        for c in range(width):
            lines.append(Line(cell(overall, c), tuple(cell(r, c) for r in range(len(table.rows)))))
    return values, lines, shown, width


def protect(table: CountTable, *, threshold: int) -> ProtectedTable:
    """The table as the board may see it: no count from 1 to ``threshold - 1`` readable or derivable."""
    values, lines, shown, width = _layout(table)
    result: Suppressed = suppress(values, lines, threshold=threshold, shown=shown)

    def row(r: int) -> tuple[str, ...]:
        return tuple(display(values[r * width + c], r * width + c, result, threshold=threshold) for c in range(width))

    def numbers(r: int) -> tuple[int | None, ...]:
        return tuple(None if result.hidden(r * width + c) else values[r * width + c] for c in range(width))

    overall_index = len(table.rows)
    header = table.columns + (("Total",) if table.columns_partition else ())
    return ProtectedTable(
        key=table.key, title=table.title, section=table.section, header=header,
        rows=tuple((label, row(r)) for r, (label, _) in enumerate(table.rows)),
        overall=row(overall_index) if table.overall else (), note=table.note, row_heading=table.row_heading,
        overall_label=table.overall_label,
        hidden=len(result.primary) + len(result.secondary),
        overall_numbers=numbers(overall_index) if table.overall else (),
        row_numbers=tuple(numbers(r) for r in range(len(table.rows))),
    )
