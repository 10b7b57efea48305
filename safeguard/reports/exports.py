"""The board report as CSV and PDF: exactly the protected figures the page shows ("<5", "*"), never
the counts behind them.

CSV: every cell a spreadsheet could read as a formula (starting =, +, -, @, tab or carriage
return) is prefixed with an apostrophe, so opening the file runs nothing. PDF: fpdf2 with the
product's embedded DejaVu Sans (``safeguard.core.pdf``), as the referral pack does.
"""

from __future__ import annotations

import csv
import io

from safeguard.platform import pdf as documents

from .selectors.board import BoardReport

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _overall(table) -> list[tuple[str, tuple[str, ...]]]:
    return [(table.overall_label, table.overall)] if table.overall else []


def board_csv(report: BoardReport) -> str:
    """One line per figure: section, table, agency (or "All agencies"), column, figure."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Period", report.period.first.isoformat(), report.period.last.isoformat()])
    writer.writerow(["Small counts", f"Counts below {report.threshold} are shown as <{report.threshold}; "
                     "* marks a count hidden so that a small one cannot be worked out"])
    writer.writerow(["Section", "Table", "Agency or place", "Measure", "Figure"])
    for section in report.sections:
        for table in section.tables:
            for agency, cells in (*table.rows, *_overall(table)):
                for column, cell in zip(table.header, cells, strict=True):
                    writer.writerow([csv_cell(section.title), csv_cell(table.title), csv_cell(agency),
                                     csv_cell(column), csv_cell(cell)])
    return out.getvalue()


def board_pdf(report: BoardReport, *, generated: str) -> bytes:
    pdf = documents.document("Report to the safeguarding children board")
    documents.heading(pdf, "Report to the safeguarding children board")
    documents.line(pdf, f"Period: {report.period.label()}. {generated}", size=10)
    documents.line(pdf, f"Counts below {report.threshold} are shown as <{report.threshold}; * marks a count "
                   "hidden so that a small one cannot be worked out from a total or a difference.", size=9)
    pdf.ln(3)
    for section in report.sections:
        documents.heading(pdf, f"{section.title} (handbook § {section.section})", size=13)
        for table in section.tables:
            documents.heading(pdf, table.title, size=11)
            if table.note:
                documents.line(pdf, table.note, size=8)
            pdf.set_font(documents.FAMILY, "", 7)
            columns = len(table.header) + 1
            first = 45
            rest = (pdf.epw - first) / max(1, columns - 1)
            with pdf.table(col_widths=(first, *([rest] * (columns - 1))), text_align="LEFT",
                           line_height=4, first_row_as_headings=True) as grid:
                head = grid.row()
                head.cell(table.row_heading)
                for column in table.header:
                    head.cell(column)
                for agency, cells in (*table.rows, *_overall(table)):
                    row = grid.row()
                    row.cell(agency)
                    for cell in cells:
                        row.cell(cell)
            pdf.ln(3)
    return bytes(pdf.output())
