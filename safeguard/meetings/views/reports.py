"""An agency's written report for a meeting, and its attachments (§10.1.8 and equivalents)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from .. import selectors, services
from ..forms import ReportForm
from ..models import AgencyReport
from ._common import accesses_for, audit_meeting_view, meeting_for, posted, service_call


@login_required
def report(request, meeting_id: int, report_id: int):
    """Read a report (anyone who may see the meeting); the asked agency writes and submits it here."""
    meeting = meeting_for(request, meeting_id)
    record = selectors.report_for(meeting, report_id)
    writer = selectors.may_submit_report(request.user, record) and record.status == AgencyReport.Status.REQUESTED
    form = ReportForm(posted(request) if writer else None, request.FILES if writer and request.method == "POST" else None,
                      initial={"text": record.text, "version": record.version})
    if request.method == "POST":
        if not writer:
            raise Http404("No such page")
        if form.is_valid():
            submit = "submit" in request.POST
            upload = form.cleaned_data.get("attachment")
            done = service_call(form, lambda: services.report_save(
                actor=request.user, report=record, text=form.cleaned_data["text"], version=form.cleaned_data["version"],
                attachments=[upload] if upload else [], submit=submit,
                accesses=accesses_for(request, meeting) if submit else [],
                language_flags_kept=form.language_flags_kept))
            if done is not None:
                messages.success(request, "Your report has been submitted." if submit else "Your draft has been saved.")
                return redirect("meetings:report", meeting_id=meeting.pk, report_id=record.pk)
    else:
        audit_meeting_view(request, meeting, f"report {record.pk}")
    return render(request, "meetings/report.html", {
        "meeting": meeting, "report": record, "form": form if writer else None,
        "attachments": list(record.attachments.all()[:20]),
    })


@login_required
def attachment(request, meeting_id: int, report_id: int, attachment_id: int):
    meeting = meeting_for(request, meeting_id)
    record = selectors.report_for(meeting, report_id)
    found = record.attachments.filter(pk=attachment_id).first()
    if found is None:
        raise Http404("No such file")
    audit_meeting_view(request, meeting, f"attachment {found.pk} of report {record.pk}")
    try:
        handle = found.file.open("rb")
    except OSError:
        raise Http404("No such file") from None
    return FileResponse(handle, as_attachment=True, filename=found.name, content_type=found.content_type)
