"""Issue 14's journeys: the board's analyst runs the year's report, downloads it as CSV and PDF, and
cannot reach any child page; a named lead sees a new break-glass opening of one of their children
on their dashboard. axe on each new kind of page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility

pytestmark = pytest.mark.browser


class ReportPages:
    def __init__(self, page):
        self.page = page

    def menu(self, name: str) -> None:
        self.page.get_by_role("navigation", name="Menu").get_by_role("link", name=name).click()


def test_the_analyst_runs_the_year_s_report_and_downloads_it_but_sees_no_child(page, sign_in):
    sign_in("analyst")
    pages = ReportPages(page)
    pages.menu("Board report")
    expect(page.get_by_role("heading", name="Report to the safeguarding children board", level=1)).to_be_visible()
    page.get_by_role("button", name="Run report").click()
    expect(page.locator("#report-period")).to_contain_text(" to ")
    screenings = page.get_by_role("table", name="Screenings by outcome band")
    expect(screenings).to_be_visible()
    expect(screenings.get_by_role("row", name="All agencies")).to_be_visible()
    expect(page.get_by_role("img", name="Screenings by outcome band")).to_be_visible()
    check_accessibility(page, "reports-board")

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download as CSV (spreadsheet)").click()
    csv_path = csv_download.value.path()
    text = open(csv_path, encoding="utf-8").read()
    assert csv_download.value.suggested_filename.endswith(".csv")
    assert "Screenings by outcome band" in text and "All agencies" in text

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download as PDF").click()
    assert pdf_download.value.suggested_filename.endswith(".pdf")
    assert open(pdf_download.value.path(), "rb").read(4) == b"%PDF"

    # No child page opens for the analyst: every one is "not found", like a record that does not exist.
    for path in ("/children/1/", "/children/1/chronology/", "/children/2/screenings/", "/missing/children/1/",
                 "/children/search/"):
        response = page.goto(path)
        assert response is not None and response.status == 404, path
        expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Children")).to_have_count(0)


def test_a_named_lead_sees_a_new_break_glass_opening_of_their_child(page, sign_in):
    # Another agency's youth worker finds Jodie Smyth (known to the school) and breaks glass.
    sign_in("youthworker")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Children").click()
    page.get_by_label("Name (optional)", exact=True).fill("Jody Smith")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Request access to possible match 1").click()
    page.get_by_label("Why do you need to open this record?").fill(
        "She came to the youth project with an older man and seemed frightened")
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_role("heading", name="Jodie Smyth", level=1)).to_be_visible()
    page.context.clear_cookies()

    sign_in("schoollead")
    ReportPages(page).menu("Dashboard")
    expect(page.get_by_role("heading", name="Your agency's dashboard", level=1)).to_be_visible()
    expect(page.get_by_role("region", name="Important")).to_contain_text("new break-glass opening")
    opening = page.get_by_role("row").filter(has_text="She came to the youth project")
    expect(opening).to_contain_text("New")
    expect(opening).to_contain_text("Olly Price")
    expect(opening.get_by_role("link", name="Jodie Smyth")).to_be_visible()
    # Meeting and plan actions past their date are there beside the Form B safety actions.
    expect(page.get_by_role("heading", name=re.compile(r"Overdue meeting and plan actions: [1-9]"))).to_be_visible()
    check_accessibility(page, "reports-dashboard")
    page.reload()
    expect(page.get_by_role("row").filter(has_text="She came to the youth project")).not_to_contain_text("New")
