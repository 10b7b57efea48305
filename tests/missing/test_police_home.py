"""The police home page shows what is new in the police inbox, with counts (issue 10 item 9)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from safeguard.missing.models import PoliceSubmission
from tests.factories import child as make_child


def _sent(personas, child, kind, *, received=False):
    now = timezone.now()
    return PoliceSubmission.objects.create(
        kind=kind, child=child, recipient_agency=personas.police, recipient="Missing-person coordinators",
        sent_by=personas.residential_worker, sending_agency=personas.residential, sent_at=now,
        received_by=personas.police_lead if received else None, received_at=now if received else None,
    )


def test_the_police_home_page_lists_new_inbox_items_with_counts(personas, cared_for, client_for,
                                                                 django_assert_max_num_queries):
    other = make_child(first_name="Jade", last_name="Morris", involved=[personas.residential])
    _sent(personas, cared_for, PoliceSubmission.Kind.PROFILE)
    _sent(personas, other, PoliceSubmission.Kind.INTERVIEW_FORM)
    _sent(personas, other, PoliceSubmission.Kind.INTERVIEW_FORM)
    _sent(personas, cared_for, PoliceSubmission.Kind.NO_INTERVIEW, received=True)
    client = client_for(personas.police_lead)
    client.get(reverse("home"))
    with django_assert_max_num_queries(20):
        home = client.get(reverse("home")).content.decode()
    assert "New in the police inbox" in home
    assert "3 new: 2 × return interview form; 1 × profile of a missing child" in home
    assert "Profile of a missing child: Kayleigh Brown" in home and "Return interview form: Jade Morris" in home
    assert "No return interview" not in home  # already received
    assert reverse("missing:police_inbox") in home

    # Someone who is not a police lead sees no police inbox on their home page.
    assert "New in the police inbox" not in client_for(personas.mash_worker).get(reverse("home")).content.decode()


def test_nothing_new_says_so(personas, client_for):
    home = client_for(personas.police_lead).get(reverse("home")).content.decode()
    assert "New in the police inbox" in home and "Nothing new has been sent to your force." in home
