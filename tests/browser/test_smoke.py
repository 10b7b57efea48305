"""Sign in with two-factor, see the home page for the role, sign out; axe on every page so far."""

import pytest

from tests.browser.conftest import check_accessibility

pytestmark = pytest.mark.browser


def test_sign_in_with_two_factor_then_sign_out(page, sign_in, two_factor_keys):
    page.goto("/")
    assert "/accounts/sign-in/" in page.url
    check_accessibility(page, "sign-in")
    page.get_by_label("Username").fill("mash")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").get_by_text("Enter a correct username and password").is_visible()
    check_accessibility(page, "sign-in-error")

    sign_in("mash")
    header = page.locator("header")
    assert header.get_by_text("Maya Brooks").is_visible()
    assert page.get_by_text("Northbridge Family Contact Point (MASH)").first.is_visible()
    check_accessibility(page, "home-mash")
    page.get_by_role("button", name="Sign out").click()
    two_factor_keys.forget("mash")
    assert "/accounts/sign-in/" in page.url
    page.goto("/")
    assert "/accounts/sign-in/" in page.url


def test_two_factor_is_asked_again_at_the_next_sign_in(page, sign_in, two_factor_keys):
    sign_in("analyst")  # enrols
    page.get_by_role("button", name="Sign out").click()
    two_factor_keys.forget("analyst")
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill("Safeguard-demo-2026")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", name="Enter your security code").is_visible()
    check_accessibility(page, "two-factor-verify")
    page.get_by_label("Security code").fill(two_factor_keys.code("analyst"))
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="Welcome, Ann Lyons").is_visible()
    assert page.get_by_text("agency-level information only").is_visible()


@pytest.mark.parametrize(
    ("username", "path", "name"),
    [
        ("schoollead", "/", "home-named-lead"),
        ("schoollead", "/access/break-glass/", "break-glass-log"),
        ("schoollead", "/audit/record-access/", "record-access"),
        ("teacher", "/children/", "children"),
        ("teacher", "/accessibility-statement/", "accessibility-statement"),
        ("teacher", "/privacy-notice/", "privacy-notice"),
    ],
)
def test_pages_have_no_serious_accessibility_violations(page, sign_in, username, path, name):
    sign_in(username)
    page.goto(path)
    check_accessibility(page, name)
