"""Issue 6's journeys: a residential worker reports a child missing and records the return 30 hours
later; the interview is required, with the priority reason "over 24 hours" and its due time; an
independent interviewer (the Family Contact Point) completes it and sends it to the police, whose
inbox has it. A unit manager sees the demo's Risk Management Group list, two children missing
together and the profile for the police. axe on every new kind of page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility

pytestmark = pytest.mark.browser

LONDON = ZoneInfo("Europe/London")  # settings.TIME_ZONE: what the pages show and the forms read
CHILD = "Jade Morris"  # 15, at Hillside Children's Home (demo data)


def shown(moment: datetime) -> str:
    """How the pages print a moment: "j F Y, H:i" in local time."""
    local = moment.astimezone(LONDON)
    return f"{local.day} {local:%B %Y, %H:%M}"


class MissingPages:
    """Page object: the child record, missing episodes, return interviews and the police inbox."""

    def __init__(self, page):
        self.page = page

    def menu(self, name: str) -> None:
        self.page.get_by_role("navigation", name="Menu").get_by_role("link", name=name).click()

    def open_child(self, full_name: str) -> None:
        first, last = full_name.split(" ", 1)
        self.menu("Children")
        self.page.get_by_label("Name (optional)", exact=True).fill(f"{first} {last}")
        self.page.get_by_role("button", name="Search").click()
        results = self.page.get_by_role("table", name="Records that may be this child")
        results.get_by_role("link", name=full_name).click()
        expect(self.page.get_by_role("heading", name=full_name, level=1)).to_be_visible()

    def fill_moment(self, date_label: str, time_label: str, moment: datetime) -> None:
        local = moment.astimezone(LONDON)
        group = self.page.get_by_role("group", name=date_label)
        group.get_by_label("Day").fill(str(local.day))
        group.get_by_label("Month").fill(str(local.month))
        group.get_by_label("Year").fill(str(local.year))
        self.page.get_by_label(time_label).fill(f"{local:%H:%M}")

    def answer(self, question: str, choice: str) -> None:
        self.page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()

    def summary_row(self, key: str):
        return self.page.locator(".govuk-summary-list__row").filter(
            has=self.page.locator("dt", has_text=re.compile(rf"^{re.escape(key)}$"))
        )


def test_report_return_independent_interview_and_police_inbox(page, sign_in, server):
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    last_seen = now - timedelta(hours=31)
    returned = last_seen + timedelta(hours=30)  # an hour ago
    due = returned + timedelta(hours=72)
    pages = MissingPages(page)

    # The residential worker at Hillside reports Jade missing from the home.
    sign_in("residential")
    pages.open_child(CHILD)
    page.get_by_role("link", name="Report missing or absent").click()
    expect(page.get_by_role("heading", name="Report the child missing or absent")).to_be_visible()
    expect(page.get_by_label("Care (residential or foster)")).to_be_checked()  # she is looked after
    expect(page.get_by_label("Missing", exact=True)).to_be_checked()
    check_accessibility(page, "missing-report-form")
    pages.fill_moment("Date the child was last seen", "Time the child was last seen", last_seen)
    page.get_by_label("Where the child was last seen").fill("Bus stop outside Hillside, Hill Road")
    page.get_by_label("What happened").fill("Did not come back from the shop. Pink hoodie, blue jeans.")
    pages.answer("Has the child been reported missing to the police?", "Yes")
    pages.fill_moment("Date reported to the police", "Time reported to the police", last_seen + timedelta(hours=2))
    page.get_by_label("Police reference").fill("MP/2026/0999")
    page.get_by_role("button", name="Record the episode").click()
    expect(page.get_by_text("The episode has been recorded.")).to_be_visible()
    expect(page.get_by_role("heading", name="Missing now", level=1)).to_be_visible()
    expect(pages.summary_row("Last seen")).to_contain_text(shown(last_seen))
    check_accessibility(page, "missing-episode-open")

    # She comes back 30 hours after she was last seen.
    page.get_by_role("button", name="Record the return").click()
    expect(page.get_by_role("heading", name="Record the child's return")).to_be_visible()
    check_accessibility(page, "missing-return-form")
    pages.fill_moment("Date the child was found or came back", "Time the child was found or came back", returned)
    page.get_by_label("Where were they found, or where had they been?").fill("Came back to Hillside on her own")
    for question in ("Was the child hurt or harmed, or is this believed?",
                     "Did the child engage in criminal activity, or is this believed?",
                     "Was the child in contact with people who pose a risk to children?",
                     "Does the child have known mental health issues or learning disabilities?"):
        pages.answer(question, "No")
    page.get_by_label("Their appearance on return").fill("Tired and hungry; said she stayed at a friend's.")
    page.get_by_role("button", name="Record the return").click()

    # The interview the rules ask for: required, a priority because she was missing over 24 hours.
    expect(page.get_by_role("heading", name="Return interview required", level=1)).to_be_visible()
    expect(pages.summary_row("Interview")).to_contain_text("Priority")
    expect(pages.summary_row("Why")).to_contain_text("Missing for over 24 hours (handbook §14.1)")
    expect(pages.summary_row("Due by")).to_have_text(re.compile(re.escape(shown(due))))
    expect(pages.summary_row("Status")).to_have_text(re.compile("Not yet done"))
    expect(page.get_by_text("You work for the agency that reported the episode")).to_be_visible()
    interview_path = page.url.removeprefix(server["url"])
    check_accessibility(page, "missing-interview-required")

    # An interviewer independent of the home: the Family Contact Point, in a browser of their own.
    mash = page.context.browser.new_context(base_url=server["url"], viewport={"width": 1200, "height": 900}).new_page()
    sign_in("mash", target=mash)
    mash.goto(interview_path)
    interviewer = MissingPages(mash)
    expect(mash.get_by_role("heading", name="Return interview required", level=1)).to_be_visible()
    mash.get_by_role("button", name="Record what happened").click()
    expect(mash.get_by_role("heading", name="Record the return interview")).to_be_visible()
    check_accessibility(mash, "missing-interview-outcome-form")
    mash.get_by_label("Completed: I did the interview").check()
    interviewer.fill_moment("Date of the interview", "Time of the interview", returned + timedelta(minutes=30))
    mash.get_by_label("What the child said").fill(
        "Jade said she stayed with \"a mate from school\" and her phone died. She would not give the address.")
    mash.get_by_label("Risks identified").fill("Will not say where she stayed; an unknown address.")
    mash.get_by_label("Actions agreed").fill("Hillside to update her profile; social worker to visit this week.")
    mash.get_by_role("button", name="Record it").click()
    expect(mash.get_by_text("What happened has been recorded. Now send it to the police.")).to_be_visible()
    expect(interviewer.summary_row("Status")).to_contain_text("Completed")
    expect(interviewer.summary_row("Interviewer")).to_contain_text("Maya Brooks, Northbridge Family Contact Point")
    mash.get_by_role("button", name="Send to the police").click()
    expect(mash.get_by_text(re.compile(r"^Sent to Missing-person coordinators, Eastmoor Police"))).to_be_visible()
    expect(mash.get_by_role("button", name="Send it again")).to_be_visible()
    check_accessibility(mash, "missing-interview-sent")
    mash.context.close()

    # The police CSE lead: it is in the inbox.
    police = page.context.browser.new_context(base_url=server["url"], viewport={"width": 1200, "height": 900}).new_page()
    sign_in("police", target=police)
    MissingPages(police).menu("Police inbox")
    expect(police.get_by_role("heading", name="Police inbox", level=1)).to_be_visible()
    row = police.get_by_role("row").filter(has_text=CHILD).filter(has_text="Return interview form")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("New")
    check_accessibility(police, "police-inbox")
    row.get_by_role("link", name="Return interview form").click()
    expect(police.get_by_role("heading", name="Missing person return interview form", level=1)).to_be_visible()
    expect(police.get_by_text("Jade said she stayed with")).to_be_visible()
    check_accessibility(police, "police-submission")
    police.get_by_role("button", name="Mark as received").click()
    expect(police.get_by_text("Marked as received.")).to_be_visible()
    police.context.close()


def test_unit_manager_sees_the_review_list_children_missing_together_and_the_profile(page, sign_in):
    pages = MissingPages(page)
    sign_in("unitmanager")
    pages.menu("Missing")
    expect(page.get_by_role("heading", name="Missing children: review list", level=1)).to_be_visible()
    kayleigh = page.get_by_role("row").filter(has=page.get_by_role("link", name="Kayleigh Ward"))
    expect(kayleigh).to_contain_text("Review")  # flagged: three episodes in 90 days
    check_accessibility(page, "missing-review-list")

    kayleigh.get_by_role("link", name="Kayleigh Ward").click()
    expect(page.get_by_role("heading", name="Missing episodes, visitors and profile", level=1)).to_be_visible()
    episodes = page.get_by_role("table", name="Episodes")
    expect(episodes.get_by_text("Overdue", exact=True)).to_have_count(1)
    check_accessibility(page, "missing-child")

    page.get_by_role("link", name=re.compile(r"^\d+ \w+ \d{4} \d\d:\d\d: Dee, came to the home")).click()
    expect(page.get_by_role("heading", name="Caller or visitor", level=1)).to_be_visible()
    check_accessibility(page, "missing-visitor")
    page.go_back()

    # The episode whose interview is overdue: missing with Jade. (Other journeys may add later episodes
    # for Kayleigh to the shared demo, so the row is found by what it says, not by its place.)
    episodes.get_by_role("row").filter(has=page.get_by_text("Overdue", exact=True)).get_by_role("link").click()
    expect(page.get_by_role("heading", name="Missing episode", level=1)).to_be_visible()
    expect(page.get_by_text("Other children were missing at the same time")).to_be_visible()
    together = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=re.compile(r"Jade Morris")))
    # What they share reads as recorded, never as an internal key (issue 10 item 8).
    expect(together).to_contain_text("vehicle “KX19 WKA”")
    expect(together).to_contain_text("placement “Hillside Children's Home (residential)”")
    expect(together).not_to_contain_text("hillside children s home")
    expect(together).not_to_contain_text("kx19wka")
    check_accessibility(page, "missing-episode-together")
    page.get_by_role("button", name="Return interview").click()
    expect(page.get_by_text("This interview is overdue")).to_be_visible()
    expect(pages.summary_row("Interviewer")).to_contain_text("Erin Doyle")

    pages.open_child("Kayleigh Ward")
    page.get_by_role("link", name="Profile for the police").click()
    expect(page.get_by_role("heading", name="Profile for the police", level=1)).to_be_visible()
    expect(pages.summary_row("Vehicles seen")).to_contain_text("KX19 WKA")
    check_accessibility(page, "missing-profile")
