"""Earlier free text that could not be read into entities, for named leads to review (issue 12 item 2)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import selectors, services
from ._common import require_intelligence


@login_required
def review(request):
    require_intelligence(request)
    return render(request, "intelligence/review.html", {"items": selectors.review_list_for(request.user)})


@login_required
@require_POST
def review_done(request, item_id: int):
    require_intelligence(request)
    item = selectors.review_item_for(request.user, item_id)
    try:
        services.free_text_reviewed(actor=request.user, item=item)
    except (ValidationError, services.Conflict) as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, "Marked as reviewed.")
    return redirect("intelligence:review")
