from django.urls import reverse

from safeguard.access.intelligence import may_see_intelligence
from safeguard.access.policy import works_with_children
from safeguard.accounts.models import Role

# (label, url name, who sees it). Every app adds its sections here.
NAV = [
    ("Home", "home", lambda u: True),
    ("Children", "children:search", works_with_children),
    ("Tasks", "notifications:inbox", lambda u: True),
    ("Referrals", "referrals:queue", lambda u: u.has_role(Role.CSC_MASH, Role.POLICE_LEAD, Role.MARP_CHAIR)),
    ("Approvals", "referrals:approvals", lambda u: u.has_role(Role.DESIGNATED_LEAD, Role.SENIOR_MANAGER)),
    ("Missing", "missing:review", lambda u: works_with_children(u) and u.has_role(
        Role.NAMED_LEAD, Role.POLICE_LEAD, Role.CSC_MASH, Role.SENIOR_MANAGER)),
    ("Intelligence", "intelligence:search", lambda u: may_see_intelligence(u)),
    ("Police inbox", "missing:police_inbox", lambda u: works_with_children(u) and u.has_role(Role.POLICE_LEAD)),
    ("Break-glass log", "access:break_glass_log", lambda u: u.has_role(Role.NAMED_LEAD)),
    ("Record access", "access:record_access", lambda u: u.has_role(Role.NAMED_LEAD, Role.ADMINISTRATOR)),
    ("Administration", "admin:index", lambda u: u.has_role(Role.ADMINISTRATOR) and u.is_staff),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "current_user_summary": None}
    path = request.path
    items = [{"label": label, "url": reverse(name), "current": False} for label, name, allowed in NAV if allowed(user)]
    # The current section is the one whose address is the longest start of this page's address, so
    # /missing/police/ marks "Police inbox" and not "Missing" as well.
    matching = [item for item in items if (path == "/" if item["url"] == "/" else path.startswith(item["url"]))]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["current"] = True
    summary = {
        "name": user.get_full_name() or user.get_username(),
        "agency": str(user.agency) if user.agency_id else "",
        "roles": user.role_labels,
    }
    return {"nav_items": items, "current_user_summary": summary}
