"""Small-count suppression (safeguard/rules/suppression.py): a table of cases.

Each case: the counts, the lines (total, parts), what a reader sees. "<5" is a small count;
"*" is hidden so that a small count cannot be worked out by subtraction.
"""

import pytest

from safeguard.rules.board_report import CountTable, protect
from safeguard.rules.suppression import Line, display, suppress

T = 5

CASES = [
    # (name, values, lines, shown, expected display)
    ("nothing small", [10, 7, 17], [Line(2, (0, 1))], None, ["10", "7", "17"]),
    ("zero is shown", [0, 12, 12], [Line(2, (0, 1))], None, ["0", "12", "12"]),
    ("a small cell and a total: the other part is hidden too",
     [3, 10, 13], [Line(2, (0, 1))], None, ["<5", "*", "13"]),
    ("two small cells that hide each other", [3, 2, 20, 25], [Line(3, (0, 1, 2))], None, ["<5", "<5", "20", "25"]),
    ("two ones would each be exactly 1: the smallest other part goes",
     [1, 1, 8, 9, 19], [Line(4, (0, 1, 2, 3))], None, ["<5", "<5", "*", "9", "19"]),
    ("a small total with one part: nothing else to hide, nothing given away",
     [3, 0, 3], [Line(2, (0, 1))], None, ["<5", "0", "<5"]),
    ("a small cell whose line has only zeros left: the total goes",
     [4, 0, 0, 4], [Line(3, (0, 1, 2))], None, ["<5", "0", "0", "<5"]),
    ("two small parts totalling 6: each could be 2, 3 or 4, so the total stays",
     [2, 0, 4, 6], [Line(3, (0, 1, 2))], None, ["<5", "0", "<5", "6"]),
    ("two small parts totalling 2 are each exactly 1: the total goes as well",
     [1, 0, 1, 2], [Line(3, (0, 1, 2))], None, ["<5", "0", "<5", "<5"]),
    ("a difference: 7 assessed, 5 with the factor, so 2 without — the factor is hidden",
     [7, 5, 2], [Line(0, (1, 2))], [True, True, False], ["7", "*", "2"]),
    ("a difference that is 0 or large gives nothing away", [12, 5, 7], [Line(0, (1, 2))], [True, True, False],
     ["12", "5", "7"]),
    ("threshold 1 hides nothing", [1, 2, 3], [Line(2, (0, 1))], None, None),
]


@pytest.mark.parametrize(("name", "values", "lines", "shown", "expected"), CASES, ids=[c[0] for c in CASES])
def test_suppression_cases(name, values, lines, shown, expected):
    threshold = 1 if expected is None else T
    result = suppress(values, lines, threshold=threshold, shown=shown)
    printed = [display(v, i, result, threshold=threshold) for i, v in enumerate(values)]
    if expected is None:
        assert printed == [str(v) for v in values]
        return
    visible = [p for p, s in zip(printed, shown or [True] * len(values), strict=True) if s]
    want = [e for e, s in zip(expected, shown or [True] * len(values), strict=True) if s]
    assert visible == want


def test_two_dimensions_rows_and_columns_both_protected():
    """Agency rows add up to the overall row: a small cell cannot be read from its column either."""
    table = CountTable(
        key="t", title="t", section="15", columns=("A", "B"),
        rows=(("School", (3, 10)), ("Health", (9, 12))), overall=(12, 22),
    )
    out = protect(table, threshold=T)
    school, health = out.rows[0][1], out.rows[1][1]
    assert school[0] == "<5"
    # The row total 13 would give 3 away, and so would the column total 12: the school's B and
    # Health's A are hidden, and then Health's B, or column B would give the school's B away.
    assert school == ("<5", "*", "13")
    assert health == ("*", "*", "21")
    assert out.overall == ("12", "22", "34")
    assert out.overall_numbers == (12, 22, 34)


def test_children_rows_do_not_add_up_so_each_row_stands_alone():
    table = CountTable(
        key="c", title="c", section="15", columns=("Low", "High"), rows=(("School", (6, 6)),),
        overall=(9, 6), rows_add_up=False,
    )
    out = protect(table, threshold=T)
    assert out.rows[0][1] == ("6", "6", "12")
    assert out.overall == ("9", "6", "15")


def test_base_column_complements_are_protected():
    table = CountTable(
        key="f", title="f", section="15", columns=("Assessed", "11A", "13A"),
        rows=(), overall=(9, 8, 0), columns_partition=False, rows_add_up=False, base_column=0,
    )
    out = protect(table, threshold=T)
    # 9 assessed and 8 with 11A would show that 1 child was assessed without it.
    assert out.overall == ("9", "*", "0")
    assert out.overall_numbers == (9, None, 0)


@pytest.mark.parametrize("bad", [0, -1])
def test_threshold_must_be_positive(bad):
    with pytest.raises(ValueError, match="threshold"):
        suppress([1], [], threshold=bad)


def test_a_line_to_a_cell_that_does_not_exist_is_refused():
    with pytest.raises(ValueError, match="does not exist"):
        suppress([1, 2], [Line(5, (0, 1))], threshold=T)


def test_a_ranked_list_has_no_overall_row_and_hides_only_small_counts():
    table = CountTable(
        key="hot", title="Hot spots", section="15", columns=("Children linked",),
        rows=(("Station Road", (7,)), ("Riverside park", (3,))), overall=(),
        columns_partition=False, rows_add_up=False, row_heading="Place or area", overall_label="",
    )
    out = protect(table, threshold=T)
    assert out.rows == (("Station Road", ("7",)), ("Riverside park", ("<5",)))
    assert out.overall == () and out.row_numbers == ((7,), (None,))
