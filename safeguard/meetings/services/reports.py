"""Agencies' written reports for a meeting (§10.1.8 and equivalents): asked for, written with the
language check, attachments checked for type and size, submitted once and then kept."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from safeguard.access.policy import ChildAccess
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.chronology import record_on_file
from safeguard.children.models import ChronologyItem, Involvement
from safeguard.children.summaries import summary

from .. import selectors
from ..models import AgencyReport, Meeting, ReportAttachment
from ._common import AlreadyDone, check_version, clean, kept, local, refuse_unless, require_accesses

# What an attachment may be: its extension and the bytes such a file starts with.
ATTACHMENT_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".txt": ("text/plain", ()),
}
MAX_ATTACHMENTS = 10


def attachment_problem(upload: UploadedFile) -> tuple[str, str]:
    """(content type, "") for an acceptable file, or ("", what is wrong in plain words)."""
    name = (upload.name or "").lower()
    extension = name[name.rfind("."):] if "." in name else ""
    limit = settings.SAFEGUARD_MEETING_ATTACHMENT_MAX_MB
    if extension not in ATTACHMENT_TYPES:
        return "", "The file must be a PDF, a Word or OpenDocument file, a plain text file, or a PNG or JPEG image"
    if upload.size is None or upload.size > limit * 1024 * 1024:
        return "", f"The file must be smaller than {limit} MB"
    if upload.size == 0:
        return "", "The file is empty"
    content_type, signatures = ATTACHMENT_TYPES[extension]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if signatures and not any(head.startswith(sig) for sig in signatures):
        return "", f"The file is not really a {extension[1:].upper()} file"
    if not signatures:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            return "", "A plain text file must be readable text"
    return content_type, ""


def _locked(report: AgencyReport) -> AgencyReport:
    return AgencyReport.objects.select_for_update(of=("self",)).select_related("meeting", "agency").get(pk=report.pk)


@transaction.atomic
def report_request(*, actor, meeting: Meeting, agency) -> AgencyReport:
    """Ask an agency for a written report (once per agency)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    refuse_unless(selectors.may_manage(actor, meeting), "Only whoever runs this meeting can ask for reports")
    if meeting.status != Meeting.Status.SCHEDULED:
        raise AlreadyDone("Reports can only be asked for before the meeting is held.")
    report, created = AgencyReport.objects.get_or_create(
        meeting=meeting, agency=agency, defaults={"requested_by": actor, "requested_at": timezone.now()}
    )
    if created:
        audit_record(verb=Verb.MEETING_REPORT_REQUESTED, actor=actor, target=report,
                     payload={"meeting_id": meeting.pk, "agency_id": agency.pk})
    return report


@transaction.atomic
def report_save(
    *,
    actor,
    report: AgencyReport,
    text: str,
    version: int,
    attachments: Sequence[UploadedFile] = (),
    submit: bool = False,
    accesses: Sequence[ChildAccess] = (),
    language_flags_kept: Mapping[str, Sequence[str]] | None = None,
) -> AgencyReport:
    """Save the agency's report (a draft until submitted). Submitting puts it on each child's
    chronology and brings the agency into the child's circle (a meeting brought it in)."""
    report = _locked(report)
    refuse_unless(selectors.may_submit_report(actor, report), "Only the agency asked can write this report")
    if report.status == AgencyReport.Status.SUBMITTED:
        when = local(report.submitted_at) if report.submitted_at else ""
        raise AlreadyDone(f"This report was submitted by {report.submitted_by} on {when}.")
    if report.meeting.status == Meeting.Status.CANCELLED:
        raise AlreadyDone("This meeting was cancelled.")
    check_version(report, version)
    text = clean(text)
    if submit and not text:
        raise ValidationError({"text": "Write the report before submitting it"})
    if report.attachments.count() + len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError({"attachment": f"A report can have at most {MAX_ATTACHMENTS} attachments"})
    checked = []
    for upload in attachments:
        content_type, problem = attachment_problem(upload)
        if problem:
            raise ValidationError({"attachment": problem})
        checked.append((upload, content_type))
    by_child = require_accesses(report.meeting, accesses, selectors.meeting_child_ids(report.meeting)) if submit else {}
    now = timezone.now()
    for upload, content_type in checked:
        ReportAttachment.objects.create(
            report=report, file=upload, name=(upload.name or "attachment")[:200], content_type=content_type,
            size=upload.size or 0, uploaded_by=actor, uploaded_at=now,
        )
    report.text = text
    report.language_flags_kept = kept(language_flags_kept)
    report.version += 1
    if submit:
        report.status = AgencyReport.Status.SUBMITTED
        report.submitted_by, report.submitted_at = actor, now
    report.save()
    meeting = report.meeting
    if not submit:
        audit_record(verb=Verb.MEETING_REPORT_SUBMITTED, actor=actor, target=report,
                     payload={"draft": True, "attachments": len(checked)})
        return report
    for access in by_child.values():
        record_on_file(
            access, kind=ChronologyItem.Kind.MEETING,
            summary=summary("meetings.report", agency=report.agency, kind=meeting.get_kind_display().lower(),
                            when=local(meeting.starts_at)),
            verb=Verb.MEETING_REPORT_SUBMITTED, source=report, language_kept=language_flags_kept,
            involvement_reason=Involvement.Reason.MEETING, payload={"meeting_id": meeting.pk},
        )
    if not by_child:
        audit_record(verb=Verb.MEETING_REPORT_SUBMITTED, actor=actor, target=report)
    return report
