"""PDFs of what goes to the police: a return interview form or a profile, from its snapshot (fpdf2).

Any name prints as recorded: the document embeds DejaVu Sans (``safeguard.platform.pdf``).
"""

from __future__ import annotations

import io
import logging
from datetime import datetime

from django.utils import timezone

from safeguard.platform import pdf as documents

logger = logging.getLogger(__name__)



def snapshot_pdf(snapshot: dict, *, sent: str = "", photo: bytes | None = None,
                 printed_at: datetime | None = None) -> bytes:
    """One or two A4 pages: a title, each section's label/value rows, and the photo if there is one."""
    printed_at = timezone.localtime(printed_at or timezone.now())
    pdf = documents.document(snapshot.get("title", "Safeguard"))
    documents.heading(pdf, snapshot.get("title", ""))
    line = f"OFFICIAL-SENSITIVE. Printed {printed_at.day} {printed_at:%B %Y, %H:%M}."
    if sent:
        line += f" {sent}"
    documents.line(pdf, line)
    pdf.ln(2)
    if photo:
        try:
            pdf.image(io.BytesIO(photo), w=40)
            pdf.ln(2)
        except Exception as error:  # a photo that cannot be drawn must not stop the form  # noqa: BLE001
            logger.warning("profile photo left out of the PDF: %s", type(error).__name__)
    documents.sections(
        pdf,
        [(s.get("heading", ""), s.get("rows", [])) for s in snapshot.get("sections", [])],
    )
    return bytes(pdf.output())
