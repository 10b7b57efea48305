"""What the referrals pages share."""

from __future__ import annotations

from django.http import Http404

from safeguard.access.policy import works_with_children


def posted(request):
    return request.POST if request.method == "POST" else None


def require_child_worker(request) -> None:
    if not works_with_children(request.user):
        raise Http404("No such page")
