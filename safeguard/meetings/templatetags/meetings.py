"""``{% my_actions %}``: the signed-in person's open actions, for the home page (one bounded query)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from safeguard.meetings.selectors import my_actions as my_actions_for

register = template.Library()


@register.inclusion_tag("meetings/_my_actions.html", takes_context=True)
def my_actions(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"my_actions": my_actions_for(user) if user is not None else [], "today": timezone.localdate()}
