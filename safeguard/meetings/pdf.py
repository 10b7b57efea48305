"""The printable agenda and minutes (fpdf2 with the embedded Unicode font, as the referral pack).
Only attendees and whoever runs the meeting may download them; each download is audited."""

from __future__ import annotations

from django.utils import timezone

from safeguard.platform import pdf as documents

from . import selectors
from .models import Meeting


def _when(moment) -> str:
    if moment is None:
        return "-"
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y, %H:%M}"


def _head(pdf, meeting: Meeting, title: str) -> None:
    documents.heading(pdf, title)
    documents.line(pdf, f"{meeting.get_kind_display()} — {_when(meeting.starts_at)} to "
                        f"{timezone.localtime(meeting.ends_at):%H:%M}", size=11)
    documents.line(pdf, f"Where: {meeting.place or '-'}   Joining: {meeting.call_details or '-'}")
    documents.line(pdf, "Restricted: for the people at this meeting only. Do not copy or forward.")
    pdf.ln(3)


def agenda_pdf(meeting: Meeting) -> bytes:
    pdf = documents.document(f"Agenda: {meeting.title}")
    _head(pdf, meeting, f"Agenda: {meeting.title}")
    agenda = meeting.agenda or {}
    sections = [("Children", [(f"{c.child.full_name} (record {c.child_id})", c.agenda_reason or "-")
                              for c in selectors.meeting_children(meeting)])]
    if meeting.kind == "panel":
        for key, label in (("victims", "V — Victims"), ("offenders", "O — Offenders"),
                           ("locations", "L — Locations"), ("trends", "T — Trends")):
            if key not in agenda or agenda[key] is None:
                continue
            rows = []
            for item in agenda[key]:
                title = item.get("name") or item.get("title") or ""
                if item.get("child_id"):
                    title = f"{title} (record {item['child_id']}) — {item.get('risk', '')}"
                evidence = item.get("evidence", [])
                rows.append((title, "; ".join(e["summary"] if isinstance(e, dict) else str(e) for e in evidence) or "-"))
            sections.append((label, rows or [("Nothing new", "-")]))
    elif meeting.kind == "rmg":
        sections.append(("Co-missing", [(t["title"], "; ".join(t["evidence"])) for t in agenda.get("trends", [])]
                         or [("Nothing found", "-")]))
    documents.sections(pdf, sections)
    return bytes(pdf.output())


def minutes_pdf(meeting: Meeting) -> bytes:
    page = selectors.meeting_page(meeting)
    pdf = documents.document(f"Minutes: {meeting.title}")
    _head(pdf, meeting, f"Minutes: {meeting.title}")
    sections = [
        ("Children", [(f"{c.child.full_name}", f"record {c.child_id}") for c in page.children] or [("None", "-")]),
        ("Attendance", [(f"{i.user} ({i.agency})", i.get_attendance_display()) for i in page.invitations]),
        ("Reports", [(str(r.agency), f"{r.get_status_display()}" + (f", {_when(r.submitted_at)}" if r.submitted_at else ""))
                     for r in page.reports] or [("None asked for", "-")]),
        ("Minutes", [(f"Recorded by {meeting.minutes_by or '-'} on {_when(meeting.minutes_at)}", meeting.minutes or "Not recorded yet")]),
        ("Decisions (signed)", [
            (f"{d.decision}" + (f" — record {d.child_id}" if d.child_id else ""),
             f"Reasons: {d.reasons}. Signed by {d.signed_by} on {_when(d.signed_at)}."
             + (f" Corrects decision {d.corrects_id}." if d.corrects_id else ""))
            for d in page.decisions] or [("None", "-")]),
        ("Actions", [(a.description, f"{a.owner} ({a.owner_agency}), due {a.due_on:%d %B %Y} — {a.get_status_display()}"
                      + (f": {a.outcome}" if a.outcome else "")) for a in page.actions] or [("None", "-")]),
    ]
    documents.sections(pdf, sections)
    return bytes(pdf.output())
