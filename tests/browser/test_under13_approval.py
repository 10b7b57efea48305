"""The under-13 approval journey (issue 10 item 4): a sexual health nurse records a decision not to
refer a 12-year-old. Her service has a designated lead but no senior manager: asking for approval,
she is told at once that the senior manager's approval has gone to the partnership's designated
senior manager (children's social care's team manager in the demo). Both approve, each from their
own inbox, and she signs. axe on each new page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility
from tests.browser.test_referral_journey import ReferralPages

pytestmark = pytest.mark.browser

FIRST, LAST = "Ellie", "Marsh"
HEALTH = "Northbridge Sexual Health Service"
CSC = "Northbridge Family Contact Point (MASH)"


def twelve_and_a_half() -> date:
    today = date.today()
    return date(today.year - 13, today.month, min(today.day, 28)) + timedelta(days=182)


def _approve(target, decision: str, comment: str) -> None:
    target.get_by_role("navigation", name="Menu").get_by_role("link", name="Approvals").click()
    expect(target.get_by_role("heading", name="Decisions waiting for your approval")).to_be_visible()
    target.get_by_role("link", name=f"Decision record {decision}: not to refer").click()
    expect(target.get_by_role("heading", name=re.compile(rf"Decision record {decision}: your approval"))).to_be_visible()
    target.get_by_label("Approve the decision").check()
    target.get_by_label("Your reasons or comments").fill(comment)
    target.get_by_role("button", name="Send your answer").click()
    expect(target.get_by_text("You approved the decision.")).to_be_visible()


def test_an_under_13_decision_in_an_agency_without_a_senior_manager_is_approved_by_the_partnership(
    page, sign_in, server
):
    pages = ReferralPages(page)
    sign_in("nurse")
    pages.create_child(FIRST, LAST, twelve_and_a_half())
    pages.assess(partner_ages="13", activity=date.today() - timedelta(days=4),
                 summary="Came to the clinic with a friend; the other young person is 13 and in her year.")
    page.get_by_role("link", name="Record a decision not to refer").click()
    expect(page.get_by_role("heading", name="Record a decision")).to_be_visible()
    expect(page.get_by_text(re.compile(r"needs the approval of: designated safeguarding lead and senior manager"))
           ).to_be_visible()
    page.get_by_label("The decision", exact=True).fill("Not to refer to children's social care")
    page.get_by_label("The reasons for the decision").fill(
        "Exceptional: both are in the same year at school, the school and family are already working with the "
        "clinic, and a strategy discussion was held with the police, who advised no further action.")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_text("The decision record is saved as a draft.")).to_be_visible()
    decision = re.search(r"\d+", page.get_by_role("heading", name=re.compile(r"^Decision record \d+$"), level=1)
                         .inner_text()).group(0)
    decision_url = page.url

    # Asking for approval: told at once where the senior manager's approval has gone.
    page.get_by_role("button", name="Ask for approval").click()
    expect(page.get_by_text(
        f"Nobody in {HEALTH} is a senior manager, so the senior manager's approval has gone to Carl Evans, {CSC}"
    )).to_be_visible()
    expect(pages.approval_item("Senior manager")).to_contain_text(f"asked of Carl Evans, {CSC}, for the partnership")
    expect(pages.approval_item("Designated safeguarding lead")).to_contain_text("waiting")
    check_accessibility(page, "under13-approval-asked")

    # The service's designated lead, and the partnership's senior manager, each from their inbox.
    for username, comment in (
        ("healthlead", "Discussed with Nina Patel; I agree that this exceptional decision is right."),
        ("csclead", "As the partnership's senior manager: agreed, with a review in a month."),
    ):
        other = page.context.browser.new_context(base_url=server["url"],
                                                 viewport={"width": 1200, "height": 900}).new_page()
        sign_in(username, target=other)
        if username == "csclead":
            other.get_by_role("navigation", name="Menu").get_by_role("link", name="Tasks").click()
            task = other.get_by_role("table").get_by_role("link", name=re.compile(
                rf"Approve or return the decision not to refer {FIRST} {LAST}, as senior manager"))
            expect(task).to_be_visible()
            check_accessibility(other, "under13-approval-task")
        _approve(other, decision, comment)
        other.context.close()

    # The nurse signs: every approval is given.
    page.goto(decision_url)
    expect(pages.approval_item("Senior manager")).to_contain_text("approved by Carl Evans")
    expect(pages.approval_item("Designated safeguarding lead")).to_contain_text("approved by Hannah Cole")
    page.get_by_role("button", name="Sign and date the record").click()
    expect(page.get_by_text("The decision record is signed and dated. It can no longer change.")).to_be_visible()
    check_accessibility(page, "under13-approval-signed")
