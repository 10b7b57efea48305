"""The referral pack (issue 5): one PDF with the referral, the child's details, what travelled with
it (the screening with its reasons, or the assessment with its outcome), an extract of the
chronology and the referrer's contact details. fpdf2, pure Python.

What travelled with it is rendered by the source itself where it can: a source model may define
``referral_pack_section() -> tuple[str, list[tuple[str, str]]]`` (a heading and label/value rows).
The screening app's Form A does; an assessment is rendered here.

Any name prints as recorded: the document embeds DejaVu Sans (``safeguard.platform.pdf``).
"""

from __future__ import annotations

from django.utils import timezone

from safeguard.platform import pdf as documents
from safeguard.referrals.models import Assessment, Referral
from safeguard.referrals.services._common import CRITERION_TEXT
from safeguard.rules import sexual_activity as sa

CHRONOLOGY_EXTRACT = 25



def _when(moment) -> str:
    if moment is None:
        return "Not known"
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y, %H:%M}"


def assessment_rows(assessment: Assessment) -> list[tuple[str, str]]:
    rows = [
        ("Recorded", f"{_when(assessment.recorded_at)} by {assessment.assessor} ({assessment.agency})"),
        ("Child's age at the activity", str(assessment.child_age)),
        ("Partners' ages", ", ".join("not known" if a is None else str(a) for a in assessment.partner_ages) or "-"),
    ]
    facts = [label for name, label in ASSESSMENT_FACT_LABELS.items() if getattr(assessment, name)]
    rows.append(("Also applies", "; ".join(facts) or "None of the listed facts"))
    for code in sa.CRITERIA:
        answer = assessment.outcome.get("criteria", assessment.criteria).get(code, "unknown")
        if answer == "yes":
            note = assessment.criteria_notes.get(code, "")
            rows.append((f"{code} applies", f"{CRITERION_TEXT.get(code, '')}{': ' + note if note else ''}"))
    for action in assessment.actions:
        rows.append((f"{action['strength'].upper()}: {action['code']} (s.{action['section']})", action["reason"]))
    return rows


ASSESSMENT_FACT_LABELS = {
    "position_of_trust": "a partner holds a position of trust over the child",
    "partner_works_with_children": "a partner works with children or fosters a looked-after child",
    "pregnant": "the child is pregnant",
    "penetrative": "the activity was penetrative",
    "disabled": "the child is disabled",
    "immediate_risk": "the child is at immediate risk",
}


def source_section(referral: Referral) -> tuple[str, list[tuple[str, str]]]:
    source = referral.source
    if source is None:
        return "What travelled with the referral", [("Attachment", "Nothing: this referral was made directly.")]
    if isinstance(source, Assessment):
        return "Underage sexual activity assessment (handbook s.9)", assessment_rows(source)
    section = getattr(source, "referral_pack_section", None)
    if callable(section):
        return section()
    return "What travelled with the referral: " + str(source), _generic_rows(source)


def _generic_rows(source) -> list[tuple[str, str]]:
    """A screening or Form B as the screening app stores it: band, items ticked with evidence, reasons."""
    rows: list[tuple[str, str]] = []
    if getattr(source, "submitted_at", None):
        rows.append(("Submitted", f"{_when(source.submitted_at)} by {getattr(source, 'submitted_by', '')}"))
    for name, label in (("band", "Outcome"), ("risk_level", "Risk level")):
        display = getattr(source, f"get_{name}_display", None)
        if callable(display) and getattr(source, name, None):
            rows.append((label, display()))
    evidence = getattr(source, "evidence", None) or {}
    for code in getattr(source, "ticked", None) or []:
        rows.append((f"Ticked: {code}", evidence.get(code, "") if isinstance(evidence, dict) else ""))
    for reason in getattr(source, "reasons", None) or []:
        if isinstance(reason, dict):
            rows.append((f"Reason (s.{reason.get('section', '')})", reason.get("text", "")))
    if getattr(source, "analysis", ""):
        rows.append(("Analysis", source.analysis))
    return rows or [("Attachment", str(source))]


def referral_pack_pdf(referral: Referral) -> bytes:
    child = referral.child
    today = timezone.localdate()
    address = child.addresses.filter(to_date__isnull=True).order_by("-from_date").first()
    referrer = referral.referrer
    agency = referral.referring_agency
    sections = [
        (
            "Referral",
            [
                ("Referral number", str(referral.pk)),
                ("Sent", _when(referral.sent_at)),
                ("To", referral.where),
                ("Priority", referral.get_priority_display() if referral.priority else "Not set"),
                ("Status", referral.get_status_display()),
                ("Reason", referral.reason),
            ]
            + ([("Outcome", f"{referral.outcome} ({_when(referral.outcome_at)})")] if referral.outcome else []),
        ),
        (
            "The child",
            [
                ("Name", child.full_name),
                ("Record number", str(child.pk)),
                (
                    "Date of birth",
                    f"{child.date_of_birth:%d/%m/%Y} (age {child.age_on(today)})" if child.date_of_birth else "Not known",
                ),
                ("Gender", child.get_gender_display()),
                ("Ethnicity", child.ethnicity or "Not recorded"),
                ("Address", f"{address.line} {address.postcode}".strip() if address else "Not recorded"),
                ("School or college", child.school or "Not recorded"),
                ("Looked after", ("Yes" if child.looked_after else "No") + (f" - {child.placement}" if child.placement else "")),
                ("Disabilities", child.disabilities or "None recorded"),
                ("NHS number", child.nhs_number or "Not recorded"),
                ("Police reference", child.police_reference or "Not recorded"),
            ],
        ),
        source_section(referral),
        (
            f"Chronology extract (latest {CHRONOLOGY_EXTRACT})",
            [
                (f"{_when(item.occurred_at)} - {item.get_kind_display()} - {item.agency or ''}", item.summary)
                for item in child.chronology.select_related("agency").order_by("-occurred_at", "-id")[:CHRONOLOGY_EXTRACT]
            ]
            or [("Chronology", "Nothing recorded yet")],
        ),
        (
            "Referrer",
            [
                ("Name", referrer.get_full_name() or referrer.username),
                ("Job title", referrer.job_title or "-"),
                ("Agency", str(agency)),
                ("Email", referrer.email or agency.email or "-"),
                ("Telephone", referrer.phone or agency.phone or "-"),
            ],
        ),
    ]
    pdf = documents.document(f"Referral pack {referral.pk}")
    documents.heading(pdf, f"Referral pack: referral {referral.pk}")
    documents.line(pdf, f"OFFICIAL-SENSITIVE. Printed {_when(timezone.now())}. Do not share beyond its purpose.")
    pdf.ln(2)
    documents.sections(pdf, sections)
    return bytes(pdf.output())
