from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from safeguard.accounts.models import Role, User
from safeguard.audit.models import Verb
from safeguard.audit.selectors import child_access_events
from safeguard.audit.services import audit_record
from safeguard.children.models import Child

from .forms import ChildAccessFilterForm
from .policy import break_glass_for_named_lead, child_for_user, may_review_break_glass

NO_SUCH_CHILD = "There is no child record with that number that you can see. Check the number on the record."


@login_required
def break_glass_log(request: HttpRequest) -> HttpResponse:
    """Named leads see every time someone outside the circle opened one of their agency's children."""
    if not may_review_break_glass(request.user):
        raise Http404
    page = Paginator(break_glass_for_named_lead(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "access/break_glass_log.html", {"page": page})


def _may_see_accesses_of(request: HttpRequest, child_id: int) -> bool:
    """Administrators ask about any record that exists; a named lead only about children they may see.
    A record outside scope gets the same answer as one that does not exist."""
    if cast(User, request.user).has_role(Role.ADMINISTRATOR):  # signed in: every caller is login_required
        return Child.objects.filter(pk=child_id).exists()
    try:
        child_for_user(request.user, child_id, request=request)
    except Http404:
        return False
    return True


@login_required
def record_access(request: HttpRequest) -> HttpResponse:
    """Who opened a given child's record: views, break glass and exports (handbook §17).
    Named leads (for children they may see) and administrators."""
    user = cast(User, request.user)  # login_required
    if not user.has_role(Role.NAMED_LEAD, Role.ADMINISTRATOR):
        raise Http404
    form = ChildAccessFilterForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        child_id = form.cleaned_data["child"]
        if not _may_see_accesses_of(request, child_id):
            form.add_error("child", NO_SUCH_CHILD)
        else:
            events = child_access_events(
                child_id=child_id,
                username=form.cleaned_data["user"],
                date_from=form.cleaned_data["date_from"],
                date_to=form.cleaned_data["date_to"],
            )
            page = Paginator(events, 50).get_page(request.GET.get("page"))
            audit_record(verb=Verb.AUDIT_VIEWED, actor=user, target_type="children.child", target_id=child_id,
                         child_id=child_id)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "access/record_access.html", {"form": form, "page": page, "query_string": query.urlencode()}
    )

