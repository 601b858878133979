"""Child protection recorded through its forms: the strategy discussion, the section 47
enquiry, the initial and review conferences, the plan and core groups. What each starts from,
GOV.UK's messages naming each answer missing with what was typed kept, hostile input, a stale
save refused, the duties done at once on the child's record and the tray, and the plan
printed."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from harbour.access.models import AuditEvent
from harbour.access.roles import Role
from harbour.access.tests.world import build, sign_in
from harbour.journey.models import (
    ChildProtectionPlan,
    Conference,
    CoreGroupMeeting,
    Referral,
    Section47Enquiry,
    StrategyDiscussion,
)
from harbour.journey.services import protection as services
from harbour.timescales.calendar import working_days
from harbour.timescales.selectors import child_duties
from harbour.workforce.models import Staff

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def world():
    return build()


@pytest.fixture
def ours(world):
    return world.children["ours"]


@pytest.fixture
def worker(client, world):
    sign_in(client, world.users[Role.SOCIAL_WORKER])
    return client


def url(child, step, *more, name="record-step"):
    return reverse(name, args=[child.reference, step, *more])


def date_parts(name, day) -> dict:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month),
            f"{name}_year": str(day.year)}  # fmt: skip


def duties(child, rule):
    return [d for d in child_duties(child.pk, TODAY) if d.rule == rule]


def summary_links(html):
    return html.split("govuk-error-summary__list")[1].split("</ul>")[0]


def strategy_post(world, ours, **changes):
    referral = Referral.objects.get(child=ours)
    data = {
        "referral": str(referral.pk),
        **date_parts("held_on", working_days().subtract(TODAY, 2)),
        "held_at": "10:15",
        "agencies_invited": ["social_care", "police", "health"],
        "agencies_present": ["social_care", "police"],
        "chaired_by": str(world.staff[Role.TEAM_MANAGER].pk),
        "outcome": "s47",
        "decisions": "Section 47 jointly with police; medical tomorrow.",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def a_discussion(world, ours):
    return services.record_strategy_discussion(
        by=world.users[Role.SOCIAL_WORKER],
        child=ours,
        referral=Referral.objects.get(child=ours),
        held_on=working_days().subtract(TODAY, 8),
        held_at=time(9, 0),
        agencies_present=["social_care", "police"],
        chaired_by=world.staff[Role.TEAM_MANAGER],
        outcome="s47",
        decisions="Section 47.",
    )


def an_enquiry(world, ours):
    return services.record_section_47_enquiry(
        by=world.users[Role.SOCIAL_WORKER],
        strategy_discussion=a_discussion(world, ours),
        lead_worker=world.staff[Role.SOCIAL_WORKER],
    )


def conference_post(world, **changes):
    data = {
        **date_parts("held_on", TODAY),
        **date_parts("reports_shared_with_parents_on", working_days().subtract(TODAY, 3)),
        "invited": ["social_care", "police", "health", "family"],
        "attended": ["social_care", "police", "family"],
        "reports": ["police", "health"],
        "participation": "advocate",
        "child_views": "Wants Mum to stop shouting.",
        "chair": str(world.staff[Role.CONFERENCE_CHAIR].pk),
        "decisions": "A plan under emotional abuse.",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# ----- strategy discussion --------------------------------------------------------------------


def test_a_strategy_discussion_starts_from_the_open_referral(worker, world, ours):
    html = worker.get(url(ours, "strategy-discussion")).content.decode()
    referral = Referral.objects.get(child=ours)
    assert f'value="{referral.pk}" checked' in html
    assert 'name="agencies_invited" type="checkbox" value="police" checked' in html
    assert 'name="held_at"' in html and "Record a strategy discussion" in html


def test_a_strategy_discussion_saved_through_its_form_does_its_duty(worker, world, ours):
    page = worker.post(url(ours, "strategy-discussion"), strategy_post(world, ours), follow=True)
    assert page.redirect_chain[-1][0] == reverse("child", args=[ours.reference])
    assert "Strategy discussion recorded" in page.content.decode()
    discussion = StrategyDiscussion.objects.get(child=ours)
    assert discussion.held_at == time(10, 15) and discussion.agencies_present == [
        "social_care",
        "police",
    ]
    assert AuditEvent.objects.filter(object_id=str(discussion.pk), child_id=ours.pk).exists()
    # The concern came with the referral weeks ago: accepted, and done late.
    assert [d.status for d in duties(ours, "strategy_discussion")] == ["done_late"]


def test_every_missing_strategy_answer_is_named_and_what_was_typed_kept(worker, world, ours):
    page = worker.post(
        url(ours, "strategy-discussion"),
        {"referral": strategy_post(world, ours)["referral"], "decisions": "Kept words"},
    )
    html = page.content.decode()
    links = summary_links(html)
    for message, target in (
        ("Enter the date of the strategy discussion", "#id_held_on_day"),
        ("Enter the time of the strategy discussion", "#id_held_at"),
        ("Select who took part", "#id_agencies_present_0"),
        ("Select who chaired the strategy discussion", "#id_chaired_by"),
        ("Select what the strategy discussion decided", "#id_outcome_0"),
    ):
        assert f'<a href="{target}">{message}</a>' in links
    assert "This field is required" not in html and "Kept words" in html
    assert not StrategyDiscussion.objects.filter(child=ours).exists()


def test_hostile_input_is_refused_or_made_harmless(worker, world, ours):
    long = worker.post(
        url(ours, "strategy-discussion"), strategy_post(world, ours, decisions="x" * 20_001)
    )
    assert "The decisions and reasons must be 20,000 characters or fewer" in long.content.decode()
    words = '<script>alert(1)</script>\x00\x1b =HYPERLINK("http://x.example","y")'
    shown = worker.post(
        url(ours, "strategy-discussion"), strategy_post(world, ours, outcome="", decisions=words)
    ).content.decode()
    assert "<script>alert(1)</script>" not in shown and "&lt;script&gt;" in shown
    worker.post(url(ours, "strategy-discussion"), strategy_post(world, ours, decisions=words))
    saved = StrategyDiscussion.objects.get(child=ours)
    assert saved.decisions == '<script>alert(1)</script> =HYPERLINK("http://x.example","y")'


def test_a_stale_strategy_discussion_save_is_refused_keeping_the_text(worker, world, ours):
    discussion = a_discussion(world, ours)
    change = url(ours, "strategy-discussion", discussion.pk, name="change-step")
    assert f'name="version" value="{discussion.version}"' in worker.get(change).content.decode()
    theirs = StrategyDiscussion.objects.get(pk=discussion.pk)
    theirs.decisions = "The manager's words."
    theirs.save()
    data = strategy_post(
        world,
        ours,
        decisions="My own words",
        version=str(discussion.version),
        **date_parts("held_on", discussion.held_on),
    )
    html = worker.post(change, data).content.decode()
    assert "after you opened it" in html and "My own words" in html
    assert StrategyDiscussion.objects.get(pk=discussion.pk).decisions == "The manager's words."


# ----- section 47 enquiry ---------------------------------------------------------------------


def test_a_section_47_starts_from_its_discussion_and_refuses_an_unregistered_lead(
    worker, world, ours
):
    discussion = a_discussion(world, ours)
    html = worker.get(url(ours, "section-47-enquiry")).content.decode()
    assert f'value="{discussion.pk}" checked' in html
    unregistered = world.staff[Role.FAMILY_SUPPORT_WORKER]
    Staff.objects.filter(pk=unregistered.pk).update(qualified=False, registration_number="")
    data = {"strategy_discussion": str(discussion.pk), "lead_worker": str(unregistered.pk)}
    html = worker.post(url(ours, "section-47-enquiry"), data).content.decode()
    assert (
        f'<a href="#id_lead_worker">{unregistered.name} cannot lead a section 47 enquiry: it must '
        "be led by a qualified social worker registered with Social Work England</a>"
    ) in html
    assert not Section47Enquiry.objects.filter(child=ours).exists()
    data["lead_worker"] = str(world.staff[Role.SOCIAL_WORKER].pk)
    assert worker.post(url(ours, "section-47-enquiry"), data).status_code == 302
    enquiry = Section47Enquiry.objects.get(child=ours)
    assert enquiry.started_on == discussion.held_on


def test_a_section_47_is_completed_by_changing_it(worker, world, ours):
    enquiry = an_enquiry(world, ours)
    change = url(ours, "section-47-enquiry", enquiry.pk, name="change-step")
    data = {
        "version": str(enquiry.version),
        **date_parts("started_on", enquiry.started_on),
        "lead_worker": str(enquiry.lead_worker_id),
        **date_parts("completed_on", TODAY),
        "outcome": "icpc",
    }
    html = worker.post(change, data).content.decode()
    assert '<a href="#id_findings">Enter what the section 47 enquiry found</a>' in html
    data["findings"] = "Bruising consistent with the account given."
    assert worker.post(change, data).status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.completed_on == TODAY and enquiry.outcome == "icpc"


# ----- conferences ----------------------------------------------------------------------------


def test_a_chair_records_the_initial_conference_from_the_enquiry(client, world, ours):
    enquiry = an_enquiry(world, ours)
    sign_in(client, world.users[Role.CONFERENCE_CHAIR])
    html = client.get(url(ours, "initial-conference")).content.decode()
    assert f'value="{enquiry.pk}" checked' in html  # the enquiry that called it
    assert 'name="invited" type="checkbox" value="police" checked' in html
    assert 'name="invited" type="checkbox" value="family" checked' in html
    assert "Hold the initial child protection conference:" in html  # the timescale, as information
    data = conference_post(world, section_47_enquiry=str(enquiry.pk), outcome="plan")
    html = client.post(url(ours, "initial-conference"), data).content.decode()
    assert '<a href="#id_category_0">Select the category of abuse</a>' in html
    data["category"] = "EMO"
    assert client.post(url(ours, "initial-conference"), data).status_code == 302
    conference = Conference.objects.get(section_47_enquiry=enquiry)
    assert conference.category == "EMO" and conference.advocate_attended
    lines = {a.agency: a for a in conference.attendance.all()}
    assert lines["health"].invited and not lines["health"].attended
    assert lines["health"].report_provided
    assert [d.status for d in duties(ours, "initial_child_protection_conference")] == [
        "done_on_time"
    ]


def test_the_childs_participation_or_why_not_is_required(worker, world, ours):
    enquiry = an_enquiry(world, ours)
    data = conference_post(
        world, section_47_enquiry=str(enquiry.pk), outcome="no_plan", participation="neither"
    )
    html = worker.post(url(ours, "initial-conference"), data).content.decode()
    assert (
        '<a href="#id_no_participation_reason">Enter why the child did not take part and had no '
        "advocate</a>"
    ) in html
    data["no_participation_reason"] = "Aged 18 months."
    assert worker.post(url(ours, "initial-conference"), data).status_code == 302


def test_a_review_ends_the_plan_with_its_reason(worker, world, ours):
    plan = ChildProtectionPlan.objects.get(child=ours)
    html = worker.get(url(ours, "review-conference")).content.decode()
    assert f'value="{plan.pk}" checked' in html and 'value="NEG" checked' in html
    data = conference_post(world, plan=str(plan.pk), outcome="end")
    html = worker.post(url(ours, "review-conference"), data).content.decode()
    assert '<a href="#id_end_reason_0">Select why the plan ends</a>' in html
    data["end_reason"] = "no_longer_at_risk"
    assert worker.post(url(ours, "review-conference"), data).status_code == 302
    plan.refresh_from_db()
    assert plan.ends_on == TODAY and plan.end_reason == "no_longer_at_risk"
    # The plan has ended: its review is no longer needed.
    assert [d.status for d in duties(ours, "review_conference")] == ["no_longer_needed"]


# ----- the plan -------------------------------------------------------------------------------


def plan_post(conference=None, **changes):
    due = TODAY + timedelta(days=30)
    data = {
        "outcome_1": "Safe from harm at home.",
        "action_1_1": "Weekly visits.",
        "action_1_1_owner": "Jo Worker",
        "action_1_1_agency": "social_care",
        **date_parts("action_1_1_due", due),
        "contingency": "Legal planning meeting.",
        "consequences_of_non_compliance": "Legal advice will be sought.",
    }
    if conference is not None:
        data["conference"] = str(conference.pk)
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def a_plan_conference(world, ours):
    return services.record_initial_conference(
        by=world.users[Role.SOCIAL_WORKER],
        enquiry=an_enquiry(world, ours),
        held_on=TODAY,
        attendance=[{"agency": "social_care", "attended": True}],
        advocate_attended=True,
        chair=world.staff[Role.CONFERENCE_CHAIR],
        outcome="plan",
        category="PHY",
        decisions="A plan.",
    )


def test_the_plan_is_written_from_the_conference_and_needs_its_contingency(worker, world, ours):
    conference = a_plan_conference(world, ours)
    html = worker.get(url(ours, "child-protection-plan")).content.decode()
    assert f'value="{conference.pk}" checked' in html
    data = plan_post(conference, contingency="", action_1_1_owner="")
    html = worker.post(url(ours, "child-protection-plan"), data).content.decode()
    links = summary_links(html)
    assert (
        '<a href="#id_contingency">Enter the contingency plan: what happens if the plan is not '
        "working</a>"
    ) in links
    assert '<a href="#id_action_1_1_owner">Enter who will do it</a>' in links
    assert "Weekly visits." in html
    assert worker.post(url(ours, "child-protection-plan"), plan_post(conference)).status_code == 302
    plan = ChildProtectionPlan.objects.get(initial_conference=conference)
    assert plan.initial_category == "PHY" and plan.starts_on == TODAY
    assert [a.owner_name for a in plan.actions.all()] == ["Jo Worker"]


def test_an_outcome_without_actions_is_named_on_its_first_action(worker, world, ours):
    conference = a_plan_conference(world, ours)
    data = plan_post(conference, outcome_2="Goes to school every day.")
    html = worker.post(url(ours, "child-protection-plan"), data).content.decode()
    assert '<a href="#id_action_2_1">Add at least one action for this outcome</a>' in html


def test_a_plan_change_adds_an_action_and_a_stale_one_is_refused(worker, world, ours):
    conference = a_plan_conference(world, ours)
    worker.post(url(ours, "child-protection-plan"), plan_post(conference))
    plan = ChildProtectionPlan.objects.get(initial_conference=conference)
    change = url(ours, "child-protection-plan", plan.pk, name="change-step")
    html = worker.get(change).content.decode()
    assert "Weekly visits." in html and 'name="outcome_3"' in html  # spare rows
    outcome, action = plan.outcomes.get(), plan.actions.get()
    data = plan_post(
        version=str(plan.version),
        outcome_1_id=str(outcome.pk),
        action_1_1_id=str(action.pk),
        action_1_2="School to report attendance weekly.",
        action_1_2_owner="Head of year",
        action_1_2_agency="education",
        **date_parts("action_1_2_due", TODAY + timedelta(days=14)),
    )
    assert worker.post(change, data).status_code == 302
    assert plan.actions.count() == 2 and plan.actions.filter(pk=action.pk).exists()
    data["contingency"] = "Stale words."
    html = worker.post(change, data).content.decode()
    assert "after you opened it" in html and "Stale words." in html


def test_the_plan_prints_with_its_outcomes_and_the_child(worker, world, ours):
    conference = a_plan_conference(world, ours)
    worker.post(url(ours, "child-protection-plan"), plan_post(conference))
    plan = ChildProtectionPlan.objects.get(initial_conference=conference)
    page = worker.get(url(ours, "child-protection-plan", plan.pk, name="print-step"))
    html = page.content.decode()
    assert page.status_code == 200 and "harbour-print-frame" in html
    assert ours.name in html and "Safe from harm at home." in html and "Jo Worker" in html
    assert "Legal planning meeting." in html and "Physical abuse" in html
    chair = world.staff[Role.CONFERENCE_CHAIR]
    assert f"Agreed at the initial child protection conference chaired by {chair.name}" in html
    # The footer on every printed page says so too, not "Not signed off".
    held = f"{conference.held_on:%-d %B %Y}"
    assert f"on {held}, chaired by {chair.name}" in html and "Not signed off" not in html


# ----- core group -----------------------------------------------------------------------------


def test_a_core_group_reviews_the_actions_and_clears_the_tray(worker, world, ours):
    plan = ChildProtectionPlan.objects.get(child=ours)
    services.update_child_protection_plan(
        by=world.users[Role.SOCIAL_WORKER],
        plan=plan,
        version=plan.version,
        outcomes=[{"outcome": "Safe.", "actions": [{"action": "Visit weekly.",
                   "owner_name": "Jo", "owner_agency": "social_care", "due_on": TODAY}]}],
        contingency="Legal advice.",
        consequences_of_non_compliance="Legal advice.",
    )  # fmt: skip
    action = plan.actions.get()
    assert "Hold the core group" in worker.get(reverse("my-work")).content.decode()
    html = worker.get(url(ours, "core-group")).content.decode()
    assert "Visit weekly." in html and f'name="status_{action.pk}"' in html
    missing = worker.post(url(ours, "core-group"), {"plan": str(plan.pk), "notes": "Kept"})
    assert '<a href="#id_held_on_day">Enter the date of the core group meeting</a>' in (
        missing.content.decode()
    )
    data = {
        "plan": str(plan.pk),
        **date_parts("held_on", TODAY),
        "agencies_present": ["social_care", "health"],
        "notes": "Visits happening; school attendance up.",
        f"status_{action.pk}": "done",
        f"note_{action.pk}": "Every week since the conference.",
    }
    assert worker.post(url(ours, "core-group"), data).status_code == 302
    meeting = CoreGroupMeeting.objects.get(plan=plan)
    action.refresh_from_db()
    assert action.status == "done" and meeting.actions_reviewed[0]["note"].startswith("Every")
    assert "done_late" in [d.status for d in duties(ours, "core_group")]
    assert "Hold the core group" not in worker.get(reverse("my-work")).content.decode()


def test_the_menu_offers_the_protection_steps_that_make_sense(worker, world, ours):
    html = worker.get(reverse("record-menu", args=[ours.reference])).content.decode()
    assert "Record a strategy discussion" in html and "Record a core group meeting" in html
    assert "Start a section 47 enquiry" not in html  # no discussion yet


def test_a_conference_is_corrected_keeping_its_decision(client, world, ours):
    conference = ChildProtectionPlan.objects.get(child=ours).initial_conference
    conference.chair = world.staff[Role.CONFERENCE_CHAIR]
    conference.decisions = "A plan under neglect."
    conference.save()
    sign_in(client, world.users[Role.CONFERENCE_CHAIR])
    change = url(ours, "initial-conference", conference.pk, name="change-step")
    html = client.get(change).content.decode()
    assert 'name="outcome"' not in html and 'name="section_47_enquiry"' not in html
    assert "A plan under neglect." in html
    data = conference_post(
        world, version=str(conference.version), **date_parts("held_on", conference.held_on)
    )
    assert client.post(change, data).status_code == 302
    conference.refresh_from_db()
    assert conference.outcome == "" and conference.advocate_attended
    assert conference.decisions == "A plan under emotional abuse."


def test_a_late_initial_conference_through_its_form_is_a_late_icpc_finding(worker, world, ours):
    from harbour.timescales.findings import compute_findings
    from harbour.timescales.sources import read_tables

    enquiry = an_enquiry(world, ours)
    Section47Enquiry.objects.filter(pk=enquiry.pk).update(
        started_on=working_days().subtract(TODAY, 20)
    )
    StrategyDiscussion.objects.filter(pk=enquiry.strategy_discussion_id).update(
        held_on=working_days().subtract(TODAY, 20)
    )
    data = conference_post(world, section_47_enquiry=str(enquiry.pk), outcome="no_plan")
    assert worker.post(url(ours, "initial-conference"), data).status_code == 302
    conference = Conference.objects.get(section_47_enquiry=enquiry)
    found = compute_findings(read_tables(children=[ours.pk]), TODAY)
    assert conference.pk in found.filter(found["failure"] == "late_icpc")["record"].to_list()


def test_a_plan_refuses_oversized_words_and_keeps_formulas_as_text(worker, world, ours):
    conference = a_plan_conference(world, ours)
    html = worker.post(
        url(ours, "child-protection-plan"), plan_post(conference, contingency="x" * 20_001)
    ).content.decode()
    assert "The contingency plan must be 20,000 characters or fewer" in html
    formula = '=HYPERLINK("http://x.example","click")'
    worker.post(url(ours, "child-protection-plan"), plan_post(conference, outcome_1=formula))
    assert ChildProtectionPlan.objects.get(
        initial_conference=conference
    ).outcomes.get().outcome == (formula)
