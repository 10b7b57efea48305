"""The released subject access bundle as a PDF for people (DejaVu Sans: every name prints as recorded)."""

from __future__ import annotations

from safeguard.platform.pdf import document, heading, line, sections

from .bundle import Section


def bundle_pdf(bundle: list[Section], *, child_id: int, request_id: int, released: str) -> bytes:
    pdf = document(f"Subject access: record {child_id}")
    heading(pdf, "Everything held about this child")
    line(pdf, f"Record {child_id}. Subject access request {request_id}, released {released}. Items shown as "
              "[Withheld] were reviewed and withheld, with a reason kept on the request.")
    pdf.ln(3)
    for section in bundle:
        heading(pdf, f"{section.label} ({len(section.items)})", size=13)
        sections(pdf, [(f"{item.kind_label} {item.key.rsplit(':', 1)[1]}",
                        [(f.label, f.text) for f in item.fields]) for item in section.items])
    return bytes(pdf.output())
