"""A URLconf for the UI tests: the real site plus a few pages that exercise the base template."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from .sample_forms import SampleForm

FORM_PAGE = """{% extends "base.html" %}{% load govuk %}
{% block title %}{{ form|error_prefix }}Report a concern{% endblock %}
{% block breadcrumbs %}<nav class="govuk-breadcrumbs" aria-label="Breadcrumb"><ol class="govuk-breadcrumbs__list">
<li class="govuk-breadcrumbs__list-item"><a class="govuk-breadcrumbs__link" href="/">Home</a></li></ol></nav>{% endblock %}
{% block content %}
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
{% error_summary form %}
<h1 class="govuk-heading-l">Report a concern</h1>
<form method="post" novalidate>{% csrf_token %}{{ form }}{% govuk_button "Save and continue" %}</form>
</div></div>
{% endblock %}"""


def form_page(request):
    form = SampleForm(request.POST or None)
    if request.method == "POST":
        form.is_valid()
    template = engines["django"].from_string(FORM_PAGE)
    return HttpResponse(template.render({"form": form}, request))


def messages_page(request):
    messages.success(request, "Concern saved")
    messages.info(request, "You were signed out because your session timed out.")
    messages.error(request, "The referral could not be sent")
    template = engines["django"].from_string(
        '{% extends "base.html" %}{% block title %}Messages{% endblock %}'
        '{% block content %}<h1 class="govuk-heading-l">Messages</h1>{% endblock %}'
    )
    return HttpResponse(template.render({}, request))


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("ui-test/form/", form_page, name="ui_test_form"),
    path("ui-test/messages/", messages_page, name="ui_test_messages"),
    path("ui-test/boom/", boom, name="ui_test_boom"),
    path("", include("safeguard.urls")),
]

handler403 = "safeguard.ui.views.permission_denied"
handler404 = "safeguard.ui.views.page_not_found"
handler500 = "safeguard.ui.views.server_error"
