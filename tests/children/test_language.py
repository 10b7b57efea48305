"""The language check on free text: as the user types (htmx) and on save, with 'Keep my wording'."""

from __future__ import annotations

from django import forms
from django.urls import reverse

from safeguard.audit.models import AuditEvent, Verb
from safeguard.children.models import ChronologyEntry, Observation
from safeguard.language.forms import LanguageCheckMixin

from .test_observations import OBSERVATION

ENTRY = {"occurred_on_day": "2", "occurred_on_month": "3", "occurred_on_year": "2025", "source": "seen"}


class NoteForm(LanguageCheckMixin, forms.Form):
    note = forms.CharField(widget=forms.Textarea)
    title = forms.CharField()


def test_mixin_flags_on_save_and_lets_the_writer_keep_it():
    form = NoteForm({"note": "She is streetwise and chose to go with them.", "title": "streetwise"})
    assert not form.is_valid()
    messages = " ".join(form.errors["note"])
    assert (
        "‘streetwise’" in messages and "vulnerable and exposed to situations they cannot control" in messages
    )
    assert "title" not in form.errors  # only textareas are checked unless the form says otherwise
    assert {f.code for f in form.language_flags["note"]} >= {"streetwise", "choice"}

    kept = NoteForm(
        {"note": "She is streetwise and chose to go with them.", "title": "x", "keep_wording": "on"}
    )
    assert kept.is_valid()
    assert kept.language_flags_kept == {"note": ["choice", "streetwise"]}


def test_mixin_never_flags_quoted_words():
    form = NoteForm({"note": 'Her mum said "she is streetwise and knows best".', "title": "x"})
    assert form.is_valid() and form.language_flags == {} and form.language_flags_kept == {}


def test_checked_textareas_ask_for_flags_as_the_user_types():
    html = str(NoteForm())
    assert f'hx-post="{reverse("language:check")}"' in html
    assert 'hx-trigger="keyup changed delay:600ms"' in html
    assert 'hx-target="#id_note-language"' in html and 'id="id_note-language"' in html
    assert 'aria-live="polite"' in html
    assert 'type="hidden" name="keep_wording"' in html  # the box appears only once something is flagged


def test_save_without_javascript_shows_flags_and_keeps_the_text(client_for, personas, school_child):
    client = client_for(personas.practitioner)
    url = reverse("children:entry_add", args=[school_child.pk])
    text = "Jodie is streetwise and refuses to engage with staff."
    page = client.post(url, {**ENTRY, "text": text}).content.decode()
    assert "Check your wording" in page and "‘streetwise’" in page and "‘refuses to engage’" in page
    assert text in page
    assert (
        'type="checkbox" name="keep_wording"' in page
        or 'name="keep_wording"' in page
        and "Keep my wording" in page
    )
    assert not ChronologyEntry.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.LANGUAGE_FLAG_KEPT).exists()


def test_keeping_the_wording_saves_and_records_the_flags_kept(client_for, personas, school_child):
    client = client_for(personas.practitioner)
    url = reverse("children:entry_add", args=[school_child.pk])
    response = client.post(url, {**ENTRY, "text": "Jodie is streetwise.", "keep_wording": "on"})
    assert response.status_code == 302
    entry = ChronologyEntry.objects.get()
    assert entry.language_flags_kept == {"text": ["streetwise"]}
    event = AuditEvent.objects.get(verb=Verb.LANGUAGE_FLAG_KEPT)
    assert event.payload == {"field": "text", "codes": ["streetwise"]}
    assert event.child_id == school_child.pk and event.actor == personas.practitioner
    assert event.target_type == "children.chronologyentry" and event.target_id == str(entry.pk)


def test_observation_quotes_are_not_flagged_but_other_fields_are(client_for, personas, school_child):
    client = client_for(personas.practitioner)
    url = reverse("children:observation_add", args=[school_child.pk])
    # The child's own words in the details are quoted: no flag; the observation saves.
    assert client.post(url, OBSERVATION).status_code == 302
    # The people field is checked as well.
    page = client.post(url, {**OBSERVATION, "people": "Her older boyfriend, 24"}).content.decode()
    assert "Check your wording" in page and Observation.objects.count() == 1


def test_htmx_endpoint_returns_flags_for_the_field_that_asked(client_for, personas):
    client = client_for(personas.practitioner)
    url = reverse("language:check")
    response = client.post(
        url, {"details": "She is promiscuous"}, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="details"
    )
    page = response.content.decode()
    assert response.status_code == 200 and "‘promiscuous’" in page and "You could write" in page
    quoted = client.post(
        url,
        {"details": 'She said "I am not promiscuous"'},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="details",
    )
    assert "promiscuous" not in quoted.content.decode()
    assert client.get(url).status_code == 405


def test_htmx_endpoint_is_for_child_workers_only(client_for, personas):
    client = client_for(personas.analyst)
    assert client.post(reverse("language:check"), {"text": "streetwise"}).status_code == 404
