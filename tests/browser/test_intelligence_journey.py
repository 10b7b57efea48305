"""Issue 12's journey: a school practitioner records that Jodie was picked up in a silver car AB12 CDE;
a residential worker records the same car at Kayleigh's return; the police lead and both agencies'
named leads have an alert; the police lead opens it, sees the network drawn and as a table, and
records a disruption; the youth worker (not involved) sees neither child by name. axe on each new
kind of page. And the visitor log's picker: a caller's number already recorded is picked by typing."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility

pytestmark = pytest.mark.browser

LONDON = ZoneInfo("Europe/London")
ALERT = "Vehicle AB12CDE silver is linked to 2 children"


class IntelligencePages:
    """Page object: the child record, the link form with its picker, the return form, alerts."""

    def __init__(self, page):
        self.page = page

    def menu(self, name: str) -> None:
        self.page.get_by_role("navigation", name="Menu").get_by_role("link", name=name).click()

    def open_child(self, full_name: str) -> None:
        self.menu("Children")
        self.page.get_by_label("Name (optional)", exact=True).fill(full_name)
        self.page.get_by_role("button", name="Search").click()
        self.page.get_by_role("table", name="Records that may be this child").get_by_role(
            "link", name=full_name).click()
        expect(self.page.get_by_role("heading", name=full_name, level=1)).to_be_visible()

    def fill_date(self, group_label: str, moment: datetime) -> None:
        local = moment.astimezone(LONDON)
        group = self.page.get_by_role("group", name=group_label)
        group.get_by_label("Day").fill(str(local.day))
        group.get_by_label("Month").fill(str(local.month))
        group.get_by_label("Year").fill(str(local.year))

    def answer(self, question: str, choice: str) -> None:
        self.page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()


def test_one_car_around_two_girls_raises_an_alert_the_police_act_on(page, sign_in, server):
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    pages = IntelligencePages(page)

    first_page = page

    def person(username: str):
        """Each person in a browser of their own, signed in."""
        nonlocal page, pages
        if page is not first_page:
            page.context.close()
        page = first_page.context.browser.new_context(base_url=server["url"], viewport={"width": 1200, "height": 900}).new_page()
        pages = IntelligencePages(page)
        sign_in(username, target=page)

    # 1. The school practitioner records that Jodie was picked up in a silver car, AB12 CDE.
    sign_in("teacher")
    pages.open_child("Jodie Smyth")
    page.get_by_role("link", name="Link to a person, vehicle, phone, account or place").click()
    expect(page.get_by_role("heading", name="Link the child to a person, vehicle, phone, account or place")).to_be_visible()
    page.get_by_label("Search by registration, phone number, handle, postcode or name").fill("AB12 CDE")
    expect(page.get_by_role("status")).to_contain_text("Nothing recorded matches")  # found as you type (htmx)
    check_accessibility(page, "intelligence-link-form")
    page.get_by_role("link", name="Record a new person, vehicle, phone, account or place").click()
    page.get_by_role("group", name="What are you recording?").get_by_label("Vehicle", exact=True).check()
    page.get_by_label("Registration").fill("ab12 cde")
    page.get_by_label("Colour").fill("Silver")
    check_accessibility(page, "intelligence-entity-form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_label("AB12CDE silver (vehicle)")).to_be_checked()
    page.get_by_label("How are they linked?").select_option(label="Picked up by")
    pages.fill_date("When was this?", now - timedelta(days=1))
    page.get_by_label("What happened").fill("Seen getting into the car at the Mill Lane gate after school.")
    page.get_by_role("button", name="Save the link").click()
    expect(page.get_by_text("has been linked to AB12CDE silver")).to_be_visible()
    expect(page.get_by_role("table", name="Links")).to_contain_text("Picked up by AB12CDE silver")

    # 2. The residential worker reports Kayleigh missing, and at her return picks the same car.
    person("residential")
    pages.open_child("Kayleigh Ward")
    page.get_by_role("link", name="Report missing or absent").click()
    pages.answer("Is the child absent or missing?", "Missing")
    last_seen = (now - timedelta(hours=8)).astimezone(LONDON)
    pages.fill_date("Date the child was last seen", last_seen)
    page.get_by_label("Time the child was last seen").fill(f"{last_seen:%H:%M}")
    pages.answer("Has the child been reported missing to the police?", "No")
    page.get_by_role("button", name="Record the episode").click()
    page.get_by_role("button", name="Record the return").click()
    back = (now - timedelta(hours=1)).astimezone(LONDON)
    pages.fill_date("Date the child was found or came back", back)
    page.get_by_label("Time the child was found or came back").fill(f"{back:%H:%M}")
    page.get_by_label("Vehicles").fill("Silver car, dropped off at the gate")
    page.get_by_label("Search by registration, phone number, handle, postcode or name").fill("AB12")
    page.get_by_label("AB12CDE silver (vehicle)").check()
    for question in ("Was the child hurt or harmed, or is this believed?",
                     "Did the child engage in criminal activity, or is this believed?",
                     "Does the child have known mental health issues or learning disabilities?"):
        pages.answer(question, "No")
    pages.answer("Was the child in contact with people who pose a risk to children?", "Yes")
    check_accessibility(page, "intelligence-return-form-picker")
    page.get_by_role("button", name="Record the return").click()
    expect(page.get_by_text("The return has been recorded")).to_be_visible()

    # 3. Both agencies' named leads have the alert; Jodie's lead sees Kayleigh only as a child known to
    #    the home, and the home's lead sees Jodie only as a child known to the school.
    for lead, named, unnamed in (("schoollead", "Jodie Smyth", "Kayleigh Ward"),
                                 ("unitmanager", "Kayleigh Ward", "Jodie Smyth")):
        person(lead)
        page.goto("/intelligence/alerts/")
        page.get_by_role("link", name=ALERT).click()
        expect(page.get_by_role("heading", name=ALERT)).to_be_visible()
        expect(page.locator("main")).to_contain_text(named)
        expect(page.locator("main")).not_to_contain_text(unnamed)
        expect(page.locator("main")).to_contain_text("A child known to")

    # 4. The police lead opens the alert from the menu, sees the network drawn and as a table, and
    #    records a vehicle stop.
    person("police")
    pages.menu("Intelligence")
    page.get_by_role("link", name="Alerts").click()
    page.get_by_role("link", name=ALERT).click()
    alert_url = page.url
    expect(page.locator("#network-drawing canvas").first).to_be_attached()  # cytoscape drew it
    table = page.get_by_role("table", name="Who and what is in the network")
    expect(table).to_contain_text("Jodie Smyth")
    expect(table).to_contain_text("Kayleigh Ward")
    expect(table).to_contain_text("AB12CDE silver")
    check_accessibility(page, "intelligence-alert")
    page.get_by_role("link", name="Record a disruption action").click()
    page.get_by_label("Vehicle stop").check()
    pages.fill_date("Date of the action", now)
    page.get_by_label("Outcome").fill("Stopped on the ring road; driver spoken to and warned, details taken.")
    check_accessibility(page, "intelligence-disruption-form")
    page.get_by_role("button", name="Record the action").click()
    expect(page.get_by_text("The disruption action has been recorded")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Vehicle stop")
    page.get_by_role("link", name="Open the network on its own page").click()
    network_url = page.url
    check_accessibility(page, "intelligence-network")

    # 5. The youth worker, involved with neither girl, sees neither the alert nor the network, and no name.
    person("youthworker")
    for url in (alert_url, network_url):
        page.goto(url)
        expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
        expect(page.locator("body")).not_to_contain_text("Jodie")
        expect(page.locator("body")).not_to_contain_text("Kayleigh")


def test_a_caller_s_number_is_picked_on_the_visitor_log_and_linked_to_the_child(page, sign_in):
    """Issue 12 item 2: the residential worker records a man who phoned the home for Jade, types part
    of his number in the picker, picks the phone already recorded (Ryan Carter's, case study 3) and
    saves; the link is on the visit, on the phone's page and on Jade's intelligence page. Jade and the
    phone are already in one demo network and the phone's alert was raised for Chloe and Megan, so
    the link raises no alert and changes nothing the other journeys read from the shared demo."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    pages = IntelligencePages(page)
    sign_in("residential")
    pages.open_child("Jade Morris")
    page.get_by_role("link", name="Episodes, callers and visitors").click()
    page.get_by_role("button", name="Record a caller or visitor").click()
    expect(page.get_by_role("heading", name="Record a caller or visitor", level=1)).to_be_visible()
    pages.answer("How did they make contact?", "Phoned")
    called = now - timedelta(hours=2)
    pages.fill_date("Date", called)
    page.get_by_label("Time", exact=True).fill(f"{called.astimezone(LONDON):%H:%M}")
    page.get_by_label("Name they gave").fill("Ryan")
    page.get_by_label("Description of the person").fill("A man rang the home asking for Jade by name; he would "
                                                        "not say how he knew her and rang off when asked.")
    page.get_by_role("textbox", name=re.compile(r"^Phone number")).fill("07700 900321")  # not the search box
    page.get_by_label("Search by registration, phone number, handle, postcode or name").fill("900321")
    number = page.get_by_label(re.compile(r"^07700 900321 \(phone"))  # found as you type (htmx)
    number.check()
    check_accessibility(page, "intelligence-visitor-picker")
    page.get_by_role("button", name="Record them").click()
    expect(page.get_by_text("The caller or visitor has been recorded.")).to_be_visible()

    page.get_by_role("link", name=re.compile(r"Ryan, phoned")).click()
    expect(page.get_by_role("heading", name="Caller or visitor", level=1)).to_be_visible()
    page.get_by_role("link", name="07700 900321").click()
    expect(page.get_by_role("heading", name="07700 900321", level=1)).to_be_visible()
    expect(page.get_by_role("table", name="Links")).to_contain_text("Jade Morris: called or messaged by")
    expect(page.locator("main")).not_to_contain_text("Chloe")  # the school's children stay unnamed to the home

    pages.open_child("Jade Morris")
    page.get_by_role("link", name="Intelligence on this child").click()
    expect(page.get_by_role("table", name="Links")).to_contain_text("Called or messaged by 07700 900321")
