"""The write gate for missing episodes: services take the policy's ChildAccess as proof, and a
request enters the access policy once."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from safeguard.access import policy
from safeguard.audit.models import AuditEvent, Verb
from safeguard.children.models import ChronologyItem
from safeguard.missing import services
from safeguard.missing.models import Episode, PoliceSubmission

from .builders import access_for
from .conftest import at
from .test_journey import REPORT


def _report() -> services.EpisodeReport:
    return services.EpisodeReport(missing_from="care", last_seen_at=timezone.now() - timedelta(hours=2))


def test_episode_report_refuses_an_access_that_may_not_change_the_file(personas, cared_for, clock):
    clock(at(3, 18))
    seeing_only = replace(access_for(personas.residential_worker, cared_for), can_change=False)
    with pytest.raises(PermissionDenied):
        services.episode_report(access=seeing_only, report=_report())
    assert not Episode.objects.exists()
    assert not ChronologyItem.objects.filter(child=cared_for).exists()
    assert not AuditEvent.objects.filter(verb=Verb.EPISODE_REPORTED).exists()


def test_episode_report_refuses_a_merged_away_record(personas, cared_for, clock):
    clock(at(3, 18))
    access = access_for(personas.residential_worker, cared_for)
    access.child.merged_into_id = access.child.pk  # as a merge would leave it (not saved)
    with pytest.raises(PermissionDenied):
        services.episode_report(access=access, report=_report())
    assert not Episode.objects.exists()


def test_reporting_a_child_missing_enters_the_access_policy_once(sign_in, personas, cared_for, clock):
    clock(at(3, 18))
    services.profile_update(access=access_for(personas.residential_worker, cared_for),
                            data=services.ProfileData(description="Slim, dark hair"))  # a profile to send
    client = sign_in(personas.residential_worker)
    with (
        mock.patch.object(policy, "access_reason", wraps=policy.access_reason) as decided,
        mock.patch("safeguard.missing.views._common.child_for_user", wraps=policy.child_for_user) as gate,
    ):
        response = client.post(reverse("missing:report", args=[cared_for.pk]), {**REPORT, "send_profile": "on"})
    assert response.status_code == 302, response.content.decode()
    assert gate.call_count == 1
    assert decided.call_count == 1
    episode = Episode.objects.get()
    # The same single access also carried the profile to the police inbox.
    assert PoliceSubmission.objects.filter(child=cared_for, kind=PoliceSubmission.Kind.PROFILE, episode=episode).exists()


def test_the_file_records_the_episode_with_its_own_address_and_summary(personas, cared_for, clock):
    clock(at(3, 18))
    episode = services.episode_report(
        access=access_for(personas.residential_worker, cared_for),
        report=services.EpisodeReport(
            missing_from="care", classification="absent", last_seen_at=at(3, 16), last_seen_where="Bus station"
        ),
    )
    item = ChronologyItem.objects.get(child=cared_for, kind=ChronologyItem.Kind.MISSING_EPISODE)
    assert item.url == reverse("missing:episode", args=[cared_for.pk, episode.pk]) == episode.get_absolute_url()
    assert item.summary == "Reported absent from care (residential or foster); last seen at Bus station"
    assert item.author == personas.residential_worker and item.agency == personas.residential

