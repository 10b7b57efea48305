from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from safeguard.access.policy import child_id_of, children_viewed_record, works_with_children
from safeguard.accounts.models import Agency, Role
from safeguard.missing.selectors import police_inbox_new
from safeguard.notifications.selectors import tasks_for
from safeguard.referrals.models import Destination, Referral, Status
from safeguard.screening import selectors as screening

HOME_LIST_LENGTH = 10


@login_required
def home(request):
    """What this person should look at first: their tasks, their children, reviews due, drafts; for
    children's social care, the referrals waiting for them. Each list is one bounded query."""
    user = request.user
    context = {"works_with_children": works_with_children(user)}
    if context["works_with_children"]:
        context.update(
            tasks=list(tasks_for(user)[:HOME_LIST_LENGTH]),
            my_children=list(screening.children_worked_on_by(user, limit=HOME_LIST_LENGTH)),
            recent_screenings=list(screening.recent_screenings_by(user, limit=HOME_LIST_LENGTH)),
            reviews_due=list(screening.reviews_due_for(user)[:HOME_LIST_LENGTH]),
            draft_form_bs=list(screening.draft_form_bs_for(user)[:HOME_LIST_LENGTH]),
        )
        if user.has_role(Role.POLICE_LEAD):
            context["police_inbox"] = police_inbox_new(user, limit=HOME_LIST_LENGTH)
        if user.has_role(Role.CSC_MASH):
            context["csc_referrals"] = list(
                Referral.objects.filter(destination=Destination.CSC, status__in=[Status.SENT, Status.RECEIVED])
                .select_related("child", "referring_agency")
                .order_by("sent_at")[:HOME_LIST_LENGTH]
            )
        # The lists name children: one audited read naming them all (issue 11 item 2).
        shown = [item for key in ("tasks", "my_children", "recent_screenings", "reviews_due", "draft_form_bs",
                                  "csc_referrals") for item in context.get(key, [])]
        children_viewed_record(request, [child_id_of(item) for item in shown])
    return render(request, "core/home.html", context)


@login_required
def signed_in_floor(request):
    """The benchmark's floor (docs/performance.md): a signed-in page with one indexed query and a
    minimal template, so every other page's time can be read as a multiple of the framework's own."""
    agency = Agency.objects.filter(pk=request.user.agency_id).values_list("name", flat=True).first()
    return render(request, "core/signed_in_floor.html", {"agency": agency or ""})
