"""Pages for referrals: send, the receiving team's queue, the referral page and its steps, the pack."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from safeguard.access.policy import child_for_user, child_id_of, children_viewed_record
from safeguard.accounts.models import Role
from safeguard.ui.forms import add_service_errors

from .. import selectors, services
from ..forms import AcceptForm, DeclineForm, OutcomeForm, ReceiveForm, ReferralForm
from ..models import QUEUE_TITLES, Assessment, Destination, Priority, Status
from ..services._common import ACTION_DESTINATION
from ..timescales import referral_timescale_days
from ._common import posted as _posted
from ._common import require_child_worker as _require_child_worker

QUEUE_PAGE = 50  # referrals on one page of a team's queue

# -- referrals ------------------------------------------------------------------------------------


def _source_from_query(request, child):
    raw = request.GET.get("assessment") or request.POST.get("assessment")
    if not raw:
        return None
    source, _access = selectors.assessment_for_user(request.user, raw, request=request)
    if source.child_id != child.pk:
        raise Http404("No such assessment")
    return source


@login_required
def referral_add(request, child_id: int):
    access = child_for_user(request.user, child_id, request=request, change=True)
    child = access.child
    source = _source_from_query(request, child)
    initial = {"priority": services.referral_priority_for(source)}
    destination = request.GET.get("destination", "")
    if destination in Destination.values:
        initial["destination"] = destination
    if source is not None:
        code = next((c for c, d in ACTION_DESTINATION.items() if d == destination), None)
        reasons = [a["reason"] for a in source.actions if a["code"] == code] if code else []
        initial["reason"] = " ".join(reasons)
    form = ReferralForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            referral = services.referral_open(
                access=access,
                destination=c["destination"],
                reason=c["reason"],
                source=source,
                destination_agency=c.get("destination_agency"),
                destination_other=c.get("destination_other", ""),
                priority=c["priority"],
                language_kept=form.language_flags_kept,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Referral {referral.pk} has been sent to {referral.where}.")
            return redirect("referrals:detail", referral_id=referral.pk)
    return render(request, "referrals/referral_form.html", {"form": form, "child": child, "source": source})


@login_required
def queue(request):
    _require_child_worker(request)
    now = timezone.now()
    queues = []
    for destination in selectors.queue_destinations(request.user):
        # Each queue pages on its own (?csc_page=2): a page reads its rows only (issue 15).
        page_key = f"{destination}_page"
        page = Paginator(selectors.referral_queue(request.user, destination=destination), QUEUE_PAGE).get_page(
            request.GET.get(page_key)
        )
        if page.paginator.count or destination != Destination.OTHER:
            others = urlencode({k: v for k, v in request.GET.items() if k != page_key and k.endswith("_page")})
            queues.append({
                "destination": destination,
                "title": QUEUE_TITLES[destination],
                "page": page, "page_key": page_key, "query_string": others, "total": page.paginator.count,
                "rows": [{"referral": r, "overdue": r.due_at is not None and r.due_at < now} for r in page],
            })
    sent = list(selectors.referrals_sent_by_agency(request.user))
    # The queues and the sent list name children: one audited read naming them all (issue 11 item 2).
    children_viewed_record(request, [child_id_of(row["referral"]) for q in queues for row in q["rows"]]
                           + [child_id_of(r) for r in sent])
    return render(
        request,
        "referrals/queue.html",
        {
            "queues": queues,
            "sent": sent,
            "timescales": [(p.value, p.label, referral_timescale_days(p.value)) for p in Priority],
        },
    )


def _source_link(referral) -> str:
    """The page of what travelled with the referral (its own page checks access again)."""
    source = referral.source
    get_url = getattr(source, "get_absolute_url", None)
    return get_url() if callable(get_url) else ""


def _detail_context(request, referral, **forms_) -> dict:
    actions = selectors.referral_actions_for(request.user, referral)
    context = {
        "referral": referral,
        "child": referral.child,
        "events": referral.events.select_related("actor", "agency"),
        "source": referral.source,
        "source_url": _source_link(referral),
        "is_assessment": isinstance(referral.source, Assessment),
        "receiving": actions.receiving,
        "can_receive": actions.can_receive,
        "can_decide": actions.can_decide,
        "can_record_outcome": actions.can_record_outcome,
        "receive_form": forms_.get("receive_form") or ReceiveForm(initial={"priority": referral.priority}),
        "accept_form": forms_.get("accept_form") or AcceptForm(),
        "decline_form": forms_.get("decline_form") or DeclineForm(),
        "outcome_form": forms_.get("outcome_form") or OutcomeForm(initial={"outcome_on": timezone.localdate()}),
        "overdue": referral.is_open and referral.due_at is not None and referral.due_at < timezone.now(),
        # A referral to the risk panel is accepted by opening the child's case there (§13): the chair's
        # task lands here, so the page sends them to the panel's own accept and decline.
        "panel_chair_decides": referral.destination == Destination.MARP
        and referral.status in (Status.SENT, Status.RECEIVED) and request.user.has_role(Role.MARP_CHAIR),
    }
    return context


@login_required
def detail(request, referral_id: int):
    referral, _access = selectors.referral_for_user(request.user, referral_id, request=request, record_view=True)
    return render(request, "referrals/detail.html", _detail_context(request, referral))


def _referral_step(request, referral_id: int, form_class, form_key: str, call, success: str):
    referral, access = selectors.referral_for_user(request.user, referral_id, request=request, change=True)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(access, referral, form)
        except PermissionDenied:
            raise Http404("No such page") from None
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("referrals:detail", referral_id=referral.pk)
    return render(request, "referrals/detail.html", _detail_context(request, referral, **{form_key: form}))


@require_POST
@login_required
def receive(request, referral_id: int):
    return _referral_step(
        request, referral_id, ReceiveForm, "receive_form",
        lambda a, r, f: services.referral_receive(
            access=a, referral=r, priority=f.cleaned_data["priority"], note=f.cleaned_data["note"]
        ),
        "The referral is marked as received.",
    )


@require_POST
@login_required
def accept(request, referral_id: int):
    return _referral_step(
        request, referral_id, AcceptForm, "accept_form",
        lambda a, r, f: services.referral_accept(access=a, referral=r, note=f.cleaned_data["note"]),
        "The referral is accepted. Record its outcome when it is known.",
    )


@require_POST
@login_required
def decline(request, referral_id: int):
    return _referral_step(
        request, referral_id, DeclineForm, "decline_form",
        lambda a, r, f: services.referral_decline(access=a, referral=r, reason=f.cleaned_data["reason"]),
        "The referral is declined. The referrer has been told.",
    )


@require_POST
@login_required
def outcome(request, referral_id: int):
    def call(access, referral, form):
        day = form.cleaned_data["outcome_on"]
        moment = timezone.now() if day == timezone.localdate() else timezone.make_aware(datetime.combine(day, time(12)))
        services.referral_record_outcome(
            access=access, referral=referral, outcome=form.cleaned_data["outcome"], outcome_at=moment
        )

    return _referral_step(
        request, referral_id, OutcomeForm, "outcome_form", call, "The outcome is recorded. The referrer has been told."
    )


@login_required
def pack(request, referral_id: int):
    referral, access = selectors.referral_for_user(request.user, referral_id, request=request)
    content = services.referral_pack_export(access=access, referral=referral)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="referral-{referral.pk}.pdf"'
    return response


