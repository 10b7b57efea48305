"""The profile for the police and callers and visitors to the home (§10.5.11)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.intelligence import selectors as intelligence_selectors
from safeguard.platform.versioning import StaleEdit, stale_context
from safeguard.ui.forms import add_service_errors

from .. import services
from ..forms import ProfileForm, VisitorForm
from ..models import Episode, Profile, ProfilePhoto, Visitor
from ..pdf import snapshot_pdf
from ._common import _child, _form_page, _pdf_response, _photo_bytes, _picked, _picker_search, _posted

# -- the profile for the police --------------------------------------------------------------------


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
    initial["version"] = found.version if found else None
    form = ProfileForm(_posted(request), request.FILES or None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(
                access=access, data=form.data_for_service(), photo=form.cleaned_data["photo"],
                version=form.opened_version,
            )
        except StaleEdit as error:
            stale = stale_context(form, error)["stale"]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The profile has been saved.")
            return redirect("missing:profile", child_id=child.pk)
    return _form_page(
        request, form=form, child=child, title="Profile for the police", button="Save the profile",
        intro="Keep this current, so that it can be printed or sent to the police the moment the child is "
        "reported missing.", back=reverse("missing:profile", kwargs={"child_id": child.pk}), multipart=True,
        stale=stale,
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
        submission = services.profile_send_to_police(access=access)
    except ValidationError as error:
        text = " ".join(error.messages)
        if services.NO_PROFILE in error.messages:
            text = format_html('{}. <a class="govuk-link" href="{}">Start the profile</a>', services.NO_PROFILE,
                               reverse("missing:profile_edit", kwargs={"child_id": access.child.pk}))
        messages.error(request, text)
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
    """Record a caller or visitor; the person, vehicle, phone or account already recorded can be
    picked as on the return form (search as you type), and anything else left as words."""
    access = _child(request, child_id, change=True)
    form = VisitorForm(_posted(request))
    linked = _picked(request, "linked")
    searching = request.method == "POST" and "picker_search" in request.POST
    if searching:
        form.show_typed_only()  # a search without scripts: show what was typed, not what is missing yet
    elif request.method == "POST" and form.is_valid():
        try:
            services.visitor_record(access=access, details=form.details(), linked=linked)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The caller or visitor has been recorded.")
            return redirect("missing:child", child_id=access.child.pk)
    query, results = _picker_search(request, "linked")
    return render(request, "missing/visitor_form.html", {
        "form": form, "child": access.child, "linked": linked, "picker_results": results, "picker_query": query,
        "back": reverse("missing:child", kwargs={"child_id": access.child.pk}),
    })


@login_required
def visitor(request, child_id: int, visitor_id: int):
    access = _child(request, child_id, record_view=True)
    record = get_object_or_404(Visitor.objects.select_related("recorded_by", "agency"), pk=visitor_id,
                               child=access.child)
    linked = intelligence_selectors.entities_linked_from(Visitor, [record.pk]).get(record.pk, {})
    return render(request, "missing/visitor.html", {
        "child": access.child, "visitor": record,
        "linked": [{"id": pk, "kind": kind, "label": label} for pk, (kind, label) in linked.items()],
    })
