"""Issue 13's journeys: a MASH worker arranges a strategy discussion for a referred child and
invites the school and the sexual health service; each submits its report; the minutes, a signed
decision and an action are recorded; the action's owner sees it on their home page and completes
it. The panel chair builds the panel's VOLT agenda from the demo data. axe on every new kind of page."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility

pytestmark = pytest.mark.browser

LONDON = ZoneInfo("Europe/London")
CHILD = "Chloe Barnes"  # her referral to children's social care is accepted (demo data)


class MeetingPages:
    """Page object: meetings, reports, actions and the risk panel."""

    def __init__(self, page):
        self.page = page

    def menu(self, name: str) -> None:
        self.page.get_by_role("navigation", name="Menu").get_by_role("link", name=name).click()

    def fill_date(self, group_name: str, day) -> None:
        group = self.page.get_by_role("group", name=group_name)
        group.get_by_label("Day").fill(str(day.day))
        group.get_by_label("Month").fill(str(day.month))
        group.get_by_label("Year").fill(str(day.year))

    def section(self, heading_id: str):
        return self.page.locator(f"#{heading_id} ~ *").first


def _meeting_times() -> tuple[datetime, datetime]:
    """Earlier today, so the minutes can be recorded once the meeting has started; start and end on the same day."""
    now = datetime.now(LONDON).replace(second=0, microsecond=0)
    start = now.replace(minute=0) - timedelta(hours=1) if now.hour >= 1 else now.replace(hour=0, minute=0)
    end = min(start + timedelta(hours=1), now.replace(hour=23, minute=59))
    return start, end


def _person(page, sign_in, server, people: dict, username: str):
    """Each person in their own browser context (signed in once), as in the other journeys."""
    if username not in people:
        context = page.context.browser.new_context(base_url=server["url"], viewport={"width": 1200, "height": 900})
        people[username] = sign_in(username, target=context.new_page())
    return people[username]


def test_strategy_discussion_reports_minutes_and_actions(page, sign_in, server):
    people: dict = {}
    start, end = _meeting_times()

    # The MASH worker sees the accepted referral waiting for a strategy discussion and arranges one.
    page = _person(page, sign_in, server, people, "mash")
    pages = MeetingPages(page)
    pages.menu("Meetings")
    expect(page.get_by_role("heading", name="Referrals waiting for a strategy discussion")).to_be_visible()
    check_accessibility(page, "meetings-index")
    page.get_by_role("link", name=f"Arrange a strategy discussion for {CHILD}").click()
    expect(page.get_by_label("Strategy discussion")).to_be_checked()
    check_accessibility(page, "meetings-convene")
    pages.fill_date("Date of the meeting", start.date())
    page.get_by_label("Start time").fill(f"{start:%H:%M}")
    page.get_by_label("End time").fill(f"{end:%H:%M}")
    page.get_by_label("Where").fill("Family Contact Point, meeting room 1")
    page.get_by_role("button", name="Arrange the meeting").click()
    expect(page.get_by_text("The strategy discussion has been arranged")).to_be_visible()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert re.fullmatch(r"Strategy discussion \(meeting \d+\)", heading)
    meeting_url = page.url

    page.get_by_role("link", name="Invite someone").click()
    # The teacher is found by name (no username needed), the nurse by her username.
    page.get_by_label("Name, agency or team").fill("Okafor")
    page.get_by_role("button", name="Search").click()
    found = page.get_by_role("table", name=re.compile("People matching"))
    expect(found).to_contain_text("Northbridge Academy")
    check_accessibility(page, "meetings-invite-finder")
    found.get_by_role("button", name="Invite Tara Okafor").click()
    expect(page.get_by_text("has been invited")).to_be_visible()
    page.get_by_label("Who to invite").fill("nurse")
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_text("has been invited")).to_be_visible()
    page.goto(meeting_url)
    check_accessibility(page, "meetings-detail")
    reports = page.locator("#reports + ul")
    expect(reports).to_contain_text("Northbridge Academy")
    expect(reports).to_contain_text("Northbridge Sexual Health Service")

    # The school and the sexual health service each read the overview and submit their report.
    for username, agency, text in (
        ("teacher", "Northbridge Academy", "Chloe has missed school on four Mondays this term and has a second phone."),
        ("nurse", "Northbridge Sexual Health Service", "Chloe attended the clinic once with an older friend; advice given."),
    ):
        page = _person(page, sign_in, server, people, username)
        page.goto(meeting_url)
        page.get_by_role("link", name=f"{CHILD}: overview before the meeting").click()
        expect(page.get_by_role("heading", name=f"{CHILD}: before the meeting")).to_be_visible()
        expect(page.get_by_text("You can read this record because")).to_be_visible()
        check_accessibility(page, f"meetings-overview-{username}")
        page.goto(meeting_url)
        page.locator("#reports + ul").get_by_role("link", name=agency).click()
        check_accessibility(page, f"meetings-report-{username}")
        page.get_by_label("Your agency's report").fill(text)
        page.get_by_role("button", name="Submit the report").click()
        expect(page.get_by_text("Your report has been submitted.")).to_be_visible()
        expect(page.locator("#report-text")).to_have_text(text)

    # The MASH worker records the minutes, a signed decision and an action for the teacher.
    page = people["mash"]
    pages = MeetingPages(page)
    page.goto(meeting_url)
    expect(page.locator("#reports + ul")).to_contain_text("submitted", ignore_case=True)
    page.get_by_role("link", name="Record the minutes").click()
    page.get_by_label("Minutes").fill("Present: the MASH, the school and the sexual health service. Agreed a plan.")
    page.get_by_role("button", name="Save the minutes").click()
    expect(page.get_by_text("The minutes have been recorded.")).to_be_visible()
    page.get_by_role("link", name="Record a decision").click()
    page.get_by_label("Which child is it about?").select_option(index=1)
    page.get_by_label("Decision", exact=True).fill("Start section 47 enquiries.")
    page.get_by_label("Reasons").fill("Two agencies report older adults around Chloe and missed school.")
    page.get_by_role("button", name="Sign the decision").click()
    expect(page.get_by_text("The decision has been signed.")).to_be_visible()
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Which child is it for?").select_option(index=1)
    page.get_by_label("What is to be done").fill("Check Chloe's attendance every Monday and tell the MASH at once.")
    page.get_by_label("Who will do it").fill("teacher")
    pages.fill_date("Due by", datetime.now(LONDON).date() + timedelta(days=7))
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("The action has been set for Tara Okafor.")).to_be_visible()
    expect(page.locator("#decisions ~ .govuk-summary-card").last).to_contain_text("Start section 47 enquiries.")

    # The teacher sees the action on her home page and completes it.
    page = people["teacher"]
    page.goto("/")
    my_actions = page.locator("#my-actions")
    expect(my_actions).to_contain_text("Check Chloe's attendance every Monday")
    my_actions.get_by_role("link", name=re.compile("Check Chloe's attendance")).click()
    check_accessibility(page, "meetings-action")
    page.get_by_label("Done").check()
    page.get_by_label("Outcome").fill("Attendance checked; Chloe was in school all week.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The action is marked done.")).to_be_visible()
    page.goto("/")
    expect(page.locator("#my-actions")).not_to_contain_text("Check Chloe's attendance every Monday")


def test_the_panel_chair_builds_the_volt_agenda(page, sign_in, server):
    sign_in("panelchair")
    MeetingPages(page).menu("Risk panel")
    expect(page.locator("#panel-cases")).to_contain_text("Kayleigh Ward")
    expect(page.locator("#panel-cases")).to_contain_text("Jade Morris")
    check_accessibility(page, "meetings-panel")
    page.get_by_role("link", name=re.compile(r"Multi-Agency Risk Panel \(meeting \d+\)")).first.click()
    page.get_by_role("button", name="Build the agenda").click()
    expect(page.get_by_text("The agenda has been built from the data.")).to_be_visible()
    victims = page.locator("#volt-victims ~ .govuk-summary-card .govuk-summary-card__title")
    expect(victims.filter(has_text=re.compile(r"^Kayleigh Ward"))).to_have_count(1)
    expect(victims.filter(has_text=re.compile(r"^Jade Morris"))).to_have_count(1)
    expect(victims.filter(has_text=re.compile(r"^Kayleigh Ward"))).to_contain_text("Form B: high risk")
    expect(page.locator("#volt-offenders + ul")).to_contain_text("Carter")  # the brothers of the demo network
    expect(page.locator("#volt-locations + ul")).to_contain_text("Riverside")  # the demo's hot spot
    expect(page.locator("#agenda-trends")).to_contain_text("missing at the same time")
    check_accessibility(page, "meetings-panel-agenda")

    # A panel member sees the panel's children.
    member = page.context.browser.new_context(base_url=server["url"], viewport={"width": 1200, "height": 900})
    page = sign_in("panelmember", target=member.new_page())
    page.goto("/meetings/panel/")
    page.locator("#panel-cases").get_by_role("link", name="Kayleigh Ward").click()
    expect(page.get_by_role("heading", name="Multi-Agency Risk Panel case")).to_be_visible()
