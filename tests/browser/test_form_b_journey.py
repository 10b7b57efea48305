"""The Form B add-action journey (issue 10 item 1): children's social care types the assessment,
then adds a safety plan action before saving; nothing typed is lost, and a contribution typed in
passing comes back too."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from .conftest import check_accessibility
from .test_small_screens import _one

pytestmark = pytest.mark.browser

ANALYSIS = re.compile(r"^Analysis")
ACCOUNT = re.compile(r"^The child's own account")


def test_adding_an_action_keeps_the_analysis_the_account_and_the_models(page, sign_in, server):
    form_b = _one(server, "SELECT id FROM screening_formb WHERE status = 'draft' ORDER BY id LIMIT 1")
    child = _one(server, "SELECT child_id FROM screening_formb WHERE status = 'draft' ORDER BY id LIMIT 1")
    sign_in("mash")
    page.goto(f"/children/{child}/form-b/{form_b}/")
    page.get_by_label(ANALYSIS).fill("Pattern of grooming by an older man with a car")
    page.get_by_label(ACCOUNT).fill('She said "he buys me phone credit"')
    page.get_by_label("Online", exact=True).check()
    page.get_by_label("Your agency's contribution").fill("Half-written note from the MASH")
    page.get_by_label("What is to be done").fill("Disruption visit to the flat on Mill Street")
    page.get_by_label("Who will do it").fill("PC Dev Patel")
    page.get_by_label("Their agency").select_option(label="Eastmoor Police — CSE Team")
    due = date.today() + timedelta(days=7)
    page.locator("#id_plan-due_on_day").fill(str(due.day))
    page.locator("#id_plan-due_on_month").fill(str(due.month))
    page.locator("#id_plan-due_on_year").fill(str(due.year))
    page.get_by_role("button", name="Add the action").click()

    expect(page.get_by_text("The action has been added to the safety plan.")).to_be_visible()
    expect(page.get_by_text("Form B has been saved as a draft.")).to_be_visible()
    expect(page.get_by_label(ANALYSIS)).to_have_value("Pattern of grooming by an older man with a car")
    expect(page.get_by_label(ACCOUNT)).to_have_value('She said "he buys me phone credit"')
    expect(page.get_by_label("Online", exact=True)).to_be_checked()
    expect(page.locator("#safety-plan ~ div.govuk-summary-card").filter(
        has_text="Disruption visit to the flat on Mill Street")).to_have_count(1)
    # The contribution was not what the button was for: it comes back, unsent, to finish.
    expect(page.get_by_label("Your agency's contribution")).to_have_value("Half-written note from the MASH")
    check_accessibility(page, "form-b-after-add-action")

    # The contribution button, too, saves the draft first.
    page.get_by_label(ANALYSIS).fill("Grooming; the flat on Mill Street is the hub")
    page.get_by_role("button", name="Add your contribution").click()
    expect(page.get_by_text("Your contribution has been added to Form B.")).to_be_visible()
    expect(page.get_by_label(ANALYSIS)).to_have_value("Grooming; the flat on Mill Street is the hub")
    expect(page.get_by_text("Half-written note from the MASH")).to_be_visible()
