"""Panel cases, disruption actions and hot spots in the board report, and the local profile, from
the meetings and intelligence apps' records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AuditEvent, Verb
from safeguard.intelligence import services as intelligence
from safeguard.reports.selectors.board import Period
from safeguard.reports.selectors.report import full_board_report
from tests.factories import child as make_child
from tests.intelligence.builders import link, person, place, vehicle


@pytest.fixture
def linked(personas):
    """Six school children: all six seen at the Station Road flat and in the silver car; three of
    them at Riverside Park; two with "Kaz". Two abduction warning notices served by the police."""
    police = personas.police_lead
    kids = [make_child(first_name=f"C{i}", involved=[personas.school, personas.police], lead=personas.school)
            for i in range(6)]
    flat = place(police, "Station Road flat", postcode="SN1 1AA", area="Town centre")
    park = place(police, "Riverside Park", area="Riverside")
    car = vehicle(police, "AB12 CDE")
    kaz = person(police, "Kaz")
    for kid in kids:
        link(police, kid, flat)
        link(police, kid, car)
    for kid in kids[:3]:
        link(police, kid, park)
    for kid in kids[:2]:
        link(police, kid, kaz)
    for _ in range(2):
        intelligence.disruption_record(actor=police, entity=kaz, details=intelligence.DisruptionDetails(
            "cawn_served", timezone.localdate() - timedelta(days=2), "Served at the flat", None))
    return {"kids": kids, "flat": flat, "car": car, "kaz": kaz}


def _period():
    today = timezone.localdate()
    return Period(today - timedelta(days=30), today)


def test_the_board_report_has_disruption_and_hot_spots(personas, linked):
    report = full_board_report(period=_period(), today=timezone.localdate())
    tables = {t.key: t for t in report.tables}
    disruption = tables["disruption"]
    assert disruption.overall[0] == "<5" and dict(disruption.rows)["County Police"][0] == "<5"
    spots = dict(tables["hot_spots"].rows)
    # The flat (6 children) and its area; the park (3) and its area, "<5".
    assert spots["Station Road flat, SN1 1AA"] == ("6",) and spots["Town centre (area)"] == ("6",)
    assert spots["Riverside Park"] == ("<5",)
    assert "3" not in [cell for _, cells in tables["hot_spots"].rows for cell in cells]


def test_the_board_report_leaves_out_handling_code_c_links(personas, linked):
    """Issue 12: a link whose handling code is C goes only where its conditions allow, so the board's
    report, which every agency may download, does not count it; the local profile in the product does."""
    police = personas.police_lead
    hotel = place(police, "Harbour Hotel", postcode="SN2 2BB", area="Docks")
    for kid in linked["kids"][:5]:
        link(police, kid, hotel, handling="C", conditions="Police only: live operation")
    link(police, linked["kids"][5], hotel)
    report = full_board_report(period=_period(), today=timezone.localdate())
    spots = dict({t.key: t for t in report.tables}["hot_spots"].rows)
    assert "Harbour Hotel, SN2 2BB" not in spots  # one permitted link is not a hot spot
    from safeguard.reports.selectors.partners import local_profile

    profile = local_profile(period=_period(), min_children=3)
    assert any(s.label == "Harbour Hotel, SN2 2BB" and s.children == 6 for s in profile.hot_spots)


def test_the_local_profile_ranks_places_vehicles_and_persons(client_for, personas, linked):
    client = client_for(personas.police_lead)
    page = client.get(reverse("reports:local_profile"))
    assert page.status_code == 200
    profile = page.context["profile"]
    assert [(r.label, r.children) for r in profile.vehicles] == [("AB12CDE silver", 6)]
    assert [(r.label, r.children) for r in profile.persons] == [("Kaz", 2)]
    assert profile.hot_spots[0].label == "Station Road flat, SN1 1AA" and profile.hot_spots[0].children == 6
    assert b"No map is drawn" in page.content
    assert AuditEvent.objects.filter(verb=Verb.REPORT_RUN, payload__report="local_profile").count() == 1


def test_the_local_profile_is_for_police_named_leads_and_the_panel(client_for, personas):
    for persona, status in (("police_lead", 200), ("named_lead", 200), ("panel_chair", 200),
                            ("practitioner", 404), ("analyst", 404), ("mash_worker", 404)):
        assert client_for(getattr(personas, persona)).get(reverse("reports:local_profile")).status_code == status


def test_a_configured_tile_server_draws_the_map(client_for, personas, linked, settings):
    linked["flat"].latitude, linked["flat"].longitude = 51.556, -1.780
    linked["flat"].save(update_fields=["latitude", "longitude"])
    settings.SAFEGUARD_MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.SAFEGUARD_MAP_ATTRIBUTION = "© Example"
    page = client_for(personas.police_lead).get(reverse("reports:local_profile"))
    assert b'class="sg-map"' in page.content and b"tiles.example.org" in page.content


def test_the_dashboard_shows_pattern_alerts_the_lead_may_see(client_for, personas, linked):
    from safeguard.intelligence import selectors as intelligence_selectors

    expected = intelligence_selectors.alerts_since(user=personas.named_lead, since=timezone.now() - timedelta(days=30))
    assert expected, "six children around one place and one car raise pattern alerts for the school's lead"
    page = client_for(personas.named_lead).get(reverse("reports:dashboard"))
    assert [a.pk for a in page.context["alerts"]] == [a.pk for a in expected]
    assert expected[0].title.encode() in page.content


def test_the_board_report_counts_panel_cases_by_referring_agency(personas):
    from tests.meetings.builders import panel_case

    kids = [make_child(first_name=f"P{i}", involved=[personas.school], lead=personas.school) for i in range(6)]
    for kid in kids:
        panel_case(personas, kid)
    report = full_board_report(period=_period(), today=timezone.localdate())
    panel = {t.key: t for t in report.tables}["panel"]
    assert panel.header == ("Opened at the panel", "Closed", "Open at the end of the period")
    assert panel.overall[0] == "6" and panel.overall[2] == "6"
    assert dict(panel.rows)[personas.school.name][0] == "6"
    # A period before any case was opened counts none.
    earlier = Period(timezone.localdate() - timedelta(days=90), timezone.localdate() - timedelta(days=60))
    before = {t.key: t for t in full_board_report(period=earlier, today=timezone.localdate()).tables}["panel"]
    assert before.rows == () and before.overall[0] in ("0", 0)
