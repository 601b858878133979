"""The access and referral pages pass axe's accessibility checks, with the policy in force."""

import pytest

from harbour.access.tests.world import PASSWORD, build
from harbour.web.tests.browser import accessibility_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_pages(page, axe_path):
    world = build()
    sign_in(page, "team_manager", PASSWORD)
    for url in (
        "/children/",
        "/children/?q=Fenwick",
        "/alerts/",
        f"/children/{world.children['ours'].reference}/viewers/",
        f"/children/{world.children['theirs'].reference}/open/",
        "/login/two-factor/",
    ):
        page.goto(url)
        assert accessibility_violations(page, axe_path) == [], url


def test_referral_pages(page, axe_path):
    build()
    sign_in(page, "partner_referrer", PASSWORD)
    page.goto("/refer/")
    assert accessibility_violations(page, axe_path) == []
    page.get_by_role("button", name="Send the referral").click()  # every error at once
    assert "There is a problem" in page.content()
    assert accessibility_violations(page, axe_path) == []
    page.goto("/refer/sent/")
    assert accessibility_violations(page, axe_path) == []


def test_two_factor_setup_page(page, axe_path, settings):
    from harbour.access.models import User

    User.objects.create_user(username="newcomer", password=PASSWORD)
    settings.HARBOUR_TWO_FACTOR_REQUIRED = True
    sign_in(page, "newcomer", PASSWORD)
    assert "/login/two-factor/setup/" in page.url
    assert accessibility_violations(page, axe_path) == []
