from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from safeguard.accounts.models import Role
from safeguard.audit.models import Verb
from safeguard.audit.selectors import child_access_events
from safeguard.audit.services import audit_record
from safeguard.children.models import Child

from .forms import ChildAccessFilterForm
from .policy import break_glass_for_named_lead, child_for_user

NO_SUCH_CHILD = "There is no child record with that number that you can see. Check the number on the record."


@login_required
def break_glass_log(request):
    """Named leads see every time someone outside the circle opened one of their agency's children."""
    if not request.user.has_role(Role.NAMED_LEAD):
        raise Http404
    page = Paginator(break_glass_for_named_lead(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "access/break_glass_log.html", {"page": page})


def _may_see_accesses_of(request, child_id: int) -> bool:
    """Administrators ask about any record that exists; a named lead only about children they may see.
    A record outside scope gets the same answer as one that does not exist."""
    if request.user.has_role(Role.ADMINISTRATOR):
        return Child.objects.filter(pk=child_id).exists()
    try:
        child_for_user(request.user, child_id, request=request)
    except Http404:
        return False
    return True


@login_required
def record_access(request):
    """Who opened a given child's record: views, break glass and exports (handbook §17).
    Named leads (for children they may see) and administrators."""
    user = request.user
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


@login_required
def involvement_request(request, child_id: int):
    """Under break glass (or otherwise outside the circle), ask the lead agency to add your agency."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.shortcuts import redirect

    from safeguard.ui.forms import add_service_errors

    from .forms import InvolvementRequestForm
    from .services import involvement_request_open

    access = child_for_user(request.user, child_id, request=request, change=True)
    form = InvolvementRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            involvement_request_open(access=access, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your request has gone to the child's lead agency. You will be told the answer.")
            return redirect("children:detail", child_id=access.child.pk)
    return render(request, "access/involvement_request.html", {"form": form, "child": access.child})


@login_required
def involvement_requests(request):
    """A named lead's list of agencies asking to join their children's circles; answer each one."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.shortcuts import redirect

    from safeguard.access.policy import children_viewed_record
    from safeguard.core.ids import parse_id
    from safeguard.ui.forms import add_service_errors

    from .forms import InvolvementDecisionForm
    from .services import involvement_request_decide, involvement_requests_for

    if not request.user.has_role(Role.NAMED_LEAD):
        raise Http404
    bound_id, form = None, None
    if request.method == "POST":
        bound_id = parse_id(request.POST.get("request_id"))
        if bound_id is None or not involvement_requests_for(request.user).filter(pk=bound_id).exists():
            raise Http404
        form = InvolvementDecisionForm(request.POST, prefix=f"request-{bound_id}")
        if form.is_valid():
            try:
                involvement_request_decide(user=request.user, request_id=bound_id,
                                           accept=form.cleaned_data["decision"] == "accept",
                                           note=form.cleaned_data["note"])
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Your answer has been recorded and the agency told.")
                return redirect("access:involvement_requests")
    page = Paginator(involvement_requests_for(request.user), 50).get_page(request.GET.get("page"))
    children_viewed_record(request, [r.child_id for r in page.object_list])
    rows = [(item, (form if item.pk == bound_id else InvolvementDecisionForm(prefix=f"request-{item.pk}"))
             if item.status == item.Status.PENDING else None) for item in page.object_list]
    return render(request, "access/involvement_requests.html", {"page": page, "rows": rows, "form": form})
