"""The named lead's dashboard: their agency's children by band and risk, what is due or overdue,
break-glass openings (new ones marked), trends; bounded queries; audited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AuditEvent, Verb
from safeguard.reports.selectors import dashboard as dash
from tests.factories import child as make_child
from tests.factories import login_verified
from tests.reports.fixture import episode, form_b, interview, referral, screening


@pytest.fixture
def school_records(personas):
    """Three school children: one significant/high, one concern with no Form B, one never screened.
    One referral still open, one interview overdue, one screening due for review."""
    now = timezone.now()
    teacher, school = personas.practitioner, personas.school
    a, b, c = (make_child(first_name=n, involved=[school], lead=school) for n in ("Amy", "Bea", "Cal"))
    screening(a, school, teacher, "significant", now - timedelta(days=40))
    screening(b, school, teacher, "concern", now - timedelta(days=20), review_due=timezone.localdate() + timedelta(days=3))
    form_b(a, personas.mash_worker, completed=now - timedelta(days=30), risk="high")
    referral(a, school, teacher, destination="csc", sent=now - timedelta(days=10))
    ep = episode(a, school, teacher, when=now - timedelta(days=6), returned_after=timedelta(hours=5))
    interview(ep)  # due 72 hours after the return: overdue
    return a, b, c


def test_dashboard_figures(client_for, personas, school_records, django_assert_max_num_queries):
    client = client_for(personas.named_lead)
    with django_assert_max_num_queries(30):
        page = client.get(reverse("reports:dashboard"))
    assert page.status_code == 200
    grid = page.context["grid"]
    assert grid["total"] == 3
    by_band = {label: (cells, total) for label, cells, total in grid["rows"]}
    assert by_band["Significant risk"] == ([1, 0, 0, 0], 1)  # high
    assert by_band["Concern"] == ([0, 0, 0, 1], 1)  # no Form B
    assert by_band["Not screened"] == ([0, 0, 0, 1], 1)
    assert page.context["reviews"].total == 1
    assert page.context["referrals"].total == 1
    assert page.context["interviews"].total == 1
    trend = page.context["trend"]
    assert len(trend.months) == 12 and trend.months[-1] == timezone.localdate().replace(day=1)
    assert sum(trend.series["Screenings"]) == 2 and sum(trend.series["Missing episodes"]) == 1
    assert 'role="img"' in page.content.decode()
    assert AuditEvent.objects.filter(verb=Verb.DASHBOARD_VIEWED, actor=personas.named_lead).count() == 1


def test_lists_are_bounded_with_their_full_count(personas):
    teacher, school = personas.practitioner, personas.school
    now = timezone.now()
    for i in range(dash.LIST_LIMIT + 5):
        kid = make_child(first_name=f"K{i}", involved=[school], lead=school)
        referral(kid, school, teacher, destination="police", sent=now - timedelta(days=1))
    found = dash.referrals_awaiting_outcome(school.pk)
    assert len(found.items) == dash.LIST_LIMIT and found.total == dash.LIST_LIMIT + 5 and found.more == 5


def test_a_new_break_glass_opening_is_marked_new_until_the_lead_has_looked(client, personas, school_records):
    amy = school_records[0]
    login_verified(client, personas.named_lead)
    first = client.get(reverse("reports:dashboard"))
    assert first.context["break_glass"] == []
    # The outsider (voluntary sector) breaks glass to open Amy's record.
    login_verified(client, personas.outsider)
    client.post(reverse("children:break_glass", kwargs={"child_id": amy.pk}),
                {"reason": "Saw her at the youth project with an older man"})
    login_verified(client, personas.named_lead)
    second = client.get(reverse("reports:dashboard"))
    rows = second.context["break_glass"]
    assert [r.access.user for r in rows] == [personas.outsider] and rows[0].new
    assert second.context["new_break_glass"] == 1
    assert b"1 new break-glass opening" in second.content
    third = client.get(reverse("reports:dashboard"))
    assert not third.context["break_glass"][0].new and third.context["new_break_glass"] == 0


def test_only_named_leads_have_a_dashboard(client_for, personas):
    for person in (personas.practitioner, personas.analyst, personas.admin, personas.mash_worker):
        assert client_for(person).get(reverse("reports:dashboard")).status_code == 404


def test_another_agency_s_children_are_not_counted(personas, school_records):
    make_child(first_name="Other", involved=[personas.health], lead=personas.health)
    assert dash.band_by_risk(personas.school.pk)["total"] == 3
    assert dash.band_by_risk(personas.health.pk)["total"] == 1
    assert dash.reviews_due(personas.health.pk, today=date.today()).total == 0


def test_overdue_meeting_and_plan_actions_of_the_agency_are_listed(client_for, personas, school_records):
    """An action from a strategy discussion owned by the school's teacher, past its date, is on the
    school lead's dashboard; one done, one not yet due and one owned by another agency are not."""
    from safeguard.meetings.models import Action
    from tests.meetings.builders import action, strategy

    amy = school_records[0]
    meeting = strategy(personas, amy)
    late = action(personas, amy, meeting)
    done = action(personas, amy, meeting)
    action(personas, amy, meeting, days=3)  # not yet due
    health = action(personas, amy, meeting, owner=personas.health_practitioner)
    long_ago = timezone.localdate() - timedelta(days=2)
    Action.objects.filter(pk__in=[late.pk, done.pk, health.pk]).update(due_on=long_ago)  # time has passed
    Action.objects.filter(pk=done.pk).update(status=Action.Status.DONE)

    found = dash.overdue_meeting_actions(personas.named_lead, personas.school.pk, today=timezone.localdate())
    assert [a.pk for a in found.items] == [late.pk] and found.total == 1
    page = client_for(personas.named_lead).get(reverse("reports:dashboard"))
    assert page.context["meeting_actions"].total == 1
    html = page.content.decode()
    assert "Overdue meeting and plan actions: 1" in html
    assert reverse("meetings:action", kwargs={"action_id": late.pk}) in html
    assert reverse("meetings:action", kwargs={"action_id": health.pk}) not in html
    api = client_for(personas.named_lead).get(reverse("api:reports-dashboard")).json()
    assert api["counts"]["overdue_meeting_actions"] == 1
