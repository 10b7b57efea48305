"""The board report pages: the table beside its chart, CSV and PDF downloads, every run audited,
and the analyst reaching no child-level page at all."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safeguard.accounts.models import Agency, AgencyKind
from safeguard.audit.models import AuditEvent, Verb
from safeguard.reports.exports import csv_cell
from tests.reports.fixture import build

PERIOD = {"first_day": "1", "first_month": "1", "first_year": "2025",
          "last_day": "31", "last_month": "12", "last_year": "2025"}


@pytest.fixture
def analyst_client(client_for, personas):
    build(personas)
    return client_for(personas.analyst)


def test_the_page_offers_the_year_up_to_today_and_runs_nothing_until_asked(analyst_client):
    page = analyst_client.get(reverse("reports:board"))
    assert page.status_code == 200
    assert b"Run report" in page.content
    assert b'id="report-period"' not in page.content
    assert not AuditEvent.objects.filter(verb=Verb.REPORT_RUN).exists()


def test_the_report_shows_tables_with_charts_and_is_audited(analyst_client, personas, django_assert_max_num_queries):
    with django_assert_max_num_queries(45):
        page = analyst_client.get(reverse("reports:board"), PERIOD)
    html = page.content.decode()
    assert page.status_code == 200
    assert "1 January 2025 to 31 December 2025" in html
    assert 'id="table-screenings_band"' in html and 'id="table-cin_factors"' in html
    # Each chart is an image with a title and a description pointing at its table.
    assert html.count('role="img"') == html.count("<caption")
    assert "<title id=" in html and "The table is the full equivalent" in html
    # Small counts never appear as numbers: the school's 3 concern screenings read "<5".
    assert "&lt;5" in html
    event = AuditEvent.objects.get(verb=Verb.REPORT_RUN)
    assert event.actor == personas.analyst
    assert event.payload["first"] == "2025-01-01" and event.payload["format"] == "page"
    assert event.child_id is None


def test_a_period_ending_before_it_starts_is_explained(analyst_client):
    page = analyst_client.get(reverse("reports:board"), {**PERIOD, "last_year": "2024"})
    assert b"The end of the period must be on or after its start" in page.content
    assert not AuditEvent.objects.filter(verb=Verb.REPORT_RUN).exists()


def test_csv_download_has_the_protected_figures_and_no_formulas(analyst_client, personas):
    Agency.objects.filter(pk=personas.school.pk).update(name="=HYPERLINK(\"http://x\")")
    response = analyst_client.get(reverse("reports:board_csv"), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    agencies = {line[2] for line in lines[3:]}
    assert "'=HYPERLINK(\"http://x\")" in agencies
    assert not any(cell.startswith(("=", "+", "@")) for line in lines for cell in line)
    screening_concern = [line for line in lines if line[1] == "Screenings by outcome band" and line[3] == "Concern"]
    assert {line[4] for line in screening_concern} == {"<5", "0"}
    assert AuditEvent.objects.filter(verb=Verb.EXPORTED, payload__format="csv").count() == 1


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+44", "'+44"), ("-3", "'-3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("Health", "Health"), ("<5", "<5"), ("", ""), (None, ""), (7, "7"),
])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(value, expected):
    assert csv_cell(value) == expected


def test_pdf_download(analyst_client):
    Agency.objects.create(name="Łódź Ünïcode Youth Service", kind=AgencyKind.VOLUNTARY)
    response = analyst_client.get(reverse("reports:board_pdf"), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(verb=Verb.EXPORTED, payload__format="pdf").count() == 1


def test_a_download_without_a_valid_period_goes_back_to_the_form(analyst_client):
    response = analyst_client.get(reverse("reports:board_csv"), {**PERIOD, "first_month": "13"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reports:board"))


def _child_urls(resolver=None, namespace=""):
    """Every named URL that takes a child (its route names child_id)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            yield from _child_urls(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name and "child_id" in str(pattern.pattern):
            yield f"{namespace}{pattern.name}", pattern


def test_the_analyst_reaches_no_child_page(client_for, personas):
    """Every URL that shows or changes a child answers 404 (or 403 in the API) to the analyst, for a
    child that exists, built with the authorization matrix's own kwargs for that row."""
    from tests.factories import child as make_child
    from tests.test_authorization_matrix import MATRIX

    client = client_for(personas.analyst)
    checked = 0
    for name, _ in _child_urls():
        # A child of its own for each URL, as the matrix gives each row (one open Form B per child).
        kid = make_child(involved=[personas.school], lead=personas.school)
        ctx = {"child": kid, "personas": personas}
        row = MATRIX[name]
        kwargs = row.kwargs(ctx) if row.kwargs else {"child_id": kid.pk}
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        allowed = {403} if name.startswith("api:") else {404}
        if row.get is None or row.get.for_persona("analyst") == 405:
            allowed.add(405)
        assert response.status_code in allowed, f"{name} answered {response.status_code} to the analyst"
        checked += 1
    assert checked > 20
