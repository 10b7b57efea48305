"""Actions: the user's own list, one action (edit, done or no longer needed), new actions for a
meeting or a child's safety or care plan (workflow.md "Actions and plans")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from safeguard.access.policy import child_for_user, child_worker_agency_id

from .. import selectors, services
from ..forms import ActionCloseForm, ActionForm
from ..models import Action
from ._common import form_page, meeting_for, posted, service_call


@login_required
def my_actions(request):
    if child_worker_agency_id(request.user) is None:
        raise Http404("No such page")
    return render(request, "meetings/my_actions.html",
                  {"actions": selectors.my_actions(request.user, limit=selectors.LIST_LIMIT), "today": timezone.localdate()})


def _child_access(request, action: Action):
    if not action.child_id:
        return None
    return child_for_user(request.user, action.child_id, request=request, change=True)


@login_required
def action(request, action_id: int):
    record = selectors.action_for_user(request.user, action_id)
    may_edit = request.user.pk in (record.owner_id, record.created_by_id) or (
        record.meeting is not None and selectors.may_manage(request.user, record.meeting)
    )
    form = ActionCloseForm(posted(request) if may_edit else None, initial={"version": record.version})
    if request.method == "POST":
        if not may_edit:
            raise Http404("No such page")
        if form.is_valid():
            done = service_call(form, lambda: services.action_close(
                actor=request.user, action=record, status=form.cleaned_data["status"],
                outcome=form.cleaned_data["outcome"], version=form.cleaned_data["version"],
                access=_child_access(request, record)))
            if done is not None:
                messages.success(request, f"The action is marked {done.get_status_display().lower()}.")
                return redirect("meetings:action", action_id=record.pk)
    return render(request, "meetings/action.html", {
        "action": record, "form": form if may_edit and record.is_open else None, "may_edit": may_edit,
    })


@login_required
def action_edit(request, action_id: int):
    record = selectors.action_for_user(request.user, action_id)
    if request.user.pk not in (record.owner_id, record.created_by_id) and not (
        record.meeting is not None and selectors.may_manage(request.user, record.meeting)
    ):
        raise Http404("No such page")
    form = ActionForm(posted(request), initial={
        "description": record.description, "owner": record.owner.username, "due_on": record.due_on,
        "version": record.version,
    })
    if request.method == "POST" and form.is_valid():
        done = service_call(form, lambda: services.action_update(
            actor=request.user, action=record, details=form.details(), version=form.cleaned_data["version"]))
        if done is not None:
            messages.success(request, "The action has been changed.")
            return redirect("meetings:action", action_id=record.pk)
    return form_page(request, form=form, title="Change the action", button="Save", back=record.get_absolute_url())


@login_required
def meeting_action_add(request, meeting_id: int):
    meeting = meeting_for(request, meeting_id, manage=True)
    from safeguard.children.models import Child

    children = Child.objects.filter(pk__in=selectors.meeting_child_ids(meeting))
    form = ActionForm(posted(request), children=children)
    if request.method == "POST" and form.is_valid():
        child = form.cleaned_data.get("child")
        access = child_for_user(request.user, child.pk, request=request, change=True) if child else None
        done = service_call(form, lambda: services.action_create(
            actor=request.user, meeting=meeting, access=access, details=form.details(),
            language_flags_kept=form.language_flags_kept))
        if done is not None:
            messages.success(request, f"The action has been set for {done.owner}.")
            return redirect(meeting.get_absolute_url() + "#actions")
    return form_page(request, form=form, title="Add an action", button="Add the action", caption=meeting.title,
                     back=meeting.get_absolute_url())


@login_required
def child_action_add(request, child_id: int):
    access = child_for_user(request.user, child_id, request=request, change=True)
    form = ActionForm(posted(request), plans=True)
    if request.method == "POST" and form.is_valid():
        done = service_call(form, lambda: services.action_create(
            actor=request.user, access=access, details=form.details(), language_flags_kept=form.language_flags_kept))
        if done is not None:
            messages.success(request, f"The action has been added to the plan for {done.owner}.")
            return redirect("meetings:child", child_id=access.child.pk)
    return form_page(request, form=form, title="Add a safety or care plan action", button="Add the action",
                     caption=f"Record {access.child.pk}: {access.child.full_name}",
                     back=reverse("meetings:child", kwargs={"child_id": access.child.pk}))
