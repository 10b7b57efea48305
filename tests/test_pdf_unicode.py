"""PDFs print any name as recorded: the embedded DejaVu Sans font, no "?" for letters outside Latin-1."""

from __future__ import annotations

import io
from datetime import datetime

from django.utils import timezone
from pypdf import PdfReader

from safeguard.missing.pdf import snapshot_pdf

NAME = "Zoë Łukasiewicz-Nguyễn"


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_profile_pdf_prints_a_unicode_name_and_it_extracts_back():
    snapshot = {
        "title": f"Missing person profile: {NAME}",
        "sections": [{"heading": "The child", "rows": [("Name", NAME), ("Known as", "Şükrü “Sasha” Ødegård — §14")]}],
    }
    text = text_of(snapshot_pdf(snapshot, printed_at=timezone.make_aware(datetime(2026, 5, 1, 9, 0))))
    assert NAME in text
    assert "Şükrü “Sasha” Ødegård — §14" in text
    assert "?" not in text


def test_the_font_and_its_licence_ship_with_the_package():
    from safeguard.platform.pdf import FONT_DIR

    assert (FONT_DIR / "DejaVuSans.ttf").is_file() and (FONT_DIR / "DejaVuSans-Bold.ttf").is_file()
    assert "Bitstream" in (FONT_DIR / "LICENSE.txt").read_text()
