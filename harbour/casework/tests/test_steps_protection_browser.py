"""Child protection's forms in Chromium: axe on each form empty and with its errors shown (the
strategy discussion, the section 47 enquiry, the initial and review conferences, the plan and
core groups), the plan printed, and screenshots at 1280 and 320 pixels wide to
HARBOUR_SCREENSHOTS (or a temporary folder). One browser session for the whole file."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from harbour.access.roles import Role
from harbour.access.tests.world import PASSWORD, build
from harbour.journey.models import Contact, Referral
from harbour.journey.services import protection as services
from harbour.people.models import Child
from harbour.timescales.calendar import working_days
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
    "strategy-discussion",
    "section-47-enquiry",
    "initial-conference",
    "child-protection-plan",
    "review-conference",
    "core-group",
)


def _discussion(by, child, referral, held_on, chair):
    return services.record_strategy_discussion(
        by=by,
        child=child,
        referral=referral,
        held_on=held_on,
        held_at=time(10, 0),
        agencies_invited=["social_care", "police", "health", "education"],
        agencies_present=["social_care", "police", "health"],
        chaired_by=chair,
        outcome="s47",
        decisions="Joint section 47 enquiry by police and social care.",
    )


def _conference(by, enquiry, held_on, chair):
    return services.record_initial_conference(
        by=by,
        enquiry=enquiry,
        held_on=held_on,
        attendance=[
            {"agency": "social_care", "attended": True, "report_provided": True},
            {"agency": "police", "attended": True, "report_provided": True},
            {"agency": "health", "report_provided": True},
            {"agency": "family", "attended": True},
        ],
        advocate_attended=True,
        chair=chair,
        outcome="plan",
        category="NEG",
        decisions="A child protection plan under neglect.",
    )


def _world():
    """Cara: a plan open (from the first enquiry), a discussion waiting for its enquiry, an
    enquiry waiting for its conference, and a conference waiting for its plan."""
    world = build()
    today = timezone.localdate()
    by = world.users[Role.SOCIAL_WORKER]
    sw, manager = world.staff[Role.SOCIAL_WORKER], world.staff[Role.TEAM_MANAGER]
    chair = world.staff[Role.CONFERENCE_CHAIR]
    cara = Child.objects.create(
        reference="SYN0000401",
        forename="Cara",
        surname="Lowe",
        sex="F",
        date_of_birth=today - timedelta(days=8 * 365),
    )
    Allocation.objects.create(
        child=cara, worker=sw, team=sw.team, starts_on=today - timedelta(days=120)
    )
    start = working_days().subtract(today, 60)
    contact = Contact.objects.create(
        child=cara,
        source="5A",
        received_at=timezone.make_aware(timezone.datetime.combine(start, time(9, 0))),
        decision=Contact.Decision.STRATEGY,
        concerns="Police called to the home: the children alone overnight.",
    )
    referral = Referral.objects.create(child=cara, contact=contact, received_on=start, source="5A")
    day = working_days().add
    first = _discussion(by, cara, referral, start, manager)
    enquiry = services.record_section_47_enquiry(by=by, strategy_discussion=first, lead_worker=sw)
    icpc = _conference(by, enquiry, day(start, 12), chair)
    services.record_child_protection_plan(
        by=by,
        conference=icpc,
        outcomes=[
            {
                "outcome": "Cara is looked after by an adult every night.",
                "actions": [
                    {
                        "action": "Agree a written care arrangement for evenings.",
                        "owner_name": "Sam Reid",
                        "owner_agency": "social_care",
                        "due_on": today + timedelta(days=14),
                    },  # fmt: skip
                    {
                        "action": "Report any absence or late collection the same day.",
                        "owner_name": "Head of year 4",
                        "owner_agency": "education",
                        "due_on": today + timedelta(days=28),
                    },  # fmt: skip
                ],
            }
        ],
        contingency="A legal planning meeting if Cara is left alone again.",
        consequences_of_non_compliance="The local authority will seek legal advice.",
    )
    _discussion(by, cara, referral, day(start, 40), manager)  # no enquiry yet
    waiting = services.record_section_47_enquiry(
        by=by, strategy_discussion=_discussion(by, cara, referral, day(start, 30), manager),
        lead_worker=sw,
    )  # fmt: skip
    later = services.record_section_47_enquiry(
        by=by, strategy_discussion=_discussion(by, cara, referral, day(start, 20), manager),
        lead_worker=sw,
    )  # fmt: skip
    _conference(by, later, day(start, 35), chair)  # decided on a plan not yet written
    assert waiting.conferences.count() == 0
    return world, cara


def test_the_protection_forms_pass_axe_empty_and_with_errors(page, axe_path, tmp_path):  # noqa: F811
    world, cara = _world()
    shots = _shots(tmp_path)
    sign_in(page, "social_worker", PASSWORD)
    for key in FORMS:
        page.goto(f"/children/{cara.reference}/record/{key}/")
        page.get_by_role("heading", level=1).wait_for()
        _clean(page, axe_path)
        _shoot(page, shots, f"steps-{key}")
        for box in page.locator("form input[type=text], form textarea").all():
            if box.is_visible():
                box.fill("")
        if key == "section-47-enquiry":  # its answers are all known: a start still to come
            page.locator("#id_started_on_year").fill("2999")
        page.get_by_role("button", name="Save", exact=False).first.click()
        page.get_by_text("There is a problem").first.wait_for()
        _clean(page, axe_path)
        if key in ("initial-conference", "child-protection-plan"):
            _shoot(page, shots, f"steps-{key}-errors")

    # The plan printed.
    plan = cara.child_protection_plans.order_by("starts_on").first()
    page.goto(f"/children/{cara.reference}/record/child-protection-plan/{plan.pk}/print/")
    page.get_by_text("Printed by").wait_for()
    assert page.get_by_text("Cara is looked after by an adult every night.").is_visible()
    _clean(page, axe_path)
    _shoot(page, shots, "steps-child-protection-plan-print")
