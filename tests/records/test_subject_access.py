"""Subject access: everything held about a child, marked for review, redacted with reasons, released."""

from __future__ import annotations

import io
import json

import pypdf
from django.urls import reverse

from safeguard.audit.models import AuditEvent, Verb
from safeguard.children.models import Child, Observation
from safeguard.records.bundle import CODE_C, SKIPPED, THIRD_PARTY, TOLD_BY_OTHER, _item, subject_access_bundle
from safeguard.records.holdings import NOT_THE_FILE
from safeguard.records.models import SubjectAccessRequest

from .builders import full_file

EXPECTED_KINDS = {
    "children.child", "children.involvement", "children.chronologyitem",
    "children.observation", "children.chronologyentry", "screening.screening", "screening.formb",
    "referrals.referral", "referrals.referralevent", "referrals.assessment", "referrals.decisionrecord",
    "referrals.approval", "missing.episode", "missing.returninterview", "missing.visitor", "missing.profile",
    "missing.profilephoto",
}


def _field(item, name):
    return next(f for f in item.fields if f.name == name)


def test_the_bundle_holds_every_record_type_and_marks_third_party_items(personas):
    kid = full_file(personas).child
    sections = {section.kind: section for section in subject_access_bundle(kid)}
    assert EXPECTED_KINDS <= set(sections)
    # Whatever app a record belongs to: every kind of row pointing at the child is in the bundle.
    for relation in Child._meta.get_fields(include_hidden=True):
        if not ((relation.one_to_many or relation.one_to_one) and relation.auto_created and not relation.concrete):
            continue
        model = relation.related_model
        kind = model._meta.label_lower
        if model._meta.app_label in NOT_THE_FILE or kind in SKIPPED:
            continue
        if model._base_manager.filter(**{relation.field.name: kid}).exists():
            assert kind in sections, f"{kind} is held about the child but missing from the bundle"

    [observation] = sections["children.observation"].items
    assert _field(observation, "people").review == THIRD_PARTY
    assert _field(observation, "details").review == ""  # seen by the recorder: the child's own information
    [entry] = sections["children.chronologyentry"].items
    assert _field(entry, "text").review == TOLD_BY_OTHER and _field(entry, "source_detail").review == THIRD_PARTY
    [visitor] = sections["missing.visitor"].items
    assert visitor.review == THIRD_PARTY
    [episode] = sections["missing.episode"].items
    assert _field(episode, "who_with").review == THIRD_PARTY and _field(episode, "phones").review == THIRD_PARTY
    assert _field(episode, "vehicles").review == ""  # nothing recorded: nothing to review
    [screening] = sections["screening.screening"].items
    assert _field(screening, "referrer_name").review == THIRD_PARTY
    assert _field(sections["children.child"].items[0], "last_name").value == "Łukasiewicz"


def test_intelligence_under_handling_code_c_is_marked_for_review(personas):
    kid = full_file(personas).child
    observation = Observation.objects.get(child=kid)
    observation.handling_code = "C"  # the intelligence app's records carry a handling code
    assert _item(observation, "children.observation", Observation).review == CODE_C
    observation.handling_code = "A"
    assert _item(observation, "children.observation", Observation).review == ""
    del observation.handling_code
    observation.handling = "C"  # the field's name on the intelligence app's links
    assert _item(observation, "children.observation", Observation).review == CODE_C


def test_mark_give_a_reason_release_then_download_as_json_and_pdf(client_for, personas):
    kid = full_file(personas).child
    lead = client_for(personas.named_lead)
    opened = lead.post(reverse("records:sar_open", args=[kid.pk]))
    found = SubjectAccessRequest.objects.get(child=kid)
    assert opened.status_code == 302 and opened.url == reverse("records:sar", args=[kid.pk, found.pk])
    page = lead.get(opened.url)
    assert page.status_code == 200 and "Marked for review" in page.text and "Dean" in page.text
    # Not released yet: nothing can be downloaded.
    assert lead.get(reverse("records:sar_json", args=[kid.pk, found.pk])).status_code == 404

    visitor_key = f"missing.visitor:{kid.visitors.get().pk}"
    observation_field = f"children.observation:{kid.observations.get().pk}:people"
    url = reverse("records:sar_redact", args=[kid.pk, found.pk])
    missing_reason = lead.post(url, {"version": found.version, "item": visitor_key, "reason": ""})
    assert missing_reason.status_code == 400 and "Say why this is withheld" in missing_reason.text
    lead.post(url, {"version": 1, "item": visitor_key, "reason": "A third party who has not agreed"})
    stale = lead.post(url, {"version": 1, "item": observation_field, "reason": "Names another person"})
    assert stale.status_code == 400 and "reload the page" in stale.text
    lead.post(url, {"version": 2, "item": observation_field, "reason": "Names another person"})
    assert found.redactions.count() == 2

    release = reverse("records:sar_release", args=[kid.pk, found.pk])
    unconfirmed = lead.post(release, {"version": 3})
    assert unconfirmed.status_code == 400 and "Confirm you have reviewed" in unconfirmed.text
    assert lead.post(release, {"version": 3, "reviewed": "on"}).status_code == 302
    found.refresh_from_db()
    assert found.status == "released" and found.released_by == personas.named_lead

    bundle = json.loads(lead.get(reverse("records:sar_json", args=[kid.pk, found.pk])).content)
    kinds = {section["kind"]: section for section in bundle["sections"]}
    assert EXPECTED_KINDS <= set(kinds)
    [visitor] = kinds["missing.visitor"]["items"]
    assert set(visitor["fields"].values()) == {"[Withheld]"}
    [observation] = kinds["children.observation"]["items"]
    assert observation["fields"]["people"] == "[Withheld]" and observation["fields"]["details"] == "New phone and clothes"
    assert "Dean" not in json.dumps(kinds["missing.visitor"])

    pdf = lead.get(reverse("records:sar_pdf", args=[kid.pk, found.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Łukasiewicz" in text and "[Withheld]" in text and "Older man called Dean" not in text

    verbs = list(AuditEvent.objects.filter(child_id=kid.pk, verb__startswith="subject_access").values_list("verb",
                                                                                                           flat=True))
    assert sorted(set(verbs)) == sorted({Verb.SUBJECT_ACCESS_OPENED, Verb.SUBJECT_ACCESS_REDACTED,
                                         Verb.SUBJECT_ACCESS_RELEASED})
    exports = AuditEvent.objects.filter(child_id=kid.pk, verb=Verb.EXPORTED).values_list("payload", flat=True)
    assert {p["what"] for p in exports} >= {"subject_access_json", "subject_access_pdf"}
    # Released: it can no longer change.
    late = lead.post(url, {"version": found.version, "item": f"children.child:{kid.pk}:school", "reason": "Late"})
    assert late.status_code == 400 and "released" in late.text


def test_a_withheld_item_is_put_back_once_and_a_stale_or_late_step_is_refused_on_the_page(client_for, personas):
    kid = full_file(personas).child
    lead = client_for(personas.named_lead)
    lead.post(reverse("records:sar_open", args=[kid.pk]))
    found = SubjectAccessRequest.objects.get(child=kid)
    visitor_key = f"missing.visitor:{kid.visitors.get().pk}"
    lead.post(reverse("records:sar_redact", args=[kid.pk, found.pk]),
              {"version": 1, "item": visitor_key, "reason": "A third party who has not agreed"})
    unredact = reverse("records:sar_unredact", args=[kid.pk, found.pk])
    stale = lead.post(unredact, {"version": 1, "item": visitor_key})
    assert stale.status_code == 400 and "reload the page" in stale.text and found.redactions.count() == 1
    put_back = lead.post(unredact, {"version": 2, "item": visitor_key}, follow=True)
    assert put_back.status_code == 200 and "The item will be released." in put_back.text
    assert found.redactions.count() == 0
    again = lead.post(unredact, {"version": 3, "item": visitor_key})
    assert again.status_code == 400 and "That item is not withheld" in again.text
    assert lead.post(unredact, {"version": "x", "item": visitor_key}).status_code == 400  # a bad form: the page again
    released = lead.post(reverse("records:sar_release", args=[kid.pk, found.pk]), {"version": 3, "reviewed": "on"},
                         follow=True)
    assert "The bundle is released" in released.text
    late = lead.post(reverse("records:sar_release", args=[kid.pk, found.pk]), {"version": 4, "reviewed": "on"})
    assert late.status_code == 400 and "released" in late.text


def test_only_a_named_lead_of_an_involved_agency_opens_a_request(client_for, personas):
    kid = full_file(personas).child
    assert client_for(personas.practitioner).post(reverse("records:sar_open", args=[kid.pk])).status_code == 404
    assert client_for(personas.analyst).get(reverse("records:child", args=[kid.pk])).status_code == 404
