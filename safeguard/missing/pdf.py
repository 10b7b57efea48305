"""PDFs of what goes to the police: a return interview form or a profile, from its snapshot (fpdf2).

The core PDF fonts cover Latin-1 only; characters outside it (curly quotes, dashes) are replaced by
their plain equivalents, anything else by "?". A future change could embed a Unicode font.
"""

from __future__ import annotations

import io
import logging
from datetime import datetime

from django.utils import timezone
from fpdf import FPDF

logger = logging.getLogger(__name__)

_PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "→": "->"})


def _latin1(text: str) -> str:
    return str(text or "").translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


def snapshot_pdf(snapshot: dict, *, sent: str = "", photo: bytes | None = None,
                 printed_at: datetime | None = None) -> bytes:
    """One or two A4 pages: a title, each section's label/value rows, and the photo if there is one."""
    printed_at = timezone.localtime(printed_at or timezone.now())
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(_latin1(snapshot.get("title", "Safeguard")))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, _latin1(snapshot.get("title", "")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    line = f"OFFICIAL-SENSITIVE. Printed {printed_at.day} {printed_at:%B %Y, %H:%M}."
    if sent:
        line += f" {sent}"
    pdf.multi_cell(0, 5, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    if photo:
        try:
            pdf.image(io.BytesIO(photo), w=40)
            pdf.ln(2)
        except Exception as error:  # a photo that cannot be drawn must not stop the form  # noqa: BLE001
            logger.warning("profile photo left out of the PDF: %s", type(error).__name__)
    for section in snapshot.get("sections", []):
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 7, _latin1(section.get("heading", "")), new_x="LMARGIN", new_y="NEXT")
        for label, value in section.get("rows", []):
            pdf.set_font("Helvetica", "B", 10)
            pdf.multi_cell(0, 5, _latin1(label), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(0, 5, _latin1(value or "-"), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        pdf.ln(2)
    return bytes(pdf.output())
