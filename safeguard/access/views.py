from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from safeguard.accounts.models import Role

from .policy import break_glass_for_named_lead


@login_required
def break_glass_log(request):
    """Named leads see every time someone outside the circle opened one of their agency's children."""
    if not request.user.has_role(Role.NAMED_LEAD):
        raise Http404
    page = Paginator(break_glass_for_named_lead(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "access/break_glass_log.html", {"page": page})
