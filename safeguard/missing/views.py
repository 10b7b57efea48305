"""Pages for missing episodes, return interviews, the review list, the profile and the police inbox.
Each view checks access through safeguard.access.policy and makes one domain call."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguard.access.policy import child_for_user, session_key, works_with_children
from safeguard.accounts.models import Role
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.core.rules_settings import rules_params
from safeguard.ui.forms import add_service_errors

from . import selectors, services
from .forms import (
    ArrangeForm,
    ClassifyForm,
    OutcomeForm,
    ProfileForm,
    ReportForm,
    ReturnForm,
    ReviewPeriodForm,
    VisitorForm,
)
from .models import Episode, PoliceSubmission, Profile, ProfilePhoto, ReturnInterview, Visitor
from .pdf import snapshot_pdf


def _session_key(request) -> str:
    return session_key(request, create=True)


def _posted(request):
    return request.POST if request.method == "POST" else None


def _child(request, child_id: int, *, change: bool = False, record_view: bool = False):
    """The child, or 404; a merged-away record is not written to (the services refuse it too)."""
    if not works_with_children(request.user):
        raise Http404("No such page")
    access = child_for_user(request.user, child_id, request=request, change=change, record_view=record_view)
    if change and access.child.merged_into_id:
        raise Http404("No such record")
    return access


def _episode(access, episode_id: int) -> Episode:
    try:
        return selectors.episode_for_child(access.child, episode_id)
    except Episode.DoesNotExist:
        raise Http404("No such episode") from None


def _interview(episode: Episode) -> ReturnInterview:
    try:
        return episode.interview
    except ReturnInterview.DoesNotExist:
        raise Http404("No interview yet") from None


def _form_page(request, *, form, child, title: str, button: str, intro: str = "", back: str = "",
               caption: str = "", multipart: bool = False):
    return render(
        request,
        "missing/form.html",
        {"form": form, "child": child, "title": title, "button": button, "intro": intro,
         "back": back or reverse("missing:child", kwargs={"child_id": child.pk}), "caption": caption,
         "multipart": multipart},
    )


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
                actor=request.user, child=child, report=form.report(),
                send_profile=form.cleaned_data["send_profile"],
                language_flags_kept=form.language_flags_kept, session_key=_session_key(request),
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
            "co_missing": selectors.co_missing_for(record, request.user, session_key=_session_key(request)),
            "submissions": list(record.police_submissions.select_related("sent_by", "recipient_agency")),
            "now": timezone.now(),
        },
    )


@login_required
def classify(request, child_id: int, episode_id: int):
    access = _child(request, child_id, change=True)
    record = _episode(access, episode_id)
    form = ClassifyForm(_posted(request), initial={"classification": record.classification})
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_classify(
                actor=request.user, episode=record, classification=form.cleaned_data["classification"],
                reason=form.cleaned_data["reason"], session_key=_session_key(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The classification has been changed.")
            return redirect("missing:episode", child_id=access.child.pk, episode_id=record.pk)
    return _form_page(
        request, form=form, child=access.child, title="Change the classification", button="Change the classification",
        intro=f"This episode is classed as {record.get_classification_display().lower()}. Every change is kept "
        "with who made it, when and why (handbook §14).",
        back=reverse("missing:episode", kwargs={"child_id": access.child.pk, "episode_id": record.pk}),
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
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_return_record(
                actor=request.user, episode=record, details=form.details(),
                language_flags_kept=form.language_flags_kept, session_key=_session_key(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The return has been recorded. See below whether a return interview is required.")
            return redirect("missing:interview", child_id=access.child.pk, episode_id=record.pk)
    return _form_page(
        request, form=form, child=access.child, title="Record the child's return", button="Record the return",
        intro="Welcome the child back, offer food and drink and a chance to talk. Record their appearance and "
        "anything they say, and keep clothing for the police (handbook §10.5.7). What you record here decides "
        "whether a return interview is required (handbook §14.1).",
        back=back,
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
            "independent": bool(user.agency_id) and user.agency_id != record.agency_id,
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
                actor=request.user, interview=found, interviewer=form.cleaned_data["interviewer"],
                session_key=_session_key(request),
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
                actor=request.user, interview=found, result=form.result(),
                language_flags_kept=form.language_flags_kept, session_key=_session_key(request),
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
        submission = services.interview_send_to_police(
            actor=request.user, interview=found, session_key=_session_key(request)
        )
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


# -- the profile for the police --------------------------------------------------------------------


def _photo_bytes(photo_id) -> bytes | None:
    photo = ProfilePhoto.objects.filter(pk=photo_id).first() if photo_id else None
    if photo is None:
        return None
    try:
        with photo.file.open("rb") as handle:
            return handle.read()
    except OSError:
        return None


@login_required
def profile(request, child_id: int):
    access = _child(request, child_id, record_view=True)
    child = access.child
    open_episode = Episode.objects.filter(child=child, returned_at__isnull=True).order_by("-last_seen_at").first()
    found = Profile.objects.select_related("updated_by", "photo").filter(child=child).first()
    return render(
        request,
        "missing/profile.html",
        {"child": child, "profile": found, "open_episode": open_episode,
         "snapshot": services.profile_snapshot(child, open_episode)},
    )


@login_required
def profile_edit(request, child_id: int):
    access = _child(request, child_id, change=True)
    child = access.child
    found = Profile.objects.filter(child=child).first()
    initial = {name: getattr(found, name) for name in services.PROFILE_FIELDS} if found else {}
    form = ProfileForm(_posted(request), request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(
                actor=request.user, child=child, data=form.data_for_service(), photo=form.cleaned_data["photo"],
                session_key=_session_key(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The profile has been saved.")
            return redirect("missing:profile", child_id=child.pk)
    return _form_page(
        request, form=form, child=child, title="Profile for the police", button="Save the profile",
        intro="Keep this current, so that it can be printed or sent to the police the moment the child is "
        "reported missing.", back=reverse("missing:profile", kwargs={"child_id": child.pk}), multipart=True,
    )


@login_required
def profile_photo(request, child_id: int, photo_id: int):
    """The photo, only to someone who may see the child; never a public media URL."""
    access = _child(request, child_id)
    photo = get_object_or_404(ProfilePhoto, pk=photo_id, child=access.child)
    try:
        handle = photo.file.open("rb")
    except OSError:
        raise Http404("No such photo") from None
    response = FileResponse(handle, content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    return response


@require_POST
@login_required
def profile_send(request, child_id: int):
    access = _child(request, child_id, change=True)
    try:
        submission = services.profile_send_to_police(
            actor=request.user, child=access.child, session_key=_session_key(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The profile has been sent to {submission.recipient}.")
    return redirect("missing:profile", child_id=access.child.pk)


@login_required
def profile_pdf(request, child_id: int):
    access = _child(request, child_id)
    child = access.child
    open_episode = Episode.objects.filter(child=child, returned_at__isnull=True).order_by("-last_seen_at").first()
    snapshot = services.profile_snapshot(child, open_episode)
    with transaction.atomic():
        audit_record(verb=Verb.EXPORTED, actor=request.user, target=child, child_id=child.pk,
                     payload={"what": "missing_profile_pdf"})
    return _pdf_response(snapshot_pdf(snapshot, photo=_photo_bytes(snapshot.get("photo_id"))),
                         f"profile-{child.pk}.pdf")


# -- callers and visitors ---------------------------------------------------------------------------


@login_required
def visitor_add(request, child_id: int):
    access = _child(request, child_id, change=True)
    form = VisitorForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.visitor_record(
                actor=request.user, child=access.child, details=form.details(), session_key=_session_key(request)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The caller or visitor has been recorded.")
            return redirect("missing:child", child_id=access.child.pk)
    return _form_page(
        request, form=form, child=access.child, title="Record a caller or visitor", button="Record them",
        intro="Record everyone who calls or visits asking for the child. Turn away anyone who seems "
        "inappropriate, tell them the child's age and that the police will be involved, and pass the "
        "details to the police (handbook §10.5.11).",
    )


@login_required
def visitor(request, child_id: int, visitor_id: int):
    access = _child(request, child_id, record_view=True)
    record = get_object_or_404(Visitor.objects.select_related("recorded_by", "agency"), pk=visitor_id,
                               child=access.child)
    return render(request, "missing/visitor.html", {"child": access.child, "visitor": record})


# -- the Risk Management Group review list (§14) ---------------------------------------------------

_CSV_RISKY_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_CSV_RISKY_START) else text


@login_required
def review(request):
    if not (works_with_children(request.user) and request.user.has_role(*selectors.REVIEW_ROLES)):
        raise Http404("No such page")
    params = rules_params()
    form = ReviewPeriodForm(request.GET or None)
    days = params.rmg_period_days
    if form.is_bound and form.is_valid() and form.cleaned_data.get("days"):
        days = form.cleaned_data["days"]
    now = timezone.now()
    rows = selectors.review_list(
        request.user, now=now, period_days=days, flag_at=params.rmg_flag_episodes,
        session_key=request.session.session_key or "",
    )
    if request.GET.get("format") == "csv":
        with transaction.atomic():
            audit_record(verb=Verb.EXPORTED, actor=request.user,
                         payload={"what": "missing_review_csv", "rows": len(rows), "days": days})
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="missing-review-{timezone.localdate():%Y-%m-%d}.csv"'
        writer = csv.writer(response)
        writer.writerow(["Record", "Name", "Date of birth", "Lead agency", f"Episodes in {days} days",
                         "Last episode", "Overdue interviews", "Missing now", "Flagged"])
        for row in rows:
            writer.writerow([
                row.child.pk, _csv_cell(row.child.full_name), row.child.date_of_birth or "",
                _csv_cell(row.child.lead_agency or ""), row.episodes,
                timezone.localtime(row.last_episode_at).strftime("%Y-%m-%d %H:%M"), row.overdue_interviews,
                "yes" if row.missing_now else "no", "yes" if row.flagged else "no",
            ])
        return response
    return render(
        request,
        "missing/review.html",
        {"form": form, "rows": rows, "days": days, "flag_at": params.rmg_flag_episodes,
         "limit": selectors.REVIEW_LIMIT},
    )


# -- the police inbox ------------------------------------------------------------------------------


def _require_police(request) -> None:
    if not (request.user.has_role(Role.POLICE_LEAD) and works_with_children(request.user)):
        raise Http404("No such page")


@login_required
def police_inbox(request):
    _require_police(request)
    submissions = list(selectors.police_inbox(request.user)[:200])
    return render(request, "missing/police_inbox.html", {"submissions": submissions})


def _submission(request, submission_id: int) -> PoliceSubmission:
    _require_police(request)
    try:
        return selectors.police_inbox(request.user).get(pk=submission_id)
    except PoliceSubmission.DoesNotExist:
        raise Http404("No such item") from None


@login_required
def police_submission(request, submission_id: int):
    submission = _submission(request, submission_id)
    child_for_user(request.user, submission.child_id, request=request, record_view=True)
    return render(request, "missing/police_submission.html", {"submission": submission, "child": submission.child})


@login_required
def police_submission_pdf(request, submission_id: int):
    submission = _submission(request, submission_id)
    with transaction.atomic():
        audit_record(verb=Verb.EXPORTED, actor=request.user, target=submission, child_id=submission.child_id,
                     payload={"what": "police_submission_pdf"})
    sent_at = timezone.localtime(submission.sent_at)
    sent = f"Sent {sent_at.day} {sent_at:%B %Y, %H:%M} by {submission.sent_by}, {submission.sending_agency}."
    pdf = snapshot_pdf(submission.snapshot, sent=sent, photo=_photo_bytes(submission.snapshot.get("photo_id")))
    return _pdf_response(pdf, f"{submission.kind.replace('_', '-')}-{submission.pk}.pdf")


@require_POST
@login_required
def police_submission_receive(request, submission_id: int):
    submission = _submission(request, submission_id)
    services.police_submission_receive(actor=request.user, submission=submission)
    messages.success(request, "Marked as received.")
    return redirect("missing:police_submission", submission_id=submission.pk)
