"""The Risk Management Group review list (§14) and the police inbox (§14.1)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguard.access.policy import (
    child_for_user,
    children_viewed_record,
    children_visible_to,
    session_key,
    works_with_children,
)
from safeguard.accounts.models import Role
from safeguard.accounts.step_up import step_up_response
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.platform.replica import reads_from_replica
from safeguard.platform.rules_settings import rules_params

from .. import selectors, services
from ..forms import ReviewPeriodForm
from ..models import PoliceSubmission
from ..pdf import snapshot_pdf
from ._common import _pdf_response, _photo_bytes

# -- the Risk Management Group review list (§14) ---------------------------------------------------

_CSV_RISKY_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_CSV_RISKY_START) else text


REVIEW_PAGE = 50  # children on one page of the review list


@login_required
@reads_from_replica  # a list for a monthly meeting: seconds of lag do no harm
def review(request):
    if not (works_with_children(request.user) and request.user.has_role(*selectors.REVIEW_ROLES)):
        raise Http404("No such page")
    params = rules_params()
    form = ReviewPeriodForm(request.GET or None)
    days = params.rmg_period_days
    if form.is_bound and form.is_valid() and form.cleaned_data.get("days"):
        days = form.cleaned_data["days"]
    now = timezone.now()
    visible = children_visible_to(request.user, session_key=session_key(request))
    entries = selectors.review_entries(request.user, now=now, period_days=days, children=visible)
    if request.GET.get("format") == "csv":
        if stepped := step_up_response(request):
            return stepped
        rows = selectors.review_rows(entries, now=now, flag_at=params.rmg_flag_episodes, children=visible)
        children_viewed_record(request, [row.child.pk for row in rows])
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
    # The page shows REVIEW_PAGE children at a time (the CSV has them all): only those are read and audited.
    page = Paginator(entries, REVIEW_PAGE).get_page(request.GET.get("page"))
    rows = selectors.review_rows(list(page.object_list), now=now, flag_at=params.rmg_flag_episodes, children=visible)
    children_viewed_record(request, [row.child.pk for row in rows])
    return render(
        request,
        "missing/review.html",
        {"form": form, "rows": rows, "page": page, "total": len(entries), "days": days,
         "flag_at": params.rmg_flag_episodes, "limit": selectors.REVIEW_LIMIT, "query_string": f"days={days}"},
    )


# -- the police inbox ------------------------------------------------------------------------------


def _require_police(request) -> None:
    if not (request.user.has_role(Role.POLICE_LEAD) and works_with_children(request.user)):
        raise Http404("No such page")


@login_required
def police_inbox(request):
    _require_police(request)
    submissions = list(selectors.police_inbox(request.user)[:200])
    children_viewed_record(request, [s.child_id for s in submissions])
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
