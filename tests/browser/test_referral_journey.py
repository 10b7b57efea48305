"""Issue 5's journeys: a sexual health nurse assesses a 14-year-old with a 19-year-old partner, is
told a referral to children's social care is a must (§9.5) and sends it; the MASH worker accepts
it and records the outcome; the nurse sees it. A designated lead approves a decision not to refer
for a 15/16 case; once signed, the record cannot be changed, by its page or by the API. axe on
every new kind of page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility

pytestmark = pytest.mark.browser

CHILD_FIRST, CHILD_LAST = "Maisie", "Rowland"
MUST_REFER_CSC = re.compile(r"Must refer to children's social care")


def fourteen_and_a_half() -> date:
    today = date.today()
    return date(today.year - 15, today.month, min(today.day, 28)) + timedelta(days=182)


class ReferralPages:
    """Page object: the child record, the §9 assessment, referrals and decision records."""

    def __init__(self, page):
        self.page = page

    def fill_date(self, label: str, day: date) -> None:
        group = self.page.get_by_role("group", name=label)
        group.get_by_label("Day").fill(str(day.day))
        group.get_by_label("Month").fill(str(day.month))
        group.get_by_label("Year").fill(str(day.year))

    def open_child(self, first: str, last: str) -> None:
        self.page.get_by_role("navigation", name="Menu").get_by_role("link", name="Children").click()
        self.page.get_by_label("Name (optional)", exact=True).fill(f"{first} {last}")
        self.page.get_by_role("button", name="Search").click()
        results = self.page.get_by_role("table", name="Records that may be this child")
        results.get_by_role("link", name=f"{first} {last}").click()
        expect(self.page.get_by_role("heading", name=f"{first} {last}", level=1)).to_be_visible()

    def create_child(self, first: str, last: str, born: date) -> None:
        self.page.get_by_role("navigation", name="Menu").get_by_role("link", name="Children").click()
        self.page.get_by_label("Name (optional)", exact=True).fill(f"{first} {last}")
        self.fill_date("Date of birth", born)
        self.page.get_by_role("button", name="Search").click()
        expect(self.page.get_by_role("heading", name="No matches you can open")).to_be_visible()
        self.page.get_by_role("button", name="Create a new record").click()
        expect(self.page.get_by_label("First name")).to_have_value(first)
        self.page.get_by_role("button", name="Create the record").click()
        expect(self.page.get_by_role("heading", name=f"{first} {last}", level=1)).to_be_visible()

    def assess(self, *, partner_ages: str, activity: date, summary: str, concerns: dict[str, str] | None = None,
               axe: str = "") -> None:
        self.page.get_by_role("link", name="Assess underage sexual activity (§9)").click()
        expect(self.page.get_by_role("heading", name="Assess underage sexual activity")).to_be_visible()
        if axe:
            check_accessibility(self.page, axe)
        self.fill_date("Date of the sexual activity", activity)
        self.page.get_by_label("Ages of the sexual partners").fill(partner_ages)
        self.page.get_by_label("What is known about the activity").fill(summary)
        for code, note in (concerns or {}).items():
            self.page.get_by_role("group", name=re.compile(rf"^{code}: ")).get_by_label("Yes", exact=True).check()
            self.page.get_by_label(f"Note on {code} (optional)", exact=True).fill(note)
        self.page.get_by_role("button", name="Record the assessment").click()
        expect(self.page.get_by_role("heading", name="Underage sexual activity: what happens next")).to_be_visible()

    def action_row(self, name):
        return self.page.get_by_role("row", name=name)

    def approval_item(self, role: str):
        """The approval by ``role`` in the decision record's list of approvals."""
        return self.page.get_by_role("listitem").filter(has=self.page.locator("strong", has_text=role))


def test_a_nurse_refers_a_14_year_old_and_sees_the_outcome_the_mash_records(page, sign_in, server):
    pages = ReferralPages(page)
    sign_in("nurse")
    pages.create_child(CHILD_FIRST, CHILD_LAST, fourteen_and_a_half())
    pages.assess(partner_ages="19", activity=date.today() - timedelta(days=3), axe="assessment-form",
                 summary="Came to the clinic for emergency contraception; the other person is 19.")

    # The outcome: a must, with its reason and the handbook section.
    row = pages.action_row(MUST_REFER_CSC)
    expect(row).to_contain_text("§9.5")
    expect(row).to_contain_text("a referral to Children's Social Care must be made")
    expect(page.get_by_text("An offence has been committed.")).to_be_visible()
    check_accessibility(page, "assessment-outcome")

    row.get_by_role("link", name="Make this referral").click()
    expect(page.get_by_role("heading", name="Make a referral")).to_be_visible()
    expect(page.get_by_label("Children's social care (Family Contact Point / MASH)")).to_be_checked()
    expect(page.get_by_label("Why are you referring?")).to_have_value(re.compile("must be made"))
    check_accessibility(page, "referral-form")
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_text(re.compile(r"Referral \d+ has been sent to"))).to_be_visible()
    heading = page.get_by_role("heading", name=re.compile(r"^Referral \d+ to "), level=1)
    referral = re.search(r"Referral (\d+)", heading.inner_text()).group(1)
    referral_url = page.url
    expect(page.get_by_role("link", name=re.compile(r"^Sexual activity assessment \d+$"))).to_be_visible()
    check_accessibility(page, "referral-sent")

    # The MASH worker, in a browser of their own: the queue, then accept and record the outcome.
    mash = page.context.browser.new_context(base_url=server["url"], viewport={"width": 1200, "height": 900}).new_page()
    sign_in("mash", target=mash)
    mash.get_by_role("navigation", name="Menu").get_by_role("link", name="Referrals").click()
    expect(mash.get_by_role("heading", name="Referrals to your team")).to_be_visible()
    queued = mash.get_by_role("row", name=re.compile(rf"Referral {referral}\b"))
    expect(queued).to_contain_text(f"{CHILD_FIRST} {CHILD_LAST}")
    expect(queued).to_contain_text("Sent")
    check_accessibility(mash, "referral-queue")
    queued.get_by_role("link", name=f"Referral {referral}").click()
    expect(mash.get_by_role("button", name="Accept the referral")).to_be_visible()
    check_accessibility(mash, "referral-receiving-team")
    mash.get_by_label("Note on accepting").fill("Accepted: a strategy discussion with the police is arranged.")
    mash.get_by_role("button", name="Accept the referral").click()
    expect(mash.get_by_text("The referral is accepted.")).to_be_visible()
    outcome = "Strategy discussion held; section 47 enquiries started and a social worker is allocated."
    mash.get_by_label("Outcome", exact=True).fill(outcome)
    mash.get_by_role("button", name="Record the outcome").click()
    expect(mash.get_by_text("The outcome is recorded. The referrer has been told.")).to_be_visible()
    history = mash.get_by_role("table", name="Each step, with who and when")
    for step in ("Sent", "Received", "Accepted", "Outcome recorded"):
        expect(history.get_by_role("cell", name=step, exact=True)).to_be_visible()
    accepted = history.get_by_role("row").filter(has=mash.get_by_role("cell", name="Accepted", exact=True))
    expect(accepted).to_contain_text("a strategy discussion with the police is arranged")  # its own note, kept
    check_accessibility(mash, "referral-outcome-recorded")
    mash.context.close()

    # The referrer is told, and sees the outcome; the follow-up task has gone.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Tasks").click()
    told = page.get_by_role("link", name=re.compile(rf"The referral of {CHILD_FIRST} {CHILD_LAST} to .* has an outcome"))
    expect(told.first).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(rf"Follow up the outcome of the referral of {CHILD_FIRST} {CHILD_LAST}"))).to_have_count(0)
    told = told.first
    told.click()
    assert page.url.endswith(referral_url.split(server["url"])[-1])
    outcome_row = page.locator(".govuk-summary-list__row", has=page.get_by_text("Outcome", exact=True))
    expect(outcome_row).to_contain_text(outcome)
    expect(page.get_by_text("Outcome recorded", exact=True).first).to_be_visible()


def test_a_designated_lead_approves_not_referring_a_15_16_case_and_the_signed_record_is_locked(
    page, sign_in, server
):
    pages = ReferralPages(page)
    sign_in("nurse")
    pages.open_child("Sam", "Fletcher")  # 15, known to the sexual health service (demo data)
    pages.assess(partner_ages="16", activity=date.today() - timedelta(days=5),
                 summary="Asked for advice; the other person is 16 and in the year above at the same school.",
                 concerns={"C4": "Staying with his aunt while his parents separate."})
    expect(pages.action_row(MUST_REFER_CSC)).to_contain_text("§9.5")
    expect(page.get_by_text("a case discussion with the designated lead")).to_be_visible()

    page.get_by_role("link", name="Record a decision not to refer").click()
    expect(page.get_by_role("heading", name="Record a decision")).to_be_visible()
    expect(page.get_by_text(re.compile(r"needs the approval of: designated safeguarding lead"))).to_be_visible()
    expect(page.get_by_label("Not to refer", exact=True)).to_be_checked()
    check_accessibility(page, "decision-form")
    page.get_by_label("The decision", exact=True).fill("Not to refer to children's social care")
    page.get_by_label("The reasons for the decision").fill(
        "Sam is 15 and the other young person is 16, in the year above at the same school; together for eight "
        "months and both say it is \"our decision\". Nothing suggests pressure, gifts or secrecy. C4 is explained "
        "by his parents separating; his aunt knows he attends the clinic.")
    page.get_by_label(re.compile(r"^Hannah Cole")).check()
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_text("The decision record is saved as a draft.")).to_be_visible()
    decision_heading = page.get_by_role("heading", name=re.compile(r"^Decision record \d+$"), level=1)
    decision = re.search(r"\d+", decision_heading.inner_text()).group(0)
    decision_url = page.url
    expect(page.get_by_role("button", name="Sign and date the record")).to_have_count(0)  # approval first
    page.get_by_role("button", name="Ask for approval").click()
    expect(page.get_by_text("Approval has been asked for.")).to_be_visible()
    expect(pages.approval_item("Designated safeguarding lead")).to_contain_text("Designated safeguarding lead: waiting")
    check_accessibility(page, "decision-awaiting-approval")

    # The designated lead: the approvals inbox, then approve.
    lead = page.context.browser.new_context(base_url=server["url"], viewport={"width": 1200, "height": 900}).new_page()
    sign_in("healthlead", target=lead)
    lead.get_by_role("navigation", name="Menu").get_by_role("link", name="Approvals").click()
    expect(lead.get_by_role("heading", name="Decisions waiting for your approval")).to_be_visible()
    check_accessibility(lead, "approvals-inbox")
    lead.get_by_role("link", name=f"Decision record {decision}: not to refer").click()
    expect(lead.get_by_role("heading", name=re.compile(rf"Decision record {decision}: your approval"))).to_be_visible()
    check_accessibility(lead, "approval")
    lead.get_by_label("Approve the decision").check()
    lead.get_by_label("Your reasons or comments").fill("Discussed with Nina Patel today. I agree; review at each visit.")
    lead.get_by_role("button", name="Send your answer").click()
    expect(lead.get_by_text("You approved the decision.")).to_be_visible()
    lead.context.close()

    # The author signs; the record is then fixed.
    page.goto(decision_url)
    expect(pages.approval_item("Designated safeguarding lead")).to_contain_text("approved by Hannah Cole")
    page.get_by_role("button", name="Sign and date the record").click()
    expect(page.get_by_text("The decision record is signed and dated. It can no longer change.")).to_be_visible()
    expect(page.get_by_text("Signed by Nina Patel")).to_be_visible()
    expect(page.get_by_text("the record matches it")).to_be_visible()
    expect(page.get_by_role("link", name="Change the draft")).to_have_count(0)
    check_accessibility(page, "decision-signed")

    # The edit page refuses, and so does a direct POST to it and a PATCH through the API.
    edit_url = f"/referrals/decisions/{decision}/edit/"
    response = page.goto(edit_url)
    assert response.status == 409
    expect(page.get_by_role("heading", name="This decision record is signed and cannot change")).to_be_visible()
    expect(page.get_by_role("link", name="record a correction")).to_be_visible()
    check_accessibility(page, "decision-locked")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    posted = page.request.post(edit_url, headers={"X-CSRFToken": token}, form={
        "kind": "refer", "destination": "csc", "decision": "Changed", "reasons": "Changed after signing"})
    assert posted.status == 409 and "signed and cannot change" in posted.text()
    patched = page.request.patch(f"/api/decisions/{decision}/", headers={"X-CSRFToken": token},
                                 data={"reasons": "Changed after signing"})
    assert patched.status == 409, patched.text()
    page.goto(decision_url)
    expect(page.get_by_text("Changed after signing")).to_have_count(0)
    expect(page.get_by_text("Signed by Nina Patel")).to_be_visible()
