"""The iCalendar (RFC 5545) entry an invitation carries: time, place and a link, never a child's
name. One UID for the meeting's life; SEQUENCE goes up with every change, so the invitee's calendar
replaces the entry; a cancellation is METHOD:CANCEL with STATUS:CANCELLED. Written here (a few
lines of text) rather than with a library."""

from __future__ import annotations

from datetime import UTC, datetime

PRODID = "-//Safeguard//Meetings//EN"


def _escape(text: str) -> str:
    return (
        str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545 §3.1)."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def ics_event(
    *, uid: str, sequence: int, summary: str, starts_at: datetime, ends_at: datetime, location: str,
    description: str, url: str, organiser_email: str, stamp: datetime, cancelled: bool = False,
) -> str:
    """One VEVENT in a VCALENDAR, as text with CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if cancelled else 'REQUEST'}",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"SEQUENCE:{sequence}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(starts_at)}",
        f"DTEND:{_utc(ends_at)}",
        f"SUMMARY:{_escape(summary)}",
        f"LOCATION:{_escape(location)}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{url}",
        f"ORGANIZER:mailto:{organiser_email}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
