"""The child's record in Chromium: axe on the record, each section, a record page, the
chronology (and its forms) and the family file; the header stays on screen as the page
scrolls, and at 320 pixels it covers no content. Screenshots go to HARBOUR_SCREENSHOTS (or a
temporary folder) at 1280 and 320 pixels wide."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from harbour.access.roles import Role
from harbour.access.tests.world import PASSWORD, build
from harbour.casework.tests.record_history import family, history
from harbour.people.models import Child
from harbour.web.tests.browser import (  # noqa: F401 (fixtures)
    accessibility_violations,
    axe_path,
    browser,
    page,
    sign_in,
)
from harbour.web.tests.browser import (
    shots_folder as _shots,
)
from harbour.workforce.models import Allocation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world():
    world = build()
    ours = world.children["ours"]
    sw = world.staff[Role.SOCIAL_WORKER]
    made = history(ours, sw, visits=12)
    ours.child_protection_plans.exclude(pk=made["plan"].pk).update(
        ends_on=timezone.localdate() - timedelta(days=1)
    )
    brother = Child.objects.create(
        reference="SYN0000040",
        forename="Rowan",
        surname="Fenwick",
        sex="M",
        date_of_birth=date(2012, 9, 14),
    )
    Allocation.objects.create(
        child=brother, worker=sw, team=sw.team, starts_on=timezone.localdate() - timedelta(days=90)
    )
    history(brother, sw, visits=4)
    family(ours, brother)
    return world, made


def test_the_record_pages_pass_axe(page, axe_path, tmp_path):  # noqa: F811 (fixtures)
    world, made = _world()
    ref = world.children["ours"].reference
    sign_in(page, "social_worker", PASSWORD)
    plan = made["plan"]
    for url in (
        f"/children/{ref}/",
        f"/children/{ref}/timeline/",
        f"/children/{ref}/timeline/?kind=visit&kind=contact",
        f"/children/{ref}/family-and-network/",
        f"/children/{ref}/identity/",
        f"/children/{ref}/duties/",
        f"/children/{ref}/records/child-protection-plan/{plan.pk}/",
        f"/children/{ref}/records/contact/{made['contact'].pk}/",
        f"/children/{ref}/chronology/",
        f"/children/{ref}/chronology/add/",
        f"/children/{ref}/chronology/entries/cp_plan:{plan.pk}@{plan.starts_on.isoformat()}/",
        f"/children/{ref}/family/",
    ):
        page.goto(url)
        assert page.title(), url
        assert accessibility_violations(page, axe_path) == [], url
    page.goto(f"/children/{ref}/chronology/add/")
    page.get_by_role("button", name="Add the entry").click()  # every error at once
    assert "There is a problem" in page.content()
    assert accessibility_violations(page, axe_path) == []


def test_the_header_stays_on_screen_and_covers_nothing_at_320(page, tmp_path):  # noqa: F811
    world, _ = _world()
    ref = world.children["ours"].reference
    shots = _shots(tmp_path)
    sign_in(page, "social_worker", PASSWORD)
    for width, name in ((1280, "1280"), (320, "320")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/children/{ref}/")
        page.screenshot(path=str(shots / f"childs-record-{name}.png"), full_page=True)
        page.mouse.wheel(0, 1500)
        page.wait_for_timeout(100)
        page.screenshot(path=str(shots / f"childs-record-{name}-scrolled.png"))
        bar = page.locator(".harbour-record-bar").bounding_box()
        assert abs(bar["y"]) < 1, f"the header scrolled away at {width}px"
        assert bar["height"] < 260 if width == 320 else bar["height"] < 140
        # A heading the sub-navigation leads to is not hidden behind the header.
        page.goto(f"/children/{ref}/timeline/")
        page.screenshot(path=str(shots / f"record-timeline-{name}.png"), full_page=True)
        page.goto(f"/children/{ref}/family/")
        page.screenshot(path=str(shots / f"family-file-{name}.png"), full_page=True)
        page.goto(f"/children/{ref}/chronology/")
        page.screenshot(path=str(shots / f"record-chronology-{name}.png"), full_page=True)
        page.goto(f"/children/{ref}/duties/")
        page.screenshot(path=str(shots / f"record-duties-{name}.png"), full_page=True)
        # No sideways scrolling of the page itself.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page scrolls sideways at {width}px"
