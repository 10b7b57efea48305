"""The product's PDFs: an A4 document with DejaVu Sans embedded, so any name prints as recorded.

The core PDF fonts cover Latin-1 only ("Łukasiewicz" came out as "?ukasiewicz"); DejaVu Sans,
shipped in ``safeguard/platform/fonts/`` with its licence, covers Latin, Greek, Cyrillic and
Vietnamese letters. fpdf2 embeds only the glyphs a document uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"


def document(title: str) -> FPDF:
    """A new A4 document with the embedded font, a title and its first page."""
    pdf = FPDF(format="A4")
    pdf.add_font(FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(title)
    pdf.add_page()
    return pdf


def heading(pdf: FPDF, text: str, *, size: int = 16) -> None:
    pdf.set_font(FAMILY, "B", size)
    pdf.multi_cell(0, 8 if size >= 14 else 7, str(text), new_x="LMARGIN", new_y="NEXT")


def line(pdf: FPDF, text: str, *, size: int = 9) -> None:
    pdf.set_font(FAMILY, "", size)
    pdf.multi_cell(0, 5, str(text), new_x="LMARGIN", new_y="NEXT")


def sections(pdf: FPDF, items: Iterable[tuple[str, Iterable[tuple[str, str]]]]) -> None:
    """Each section's heading, then its label / value rows."""
    for title, rows in items:
        heading(pdf, title, size=12)
        for label, value in rows:
            pdf.set_font(FAMILY, "B", 10)
            pdf.multi_cell(0, 5, str(label), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(FAMILY, "", 10)
            pdf.multi_cell(0, 5, str(value if value not in (None, "") else "-"), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        pdf.ln(2)
