"""Guidance pages, the resources directory and who to call: for everyone signed in (no child data).
Editing the directory is for administrators; each person edits only their own contact details."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from . import selectors, services
from .forms import ContactDetailsForm, ResourceForm
from .models import Resource
from .pages import BY_SLUG, PAGES


@login_required
def index(request):
    return render(request, "guidance/index.html", {"pages": PAGES})


@login_required
def page(request, slug: str):
    found = BY_SLUG.get(slug)
    if found is None:
        raise Http404("No such page")
    return render(request, found.template, {"page": found, "pages": PAGES})


@login_required
def resources(request):
    entries = list(selectors.resources(include_hidden=services.may_edit_resources(request.user))[:300])
    sections = {}
    for entry in entries:
        sections.setdefault(entry.get_category_display(), []).append(entry)
    return render(request, "guidance/resources.html", {
        "sections": sections, "may_edit": services.may_edit_resources(request.user)})


def _resource_form_page(request, *, resource: Resource | None):
    if not services.may_edit_resources(request.user):
        raise Http404("No such page")
    initial: dict[str, object] = {"version": 0, "is_active": True}
    if resource is not None:
        initial = {"version": resource.version, "name": resource.name, "category": resource.category,
                   "description": resource.description, "website": resource.website, "phone": resource.phone,
                   "is_active": resource.is_active}
    form = ResourceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = services.ResourceData(**{k: form.cleaned_data[k] for k in (
            "name", "category", "description", "website", "phone", "is_active")})
        try:
            services.resource_save(actor=request.user, data=data, resource=resource,
                                   version=form.cleaned_data["version"], kept=form.language_flags_kept)
        except services.StaleEdit as error:
            form.add_error(None, error.reload_message)
        else:
            messages.success(request, f"{data.name} saved in the resources directory")
            return redirect("guidance:resources")
    return render(request, "guidance/resource_form.html", {"form": form, "resource": resource})


@login_required
def resource_add(request):
    return _resource_form_page(request, resource=None)


@login_required
def resource_edit(request, resource_id: int):
    resource = Resource.objects.filter(pk=resource_id).first()
    if resource is None:
        raise Http404("No such entry")
    return _resource_form_page(request, resource=resource)


@login_required
def who_to_call(request):
    return render(request, "guidance/who_to_call.html", {
        "agencies": selectors.who_to_call(), "limit": selectors.WHO_TO_CALL_LIMIT})


@login_required
def my_contact_details(request):
    details = selectors.contact_details_for(request.user)
    initial = {"version": details.version if details else 0, "phone": details.phone if details else "",
               "email": details.email if details else "", "availability": details.availability if details else ""}
    form = ContactDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = services.ContactData(**{k: form.cleaned_data[k].strip() for k in ("phone", "email", "availability")})
        try:
            services.contact_details_save(user=request.user, data=data, version=form.cleaned_data["version"])
        except services.StaleEdit as error:
            form.add_error(None, error.reload_message)
        else:
            messages.success(request, "Your contact details are saved")
            return redirect("guidance:who_to_call")
    return render(request, "guidance/contact_details.html", {"form": form})
