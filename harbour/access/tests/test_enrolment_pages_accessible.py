"""The enrolment pages (the code a person types first, and the page a manager gives one from)
pass axe's accessibility checks, errors included, with the policy in force."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from harbour.access.models import User
from harbour.access.roles import Role
from harbour.access.tests.world import PASSWORD, build
from harbour.web.tests.browser import accessibility_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_enrolment_code_page_with_and_without_an_error(page, axe_path, settings):
    User.objects.create_user(username="newcomer", password=PASSWORD)
    settings.HARBOUR_TWO_FACTOR_REQUIRED = True
    sign_in(page, "newcomer", PASSWORD)
    assert "/login/two-factor/setup/" in page.url
    assert page.get_by_role("heading", name="Enter your enrolment code").is_visible()
    assert accessibility_violations(page, axe_path) == []
    page.get_by_label("Enrolment code").fill("ABCD-EFGH-JKMN")
    page.get_by_role("button", name="Continue").click()
    assert "There is a problem" in page.content()
    assert accessibility_violations(page, axe_path) == []


def test_the_managers_enrolment_code_page_before_and_after_giving_one(page, axe_path):
    world = build()
    worker = world.staff[Role.SOCIAL_WORKER]
    TOTPDevice.objects.filter(user=worker.user).delete()
    sign_in(page, "team_manager", PASSWORD)
    page.goto(f"/staff/{worker.pk}/enrolment-code/")
    assert accessibility_violations(page, axe_path) == []
    page.get_by_role("button", name="Give an enrolment code").click()
    assert page.get_by_role("heading", name="Enrolment code", exact=True).is_visible()
    assert accessibility_violations(page, axe_path) == []
