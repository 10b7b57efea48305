"""Issue 4's journeys: a school practitioner finds no match, creates a record, records two
observations and a screening; an uninvolved agency finds only "a possible match"; the language
check flags "streetwise" while typing, never inside quotation marks. axe on every page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility

pytestmark = pytest.mark.browser

CHILD_FIRST, CHILD_LAST = "Tayla", "Brennan"


class ChildPages:
    """Page object: the child-record pages, driven by their labels and roles."""

    def __init__(self, page):
        self.page = page

    def search(self, first: str, last: str, born: date | None = None) -> None:
        """The one name box, as a person types a name."""
        self.page.goto("/children/")
        self.page.get_by_label("Name (optional)", exact=True).fill(f"{first} {last}")
        if born:
            self.fill_date("Date of birth", born)
        self.page.get_by_role("button", name="Search").click()

    def fill_date(self, label: str, day: date) -> None:
        group = self.page.get_by_role("group", name=label)
        group.get_by_label("Day").fill(str(day.day))
        group.get_by_label("Month").fill(str(day.month))
        group.get_by_label("Year").fill(str(day.year))

    def record_observation(self, codes: list[str], what: str, when: date) -> None:
        self.page.get_by_role("button", name="Record an observation").click()
        for code in codes:
            self.page.get_by_label(re.compile(rf"^{code} ")).check()
        self.fill_date("Date it happened", when)
        self.page.get_by_label("I saw or heard it myself").check()
        self.page.get_by_label("What happened").fill(what)
        self.page.get_by_role("button", name="Record the observation").click()


def test_school_practitioner_creates_a_child_and_records_two_observations(page, sign_in):
    sign_in("teacher")
    pages = ChildPages(page)
    pages.search(CHILD_FIRST, CHILD_LAST)
    expect(page.get_by_role("heading", name="No matches you can open")).to_be_visible()
    check_accessibility(page, "child-search-no-match")

    page.get_by_role("button", name="Create a new record").click()
    expect(page.get_by_label("First name")).to_have_value(CHILD_FIRST)
    page.get_by_role("button", name="Create the record").click()  # no date of birth yet: allowed
    expect(page.get_by_role("heading", name=f"{CHILD_FIRST} {CHILD_LAST}")).to_be_visible()
    record_url = page.url
    check_accessibility(page, "child-record-new")

    yesterday = date.today() - timedelta(days=1)
    pages.record_observation(["I5"], "New phone and trainers; says an older friend bought them.", yesterday)
    expect(page.get_by_role("heading", name=f"{CHILD_FIRST} {CHILD_LAST}")).to_be_visible()
    pages.record_observation(["I12"], "Seen getting into a car driven by an adult I did not know.", yesterday)
    page.get_by_role("link", name=re.compile(r"See the full chronology")).click()
    expect(page.get_by_role("heading", name="Chronology")).to_be_visible()
    expect(page.get_by_text("I5 ", exact=False).first).to_be_visible()
    expect(page.get_by_text("I12 ", exact=False).first).to_be_visible()
    check_accessibility(page, "child-chronology")

    # The screening: three risk indicators mean Form B and a referral to children's social care.
    page.goto(record_url)
    page.get_by_role("button", name="Complete a screening (Form A)").click()
    expect(page.get_by_label("Child's name")).to_have_value(f"{CHILD_FIRST} {CHILD_LAST}")
    check_accessibility(page, "screening-form-a")
    for label in ("Unexplained absences from school", "Staying out late", "Use of a mobile phone that causes concern"):
        page.get_by_label(label, exact=True).check()
    page.get_by_label("Evidence: Staying out late").fill("Out until 2am on Saturdays, collected by a car.")
    page.get_by_role("group", name="Has a child protection referral been made previously?").get_by_label(
        "No", exact=True).check()
    page.get_by_role("button", name="Submit the screening").click()
    expect(page.locator("#outcome")).to_contain_text("Form B required")
    expect(page.locator("#reasons")).to_contain_text("3 risk indicators (R3, R5, R9)")
    expect(page.locator("#referral-sent")).to_contain_text("A referral to children's social care")
    check_accessibility(page, "screening-result")

    mash = page.context.browser.new_context(base_url=page.url.split("/children/")[0]).new_page()
    sign_in("mash", target=mash)
    expect(mash.locator("#csc-referrals")).to_contain_text(f"{CHILD_FIRST} {CHILD_LAST}")
    check_accessibility(mash, "home-mash-referrals")
    mash.context.close()


def test_an_uninvolved_agency_sees_only_that_a_possible_match_exists(page, sign_in):
    sign_in("youthworker")
    ChildPages(page).search("Jody", "Smith")
    notice = page.locator("#possible-match-elsewhere")
    expect(notice).to_contain_text("A possible match exists in another agency")
    expect(page.get_by_text("Jodie")).to_have_count(0)
    expect(page.get_by_text("Smyth")).to_have_count(0)
    check_accessibility(page, "child-search-possible-match")


def test_the_language_check_flags_as_you_type_but_not_quoted_words(page, sign_in):
    sign_in("teacher")
    ChildPages(page).search("Jodie", "Smyth")
    page.get_by_role("link", name="Jodie Smyth").first.click()
    page.get_by_role("button", name="Record an observation").click()
    box = page.get_by_label("What happened")
    with page.expect_response(lambda r: "/language/check/" in r.url):  # the debounced check has answered
        box.press_sequentially("She said \"I'm streetwise\" and laughed.", delay=5)
    expect(page.get_by_text("Check your wording")).to_have_count(0)
    box.fill("")
    box.press_sequentially("I think she is streetwise", delay=5)
    flags = page.get_by_text("Check your wording")
    expect(flags).to_be_visible()
    check_accessibility(page, "language-flag-while-typing")


def test_creating_the_same_child_twice_needs_a_reason(page, sign_in):
    """Issue 10 item 2: an exact match says so plainly, and a second record needs a reason."""
    born = date(2012, 3, 4)
    sign_in("teacher")
    pages = ChildPages(page)
    pages.search("Rhiannon", "Pryce", born)
    page.get_by_role("button", name="Create a new record").click()
    page.get_by_role("button", name="Create the record").click()
    expect(page.get_by_role("heading", name="Rhiannon Pryce")).to_be_visible()

    pages.search("Pryce", "Rhiannon", born)  # the other way round: still the same child
    expect(page.get_by_text("This looks like the same child")).to_be_visible()
    check_accessibility(page, "child-search-same-child")
    page.get_by_role("button", name="Create a new record").click()
    page.get_by_role("button", name="Create the record").click()
    expect(page.locator("#same-child")).to_contain_text("This looks like the same child")
    expect(page.get_by_label("First name")).to_have_value("Pryce")  # nothing typed is lost
    check_accessibility(page, "child-create-same-child")
    page.get_by_label("First name").fill("Rhiannon")
    page.get_by_label("Last name").fill("Pryce")
    page.get_by_label("Why is this a different child?").fill("Her cousin: same name and birthday, different parents.")
    page.get_by_role("button", name="Create a new record anyway").click()
    expect(page.get_by_role("heading", name="Rhiannon Pryce")).to_be_visible()
    expect(page.get_by_text("The child's record has been created.")).to_be_visible()
