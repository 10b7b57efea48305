"""What the missing pages share: the child's access from the policy, the episode under it, the form page."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from safeguard.access.policy import child_for_user
from safeguard.intelligence import selectors as intelligence_selectors

from .. import selectors
from ..models import Episode, ProfilePhoto, ReturnInterview


def _posted(request):
    return request.POST if request.method == "POST" else None


def _child(request, child_id: int, *, change: bool = False, record_view: bool = False):
    """The child's access (the policy's proof), or 404; a merged-away record is not written to (the
    services refuse it too)."""
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
               caption: str = "", multipart: bool = False, stale: dict | None = None):
    return render(
        request,
        "missing/form.html",
        {"form": form, "child": child, "title": title, "button": button, "intro": intro,
         "back": back or reverse("missing:child", kwargs={"child_id": child.pk}), "caption": caption,
         "multipart": multipart, "stale": stale},
    )


def _picked(request, name: str) -> list:
    """Intelligence entities picked on a form (checkboxes named ``name``), those the user may pick."""
    ids = [v for v in (request.POST.getlist(name) if request.method == "POST" else request.GET.getlist(name))
           if v.isdigit()][:20]
    found = [intelligence_selectors.entity_search_one(user=request.user, entity_id=int(v)) for v in ids]
    return [e for e in found if e is not None]


def _picker_search(request, name: str) -> tuple[str, list]:
    """What was typed in the picker ``name``'s search box and what matches it (the page without
    scripts: the Search button sends the box with the form)."""
    source = request.POST if request.method == "POST" else request.GET
    query = (source.get(f"q_{name}") or "").strip()
    results = intelligence_selectors.entity_search(
        user=request.user, query=query, limit=10, for_linking=True
    ) if len(query) >= 2 else []
    return query, results


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response



def _photo_bytes(photo_id) -> bytes | None:
    photo = ProfilePhoto.objects.filter(pk=photo_id).first() if photo_id else None
    if photo is None:
        return None
    try:
        with photo.file.open("rb") as handle:
            return handle.read()
    except OSError:
        return None
