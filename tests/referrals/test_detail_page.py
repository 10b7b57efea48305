"""The referral page holds the receive, accept, decline and outcome forms at once: every id on it
is unique, so each label points at its own field (a browser filling "Note on accepting" used to
fill the receive form's note, and the accept note was lost)."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

from django.urls import reverse

from safeguard.referrals import services
from tests.factories import access_for


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.labels: dict[str, str] = {}  # label text -> for
        self.forms: dict[str, str] = {}  # id -> action of the form the element is in
        self._label_for = None
        self._action = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._action = attrs.get("action", "")
        if "id" in attrs:
            self.ids.append(attrs["id"])
            self.forms[attrs["id"]] = self._action
        if tag == "label":
            self._label_for = attrs.get("for")

    def handle_endtag(self, tag):
        if tag == "form":
            self._action = ""

    def handle_data(self, data):
        if self._label_for and data.strip():
            self.labels[re.sub(r"\s+", " ", data.strip())] = self._label_for
            self._label_for = None


def test_the_receiving_teams_forms_have_unique_ids_and_the_accept_note_is_kept(client_for, personas, health_child):
    referral = services.referral_open(access=access_for(personas.health_practitioner, health_child), destination="csc",
                                      reason="Partner aged 19")
    mash = client_for(personas.mash_worker)
    page = _Ids()
    page.feed(mash.get(reverse("referrals:detail", args=[referral.pk])).content.decode())
    assert [i for i, n in Counter(page.ids).items() if n > 1] == []
    accept_note = page.labels["Note on accepting (optional)"]
    assert page.forms[accept_note] == reverse("referrals:accept", args=[referral.pk])
    assert page.forms[page.labels["Note (optional)"]] == reverse("referrals:receive", args=[referral.pk])

    response = mash.post(reverse("referrals:accept", args=[referral.pk]), {"note": "Allocated to the duty team"})
    assert response.status_code == 302
    assert referral.events.get(status="accepted").note == "Allocated to the duty team"

    page = _Ids()
    page.feed(mash.get(reverse("referrals:detail", args=[referral.pk])).content.decode())
    assert [i for i, n in Counter(page.ids).items() if n > 1] == []
    assert page.forms[page.labels["Outcome"]] == reverse("referrals:outcome", args=[referral.pk])
