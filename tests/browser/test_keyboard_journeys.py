"""Keyboard-only journeys (issue 16 item 5), as Form A's (test_keyboard_form_a.py): recording an
observation, a referral decision and a missing report with Tab, Enter, Space, the arrow keys and
typing alone, no mouse. Sign-in is the fixture's; from then on only keys.

The observation is first sent without what happened: the error summary takes the focus, its link
takes the keyboard to the box, and nothing already typed is lost (handbook §17: a record that
stands on its own)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility
from tests.browser.keyboard import choose_by_arrows, enter_and_wait, focused, tab_to, type_date

pytestmark = pytest.mark.browser

OBSERVED_CHILD = "Megan Hart"  # the teacher's school (demo data); no other journey records for her


def open_child_by_keyboard(page, full_name: str) -> None:
    page.goto("/children/")
    tab_to(page, "Name", tags=("INPUT",))
    page.keyboard.type(full_name)
    enter_and_wait(page)
    tab_to(page, full_name, tags=("A",), exact=True)
    enter_and_wait(page)
    expect(page.get_by_role("heading", name=full_name, level=1)).to_be_visible()


def test_an_observation_with_the_keyboard_alone(page, sign_in):
    sign_in("teacher")
    open_child_by_keyboard(page, OBSERVED_CHILD)
    tab_to(page, "Record an observation", tags=("A", "BUTTON"), exact=True)
    enter_and_wait(page)
    expect(page.get_by_role("heading", name="Record an observation")).to_be_visible()

    # When it happened comes before the 52 indicators (the form's field order).
    type_date(page, date.today() - timedelta(days=1))
    tab_to(page, "Time it happened", tags=("INPUT",))
    page.keyboard.type("16:40")
    tick = tab_to(page, "I5 unexplained gifts", tags=("INPUT",))
    assert tick["type"] == "checkbox"
    page.keyboard.press("Space")
    expect(page.get_by_label(re.compile(r"^I5 unexplained gifts"))).to_be_checked()
    how = page.get_by_role("group", name="How do you know?")
    first = tab_to(page, "I saw or heard it myself", tags=("INPUT",))
    assert first["type"] == "radio"
    page.keyboard.press("Space")
    expect(how.get_by_label("I saw or heard it myself", exact=True)).to_be_checked()
    tab_to(page, "Record the observation", tags=("BUTTON", "INPUT"))
    enter_and_wait(page)  # what happened is still empty

    # The error summary has the focus; its link takes the keyboard to the box; nothing typed is lost.
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say what happened")
    assert page.evaluate("() => !!document.activeElement.closest('.govuk-error-summary')")
    expect(page.get_by_label(re.compile(r"^I5 unexplained gifts"))).to_be_checked()
    expect(page.get_by_label("Time it happened")).to_have_value("16:40")
    tab_to(page, "Say what happened", tags=("A",))
    page.keyboard.press("Enter")
    assert focused(page)["tag"] == "TEXTAREA" and focused(page)["text"].startswith("What happened")
    page.keyboard.type("A new phone and a designer coat; she says an older friend gave them to her.")
    tab_to(page, "Record the observation", tags=("BUTTON", "INPUT"))
    enter_and_wait(page)
    expect(page.get_by_text("Your observation has been recorded.")).to_be_visible()
    expect(page.get_by_role("heading", name=OBSERVED_CHILD, level=1)).to_be_visible()
    check_accessibility(page, "keyboard-observation-recorded")


def test_a_referral_decision_with_the_keyboard_alone(page, sign_in):
    sign_in("teacher")
    open_child_by_keyboard(page, OBSERVED_CHILD)
    tab_to(page, "Record a decision (to refer or not", tags=("A",))
    enter_and_wait(page)
    expect(page.get_by_role("heading", name="Record a decision")).to_be_visible()

    about = page.get_by_role("group", name="What is the decision about?")
    first = tab_to(page, "Not to refer", tags=("INPUT",), exact=True)  # the first option of the group
    assert first["type"] == "radio"
    choose_by_arrows(page, about, "To refer")
    which = tab_to(page, "For a decision to refer or not", tags=("SELECT",))
    assert which["tag"] == "SELECT"
    page.keyboard.type("Chi")  # a closed list chooses by its first letters
    expect(page.get_by_label("For a decision to refer or not: which referral?")).to_have_value("csc")
    tab_to(page, "The decision", tags=("TEXTAREA",), exact=True)
    page.keyboard.type("To refer Megan to children's social care")
    tab_to(page, "The reasons for the decision", tags=("TEXTAREA",))
    page.keyboard.type("Gifts from an older friend she will not name, a second phone and missed Mondays: "
                       "signs of exploitation that need a multi-agency response (§5, §9).")
    tab_to(page, "Save as a draft", tags=("BUTTON", "INPUT"))
    enter_and_wait(page)
    expect(page.get_by_text("The decision record is saved as a draft.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^Decision record \d+$"), level=1)).to_be_visible()
    expect(page.get_by_text("To refer Megan to children's social care")).to_be_visible()
    check_accessibility(page, "keyboard-decision-draft")


def test_a_missing_report_with_the_keyboard_alone(page, sign_in):
    sign_in("residential")
    # A child new to the service, created by keyboard too: no other journey's episodes are touched.
    page.goto("/children/")
    tab_to(page, "Name", tags=("INPUT",))
    page.keyboard.type("Nadia Okonjo")
    enter_and_wait(page)
    expect(page.get_by_role("heading", name="No matches you can open")).to_be_visible()
    tab_to(page, "Create a new record", tags=("BUTTON", "A"))
    enter_and_wait(page)
    expect(page.get_by_label("First name")).to_have_value("Nadia")
    tab_to(page, "Create the record", tags=("BUTTON", "INPUT"))
    enter_and_wait(page)
    expect(page.get_by_role("heading", name="Nadia Okonjo", level=1)).to_be_visible()

    tab_to(page, "Report missing or absent", tags=("A", "BUTTON"))
    enter_and_wait(page)
    expect(page.get_by_role("heading", name="Report the child missing or absent")).to_be_visible()
    where_from = page.get_by_role("group", name="Where was the child missing from?")
    assert tab_to(page, "Home", tags=("INPUT",), exact=True)["type"] == "radio"
    choose_by_arrows(page, where_from, "Care (residential or foster)")
    tab_to(page, "Home or placement", tags=("INPUT",))
    page.keyboard.type("Hillside Children's Home")
    # Absent or missing: "Missing" is chosen already; Tab passes through the group.
    expect(page.get_by_label("Missing", exact=True)).to_be_checked()
    last_seen = date.today() - timedelta(days=1)
    type_date(page, last_seen)
    tab_to(page, "Time the child was last seen", tags=("INPUT",))
    page.keyboard.type("21:15")
    tab_to(page, "Where the child was last seen", tags=("INPUT", "TEXTAREA"))
    page.keyboard.type("The bus station, Northbridge")
    tab_to(page, "What happened", tags=("TEXTAREA",))
    page.keyboard.type("Did not come back from the cinema. Grey coat, white trainers.")
    police = page.get_by_role("group", name="Has the child been reported missing to the police?")
    assert tab_to(page, "Yes", tags=("INPUT",), exact=True)["type"] == "radio"
    page.keyboard.press("Space")
    expect(police.get_by_label("Yes", exact=True)).to_be_checked()
    type_date(page, last_seen)  # the date reported to the police
    tab_to(page, "Time reported to the police", tags=("INPUT",))
    page.keyboard.type("23:00")
    tab_to(page, "Police reference", tags=("INPUT",))
    page.keyboard.type("MP/2026/4242")
    tab_to(page, "Record the episode", tags=("BUTTON", "INPUT"))
    enter_and_wait(page)
    expect(page.get_by_text("The episode has been recorded.")).to_be_visible()
    expect(page.get_by_role("heading", name="Missing now", level=1)).to_be_visible()
    expect(page.get_by_text("MP/2026/4242")).to_be_visible()
    check_accessibility(page, "keyboard-missing-reported")
