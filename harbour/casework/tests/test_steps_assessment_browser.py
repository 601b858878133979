"""The assessment side's forms in Chromium: axe on each form empty and with its errors shown
(a referral, an assessment, the child in need plan and its review, closure, early help, its
end, the step-up and the step-down), an assessment typed, saved and printed, and screenshots
at 1280 and 320 pixels wide to HARBOUR_SCREENSHOTS (or a temporary folder). One browser
session for the whole file."""

from datetime import timedelta

import pytest
from django.utils import timezone

from harbour.access.roles import Role
from harbour.access.tests.world import PASSWORD, build
from harbour.journey.models import Assessment, ChildInNeedPlan, EarlyHelpEpisode, Referral
from harbour.people.models import Child
from harbour.web.tests.browser import (  # noqa: F401 (fixtures)
    accessibility_violations,
    axe_path,
    browser,
    page,
    sign_in,
)
from harbour.web.tests.browser import (
    assert_accessible as _clean,
)
from harbour.web.tests.browser import (
    shoot as _shoot,
)
from harbour.web.tests.browser import (
    shots_folder as _shots,
)
from harbour.workforce.models import Allocation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORMS = (
    "referral",
    "assessment",
    "child-in-need-plan",
    "child-in-need-review",
    "closure",
    "early-help",
    "end-early-help",
    "step-up",
    "step-down",
)
SHOT = {"referral", "assessment", "child-in-need-plan", "child-in-need-review", "closure",
        "early-help", "step-down"}  # fmt: skip


def _world():
    world = build()
    today = timezone.localdate()
    sw = world.staff[Role.SOCIAL_WORKER]
    maya = Child.objects.create(
        reference="SYN0000301",
        forename="Maya",
        surname="Tennant",
        sex="F",
        date_of_birth=today - timedelta(days=9 * 365),
    )
    Allocation.objects.create(
        child=maya, worker=sw, team=sw.team, starts_on=today - timedelta(days=90)
    )
    referral = Referral.objects.create(
        child=maya,
        received_on=today - timedelta(days=20),
        source="2A",
        concerns="Maya told her teacher there is no food at home, and that her mother stays "
        "in bed most days.",
    )
    ChildInNeedPlan.objects.create(
        child=maya,
        referral=referral,
        starts_on=today - timedelta(days=10),
        outcomes="Maya has a hot meal every day.",
        created_by=world.users[Role.SOCIAL_WORKER],
    )
    EarlyHelpEpisode.objects.create(
        child=maya, starts_on=today - timedelta(days=200), lead_professional_name="Jo Hart"
    )
    return world, maya


def test_the_assessment_side_forms_pass_axe_empty_and_with_errors(page, axe_path, tmp_path):  # noqa: F811
    world, maya = _world()
    shots = _shots(tmp_path)
    sign_in(page, "social_worker", PASSWORD)
    for key in FORMS:
        page.goto(f"/children/{maya.reference}/record/{key}/")
        page.get_by_role("heading", level=1).wait_for()
        _clean(page, axe_path)
        if key in SHOT:
            _shoot(page, shots, f"steps-{key}")
        # Every answer cleared, then saved: the error summary.
        for box in page.locator("form input[type=text], form textarea").all():
            if box.is_visible():
                box.fill("")
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_text("There is a problem").first.wait_for()
        _clean(page, axe_path)
        if key == "assessment":
            _shoot(page, shots, "steps-assessment-errors")

    # An assessment typed and saved in the browser, then printed.
    page.goto(f"/children/{maya.reference}/record/assessment/")
    page.get_by_text("What the referral said").wait_for()
    page.locator("#id_child_seen_0").check()  # yes: reveals when, and seen alone
    day = timezone.localdate()
    page.locator("#id_child_seen_on_day").fill(str(day.day))
    page.locator("#id_child_seen_on_month").fill(str(day.month))
    page.locator("#id_child_seen_on_year").fill(str(day.year))
    page.locator("#id_seen_alone_0").check()
    page.get_by_label("The child's views", exact=True).fill(
        "Maya said she likes breakfast club best."
    )
    page.get_by_label("Mental health - concerns about the parent or carer").check()
    page.get_by_label("Analysis", exact=True).fill("Neglect through illness rather than intent.")
    page.get_by_label("Child in need plan").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Assessment saved").first.wait_for()
    made = Assessment.objects.get(child=maya)
    page.goto(f"/children/{maya.reference}/record/assessment/{made.pk}/print/")
    page.get_by_text("Printed by").wait_for()
    _clean(page, axe_path)
    _shoot(page, shots, "steps-assessment-print")

    plan = ChildInNeedPlan.objects.get(child=maya)
    page.goto(f"/children/{maya.reference}/record/child-in-need-plan/{plan.pk}/print/")
    page.get_by_text("Printed by").wait_for()
    _clean(page, axe_path)
    _shoot(page, shots, "steps-child-in-need-plan-print")
