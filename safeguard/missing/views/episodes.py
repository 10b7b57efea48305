"""A child's missing episodes and their return interviews (§14, §14.1)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.platform.versioning import StaleEdit, stale_context
from safeguard.rules.interviewer import interviewer_independence
from safeguard.ui.forms import add_service_errors

from .. import selectors, services
from ..forms import (
    ArrangeForm,
    ClassifyForm,
    OutcomeForm,
    ReportForm,
    ReturnCorrectionForm,
    ReturnForm,
)
from ..models import Profile, ReturnInterview, Visitor
from ..pdf import snapshot_pdf
from ._common import _child, _episode, _form_page, _interview, _pdf_response, _picked, _picker_search, _posted

# -- a child's episodes ----------------------------------------------------------------------------


@login_required
def child_missing(request, child_id: int):
    access = _child(request, child_id, record_view=True)
    child = access.child
    return render(
        request,
        "missing/child.html",
        {
            "child": child,
            "access": access,
            "episodes": list(selectors.episodes_for_child(child)),
            "visitors": list(Visitor.objects.filter(child=child).select_related("agency")[:20]),
            "profile": Profile.objects.filter(child=child).select_related("updated_by").first(),
            "now": timezone.now(),
        },
    )


@login_required
def report(request, child_id: int):
    access = _child(request, child_id, change=True)
    child = access.child
    initial = {"placement": child.placement, "missing_from": "care" if child.looked_after else None}
    form = ReportForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            episode = services.episode_report(
                access=access, report=form.report(),
                send_profile=form.cleaned_data["send_profile"],
                language_flags_kept=form.language_flags_kept,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            sent = " The profile has been sent to the police inbox." if form.cleaned_data["send_profile"] else ""
            messages.success(request, "The episode has been recorded." + sent)
            return redirect("missing:episode", child_id=child.pk, episode_id=episode.pk)
    return render(request, "missing/report_form.html", {"form": form, "child": child})


@login_required
def episode(request, child_id: int, episode_id: int):
    access = _child(request, child_id, record_view=True)
    record = _episode(access, episode_id)
    interview = getattr(record, "interview", None) if record.returned_at else None
    return render(
        request,
        "missing/episode.html",
        {
            "child": access.child,
            "episode": record,
            "interview": interview,
            "changes": list(record.classification_changes.all()),
            "corrections": [(c, services.correction_rows(c))
                            for c in record.return_corrections.select_related("corrected_by", "agency")],
            "co_missing": selectors.co_missing_for(record, access),
            "submissions": list(record.police_submissions.select_related("sent_by", "recipient_agency")),
            "now": timezone.now(),
        },
    )


@login_required
def classify(request, child_id: int, episode_id: int):
    access = _child(request, child_id, change=True)
    record = _episode(access, episode_id)
    form = ClassifyForm(_posted(request), initial={"classification": record.classification, "version": record.version})
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_classify(
                access=access, episode=record, classification=form.cleaned_data["classification"],
                reason=form.cleaned_data["reason"], version=form.opened_version,
            )
        except StaleEdit as error:
            stale = stale_context(form, error)["stale"]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The classification has been changed.")
            return redirect("missing:episode", child_id=access.child.pk, episode_id=record.pk)
    return _form_page(
        request, form=form, child=access.child, title="Change the classification", button="Change the classification",
        intro=f"This episode is classed as {record.get_classification_display().lower()}. Every change is kept "
        "with who made it, when and why (handbook §14).",
        back=reverse("missing:episode", kwargs={"child_id": access.child.pk, "episode_id": record.pk}), stale=stale,
    )


@login_required
def return_record(request, child_id: int, episode_id: int):
    access = _child(request, child_id, change=True)
    record = _episode(access, episode_id)
    back = reverse("missing:episode", kwargs={"child_id": access.child.pk, "episode_id": record.pk})
    if record.returned_at is not None:
        messages.info(request, "The return has already been recorded.")
        return redirect(back)
    form = ReturnForm(_posted(request))
    linked = _picked(request, "linked")
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_return_record(
                access=access, episode=record, details=form.details(),
                language_flags_kept=form.language_flags_kept, linked=linked,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The return has been recorded. See below whether a return interview is required.")
            return redirect("missing:interview", child_id=access.child.pk, episode_id=record.pk)
    query, results = _picker_search(request, "linked")
    return render(request, "missing/return_form.html", {
        "form": form, "child": access.child, "back": back, "linked": linked, "picker_results": results,
        "picker_query": query,
    })


@login_required
def return_correct(request, child_id: int, episode_id: int):
    """Correct a recorded return: the details as recorded, changed, with why (issue 10)."""
    access = _child(request, child_id, change=True)
    record = _episode(access, episode_id)
    back = reverse("missing:episode", kwargs={"child_id": access.child.pk, "episode_id": record.pk})
    if record.returned_at is None:
        messages.info(request, "The return has not been recorded yet.")
        return redirect(back)
    form = ReturnCorrectionForm(_posted(request), initial=ReturnCorrectionForm.initial_for(record))
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_return_correct(
                access=access, episode=record, details=form.details(), reason=form.cleaned_data["reason"],
                seen_corrections=form.cleaned_data["seen_corrections"], language_flags_kept=form.language_flags_kept,
            )
        except services.ReturnChanged as changed:
            form.add_error(None, str(changed))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The return has been corrected. The correction is kept with your reason.")
            return redirect(back)
    return _form_page(
        request, form=form, child=access.child, title="Correct the return", button="Save the correction",
        intro="Change what was recorded wrongly or is now known better. The details as first recorded, who "
        "corrected them, when and why are all kept (handbook §10.5.7).", back=back,
    )


# -- return interviews -----------------------------------------------------------------------------


@login_required
def interview(request, child_id: int, episode_id: int):
    access = _child(request, child_id, record_view=True)
    record = _episode(access, episode_id)
    found = _interview(record)
    user = request.user
    return render(
        request,
        "missing/interview.html",
        {
            "child": access.child,
            "episode": record,
            "interview": found,
            "submissions": list(found.police_submissions.select_related("sent_by", "recipient_agency")),
            "independent": interviewer_independence(
                interviewer_agency=user.agency_id, reporting_agency=record.agency_id
            ).independent,
            "overdue": found.status == ReturnInterview.Status.PENDING and found.due_at < timezone.now(),
        },
    )


@login_required
def interview_arrange(request, child_id: int, episode_id: int):
    access = _child(request, child_id, change=True)
    record = _episode(access, episode_id)
    found = _interview(record)
    back = reverse("missing:interview", kwargs={"child_id": access.child.pk, "episode_id": record.pk})
    form = ArrangeForm(_posted(request), episode=record)
    if request.method == "POST" and form.is_valid():
        try:
            services.interview_arrange(
                access=access, interview=found, interviewer=form.cleaned_data["interviewer"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The interviewer has been asked to do the interview.")
            return redirect(back)
    return _form_page(request, form=form, child=access.child, title="Arrange the return interview",
                      button="Ask them to do the interview", back=back)


@login_required
def interview_outcome(request, child_id: int, episode_id: int):
    access = _child(request, child_id, change=True)
    record = _episode(access, episode_id)
    found = _interview(record)
    back = reverse("missing:interview", kwargs={"child_id": access.child.pk, "episode_id": record.pk})
    if found.status != ReturnInterview.Status.PENDING:
        messages.info(request, "What happened to the interview has already been recorded.")
        return redirect(back)
    form = OutcomeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.interview_outcome_record(
                access=access, interview=found, result=form.result(),
                language_flags_kept=form.language_flags_kept,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "What happened has been recorded. Now send it to the police.")
            return redirect(back)
    return _form_page(
        request, form=form, child=access.child, title="Record the return interview", button="Record it",
        intro="Only someone independent of the child's placement can record a completed interview: not the "
        "agency that reported the episode (handbook §14.1).",
        back=back,
    )


@require_POST
@login_required
def interview_send(request, child_id: int, episode_id: int):
    access = _child(request, child_id, change=True)
    record = _episode(access, episode_id)
    found = _interview(record)
    try:
        submission = services.interview_send_to_police(access=access, interview=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Sent to {submission.recipient} at {timezone.localtime(submission.sent_at):%H:%M}.")
    return redirect("missing:interview", child_id=access.child.pk, episode_id=record.pk)


@login_required
def interview_pdf(request, child_id: int, episode_id: int):
    access = _child(request, child_id)
    record = _episode(access, episode_id)
    found = _interview(record)
    if found.status == ReturnInterview.Status.PENDING:
        raise Http404("Nothing to print yet")
    with transaction.atomic():
        audit_record(verb=Verb.EXPORTED, actor=request.user, target=found, child_id=access.child.pk,
                     payload={"what": "return_interview_pdf"})
    pdf = snapshot_pdf(services.interview_snapshot(found))
    return _pdf_response(pdf, f"return-interview-{found.pk}.pdf")
