"""At 375 px wide (a small phone) no page scrolls sideways: tables reflow into stacked rows and long
unbroken text (a decision's fingerprint) wraps. Each page is also scanned with axe, the draft Form B
included (its "Observed" radios must not carry aria-expanded)."""

from __future__ import annotations

import sqlite3

import pytest

from .conftest import check_accessibility

pytestmark = pytest.mark.browser

NARROW = {"width": 375, "height": 812}


def _one(server, sql: str) -> int:
    with sqlite3.connect(server["env"]["SAFEGUARD_SQLITE_PATH"]) as db:
        row = db.execute(sql).fetchone()
    assert row, f"the demo has no row for: {sql}"
    return row[0]


def assert_no_sideways_scroll(page, name: str) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 375 px wide"


@pytest.fixture
def narrow(browser, server):
    context = browser.new_context(base_url=server["url"], viewport=NARROW)
    pg = context.new_page()
    yield pg
    context.close()


def test_pages_do_not_scroll_sideways_at_375px(narrow, sign_in, server):
    referral = _one(server, "SELECT id FROM referrals_referral ORDER BY id LIMIT 1")
    assessment = _one(server, "SELECT id FROM referrals_assessment ORDER BY id LIMIT 1")
    decision = _one(server, "SELECT id FROM referrals_decisionrecord WHERE signed_at IS NOT NULL LIMIT 1")
    pages = {
        "mash": [
            ("/referrals/", "referral-queue"),
            (f"/referrals/{referral}/", "referral-history"),
            (f"/referrals/assessments/{assessment}/", "section-9-actions"),
            (f"/referrals/decisions/{decision}/", "signed-decision"),
            ("/children/", "child-search"),
        ],
        "police": [("/missing/", "missing-review-list")],
    }
    for username, visits in pages.items():
        sign_in(username, target=narrow)
        for path, name in visits:
            response = narrow.goto(path)
            assert response.status == 200, f"{path} answered {response.status}"
            assert_no_sideways_scroll(narrow, name)
            check_accessibility(narrow, f"375-{name}")
        narrow.context.clear_cookies()


def test_draft_form_b_passes_axe_and_reveals_without_aria_expanded(page, sign_in, server):
    form_b, child = (
        _one(server, "SELECT id FROM screening_formb WHERE status = 'draft' ORDER BY id LIMIT 1"),
        _one(server, "SELECT child_id FROM screening_formb WHERE status = 'draft' ORDER BY id LIMIT 1"),
    )
    sign_in("mash")
    page.goto(f"/children/{child}/form-b/{form_b}/")
    assert page.locator("input[type=radio][aria-expanded]").count() == 0
    check_accessibility(page, "form-b-draft")
    observed = page.locator("input[type=radio][data-reveals]").first
    target = page.locator(f"#{observed.get_attribute('data-reveals')}")
    observed.check()
    assert target.is_visible()
    assert observed.get_attribute("aria-expanded") is None


def test_observation_form_date_first_and_the_indicator_filter(page, sign_in, server):
    child = _one(server, "SELECT id FROM children_child WHERE first_name = 'Jodie' LIMIT 1")
    sign_in("teacher")
    page.goto(f"/children/{child}/observations/new/")
    # The date comes before the 52 checkboxes: a keyboard user reaches it first.
    day = page.locator("input[name=occurred_on_day]")
    first_box = page.locator("input[name=indicators]").first
    assert day.evaluate("(el, other) => !!(el.compareDocumentPosition(other) & 4)", first_box.element_handle())
    # Grouped under the handbook's headings, with a filter box.
    assert page.get_by_role("group", name="Signs and indicators (§5)").is_visible()
    assert page.get_by_role("group", name="Pull factors (§6)").is_visible()
    page.get_by_label("Find a sign or indicator").fill("unexplained")
    visible = page.locator("input[name=indicators]:visible")
    assert 0 < visible.count() < 10
    assert not page.get_by_role("group", name="Pull factors (§6)").is_visible()
    check_accessibility(page, "observation-form-filtered")
