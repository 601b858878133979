"""Sign in, look at home and sign out in Chromium, and check both pages with axe-core."""

import pytest

from harbour.web.tests import browser
from harbour.web.tests.browser import accessibility_violations
from harbour.web.tests.records import PASSWORD

pytestmark = pytest.mark.browser

HEADER_COLOUR = "rgb(11, 60, 93)"  # $harbour-navy in harbour.scss


def sign_in(page, username: str = "asha", password: str = PASSWORD):
    browser.sign_in(page, username, password)


def test_sign_in_see_home_and_sign_out(worker, page):
    page.goto("/")
    assert page.url.endswith("/login/?next=/")

    sign_in(page)
    assert page.title() == "Home – Harbour"
    assert page.get_by_role("heading", level=1).inner_text() == "Asha Patel"
    table = page.get_by_role("table", name="Children allocated to you")
    assert table.get_by_role("row", name="Ruby Hughes").is_visible()
    assert "Unborn, due 15 January 2099" in table.inner_text()

    page.get_by_role("button", name="Sign out").click()
    assert page.url.endswith("/login/")
    page.goto("/")
    assert "/login/" in page.url


def test_styles_and_scripts_load(worker, page):
    page.goto("/login/")
    header = page.locator(".govuk-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == HEADER_COLOUR
    font = page.locator("body").evaluate("e => getComputedStyle(e).fontFamily")
    assert "GDS Transport" not in font
    # Set by harbour.mjs once GOV.UK Frontend's module has loaded.
    page.wait_for_selector("body.govuk-frontend-supported")


def test_wrong_password_error_summary_takes_focus(worker, page):
    sign_in(page, password="not-the-password")
    summary = page.locator(".govuk-error-summary")
    assert "Enter a correct username and password" in summary.inner_text()
    # GOV.UK Frontend's error summary script moves focus to the summary.
    page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")


def test_login_page_is_accessible(worker, page, axe_path):
    page.goto("/login/")
    assert accessibility_violations(page, axe_path) == []
    sign_in(page, password="not-the-password")
    assert accessibility_violations(page, axe_path) == []


def test_home_page_is_accessible(worker, page, axe_path):
    sign_in(page)
    assert page.title() == "Home – Harbour"
    assert accessibility_violations(page, axe_path) == []
