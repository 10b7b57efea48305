"""Pages for children's records. Each view checks access through safeguard.access.policy and makes
one domain call; the work is in services.py and selectors.py."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from safeguard.access.policy import (
    Why,
    break_glass_open,
    child_for_user,
    children_viewed_record,
    children_visible_for,
    works_with_children,
)
from safeguard.accounts.models import Role
from safeguard.accounts.step_up import step_up_required
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.platform.ids import parse_id
from safeguard.platform.versioning import StaleEdit, stale_context
from safeguard.ui.forms import add_service_errors

from . import selectors, services
from .forms import (
    AliasForm,
    ChildForm,
    ChildSearchForm,
    ChronologyEntryForm,
    ChronologyFilterForm,
    InvolvementDecisionForm,
    InvolvementRequestForm,
    MergeForm,
    ObservationForm,
)
from .indicators import indicator_label
from .models import Child, ChronologyEntry, Observation
from .services import involvement_requests as joining

SEARCH_SESSION_KEY = "children.search"
SAME_CHILD_ELSEWHERE = "elsewhere"  # the same child is recorded in an agency the user is not in
SEARCH_VALID_MINUTES = 30  # how long a search lets the user go on to create a record
CHRONOLOGY_PAGE_SIZE = 25
PRINT_LIMIT = 1000


def _posted(request):
    """The posted data, or None for a GET: an empty POST still shows the form's errors."""
    return request.POST if request.method == "POST" else None


def _require_child_worker(request) -> None:
    if not works_with_children(request.user):
        raise Http404("No such page")


def _live(request, access):
    """A merged-away record sends the user to the record it was merged into."""
    if access.child.merged_into_id:
        messages.info(
            request, f"Record {access.child.pk} was merged into record {access.child.merged_into_id}."
        )
        return redirect("children:detail", child_id=access.child.merged_into_id)
    return None


# -- search before create ----------------------------------------------------------------------


@login_required
def search(request):
    _require_child_worker(request)
    form = ChildSearchForm(_posted(request))
    result = None
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        result = selectors.child_search(
            request.user,
            name=c["name"],
            first_name="" if c["name"] else c["first_name"],
            last_name="" if c["name"] else c["last_name"],
            date_of_birth=c["date_of_birth"],
            visible=children_visible_for(request),
        )
        first, last = form.searched_names()
        request.session[SEARCH_SESSION_KEY] = {
            "first_name": first,
            "last_name": last,
            "date_of_birth": c["date_of_birth"].isoformat() if c["date_of_birth"] else "",
            "at": timezone.now().isoformat(),
        }
    recent = selectors.children_recent(request.user, visible=children_visible_for(request))
    return render(
        request,
        "children/search.html",
        {"form": form, "result": result, "recent": recent, "today": timezone.localdate()},
    )


def _recent_search(request) -> dict | None:
    searched = request.session.get(SEARCH_SESSION_KEY)
    if not searched:
        return None
    try:
        at = datetime.fromisoformat(searched["at"])
    except (KeyError, TypeError, ValueError):
        return None
    if timezone.now() - at > timedelta(minutes=SEARCH_VALID_MINUTES):
        return None
    return searched


@login_required
def create(request):
    _require_child_worker(request)
    searched = _recent_search(request)
    if searched is None:
        messages.info(request, "Search for the child first, so that no child has two records.")
        return redirect("children:search")
    initial = {
        "first_name": searched["first_name"],
        "last_name": searched["last_name"],
        "date_of_birth": date.fromisoformat(searched["date_of_birth"])
        if searched.get("date_of_birth")
        else None,
    }
    form = ChildForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        # Checked again on the name and date of birth as submitted: an exact or very strong match
        # ("This looks like the same child") needs a reason to create a second record.
        c = form.cleaned_data
        found = selectors.child_search(
            request.user,
            name=f"{c['first_name']} {c['last_name']}",
            date_of_birth=c["date_of_birth"],
            visible=children_visible_for(request),
        )
        same = found.same_child or (SAME_CHILD_ELSEWHERE if found.hidden_same_child else None)
        if same is not None:
            form = ChildForm(request.POST, initial=initial, same_child=same)
        if form.is_valid():
            reason = form.cleaned_data.get("duplicate_reason", "")
            child = services.child_create(
                actor=request.user,
                data=form.to_data(),
                duplicate_of=tuple(m.child.pk for m in found.visible_matches if m.same_child),
                duplicate_reason=reason,
            )
            request.session.pop(SEARCH_SESSION_KEY, None)
            messages.success(request, "The child's record has been created.")
            return redirect("children:detail", child_id=child.pk)
    return render(request, "children/child_form.html", {"form": form, "creating": True})


# -- a child's record ------------------------------------------------------------------------


@login_required
def detail(request, child_id: int):
    access = child_for_user(request.user, child_id, request=request, record_view=True)
    if (moved := _live(request, access)) is not None:
        return moved
    overview = selectors.child_overview(access.child)
    return render(
        request,
        "children/detail.html",
        {
            "child": access.child,
            "access": access,
            "overview": overview,
            "age": access.child.age_on(timezone.localdate()),
            "break_glass": access.why == Why.BREAK_GLASS,
            "can_merge": request.user.has_role(Role.NAMED_LEAD) and access.why != Why.BREAK_GLASS,
        },
    )


@login_required
def edit(request, child_id: int):
    access = child_for_user(request.user, child_id, request=request, change=True)
    if (moved := _live(request, access)) is not None:
        return moved
    child = access.child
    form = ChildForm(_posted(request), initial=ChildForm.initial_for(child), editing=True)
    context = {"form": form, "child": child, "creating": False}
    if request.method == "POST" and form.is_valid():
        try:
            services.child_update(access=access, data=form.to_data(), version=form.opened_version)
        except StaleEdit as stale:
            context.update(stale_context(form, stale))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The child's record has been updated.")
            return redirect("children:detail", child_id=child.pk)
    return render(request, "children/child_form.html", context)


@login_required
def alias_add(request, child_id: int):
    access = child_for_user(request.user, child_id, request=request, change=True)
    if (moved := _live(request, access)) is not None:
        return moved
    form = AliasForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.child_add_alias(
            access=access,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
        )
        messages.success(request, "The other name has been added.")
        return redirect("children:detail", child_id=access.child.pk)
    return render(request, "children/alias_form.html", {"form": form, "child": access.child})


@login_required
def merge(request, child_id: int):
    if not request.user.has_role(Role.NAMED_LEAD):
        raise Http404("No such page")
    access = child_for_user(request.user, child_id, request=request, change=True)
    if access.why == Why.BREAK_GLASS:
        raise Http404("No such page")
    if (moved := _live(request, access)) is not None:
        return moved
    form = MergeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        other_id = form.cleaned_data["other_record"]
        other = None
        if other_id != access.child.pk:
            try:
                # Without the request: a record opened by breaking glass cannot be merged.
                other = child_for_user(request.user, other_id, change=True)
            except Http404:
                other = None
        if other is None or other.child.merged_into_id:
            form.add_error("other_record", "There is no other record with that number that you can see")
        else:
            keep, gone = (access, other) if form.cleaned_data["keep"] == "this" else (other, access)
            try:
                services.children_merge(keep=keep, merge=gone, reason=form.cleaned_data["reason"])
            except PermissionDenied:
                form.add_error(None, "You cannot merge these records: you must see both through your agency")
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, f"Record {gone.child.pk} has been merged into this record.")
                return redirect("children:detail", child_id=keep.child.pk)
    return render(request, "children/merge.html", {"form": form, "child": access.child})


# -- observations and chronology entries -----------------------------------------------------


@login_required
def observation_add(request, child_id: int):
    access = child_for_user(request.user, child_id, request=request, change=True)
    if (moved := _live(request, access)) is not None:
        return moved
    form = ObservationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        services.observation_record(
            access=access,
            indicators=c["indicators"],
            happened=form.happened(),
            details=c["details"],
            people=c["people"],
            places=c["places"],
            vehicles=c["vehicles"],
            language_flags_kept=form.language_flags_kept,
        )
        messages.success(request, "Your observation has been recorded.")
        return redirect("children:detail", child_id=access.child.pk)
    return render(request, "children/observation_form.html", {"form": form, "child": access.child})


@login_required
def entry_add(request, child_id: int):
    access = child_for_user(request.user, child_id, request=request, change=True)
    if (moved := _live(request, access)) is not None:
        return moved
    form = ChronologyEntryForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.chronology_entry_record(
            access=access,
            happened=form.happened(),
            text=form.cleaned_data["text"],
            language_flags_kept=form.language_flags_kept,
        )
        messages.success(request, "Your note has been added to the chronology.")
        return redirect("children:detail", child_id=access.child.pk)
    return render(request, "children/entry_form.html", {"form": form, "child": access.child})


@login_required
def observation(request, child_id: int, observation_id: int):
    access = child_for_user(request.user, child_id, request=request, record_view=True)
    record = get_object_or_404(
        Observation.objects.select_related("recorded_by", "agency"), pk=observation_id, child=access.child
    )
    labels = [indicator_label(code) for code in record.indicators]
    return render(
        request,
        "children/observation.html",
        {"child": access.child, "observation": record, "labels": labels, "access": access},
    )


@login_required
def entry(request, child_id: int, entry_id: int):
    access = child_for_user(request.user, child_id, request=request, record_view=True)
    record = get_object_or_404(
        ChronologyEntry.objects.select_related("recorded_by", "agency"), pk=entry_id, child=access.child
    )
    return render(request, "children/entry.html", {"child": access.child, "entry": record, "access": access})


@login_required
def chronology(request, child_id: int):
    access = child_for_user(request.user, child_id, request=request, record_view=True)
    if (moved := _live(request, access)) is not None:
        return moved
    child = access.child
    form = ChronologyFilterForm(request.GET or None, agencies=selectors.chronology_agencies(child))
    items = selectors.chronology_items(child, **form.filters())
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("print", None)
    context = {"child": child, "access": access, "form": form, "query_string": query.urlencode()}
    if request.GET.get("print"):
        printed = list(items[:PRINT_LIMIT])
        with transaction.atomic():
            audit_record(
                verb=Verb.EXPORTED,
                actor=request.user,
                target=child,
                child_id=child.pk,
                payload={"what": "chronology_print", "items": len(printed)},
            )
        context.update(items=printed, truncated=len(printed) == PRINT_LIMIT, printed_at=timezone.now())
        return render(request, "children/chronology_print.html", context)
    page = Paginator(items, CHRONOLOGY_PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(page=page, items=page.object_list)
    return render(request, "children/chronology.html", context)


# -- break glass (opening a record the user's agency is not involved with) -------------------


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to open this record?",
        help_text="Your reason is recorded and shown to the named lead of the child's lead agency.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        error_messages={"required": "Enter why you need to open this record"},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 10:
            raise forms.ValidationError("Say why you need to open this record, in at least 10 characters")
        return reason


@login_required
@step_up_required
def break_glass(request, child_id: int):
    if not works_with_children(request.user):
        raise Http404
    form = BreakGlassForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        child = Child.objects.filter(pk=child_id, merged_into__isnull=True).first()
        if child is None:
            raise Http404
        break_glass_open(user=request.user, child=child, reason=form.cleaned_data["reason"], request=request)
        return redirect("children:detail", child_id=child.pk)
    return render(request, "children/break_glass.html", {"form": form, "child_id": child_id})


@login_required
def involvement_request(request, child_id: int):
    """Outside the circle (under break glass), ask the lead agency to add your agency (§17)."""
    access = child_for_user(request.user, child_id, request=request, change=True)
    form = InvolvementRequestForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            joining.involvement_request_open(access=access, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your request has gone to the child's lead agency. You will be told the answer.")
            return redirect("children:detail", child_id=access.child.pk)
    return render(request, "children/involvement_request.html", {"form": form, "child": access.child})


@login_required
def involvement_requests(request):
    """A named lead answers the agencies asking to join the circles of children their agency leads."""
    if not request.user.has_role(Role.NAMED_LEAD):
        raise Http404("No such page")
    asked = joining.involvement_requests_for(request.user)
    bound_id, form = None, None
    if request.method == "POST":
        bound_id = parse_id(request.POST.get("request_id"))
        if bound_id is None or not asked.filter(pk=bound_id).exists():
            raise Http404("No such request")
        form = InvolvementDecisionForm(request.POST, prefix=f"request-{bound_id}")
        if form.is_valid():
            try:
                joining.involvement_request_decide(
                    user=request.user, request_id=bound_id, accept=form.cleaned_data["decision"] == "accept",
                    note=form.cleaned_data["note"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Your answer has been recorded and the agency told.")
                return redirect("children:involvement_requests")
    page = Paginator(asked, 50).get_page(request.GET.get("page"))
    children_viewed_record(request, [r.child_id for r in page.object_list])
    rows = [(item, (form if item.pk == bound_id else InvolvementDecisionForm(prefix=f"request-{item.pk}"))
             if item.status == item.Status.PENDING else None) for item in page.object_list]
    return render(request, "children/involvement_requests.html", {"page": page, "rows": rows, "form": form})
