"""The live language check: the flags for what the user is typing, as a small HTML fragment."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from safeguard.access.policy import works_with_children
from safeguard.language.check import MAX_CHECKED_LENGTH, flag_message, language_context, language_flags


@require_POST
@login_required
def language_check(request: HttpRequest) -> HttpResponse:
    """The flags for the text of the field that asked (HX-Trigger-Name). Only for people who work
    with children: anyone else gets the same 404 as a missing page."""
    if not works_with_children(request.user):
        raise Http404("No such page")
    name = getattr(getattr(request, "htmx", None), "trigger_name", None) or "text"
    text = request.POST.get(name, "")[:MAX_CHECKED_LENGTH]
    context = language_context(request.POST.get("language_context"))
    return render(
        request,
        "language/partials/language_flags.html",
        {"flag_messages": [flag_message(flag) for flag in language_flags(text, context=context)]},
    )
