"""Server-rendered SVG charts. Each chart is a picture of a table shown beside it (the table is the
accessible equivalent): the SVG has role="img", a <title> and a <desc> saying so, and draws only
figures the table shows — a hidden count is drawn as no bar, labelled as the table labels it.
No script and no inline style, so the content security policy needs nothing extra."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)
BAR = "#1d70b8"
LINE_COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92")
WIDTH = 560


def _frame(title: str, desc: str, width: int, height: int, body: SafeString) -> SafeString:
    n = next(_ids)
    return format_html(
        '<svg class="sg-chart" xmlns="http://www.w3.org/2000/svg" role="img" width="{}" height="{}" '
        'viewBox="0 0 {} {}" aria-labelledby="chart-title-{} chart-desc-{}" focusable="false">'
        '<title id="chart-title-{}">{}</title><desc id="chart-desc-{}">{}</desc>{}</svg>',
        width, height, width, height, n, n, n, title, n, desc, body,
    )


def bar_chart(title: str, labels: Sequence[str], values: Sequence[int | None], shown: Sequence[str]) -> SafeString:
    """Horizontal bars: one per label. ``values`` None where the table hides the count; ``shown`` is
    what the table prints for each (the bar's label)."""
    row, label_w, top = 22, 220, 6
    height = top * 2 + row * max(1, len(labels))
    biggest = max([v for v in values if v is not None] + [1])
    scale = (WIDTH - label_w - 60) / biggest
    parts = []
    for i, (label, value, text) in enumerate(zip(labels, values, shown, strict=True)):
        y = top + i * row
        bar = value or 0
        parts.append(format_html(
            '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="#0b0c0c">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
            '<text x="{}" y="{}" font-size="12" fill="#0b0c0c">{}</text>',
            label_w - 6, y + 15, label[:38], label_w, y + 4, round(bar * scale, 1), row - 8, BAR,
            label_w + round(bar * scale, 1) + 4, y + 15, text,
        ))
    desc = f"Bar chart of the figures in the table beside it: {title}. The table is the full equivalent."
    return _frame(title, desc, WIDTH, height, mark_safe("".join(parts)))  # noqa: S308 - built by format_html


def line_chart(title: str, months: Sequence[str], series: dict[str, Sequence[int]]) -> SafeString:
    """One line per series over months, with a key. The table beside it has the same figures."""
    left, right, top, bottom = 40, 20, 10, 60
    height = 260
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    biggest = max([max(v) for v in series.values() if v] + [1])
    step = plot_w / max(1, len(months) - 1)
    parts = [format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#505a5f"></line>',
                         left, top + plot_h, left + plot_w, top + plot_h),
             format_html('<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#0b0c0c">{}</text>',
                         left - 4, top + 10, biggest)]
    for i, month in enumerate(months):
        if i % 2 == 0 or i == len(months) - 1:
            parts.append(format_html('<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#0b0c0c">{}</text>',
                                     round(left + i * step, 1), top + plot_h + 16, month))
    for n, (name, values) in enumerate(series.items()):
        colour = LINE_COLOURS[n % len(LINE_COLOURS)]
        points = " ".join(f"{round(left + i * step, 1)},{round(top + plot_h - v * plot_h / biggest, 1)}"
                          for i, v in enumerate(values))
        parts.append(format_html('<polyline points="{}" fill="none" stroke="{}" stroke-width="2"></polyline>',
                                 points, colour))
        key_x = left + n * 170
        parts.append(format_html('<rect x="{}" y="{}" width="12" height="12" fill="{}"></rect>'
                                 '<text x="{}" y="{}" font-size="12" fill="#0b0c0c">{}</text>',
                                 key_x, height - 22, colour, key_x + 16, height - 12, name))
    desc = f"Line chart of the monthly figures in the table beside it: {title}. The table is the full equivalent."
    return _frame(title, desc, WIDTH, height, format_html_join("", "{}", ((p,) for p in parts)))
