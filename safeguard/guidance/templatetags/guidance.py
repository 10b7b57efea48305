"""``{% guidance_help "form_a" %}``: the link a main form shows to the guidance page that helps
most while filling it in (pages.FORM_HELP)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from ..pages import BY_SLUG, FORM_HELP

register = template.Library()


@register.simple_tag
def guidance_help(form_key: str):
    page = BY_SLUG[FORM_HELP[form_key]]
    return format_html(
        '<p class="govuk-body sg-guidance-help">Help: <a class="govuk-link" href="{}" target="_blank" '
        'rel="noopener">{} (opens in a new tab)</a>, handbook § {}</p>',
        reverse("guidance:page", kwargs={"slug": page.slug}), page.title, page.sections,
    )
