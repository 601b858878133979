"""The visit, case note, missing episode, return home interview and case summary forms in
Chromium: axe on each, empty and with errors shown; a visit written up on a 320 pixel phone
screen and saved; the visit printed; screenshots at 1280 and 320 pixels wide to
HARBOUR_SCREENSHOTS (or a temporary folder)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from harbour.access.roles import Role
from harbour.access.tests.world import PASSWORD, build
from harbour.journey.models import Visit
from harbour.journey.services import missing, recording
from harbour.people.models import FamilyMember, Relationship
from harbour.web.tests.browser import (  # noqa: F401 (fixtures)
    accessibility_violations,
    axe_path,
    browser,
    page,
    sign_in,
)
from harbour.web.tests.browser import assert_accessible as _clean
from harbour.web.tests.browser import shoot as _shoot
from harbour.web.tests.browser import shots_folder as _shots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world():
    world = build()
    child = world.children["ours"]
    mother = FamilyMember.objects.create(forename="Jo", surname="Fenwick")
    Relationship.objects.create(
        child=child, family_member=mother, kind="mother", parental_responsibility=True
    )
    recording.record_visit(
        by=world.users[Role.SOCIAL_WORKER],
        child=child,
        kind="child_protection",
        visited_on=timezone.localdate() - timedelta(days=25),
        purpose="Statutory child protection visit",
        child_seen=True,
        seen_alone=True,
        present=["Jo Fenwick (Mother)", "Ours Fenwick"],
        child_views="Said school is better.",
    )
    back = timezone.now() - timedelta(days=2)
    missing.record_missing_episode(
        by=world.users[Role.SOCIAL_WORKER],
        child=child,
        kind="M",
        started_at=back - timedelta(hours=10),
        ended_at=back,
        reported_to_police=True,
    )
    return world, child


def _empty_then_errors(tab, axe, address, shots=None, name=""):
    tab.goto(address)
    tab.get_by_role("button", name="Save", exact=True).wait_for()
    _clean(tab, axe)
    if shots is not None:
        _shoot(tab, shots, name)
    for box in tab.locator("input[type=text]:visible, textarea:visible").all():
        box.fill("")
    tab.get_by_role("button", name="Save", exact=True).click()
    tab.get_by_text("There is a problem").first.wait_for()
    _clean(tab, axe)
    if shots is not None:
        _shoot(tab, shots, f"{name}-errors")


def test_the_recording_forms_pass_axe_and_a_visit_is_written_on_a_phone(
    page,  # noqa: F811
    axe_path,  # noqa: F811
    tmp_path,
):
    world, child = _world()
    shots = _shots(tmp_path)
    sign_in(page, "social_worker", PASSWORD)
    base = f"/children/{child.reference}/record"

    _empty_then_errors(page, axe_path, f"{base}/visit/", shots, "steps-visit")
    _empty_then_errors(page, axe_path, f"{base}/case-note/", shots, "steps-case-note")
    _empty_then_errors(page, axe_path, f"{base}/missing-episode/", shots, "steps-missing-episode")
    _empty_then_errors(page, axe_path, f"{base}/return-home-interview/")
    _empty_then_errors(page, axe_path, f"{base}/case-summary/", shots, "steps-case-summary")

    # A visit written up in the car: 320 pixels wide, nothing wider than the screen.
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(f"{base}/visit/")
    assert page.get_by_label("Child protection visit").is_checked()
    assert page.get_by_label("Jo Fenwick (Mother)").is_checked()  # present last time
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_label("Purpose of the visit").fill("Statutory child protection visit")
    page.get_by_label("Yes, but not alone").check()
    page.get_by_label("Why was the child not seen alone?").fill("Asked for her mum to stay")
    page.get_by_label("The child's wishes and feelings").fill("Wants her dad to visit more.")
    page.get_by_label("Your analysis (optional)").fill("Improving; keep to the plan.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Visit recorded").first.wait_for()
    saved = Visit.objects.order_by("-pk").first()
    assert saved.not_seen_alone_reason == "Asked for her mum to stay"
    assert saved.who_present.startswith("Jo Fenwick (Mother)")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/visit/{saved.pk}/print/")
    page.get_by_text("Wants her dad to visit more.").wait_for()
    _clean(page, axe_path)
    page.emulate_media(media="print")
    _shoot(page, shots, "steps-visit-print")
