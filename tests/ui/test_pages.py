"""The page template, the information pages and the error pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import loader
from django.test import Client, RequestFactory
from django.urls import reverse

from safeguard.ui import views

from .html import parse, without_per_request_tokens

pytestmark = pytest.mark.django_db


@pytest.fixture
def ui_urls(settings):
    settings.ROOT_URLCONF = "tests.ui.urls"


def csp_nonce(response) -> str:
    header = response["Content-Security-Policy"]
    match = re.search(r"'nonce-([^']+)'", header)
    assert match, header
    return match.group(1)


def assert_csp_clean(html: str, nonce: str | None) -> None:
    """No inline script, no <style>, no style="" attributes; every script carries the nonce."""
    page = parse(html)
    for script in page.find_all("script"):
        assert script.get("src"), f"inline script: {script}"
        assert not script.text.strip()
        if nonce is not None:
            assert script.get("nonce") == nonce
    assert page.find_all("style") == []
    offenders = [el for el in page.iter() if "style" in el.attrs]
    assert offenders == []
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"


def assert_page_shell(html: str) -> None:
    page = parse(html)
    root = page.find("html")
    assert root.get("lang") == "en-GB" and "govuk-template" in root.classes
    skip = page.find("a", cls="govuk-skip-link")
    assert skip.get("href") == "#main-content"
    assert page.by_id("main-content").tag == "main"
    assert page.find("meta", name="robots").get("content").startswith("noindex")
    assert page.find("link", rel="stylesheet", href="/static/govuk/govuk-frontend.min.css") is not None
    footer = page.find("footer", cls="govuk-footer")
    hrefs = {a.get("href") for a in footer.find_all("a")}
    assert {reverse("ui:accessibility"), reverse("ui:privacy")} <= hrefs
    service = page.find("a", cls="sg-header__service-name")
    assert service.text.strip() == "Safeguard" and service.get("href") == reverse("home")


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [("ui:accessibility", "Accessibility statement for Safeguard"), ("ui:privacy", "Privacy notice")],
)
def test_information_pages_are_public(client, url_name, heading):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    html = response.content.decode()
    assert_page_shell(html)
    assert_csp_clean(html, csp_nonce(response))
    assert parse(html).find("h1").text.strip() == heading
    assert parse(html).find("meta", name="csrf-token").get("content")


def test_accessibility_statement_content(client):
    text = parse(client.get(reverse("ui:accessibility")).content.decode()).all_text
    assert "WCAG 2.2" in text and "AA" in text
    assert "Reporting accessibility problems" in text
    assert "Equality Advisory and Support Service" in text


def test_privacy_notice_content(client):
    text = parse(client.get(reverse("ui:privacy")).content.decode()).all_text
    for phrase in (
        "Article 6(1)(e)",
        "Article 9(2)(g)",
        "Article 9(2)(h)",
        "Schedule 1",
        "Data Protection Act 2018",
        "How long we keep information",
        "Your rights",
        "Information Commissioner",
    ):
        assert phrase in text, phrase


def test_signed_in_header_navigation_and_sign_out(client_for, personas):
    client = client_for(personas.practitioner)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert_page_shell(html)
    assert_csp_clean(html, csp_nonce(response))
    page = parse(html)
    user = personas.practitioner
    header_text = page.find("header").all_text
    assert user.get_full_name() in header_text
    assert str(user.agency) in header_text
    for role in user.role_labels:
        assert role in header_text
    form = page.find("form", cls="sg-header__sign-out")
    assert form.get("method") == "post" and form.get("action") == reverse("accounts:logout")
    assert form.find("input", name="csrfmiddlewaretoken") is not None
    assert form.find("button", type="submit").text.strip() == "Sign out"
    nav = page.find("nav", cls="govuk-service-navigation__wrapper")
    current = nav.find_all("a", aria_current="page")
    assert [a.all_text for a in current] == ["Home"]
    assert (
        "govuk-service-navigation__item--active"
        in next(li for li in nav.find_all("li") if li.find("a", aria_current="page")).classes
    )


def test_signed_out_pages_have_no_user_or_navigation(client):
    page = parse(client.get(reverse("ui:privacy")).content.decode())
    assert page.find("form", cls="sg-header__sign-out") is None
    assert page.find("nav", cls="govuk-service-navigation__wrapper") is None


def test_form_page_with_errors(client, ui_urls):
    response = client.post("/ui-test/form/", {"name": ""})
    html = response.content.decode()
    assert_csp_clean(html, csp_nonce(response))
    page = parse(html)
    assert page.find("title").text.startswith("Error: Report a concern")
    main = page.by_id("main-content")
    # The error summary is the first thing in the main column.
    layout = {"govuk-grid-row", "govuk-grid-column-two-thirds"}
    first = next(el for el in main.iter() if el is not main and not el.classes & layout)
    assert "govuk-error-summary" in first.classes
    assert page.find("nav", cls="govuk-breadcrumbs") is not None
    button = page.find("button", cls="govuk-button")
    assert button.get("data-module") == "govuk-button" and button.text == "Save and continue"


def test_messages_are_notification_banners(client, ui_urls):
    response = client.get("/ui-test/messages/")
    page = parse(response.content.decode())
    banners = page.find_all("div", cls="govuk-notification-banner")
    assert len(banners) == 3
    success, error, info = banners
    assert "govuk-notification-banner--success" in success.classes and success.get("role") == "alert"
    assert success.find("h2").text.strip() == "Success"
    assert "Concern saved" in success.all_text
    assert "sg-notification-banner--error" in error.classes and error.get("role") == "alert"
    assert error.find("h2").text.strip() == "There is a problem"
    assert "The referral could not be sent" in error.all_text
    assert info.get("role") == "region" and info.find("h2").text.strip() == "Important"
    assert "session timed out" in info.all_text
    title_ids = [b.get("aria-labelledby") for b in banners]
    assert len(set(title_ids)) == 3
    for banner, title_id in zip(banners, title_ids, strict=True):
        assert banner.find("h2").get("id") == title_id


def test_messages_of_one_kind_share_a_banner():
    from django.contrib.messages.storage.base import Message

    from safeguard.ui.templatetags.govuk import govuk_message_groups

    groups = govuk_message_groups(
        [Message(25, "One"), Message(20, "Two"), Message(25, "Three"), Message(30, "Four")]
    )
    assert [(g["kind"], [str(m) for m in g["messages"]]) for g in groups] == [
        ("success", ["One", "Three"]),
        ("important", ["Two", "Four"]),
    ]


def test_404_says_page_not_found_and_does_not_echo_the_address(client):
    response = client.get("/children/8675309/secret-name/")
    assert response.status_code == 404
    html = response.content.decode()
    page = parse(html)
    assert page.find("h1").text.strip() == "Page not found"
    assert "8675309" not in html and "secret-name" not in html
    assert_csp_clean(html, csp_nonce(response))


def test_404_is_the_same_for_everyone_and_every_address(client, client_for, personas):
    anonymous = client.get("/no-such-page/").content.decode()
    other = client.get("/another/missing/thing/").content.decode()

    def main(html):
        return parse(html).by_id("main-content").all_text

    assert without_per_request_tokens(anonymous) == without_per_request_tokens(other)
    signed_in = client_for(personas.practitioner)
    first = signed_in.get("/no-such-page/")
    assert first.status_code == 404
    assert main(first.content.decode()) == main(anonymous)
    second = signed_in.get("/another/missing/thing/")
    assert second.status_code == 404
    assert without_per_request_tokens(first.content) == without_per_request_tokens(second.content)


def test_403_page():
    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()
    response = views.permission_denied(request, exception=None)
    assert response.status_code == 403
    html = response.content.decode()
    assert "You do not have permission to see this page" in html
    assert_page_shell(html)
    assert_csp_clean(html, nonce=None)


def test_csrf_failure_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Sorry, we could not accept that form" in html
    assert "Nothing you entered has been saved" in html
    assert "CSRF" not in html  # the technical reason is logged, not shown
    assert_page_shell(html)
    assert_csp_clean(html, csp_nonce(response))


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize(("name", "heading", "status"), [
    ("500.html", "Sorry, there is a problem with the service", 500),
    ("503.html", "Sorry, the service is unavailable", 503),
])
def test_the_error_pages_need_no_request_context_and_no_database(django_db_blocker, name, heading, status):
    with django_db_blocker.block():
        request = RequestFactory().get("/")
        response = views.server_error(request) if status == 500 else views.service_unavailable(request)
        bare = loader.get_template(name).render()
    assert response.status_code == status
    for html in (response.content.decode(), bare):
        page = parse(html)
        assert html.lstrip().startswith("<!DOCTYPE html>")
        assert page.find("h1").text.strip() == heading
        assert page.find("title").text.strip() == f"{heading} – Safeguard"
        assert "If a child is at immediate risk" in html  # the shared layout's advice
        assert page.find("link", rel="stylesheet", href="/static/govuk/govuk-frontend.min.css") is not None
        assert page.find("link", rel="stylesheet", href="/static/safeguard/app.css") is not None
        assert page.find("html").get("lang") == "en-GB"
        assert "{%" not in html and "{#" not in html and "comment" not in html
        assert_csp_clean(html, nonce=None)
        assert page.find_all("script") == []


def test_500_through_the_handler(client, ui_urls):
    client.raise_request_exception = False
    response = client.get("/ui-test/boom/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_the_error_pages_use_no_tags_but_their_shared_layout():
    """Nothing that could need the database, a context processor or the static manifest: the two
    pages only fill in the blocks of one standalone layout, which has no tags of its own."""
    import re

    for name in ("500.html", "503.html", "errors/standalone.html"):
        with open(loader.get_template(name).origin.name, encoding="utf-8") as fh:
            tags = {tag.split()[0] for tag in re.findall(r"{%\s*(.*?)\s*%}", fh.read())}
        assert tags <= {"extends", "block", "endblock", "comment", "endcomment"}, (name, tags)


def test_static_assets_are_vendored():
    from django.contrib.staticfiles import finders

    for path in (
        "govuk/govuk-frontend.min.css",
        "govuk/govuk-frontend.min.js",
        "govuk/assets/images/favicon.svg",
        "govuk/assets/manifest.json",
        "vendor/htmx.min.js",
        "safeguard/app.css",
        "safeguard/app.js",
    ):
        assert finders.find(path), path
    css = open(finders.find("govuk/govuk-frontend.min.css"), encoding="utf-8").read()
    assert "GDS Transport" not in css
    assert "system-ui" in css
    assert "/static/govuk/assets/images/" in css
    assert not finders.find("govuk/assets/fonts")


def test_app_js_initialises_govuk_frontend_and_sends_the_csrf_header():
    from django.contrib.staticfiles import finders

    js = open(finders.find("safeguard/app.js"), encoding="utf-8").read()
    assert 'from "../govuk/govuk-frontend.min.js"' in js
    assert "govuk-frontend-supported" in js and "initAll(" in js
    assert 'meta[name="csrf-token"]' in js and "X-CSRFToken" in js
