"""A child's journey recorded end to end in Chromium (issue 14's walk), as a screener, the
allocated social worker, the conference chair and the team manager: contact → strategy
discussion → section 47 enquiry → assessment → initial conference → child protection plan →
core group → visits (one written up on a 320 px phone) → review conference → step-down →
closure of early help, with the child's duties checked after each step, on the record and on
the worker's tray. On the way, the assessment's draft survives the session ending mid-way and
comes back after signing in again, and a second browser's stale save is refused."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from harbour.access.models import Draft
from harbour.access.roles import Role
from harbour.access.tests.world import PASSWORD, build
from harbour.journey.models import (
    Assessment,
    ChildProtectionPlan,
    Conference,
    CoreGroupMeeting,
    EarlyHelpEpisode,
    Referral,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
)
from harbour.journey.services.front_door import record_contact
from harbour.people.models import Child, FamilyMember, Relationship
from harbour.timescales.selectors import child_duties
from harbour.web.tests.browser import (  # noqa: F401 (fixtures)
    accessibility_violations,
    axe_path,
    browser,
    page,
    shoot,
    shots_folder,
    sign_in,
)
from harbour.workforce.models import Allocation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _maya(world):
    """Maya, held by the north team's social worker, with her mother."""
    worker = world.staff[Role.SOCIAL_WORKER]
    maya = Child.objects.create(
        reference="SYN0000777",
        forename="Maya",
        surname="Walker",
        sex="F",
        date_of_birth=date(2017, 4, 9),
    )
    mother = FamilyMember.objects.create(forename="Lena", surname="Walker", sex="F")
    Relationship.objects.create(child=maya, family_member=mother, kind="mother")
    Allocation.objects.create(
        child=maya,
        worker=worker,
        team=worker.team,
        starts_on=timezone.localdate() - timedelta(days=400),
    )
    return maya


def _date(tab, name, day):
    tab.locator(f"#id_{name}_day").fill(str(day.day))
    tab.locator(f"#id_{name}_month").fill(str(day.month))
    tab.locator(f"#id_{name}_year").fill(str(day.year))


def _record(tab, maya, title):
    """Open "Record…" from the child's record and choose a step."""
    tab.goto(f"/children/{maya.reference}/")
    tab.get_by_role("link", name="Record…").click()
    tab.get_by_role("link", name=title, exact=True).click()
    tab.get_by_role("heading", name=title).wait_for()


def _save(tab, done="Success", button="Save"):
    tab.get_by_role("button", name=button, exact=True).click()
    banner = tab.locator(".govuk-notification-banner--success, .govuk-error-summary").first
    banner.wait_for()
    assert "There is a problem" not in banner.inner_text(), banner.inner_text()
    assert done in banner.inner_text()


def _as(tab, username):
    tab.context.clear_cookies()
    sign_in(tab, username, PASSWORD)


def _shown_done(tab, maya, title):
    """The child's duties page shows the duty `title` done on time."""
    tab.goto(f"/children/{maya.reference}/duties/")
    past = tab.locator("summary", has_text=f"{title}:").first.inner_text()
    assert "on time" in past, past


def _not_on_tray(tab, maya, title):
    tab.goto("/work/")
    for row in tab.locator("tr", has_text=maya.name).all():
        assert title not in row.inner_text(), row.inner_text()


def _duty(maya, rule):
    """The child's duty `rule`: the one done today if there is one, else the first open."""
    found = [d for d in child_duties(maya.pk, timezone.localdate()) if d.rule == rule]
    done = [d for d in found if d.completed == timezone.localdate()]
    return (done or found or [None])[0]


def test_a_childs_journey_recorded_step_by_step(page, browser, live_server, axe_path, tmp_path):  # noqa: F811
    world = build()
    maya = _maya(world)
    today = timezone.localdate()

    # The contact, and the screener's decision: significant harm is suspected.
    record_contact(
        by=world.users[Role.MASH_SCREENER],
        channel="phone",
        source="1B",
        concerns="Maya's teacher saw bruising on her arms.",
        referrer_name="Sam Teacher",
        referrer_organisation="Harbour Primary",
        child=maya,
    )
    _as(page, "mash_screener")
    page.goto("/front-door/")
    page.get_by_role("link", name="Maya Walker").click()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_label("Strategy discussion (significant harm suspected)").check()
    page.get_by_label("Why does this meet").fill("Unexplained bruising: significant harm.")
    page.get_by_label("Not sought, and overridden: asking could put the child at risk").check()
    page.get_by_label("Why is consent overridden?").fill("Asking could put Maya at risk.")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Child in need episode opened").wait_for()
    referral = Referral.objects.get(child=maya)
    assert _duty(maya, "strategy_discussion").completed is None

    # The worker: the strategy discussion is due on the tray at once, and recorded from there.
    _as(page, "social_worker")
    page.goto("/work/")
    page.get_by_role("link", name=re.compile("Record a strategy discussion")).first.click()
    page.get_by_role("heading", name="Record a strategy discussion").wait_for()
    assert accessibility_violations(page, axe_path) == []
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("There is a problem").wait_for()
    assert accessibility_violations(page, axe_path) == []
    _date(page, "held_on", today)
    page.get_by_label("Time it started").fill("10:30")
    for agency in ("police", "health", "social_care"):
        page.locator(f"input[name=agencies_present][value={agency}]").check()
    page.locator("#id_chaired_by").select_option(index=1)
    page.get_by_label("Start a section 47 enquiry").check()
    page.get_by_label("Decisions and reasons").fill("Section 47 enquiry; police to interview.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Strategy discussion recorded").wait_for()
    strategy = StrategyDiscussion.objects.get(child=maya)
    assert strategy.referral == referral
    assert _duty(maya, "strategy_discussion").completed == today
    _shown_done(page, maya, "Hold the strategy discussion")
    _not_on_tray(page, maya, "Hold the strategy discussion")

    # The section 47 enquiry, led by a qualified, registered social worker.
    _record(page, maya, "Start a section 47 enquiry")
    page.locator("#id_strategy_discussion_0").check()
    _date(page, "started_on", today)
    worker_option = page.locator("#id_lead_worker option", has_text="Social worker Test")
    page.locator("#id_lead_worker").select_option(worker_option.first.get_attribute("value"))
    _save(page)
    enquiry = Section47Enquiry.objects.get(child=maya)
    assert enquiry.lead_worker == world.staff[Role.SOCIAL_WORKER]
    assert _duty(maya, "initial_child_protection_conference").completed is None

    # The assessment, written in two sittings: the session ends in the middle.
    url = f"/children/{maya.reference}/record/assessment/"
    page.clock.install()
    page.goto(url)
    page.get_by_label("Single assessment").check()
    _date(page, "started_on", today)
    page.get_by_label("Family history").fill("Maya lives with her mother Lena.")
    page.clock.run_for(5000)
    page.get_by_text(re.compile("Draft saved at")).wait_for()
    Session.objects.all().delete()  # the session runs out
    page.get_by_label("Risks").fill("Bruising not explained; Lena is isolated.")
    page.clock.run_for(5000)
    page.get_by_text(re.compile("You have been signed out")).wait_for()
    page.goto(url)
    page.get_by_label("Username").fill("social_worker")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("This is what you were writing at").wait_for()
    assert page.get_by_label("Risks").input_value() == "Bruising not explained; Lena is isolated."
    assert page.get_by_label("Family history").input_value() == "Maya lives with her mother Lena."
    page.locator("#id_child_seen_0").check()
    _date(page, "child_seen_on", today)
    page.locator("#id_seen_alone_0").check()
    page.get_by_label("The child's views", exact=True).fill("Maya said she likes school.")
    page.locator('input[name=factors][value="18B"]').check()
    page.get_by_label("Analysis", exact=True).fill("Physical harm likely; a conference is needed.")
    page.get_by_label("Strategy discussion", exact=True).check()
    page.locator("input[name=submit][value=yes]").check()
    _save(page)
    assessment = Assessment.objects.get(child=maya)
    assert assessment.risk_factors == "Bruising not explained; Lena is isolated."
    assert not Draft.objects.filter(path=url).exists()

    # The conference chair records the initial conference, and the plan it decides on.
    _as(page, "conference_chair")
    _record(page, maya, "Record an initial child protection conference")
    _date(page, "held_on", today)
    for agency in ("police", "health", "social_care", "education"):
        page.locator(f"input[name=invited][value={agency}]").check()
    for agency in ("police", "health", "social_care"):
        page.locator(f"input[name=attended][value={agency}]").check()
    page.locator("input[name=participation][value=attended]").check()
    page.locator("#id_chair").select_option(index=1)
    page.get_by_label("Decisions and reasons").fill("A plan under the category of physical abuse.")
    page.locator("#id_section_47_enquiry_0").check()
    page.locator("input[name=outcome][value=plan]").check()
    page.locator("input[name=category][value=PHY]").check()
    assert accessibility_violations(page, axe_path) == []
    _save(page)
    conference = Conference.objects.get(child=maya, kind="initial")
    assert _duty(maya, "initial_child_protection_conference").completed == today
    _shown_done(page, maya, "Hold the initial child protection conference")

    _record(page, maya, "Record the child protection plan")
    page.locator("#id_conference_0").check()
    page.locator("#id_outcome_1").fill("Maya is safe from physical harm at home.")
    page.locator("#id_action_1_1").fill("Lena attends the parenting programme.")
    page.locator("#id_action_1_1_owner").fill("Lena Walker")
    page.locator("#id_action_1_1_agency").select_option(index=1)
    _date(page, "action_1_1_due", today + timedelta(days=28))
    page.get_by_label("Contingency plan").fill("If Maya is hurt again, a legal planning meeting.")
    page.get_by_label("Consequences if the plan is not followed").fill("Care proceedings.")
    _save(page, button="Save the plan")
    plan = ChildProtectionPlan.objects.get(child=maya)
    assert plan.initial_conference == conference and plan.initial_category == "PHY"

    # The worker: the core group and visits, one written up on a phone.
    _as(page, "social_worker")
    page.goto(f"/children/{maya.reference}/record/")
    assert accessibility_violations(page, axe_path) == []
    shoot(page, shots_folder(tmp_path), "record-menu")
    assert _duty(maya, "core_group").completed is None
    _record(page, maya, "Record a core group meeting")
    page.locator("#id_plan_0").check()
    _date(page, "held_on", today)
    for agency in ("health", "social_care", "education"):
        page.locator(f"input[name=agencies_present][value={agency}]").check()
    page.get_by_label("What was discussed and agreed").fill("Lena has started the programme.")
    _save(page)
    assert CoreGroupMeeting.objects.filter(plan=plan).count() == 1
    assert _duty(maya, "core_group").completed == today
    _shown_done(page, maya, "Hold the core group")
    _not_on_tray(page, maya, "Hold the core group")

    _record(page, maya, "Record a visit")
    assert page.locator("input[name=kind][value=child_protection]").is_checked()
    page.get_by_label("Purpose of the visit").fill("Statutory child protection visit")
    page.locator("input[name=seen][value=alone]").check()
    page.get_by_label("The child's wishes and feelings").fill("Maya wants to stay at home.")
    _save(page, "Visit recorded")
    assert _duty(maya, "child_protection_visit").completed == today
    _shown_done(page, maya, "Visit the child on a child protection plan")
    _not_on_tray(page, maya, "Visit the child on a child protection plan")

    phone = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    small = phone.new_page()
    sign_in(small, "social_worker", PASSWORD)
    small.goto(f"/children/{maya.reference}/record/visit/")
    assert small.get_by_label("Purpose of the visit").input_value()  # from the last visit
    small.locator("input[name=seen][value=alone]").check()
    small.get_by_label("The child's wishes and feelings").fill("Maya showed me her new room.")
    width = small.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the visit form is {width} px wide on a 320 px phone"
    _save(small, "Visit recorded")
    assert Visit.objects.filter(child=maya).count() == 2

    # A second browser's stale save is refused: the manager and the worker both change the
    # case summary; the manager saves first.
    page.goto(f"/children/{maya.reference}/record/case-summary/")
    page.get_by_label("Case summary").fill("Maya, 9, on a plan for physical abuse.")
    _save(page)
    manager = browser.new_context(base_url=live_server.url).new_page()
    sign_in(manager, "team_manager", PASSWORD)
    manager.goto(f"/children/{maya.reference}/record/case-summary/")
    small.goto(f"/children/{maya.reference}/record/case-summary/")
    manager.get_by_label("Case summary").fill("Maya, 9: plan for physical abuse; Lena engaging.")
    _save(manager)
    small.get_by_label("Case summary").fill("Maya, 9: my own version.")
    small.get_by_role("button", name="Save", exact=True).click()
    small.get_by_text("There is a problem").wait_for()
    assert "after you opened it" in small.locator(".govuk-error-summary").inner_text()
    assert small.get_by_label("Case summary").input_value() == "Maya, 9: my own version."
    phone.close()

    # The chair's review conference ends the plan; the worker steps Maya down to early help;
    # the manager closes early help when its work is done.
    _as(page, "conference_chair")
    _record(page, maya, "Record a review child protection conference")
    _date(page, "held_on", today)
    for agency in ("health", "social_care"):
        page.locator(f"input[name=invited][value={agency}]").check()
        page.locator(f"input[name=attended][value={agency}]").check()
    page.locator("input[name=participation][value=attended]").check()
    page.locator("#id_chair").select_option(index=1)
    page.get_by_label("Decisions and reasons").fill("Risks reduced; the plan ends.")
    page.locator("#id_plan_0").check()
    page.locator("input[name=outcome][value=end]").check()
    page.locator("input[name=end_reason][value=no_longer_at_risk]").check()
    _save(page)
    plan.refresh_from_db()
    assert plan.ends_on == today

    _as(page, "social_worker")
    _record(page, maya, "Step down to early help")
    page.get_by_label("Lead professional's name, if from a partner agency").fill("Jo Family")
    page.get_by_label("Their agency").fill("Harbour Family Hub")
    _date(page, "on", today)
    _save(page)
    referral.refresh_from_db()
    assert referral.closed_on == today
    episode = EarlyHelpEpisode.objects.get(child=maya)
    assert episode.stepped_down_from == referral

    _as(page, "team_manager")
    _record(page, maya, "End early help")
    _date(page, "ends_on", today)
    page.locator("input[name=end_reason][value=needs_met]").check()
    _save(page)
    episode.refresh_from_db()
    assert episode.ends_on == today and episode.end_reason == "needs_met"
    assert accessibility_violations(page, axe_path) == []
