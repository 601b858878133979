"""The trays in Chromium: every role's tray, a team manager's home and a team's page pass axe,
and none is wider than a 320 px screen."""

from datetime import timedelta

import pytest
from django.utils import timezone

from harbour.access.roles import Role
from harbour.access.tests.world import PASSWORD, build
from harbour.care.models import LookedAfterReview, PeriodOfCare
from harbour.journey.models import Conference
from harbour.timescales.calendar import working_days
from harbour.web.tests.browser import (  # noqa: F401 (fixtures)
    accessibility_violations,
    axe_path,
    browser,
    page,
    sign_in,
)
from harbour.web.tests.records import make_child
from harbour.workforce.models import Allocation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
R = Role

WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll('main *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .map(e => e.tagName + ': ' + e.innerText.slice(0, 40))"""


def _county():
    world = build()
    today = timezone.localdate()
    ours = world.children["ours"]
    plan = ours.child_protection_plans.get()
    Conference.objects.filter(pk=plan.initial_conference_id).update(
        chair=world.staff[R.CONFERENCE_CHAIR]
    )
    child = make_child("SYN0000901", "Cared", "For")
    period = PeriodOfCare.objects.create(
        child=child, starts_on=today - timedelta(days=120), category_of_need="N1"
    )
    LookedAfterReview.objects.create(
        child=child,
        period=period,
        held_on=working_days().add(today - timedelta(days=120), 20),
        participation="PN1",
        iro=world.staff[R.IRO],
    )
    waiting = make_child("SYN0000902", "Waiting", "Longest")
    ours.referrals.model.objects.create(
        child=waiting, received_on=today - timedelta(days=30), source="6"
    )
    Allocation.objects.create(
        child=waiting,
        worker=world.staff[R.SOCIAL_WORKER],
        team=world.teams["north"],
        starts_on=today - timedelta(days=30),
        ends_on=working_days().subtract(today, 4),
    )
    Allocation.objects.create(
        child=make_child("SYN0000903", "Newly", "Allocated"),
        worker=world.staff[R.SOCIAL_WORKER],
        team=world.teams["north"],
        starts_on=working_days().subtract(today, 2),
        reason="MANAGE",
    )
    return world


def test_every_roles_tray_passes_axe_and_fits_a_phone(page, axe_path):  # noqa: F811 (fixtures)
    world = _county()
    north = world.teams["north"].pk
    for role, urls in (
        (R.SOCIAL_WORKER, ["/work/"]),
        (R.CONFERENCE_CHAIR, ["/work/"]),
        (R.IRO, ["/work/"]),
        (R.MASH_SCREENER, ["/work/"]),
        (R.TEAM_MANAGER, ["/", f"/teams/{north}/", f"/work/{world.staff[R.SOCIAL_WORKER].pk}/"]),
    ):
        page.context.clear_cookies()
        sign_in(page, world.users[role].username, PASSWORD)
        for url in urls:
            for width in (1280, 320):
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(url)
                assert page.locator("h1").count() == 1, (role, url)
                assert accessibility_violations(page, axe_path) == [], (role, url, width)
                if width == 320:
                    assert page.evaluate(WIDER_THAN_THE_SCREEN) == [], (role, url)
