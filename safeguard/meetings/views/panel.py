"""The Multi-Agency Risk Panel (§13): the panel's page, referral to the panel, acceptance or
decline by the chair, a child's panel case and its closure with a signed decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from safeguard.access.policy import child_for_user
from safeguard.accounts.models import Role
from safeguard.referrals.models import Destination, Referral

from .. import selectors, services
from ..forms import PanelCloseForm, PanelReferForm, ReasonForm
from ..models import Kind, Meeting, PanelCase
from ._common import form_page, posted, service_call


@login_required
def panel(request):
    if not request.user.has_role(*selectors.PANEL_ROLES) or selectors.child_worker_agency_id(request.user) is None:
        raise Http404("No such page")
    return render(request, "meetings/panel.html", {
        "waiting": selectors.panel_referrals_waiting(request.user),
        "cases": selectors.panel_cases_open(request.user),
        "meetings": list(selectors.meetings_visible_to(request.user).filter(kind=Kind.PANEL)
                         .exclude(status=Meeting.Status.CANCELLED).order_by("-starts_at")[:20]),
        "chair": request.user.has_role(Role.MARP_CHAIR),
    })


@login_required
def panel_refer(request, child_id: int):
    access = child_for_user(request.user, child_id, request=request, change=True)
    form = PanelReferForm(posted(request), initial={"because": request.GET.get("because", "")[:300]})
    if request.method == "POST" and form.is_valid():
        done = service_call(form, lambda: services.panel_refer(
            access=access, reason=form.cleaned_data["reason"], because=form.cleaned_data["because"],
            language_flags_kept=form.language_flags_kept))
        if done is not None:
            messages.success(request, "The child has been referred to the Multi-Agency Risk Panel.")
            return redirect("meetings:child", child_id=access.child.pk)
    return form_page(request, form=form, title="Refer to the Multi-Agency Risk Panel", button="Refer to the panel",
                     caption=f"Record {access.child.pk}: {access.child.full_name}",
                     intro="The panel shares intelligence and coordinates the response for children at high risk "
                     "(handbook §13). The panel chair decides whether to take the case.",
                     back=reverse("meetings:child", kwargs={"child_id": access.child.pk}))


def _panel_referral(request, referral_id: int):
    if not request.user.has_role(Role.MARP_CHAIR):
        raise Http404("No such page")
    try:
        referral = Referral.objects.select_related("child").get(pk=int(referral_id), destination=Destination.MARP)
    except (Referral.DoesNotExist, ValueError):
        raise Http404("No such referral") from None
    access = child_for_user(request.user, referral.child_id, request=request, change=True)
    return referral, access


@login_required
def panel_accept(request, referral_id: int):
    referral, access = _panel_referral(request, referral_id)
    form = ReasonForm(posted(request))
    form.fields["reason"].required = False
    form.fields["reason"].label = "Note (optional)"
    if request.method == "POST" and form.is_valid():
        done = service_call(form, lambda: services.panel_case_open(
            access=access, referral=referral, note=form.cleaned_data["reason"]))
        if done is not None:
            messages.success(request, "The child is now open at the panel and on the next agenda.")
            return redirect("meetings:panel_case", child_id=referral.child_id)
    return form_page(request, form=form, title="Accept the referral to the panel", button="Accept and open the case",
                     caption=f"Referral {referral.pk}: record {referral.child_id}", intro=referral.reason,
                     back=reverse("meetings:panel"))


@login_required
def panel_decline(request, referral_id: int):
    referral, access = _panel_referral(request, referral_id)
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        done = service_call(form, lambda: services.panel_referral_decline(
            access=access, referral=referral, reason=form.cleaned_data["reason"]))
        if done is not None:
            messages.success(request, "The referral has been declined and the referrer told.")
            return redirect("meetings:panel")
    return form_page(request, form=form, title="Decline the referral to the panel", button="Decline",
                     caption=f"Referral {referral.pk}: record {referral.child_id}", intro=referral.reason,
                     back=reverse("meetings:panel"))


@login_required
def panel_case(request, child_id: int):
    access = child_for_user(request.user, child_id, request=request, record_view=True)
    case = selectors.panel_case_for_child(access.child)
    if case is None:
        raise Http404("No panel case")
    return render(request, "meetings/panel_case.html", {
        "child": access.child, "case": case, "chair": request.user.has_role(Role.MARP_CHAIR),
        "meetings": [m for m in selectors.meetings_for_child(request.user, access.child) if m.kind == Kind.PANEL],
    })


@login_required
def panel_close(request, child_id: int):
    if not request.user.has_role(Role.MARP_CHAIR):
        raise Http404("No such page")
    access = child_for_user(request.user, child_id, request=request, change=True)
    case = selectors.panel_case_for_child(access.child)
    if case is None:
        raise Http404("No panel case")
    form = PanelCloseForm(posted(request), initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        done = service_call(form, lambda: services.panel_case_close(
            access=access, case=case, decision=form.cleaned_data["decision"], reasons=form.cleaned_data["reasons"],
            version=form.cleaned_data["version"], makers=[request.user]))
        if done is not None:
            messages.success(request, "The panel case is closed with a signed decision.")
            return redirect("meetings:panel_case", child_id=access.child.pk)
    if case.status != PanelCase.Status.OPEN and request.method != "POST":
        messages.info(request, "This panel case is already closed.")
        return redirect("meetings:panel_case", child_id=access.child.pk)
    return form_page(request, form=form, title="Close the panel case", button="Sign and close",
                     caption=f"Record {access.child.pk}: {access.child.full_name}",
                     intro="The closure is a signed decision record: once signed it cannot change.",
                     back=reverse("meetings:panel_case", kwargs={"child_id": access.child.pk}))
