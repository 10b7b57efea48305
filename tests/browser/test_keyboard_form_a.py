"""Form A with the keyboard alone: from the search to the screening's outcome, no mouse.

Every control is reached with Tab, ticked with Space, chosen with the arrow keys and submitted with
Enter, in the order a keyboard user meets them; the first Tab stop is the skip link."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility
from tests.browser.keyboard import FOCUSED, tab_to

pytestmark = pytest.mark.browser


def test_form_a_with_the_keyboard_alone(page, sign_in):
    sign_in("teacher")
    page.goto("/children/")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == "Skip to main content"

    tab_to(page, "Name", tags=("INPUT",))
    page.keyboard.type("Jodie Smyth")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "Jodie Smyth", tags=("A",))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Jodie Smyth")).to_be_visible()

    tab_to(page, "Complete a screening (Form A)", tags=("A", "BUTTON"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_label("Child's name")).to_have_value("Jodie Smyth")
    for label in ("Unexplained absences from school", "Staying out late", "Use of a mobile phone that causes concern"):
        focused = tab_to(page, label, tags=("INPUT",))
        assert focused["type"] == "checkbox"
        page.keyboard.press("Space")
        expect(page.get_by_label(label, exact=True)).to_be_checked()
        if label == "Staying out late":  # its evidence box comes next
            tab_to(page, "Staying out late", tags=("TEXTAREA",))
            page.keyboard.type("Out until 2am on Saturdays, collected by a car.")
    group = page.get_by_role("group", name="Has a child protection referral been made previously?")
    first = tab_to(page, "Yes", tags=("INPUT",))
    assert first["type"] == "radio"
    for _ in range(3):  # the arrow keys move through the options, choosing each in turn
        if group.get_by_label("No", exact=True).is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(group.get_by_label("No", exact=True)).to_be_checked()
    tab_to(page, "Submit the screening", tags=("BUTTON", "INPUT"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#outcome")).to_contain_text("Form B required")
    check_accessibility(page, "keyboard-form-a-result")
