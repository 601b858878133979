"""In Chromium: the navigation, the error pages and the authenticator set-up page pass axe,
and the set-up page's QR code is really drawn (not just its alt text)."""

import pytest
from django.urls import reverse

from harbour.access.models import User
from harbour.access.second_factor import issue_enrolment_code
from harbour.access.tests.world import PASSWORD, build
from harbour.web.tests.browser import accessibility_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def error_page(browser, live_server):
    """A page for visiting 403 and 404 answers, which Chromium reports on its console as failed
    loads (the shared `page` fixture fails a test on those); script errors still fail it."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def test_the_navigation_and_error_pages_pass_axe(error_page, axe_path):
    page = error_page
    build()
    sign_in(page, "team_manager", PASSWORD)
    navigation = page.get_by_role("navigation", name="Menu")
    assert navigation.get_by_role("link", name="Find a child").is_visible()
    assert accessibility_violations(page, axe_path) == []

    page.goto(reverse("search"))
    current = navigation.locator("[aria-current]")
    assert (
        current.inner_text() == "Find a child" and current.get_attribute("aria-current") == "page"
    )
    for url in (reverse("returns"), "/no-such-page/"):  # 403, then 404
        page.goto(url)
        assert page.locator(".govuk-header").is_visible()
        assert accessibility_violations(page, axe_path) == [], url


def test_the_navigation_folds_into_a_menu_on_a_phone(page, axe_path):
    build()
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, "team_manager", PASSWORD)
    navigation = page.get_by_role("navigation", name="Menu")
    menu = navigation.get_by_role("button", name="Menu")
    assert menu.is_visible()
    assert not navigation.get_by_role("link", name="Find a child").is_visible()
    menu.click()
    assert navigation.get_by_role("link", name="Find a child").is_visible()
    assert accessibility_violations(page, axe_path) == []


def test_the_error_pages_pass_axe_before_signing_in(error_page, axe_path):
    page = error_page
    page.goto("/no-such-page/")
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert accessibility_violations(page, axe_path) == []


def test_the_set_up_page_draws_its_qr_code(page, axe_path, settings):
    settings.HARBOUR_TWO_FACTOR_REQUIRED = True
    newcomer = User.objects.create_user(username="newcomer", password=PASSWORD)
    code = issue_enrolment_code(user=newcomer, issued_by=None)
    sign_in(page, "newcomer", PASSWORD)
    assert reverse("two-factor-setup") in page.url
    page.get_by_label("Enrolment code").fill(code)
    page.get_by_role("button", name="Continue").click()

    qr = page.get_by_role("img", name="QR code to add Harbour to an authenticator app")
    qr.wait_for()
    assert qr.evaluate("image => image.complete && image.naturalWidth") > 0
    assert accessibility_violations(page, axe_path) == []
