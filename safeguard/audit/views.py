from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from safeguard.access.policy import child_for_user
from safeguard.accounts.models import Role

from .forms import ChildAccessFilterForm
from .models import Verb
from .selectors import child_access_events
from .services import audit_record


@login_required
def child_access(request):
    """Who opened or changed a given child's record. Named leads (for children they may see) and administrators."""
    user = request.user
    if not user.has_role(Role.NAMED_LEAD, Role.ADMINISTRATOR):
        raise Http404
    form = ChildAccessFilterForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        child_id = form.cleaned_data["child"]
        if not user.has_role(Role.ADMINISTRATOR):
            child_for_user(user, child_id, request=request)  # 404 unless the lead may see this child
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
        request, "audit/child_access.html", {"form": form, "page": page, "query_string": query.urlencode()}
    )
