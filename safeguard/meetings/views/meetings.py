"""Meeting pages: convening, the meeting, changes, cancellation, invitations, attendance, minutes,
decisions, the pre-meeting overview (§10, §13, §14)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguard.access.policy import child_for_user, children_visible_for
from safeguard.api.errors import ServiceConflict
from safeguard.children.models import Child
from safeguard.platform.rules_settings import rules_params
from safeguard.platform.versioning import StaleEdit
from safeguard.referrals.models import Referral

from .. import selectors, services
from ..forms import (
    AttendanceForm,
    CancelForm,
    ConveneForm,
    DecisionForm,
    InviteForm,
    MinutesForm,
    WhenAndWhereForm,
)
from ..models import Attendance, Invitation, Kind, Meeting
from ._common import accesses_for, audit_meeting_view, form_page, meeting_for, posted, service_call


@login_required
def index(request):
    user = request.user
    if not selectors.may_convene(user, Kind.STRATEGY):
        raise Http404("No such page")
    now = timezone.now()
    return render(request, "meetings/index.html", {
        "meetings": selectors.upcoming_for(user, now=now),
        "strategy_needed": selectors.referrals_needing_strategy(user),
        "conferences_due": selectors.conferences_due(user),
        "actions": selectors.my_actions(user, limit=selectors.LIST_LIMIT),
        "may_convene_panel": selectors.may_convene(user, Kind.PANEL),
        "may_convene_rmg": selectors.may_convene(user, Kind.RMG),
        "now": now,
    })


@login_required
def child_meetings(request, child_id: int):
    access = child_for_user(request.user, child_id, request=request, record_view=True)
    child = access.child
    return render(request, "meetings/child.html", {
        "child": child,
        "meetings": selectors.meetings_for_child(request.user, child),
        "actions": selectors.actions_for_child(child, open_only=False),
        "panel_case": selectors.panel_case_for_child(child), "today": timezone.localdate(),
    })


def _referral_for(request, access) -> Referral | None:
    referral_id = request.GET.get("referral") or request.POST.get("referral")
    if not referral_id:
        return None
    try:
        return Referral.objects.get(pk=int(referral_id), child=access.child)
    except (Referral.DoesNotExist, ValueError):
        raise Http404("No such referral") from None


def _follows_for(request, access) -> Meeting | None:
    follows_id = request.GET.get("follows") or request.POST.get("follows")
    if not follows_id:
        return None
    try:
        return selectors.meetings_visible_to(request.user).get(pk=int(follows_id), meeting_children__child=access.child)
    except (Meeting.DoesNotExist, ValueError):
        raise Http404("No such meeting") from None


@login_required
def convene(request, child_id: int):
    access = child_for_user(request.user, child_id, request=request, change=True)
    if access.child.merged_into_id:
        raise Http404("No such record")
    referral, follows = _referral_for(request, access), _follows_for(request, access)
    initial = {"kind": Kind.ICPC if follows else Kind.STRATEGY}
    form = ConveneForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        meeting = service_call(form, lambda: services.meeting_convene(
            actor=request.user, details=form.details(form.cleaned_data["kind"]), accesses=[access],
            referral=referral, follows=follows,
        ))
        if meeting is not None:
            messages.success(request, f"The {meeting.get_kind_display().lower()} has been arranged. Invite people below.")
            return redirect("meetings:detail", meeting_id=meeting.pk)
    intro = "Invited people get an email with a calendar entry: the time, the place and a link, never the child's name."
    if referral is not None:
        intro = f"For referral {referral.pk}. " + intro
    return form_page(request, form=form, title="Arrange a meeting", button="Arrange the meeting",
                     caption=f"Record {access.child.pk}: {access.child.full_name}", intro=intro,
                     back=reverse("meetings:child", kwargs={"child_id": access.child.pk}),
                     extra={"hidden": {"referral": referral.pk if referral else "", "follows": follows.pk if follows else ""}})


@login_required
def convene_group(request, kind: str):
    if kind not in (Kind.PANEL, Kind.RMG) or not selectors.may_convene(request.user, kind):
        raise Http404("No such page")
    form = WhenAndWhereForm(posted(request))
    if request.method == "POST" and form.is_valid():
        meeting = service_call(form, lambda: services.meeting_convene(actor=request.user, details=form.details(kind)))
        if meeting is not None:
            messages.success(request, f"The {meeting.get_kind_display()} meeting has been arranged. Build its agenda below.")
            return redirect("meetings:detail", meeting_id=meeting.pk)
    return form_page(request, form=form, title=f"Arrange a {Kind(kind).label} meeting", button="Arrange the meeting",
                     back=reverse("meetings:index"))


@login_required
def detail(request, meeting_id: int):
    meeting = meeting_for(request, meeting_id)
    page = selectors.meeting_page(meeting)
    audit_meeting_view(request, meeting, "meeting")
    manage = selectors.may_manage(request.user, meeting)
    children_ids = {c.child_id for c in page.children}
    visible = set(children_visible_for(request, among=children_ids).values_list("pk", flat=True))
    return render(request, "meetings/detail.html", {
        "meeting": meeting, "page": page, "manage": manage, "visible_children": visible,
        "attendance_choices": Attendance.choices,
        "my_reports": [r for r in page.reports if r.agency_id == request.user.agency_id],
        "is_attendee": any(i.user_id == request.user.pk for i in page.invitations),
        "now": timezone.now(),
    })


@login_required
def change(request, meeting_id: int):
    meeting = meeting_for(request, meeting_id, manage=True)
    local_start, local_end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    form = WhenAndWhereForm(posted(request), initial={
        "day": local_start.date(), "start_time": f"{local_start:%H:%M}", "end_time": f"{local_end:%H:%M}",
        "place": meeting.place, "call_details": meeting.call_details, "version": meeting.version,
    })
    if request.method == "POST" and form.is_valid():
        done = service_call(form, lambda: services.meeting_change(
            actor=request.user, meeting=meeting, details=form.details(meeting.kind), version=form.cleaned_data["version"]))
        if done is not None:
            messages.success(request, "The meeting has been changed and every invitee's calendar entry updated.")
            return redirect("meetings:detail", meeting_id=meeting.pk)
    return form_page(request, form=form, title="Change the time or place", button="Save and tell the invitees",
                     caption=meeting.title, back=meeting.get_absolute_url())


@login_required
def cancel(request, meeting_id: int):
    meeting = meeting_for(request, meeting_id, manage=True)
    form = CancelForm(posted(request), initial={"version": meeting.version})
    if request.method == "POST" and form.is_valid():
        done = service_call(form, lambda: services.meeting_cancel(
            actor=request.user, meeting=meeting, accesses=accesses_for(request, meeting),
            reason=form.cleaned_data["reason"], version=form.cleaned_data["version"]))
        if done is not None:
            messages.success(request, "The meeting has been cancelled and every invitee told.")
            return redirect("meetings:detail", meeting_id=meeting.pk)
    return form_page(request, form=form, title="Cancel the meeting", button="Cancel the meeting", caption=meeting.title,
                     back=meeting.get_absolute_url())


@login_required
def invite(request, meeting_id: int):
    meeting = meeting_for(request, meeting_id, manage=True)
    form = InviteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        done = service_call(form, lambda: services.meeting_invite(actor=request.user, meeting=meeting, people=[person]))
        if done is not None:
            messages.success(request, f"{person.get_full_name() or person.username} ({person.agency}) has been invited."
                             if done else "They were already invited.")
            return redirect("meetings:invite", meeting_id=meeting.pk)
    intro = ("They get an email with a calendar entry. They can read the children's records for this meeting. "
             + ("Their agency is asked for a written report." if meeting.kind in services.meetings.REPORT_KINDS else ""))
    find = " ".join(request.GET.get("find", "").split())[:100]
    found = selectors.people_matching(find) if len(find) >= 2 else []
    return render(request, "meetings/invite.html", {
        "form": form, "title": "Invite someone", "button": "Invite", "caption": meeting.title, "intro": intro,
        "back": meeting.get_absolute_url(), "find": find, "found": found[: selectors.FIND_LIMIT],
        "more": len(found) > selectors.FIND_LIMIT,
        "invited": set(meeting.invitations.values_list("user_id", flat=True)),
    })


@require_POST
@login_required
def attendance(request, meeting_id: int, invitation_id: int):
    meeting = meeting_for(request, meeting_id, manage=True)
    invitation = get_object_or_404(Invitation, pk=invitation_id, meeting=meeting)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        done = service_call(form, lambda: services.attendance_record(
            actor=request.user, meeting=meeting, invitation=invitation, attendance=form.cleaned_data["attendance"],
            version=form.cleaned_data["version"]))
        if done is not None:
            messages.success(request, f"Attendance recorded for {invitation.user}.")
            return redirect(meeting.get_absolute_url() + "#attendance")
    for error in form.errors.values():
        messages.error(request, " ".join(str(e) for e in error))
    return redirect(meeting.get_absolute_url() + "#attendance")


@login_required
def minutes(request, meeting_id: int):
    meeting = meeting_for(request, meeting_id, manage=True)
    form = MinutesForm(posted(request), initial={"minutes": meeting.minutes, "version": meeting.version,
                                                 "conference_needed": meeting.conference_needed})
    if meeting.kind != Kind.STRATEGY:
        del form.fields["conference_needed"]
    if request.method == "POST" and form.is_valid():
        done = service_call(form, lambda: services.minutes_record(
            actor=request.user, meeting=meeting, accesses=accesses_for(request, meeting),
            minutes=form.cleaned_data["minutes"], version=form.cleaned_data["version"],
            conference_needed=form.cleaned_data.get("conference_needed", False),
            language_flags_kept=form.language_flags_kept))
        if done is not None:
            messages.success(request, "The minutes have been recorded.")
            return redirect("meetings:detail", meeting_id=meeting.pk)
    return form_page(request, form=form, title="Minutes", button="Save the minutes", caption=meeting.title,
                     back=meeting.get_absolute_url())


@login_required
def decision_add(request, meeting_id: int):
    meeting = meeting_for(request, meeting_id, manage=True)
    children = Child.objects.filter(pk__in=selectors.meeting_child_ids(meeting))
    form = DecisionForm(posted(request), meeting=meeting, children=children)
    if request.method == "POST" and form.is_valid():
        child = form.cleaned_data["child"]
        ids = [child.pk] if child else None
        done = service_call(form, lambda: services.decision_sign(
            actor=request.user, meeting=meeting, accesses=accesses_for(request, meeting, child_ids=ids),
            decision=form.cleaned_data["decision"], reasons=form.cleaned_data["reasons"], makers=[request.user],
            child=child, corrects=form.cleaned_data["corrects"], language_flags_kept=form.language_flags_kept))
        if done is not None:
            messages.success(request, "The decision has been signed. It cannot be changed: a correction is a new record.")
            return redirect(meeting.get_absolute_url() + "#decisions")
    return form_page(request, form=form, title="Record a decision", button="Sign the decision", caption=meeting.title,
                     intro="You sign it as the accountable decision-maker. Once signed it cannot change.",
                     back=meeting.get_absolute_url())


@login_required
def overview(request, meeting_id: int, child_id: int):
    """Before the meeting, each invitee opens one chronology across every agency for each child,
    with the screening, Form B, open referrals, missing episodes and open actions (§10.1.7)."""
    meeting = meeting_for(request, meeting_id)
    if int(child_id) not in selectors.meeting_child_ids(meeting):
        raise Http404("No such record")
    access = child_for_user(request.user, child_id, request=request, record_view=True)
    audit_meeting_view(request, meeting, "overview", child_id=access.child.pk)
    return render(request, "meetings/overview.html", {
        "meeting": meeting, "child": access.child, "access": access, "o": selectors.child_overview(access.child),
    })


@require_POST
@login_required
def agenda_build(request, meeting_id: int):
    meeting = meeting_for(request, meeting_id, manage=True)
    now = timezone.now()
    if meeting.kind == Kind.PANEL:
        agenda = selectors.panel_agenda(meeting, now=now, user=request.user)
    elif meeting.kind == Kind.RMG:
        params = rules_params()
        agenda = selectors.rmg_agenda(request.user, now=now, period_days=params.rmg_period_days,
                                      flag_at=params.rmg_flag_episodes, children=children_visible_for(request))
    else:
        raise Http404("No such page")
    try:
        services.agenda_build(actor=request.user, meeting=meeting, agenda=agenda,
                              version=int(request.POST.get("version") or 0))
    except StaleEdit as error:
        messages.error(request, error.reload_message)
    except (ValidationError, ServiceConflict) as error:
        messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
    else:
        messages.success(request, "The agenda has been built from the data.")
    return redirect(meeting.get_absolute_url() + "#agenda")
