"""Guidance in the product: the pages pass the product's own language check, the main forms link
to them, the resources directory is edited by administrators (versioned, audited) and "who to call"
lists each agency's named and designated leads with the details they keep themselves."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from safeguard.audit.models import AuditEvent, Verb
from safeguard.guidance import services
from safeguard.guidance.models import Resource
from safeguard.guidance.pages import FORM_HELP, PAGES
from safeguard.rules.language import check


def _text(html: str) -> str:
    main = html.split('id="main-content"', 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace("&quot;", '"').replace("&#x27;", "'")


@pytest.mark.parametrize("page", PAGES, ids=[p.slug for p in PAGES])
def test_every_guidance_page_passes_the_language_check_and_cites_the_handbook(client_for, personas, page):
    response = client_for(personas.practitioner).get(reverse("guidance:page", kwargs={"slug": page.slug}))
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert check(text) == [], f"{page.slug}: {[f.text for f in check(text)]}"
    assert f"handbook § {page.sections}" in text
    assert "§" in text.split("handbook §", 1)[1]  # the body cites sections too


def test_the_language_page_would_be_flagged_without_its_quotation_marks(client_for, personas):
    """The check is really applied: the terms it explains are flagged once unquoted."""
    html = client_for(personas.practitioner).get(reverse("guidance:page", kwargs={"slug": "language"})).content
    text = _text(html.decode()).replace("“", "").replace("”", "")
    assert {f.code for f in check(text)} >= {"streetwise", "absconding", "refuses_to_engage"}


def test_an_unknown_page_is_not_found(client_for, personas):
    assert client_for(personas.practitioner).get(reverse("guidance:page", kwargs={"slug": "nope"})).status_code == 404


@pytest.mark.parametrize(("name", "form_key"), [
    ("screening:new", "form_a"), ("children:observation_add", "observation"),
    ("referrals:assessment_add", "assessment"), ("missing:report", "missing_report"),
])
def test_the_main_forms_link_to_their_guidance(client_for, personas, name, form_key):
    from tests.factories import child as make_child

    kid = make_child(involved=[personas.school], lead=personas.school)
    page = client_for(personas.practitioner).get(reverse(name, kwargs={"child_id": kid.pk}))
    assert page.status_code == 200
    assert reverse("guidance:page", kwargs={"slug": FORM_HELP[form_key]}).encode() in page.content


def test_the_beta_banner_links_to_who_to_call(client_for, personas):
    page = client_for(personas.analyst).get(reverse("home"))
    assert f'href="{reverse("guidance:who_to_call")}">contact your agency' in page.content.decode()


def test_who_to_call_lists_leads_with_their_own_contact_details(client_for, personas, django_assert_max_num_queries):
    client = client_for(personas.named_lead)
    saved = client.post(reverse("guidance:my_contact_details"),
                        {"version": "0", "phone": "01793 000111", "email": "nadia@school.example",
                         "availability": "Weekdays 8 to 4"})
    assert saved.status_code == 302
    with django_assert_max_num_queries(12):
        page = client.get(reverse("guidance:who_to_call"))
    html = page.content.decode()
    assert "Northgate Academy" in html and "01793 000111" in html and "Weekdays 8 to 4" in html
    assert "Named lead" in html and "Designated safeguarding lead" in html  # Dev the DSL
    assert "Tara" not in html  # a practitioner is not listed
    assert AuditEvent.objects.filter(verb=Verb.CONTACT_DETAILS_SAVED, actor=personas.named_lead).count() == 1


def test_contact_details_need_a_way_to_reach_you_and_refuse_a_stale_edit(client_for, personas):
    client = client_for(personas.named_lead)
    empty = client.post(reverse("guidance:my_contact_details"), {"version": "0", "availability": "Mornings"})
    assert b"Give a phone number or an email address" in empty.content and b'value="Mornings"' in empty.content
    client.post(reverse("guidance:my_contact_details"), {"version": "0", "phone": "1"})
    client.post(reverse("guidance:my_contact_details"), {"version": "1", "phone": "2"})
    stale = client.post(reverse("guidance:my_contact_details"), {"version": "1", "phone": "3"})
    assert b"reload" in stale.content
    assert personas.named_lead.contact_details.phone == "2"


def _resource(admin, **changes):
    data = {"name": "NSPCC", "category": "national", "description": "Advice for adults worried about a child",
            "website": "https://www.nspcc.org.uk", "phone": "0808 800 5000", "is_active": True, **changes}
    return services.ResourceData(**data)


def test_the_resources_directory_is_versioned_and_audited(personas):
    entry = services.resource_save(actor=personas.admin, data=_resource(personas.admin))
    entry = services.resource_save(actor=personas.admin, data=_resource(personas.admin, phone="0808 1"),
                                   resource=entry, version=1)
    assert entry.version == 2
    with pytest.raises(services.StaleEdit):
        services.resource_save(actor=personas.admin, data=_resource(personas.admin, phone="x"), resource=entry,
                               version=1)
    assert Resource.objects.get(pk=entry.pk).phone == "0808 1"
    assert AuditEvent.objects.filter(verb=Verb.RESOURCE_SAVED).count() == 2
    with pytest.raises(services.PermissionDenied):
        services.resource_save(actor=personas.named_lead, data=_resource(personas.named_lead))


def test_the_directory_pages(client_for, personas):
    client = client_for(personas.admin)
    form = {"version": "0", "name": "Local youth project", "category": "local",
            "description": "She chooses to go there every week", "website": "www.example.org", "phone": ""}
    flagged = client.post(reverse("guidance:resource_add"), form)
    assert flagged.status_code == 200 and not Resource.objects.exists()  # the language check asks first
    ok = client.post(reverse("guidance:resource_add"), {**form, "description": "Drop-in support for children",
                                                         "is_active": "on"})
    assert ok.status_code == 302
    entry = Resource.objects.get()
    assert entry.website == "https://www.example.org"
    listing = client_for(personas.practitioner).get(reverse("guidance:resources"))
    assert b"Local youth project" in listing.content and b"Change" not in listing.content


def test_form_b_links_to_the_models_page(client_for, personas):
    from django.utils import timezone

    from safeguard.screening.models import FormB
    from tests.factories import child as make_child

    kid = make_child(involved=[personas.csc], lead=personas.csc)
    now = timezone.now()
    form_b = FormB.objects.create(child=kid, created_by=personas.mash_worker, created_at=now,
                                  updated_by=personas.mash_worker, updated_at=now)
    page = client_for(personas.mash_worker).get(reverse("screening:form_b", kwargs={"child_id": kid.pk,
                                                                                   "form_b_id": form_b.pk}))
    assert page.status_code == 200
    assert reverse("guidance:page", kwargs={"slug": FORM_HELP["form_b"]}).encode() in page.content
