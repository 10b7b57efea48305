"""Small-count suppression for reports to the safeguarding board (§15; workflow.md "Reports to
the LSCB": no child can be identified from a board report).

A table is a list of counts and a list of *lines*: each line says that one cell (its total) is the
sum of some others (its parts). A cell may be shown or hidden from the table (``shown=False`` for a
figure a reader can only work out, such as "assessed children without factor 11A" = assessed − 11A).

1. **Primary suppression.** Every count from 1 to ``threshold - 1`` is hidden and printed "<5"
   (zero is shown: it identifies nobody).
2. **Secondary suppression.** A reader who knows that hidden small cells lie in 1 … threshold−1 and
   hidden others are at least ``threshold`` can still subtract. Every cell's possible range is
   worked out as a careful reader would: each line narrows its members' ranges from the others',
   and what one line reveals is used on every other, until nothing narrows further (interval
   propagation across rows and columns together). If a small cell's range has closed to a single
   number — a total less the other cells gives it away, a column reveals a hidden cell that a row
   then subtracts, or two hidden cells must both be 1 — one more cell is hidden, the smallest
   non-zero shown part of a line through it (else that line's total), and the check runs again.
   Secondarily hidden cells are printed "*" (they are not small).

Interval propagation is what subtraction by hand can reach; a reader solving the whole table as a
linear programme could in rare layouts narrow a range further than this checks. See
docs/reports.md for worked examples; tests/rules/test_suppression.py holds the table of cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SMALL = "<5"  # replaced by f"<{threshold}" when the threshold is not 5
SECONDARY = "*"
_INF = 10**12


@dataclass(frozen=True)
class Line:
    """``cells[total] == sum(cells[p] for p in parts)``."""

    total: int
    parts: tuple[int, ...]


@dataclass(frozen=True)
class Suppressed:
    """Which cells are hidden, and why: ``primary`` (small), ``secondary`` (to protect a small one)."""

    primary: frozenset[int]
    secondary: frozenset[int]

    def hidden(self, index: int) -> bool:
        return index in self.primary or index in self.secondary


def _known(values: Sequence[int], primary: set[int], secondary: set[int], shown: Sequence[bool],
           threshold: int) -> list[tuple[int, int]]:
    """What a reader knows about each cell before doing any sums."""
    known = []
    for index, value in enumerate(values):
        if index in primary:
            known.append((1, threshold - 1))
        elif index in secondary:
            known.append((threshold, _INF))
        elif not shown[index]:
            known.append((0, _INF))
        else:
            known.append((value, value))
    return known


def _narrow(lines: Sequence[Line], known: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Every cell's range once the reader has used every line, over and over, until nothing narrows
    further (interval propagation: what one line reveals is used on the next)."""
    ranges = list(known)
    for _ in range(50 * max(1, len(lines))):
        changed = False
        for line in lines:
            parts = line.parts
            low_sum = sum(ranges[p][0] for p in parts)
            high_sum = sum(min(ranges[p][1], _INF) for p in parts)
            total_low, total_high = ranges[line.total]
            new_total = (max(total_low, low_sum), min(total_high, high_sum))
            if new_total != ranges[line.total]:
                ranges[line.total] = new_total
                changed = True
            for p in parts:
                others_low = low_sum - ranges[p][0]
                others_high = high_sum - min(ranges[p][1], _INF)
                new = (max(ranges[p][0], ranges[line.total][0] - others_high),
                       min(ranges[p][1], ranges[line.total][1] - others_low))
                if new != ranges[p]:
                    ranges[p] = new
                    changed = True
            # Sums are recomputed on the next pass; ranges only ever narrow, so this ends.
        if not changed:
            break
    return ranges


def _given_away(values: Sequence[int], ranges: list[tuple[int, int]], threshold: int) -> list[int]:
    """Small cells whose range has closed to one number."""
    return [i for i, v in enumerate(values) if 0 < v < threshold and ranges[i][0] >= ranges[i][1]]


def _next_to_hide(line: Line, values: Sequence[int], primary: set[int], secondary: set[int],
                  shown: Sequence[bool]) -> int | None:
    candidates = [p for p in line.parts if shown[p] and values[p] > 0 and p not in primary and p not in secondary]
    if candidates:
        return min(candidates, key=lambda p: (values[p], p))
    if shown[line.total] and line.total not in primary and line.total not in secondary and values[line.total] > 0:
        return line.total
    return None


def suppress(values: Sequence[int], lines: Sequence[Line], *, threshold: int,
             shown: Sequence[bool] | None = None) -> Suppressed:
    """Which cells to hide so that no count from 1 to ``threshold - 1`` can be read or worked out."""
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    shown = list(shown) if shown is not None else [True] * len(values)
    if len(shown) != len(values):
        raise ValueError("shown must have one flag per value")
    for line in lines:
        for index in (line.total, *line.parts):
            if not 0 <= index < len(values):
                raise ValueError(f"line refers to cell {index}, which does not exist")
    primary = {i for i, v in enumerate(values) if 0 < v < threshold and shown[i]}
    secondary: set[int] = set()
    while True:
        ranges = _narrow(lines, _known(values, primary, secondary, shown, threshold))
        exposed = _given_away(values, ranges, threshold)
        if not exposed:
            break
        # Hide one more cell of a line through a cell the reader knows exactly: a small one, or a
        # hidden one that some other line gives away (the leak the small one is read through).
        leaking = set(exposed) | {i for i in range(len(values))
                                  if (i in secondary or not shown[i]) and ranges[i][0] >= ranges[i][1]}
        choices = [
            candidate
            for cell in sorted(leaking)
            for line in lines
            if cell == line.total or cell in line.parts
            for candidate in [_next_to_hide(line, values, primary, secondary, shown)]
            if candidate is not None
        ]
        if not choices:
            break  # nothing left to hide: every member is hidden or zero
        secondary.add(min(choices, key=lambda c: (values[c], c)))
    return Suppressed(primary=frozenset(primary), secondary=frozenset(secondary))


def display(value: int, index: int, result: Suppressed, *, threshold: int) -> str:
    """How a cell is printed: the count, "<5" (small) or "*" (hidden to protect a small count)."""
    if index in result.primary:
        return f"<{threshold}"
    if index in result.secondary:
        return SECONDARY
    return str(value)
