"""Child protection's services: strategy discussion, section 47 enquiry, initial and review
conferences, the plan and core groups, each validated in GOV.UK's words, in one transaction
and audited; late steps accepted; the duties they complete done at once."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from harbour.access.models import AuditEvent
from harbour.access.roles import Role
from harbour.access.tests.world import build
from harbour.core.saving import EditedMeanwhile
from harbour.journey import protection_starts as starts
from harbour.journey.models import (
    ChildProtectionPlan,
    Conference,
    ConferenceAttendance,
    Contact,
    CoreGroupMeeting,
    PlanAction,
    PlanOutcome,
    Referral,
    Section47Enquiry,
    StrategyDiscussion,
)
from harbour.journey.services import protection as services
from harbour.people.models import Child
from harbour.timescales.calendar import working_days
from harbour.timescales.findings import compute_findings
from harbour.timescales.selectors import child_duties
from harbour.timescales.sources import read_tables
from harbour.workforce.models import Allocation, Staff

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def wd_ago(n: int) -> date:
    return working_days().subtract(TODAY, n)


@pytest.fixture
def world():
    return build()


@pytest.fixture
def worker(world):
    return world.users[Role.SOCIAL_WORKER]


@pytest.fixture
def chair(world):
    return world.staff[Role.CONFERENCE_CHAIR]


@pytest.fixture
def child(world):
    child = Child.objects.create(
        reference="SYN0000200",
        forename="Cara",
        surname="Lowe",
        sex="F",
        date_of_birth=date(2015, 2, 3),
    )
    sw = world.staff[Role.SOCIAL_WORKER]
    Allocation.objects.create(child=child, worker=sw, team=sw.team, starts_on=wd_ago(40))
    return child


def strategy_referral(child, received: date) -> Referral:
    contact = Contact.objects.create(
        child=child,
        source="5A",
        received_at=timezone.make_aware(timezone.datetime.combine(received, time(9, 30))),
        decision=Contact.Decision.STRATEGY,
    )
    return Referral.objects.create(child=child, contact=contact, received_on=received, source="5A")


def duty(child, rule):
    return [d for d in child_duties(child.pk, TODAY) if d.rule == rule]


def last_audit(obj):
    return AuditEvent.objects.filter(object_id=str(obj.pk)).order_by("-id").first()


def strategy_answers(world, referral, **changes):
    answers = {
        "referral": referral,
        "held_on": referral.received_on,
        "held_at": time(11, 0),
        "agencies_invited": ["social_care", "police", "health", "education"],
        "agencies_present": ["social_care", "police", "health"],
        "chaired_by": world.staff[Role.TEAM_MANAGER],
        "outcome": StrategyDiscussion.Outcome.SECTION_47,
        "decisions": "Joint visit by police and social care today; medical by Friday.",
    }
    answers.update(changes)
    if answers["held_on"] == TODAY and "held_at" not in changes:
        answers["held_at"] = time(0, 0)  # earlier today, whenever the test runs
    return answers


def discussion_for(world, child, worker, received=None, **changes):
    referral = strategy_referral(child, received or wd_ago(3))
    return services.record_strategy_discussion(
        by=worker, child=child, **strategy_answers(world, referral, **changes)
    )


def enquiry_for(world, child, worker, received=None):
    discussion = discussion_for(world, child, worker, received)
    return services.record_section_47_enquiry(
        by=worker, strategy_discussion=discussion, lead_worker=worker.staff
    )


def conference_answers(chair, held_on, /, **changes):
    answers = {
        "held_on": held_on,
        "reports_shared_with_parents_on": working_days().subtract(held_on, 3),
        "attendance": [
            {"agency": "social_care", "attended": True, "report_provided": True},
            {"agency": "police", "attended": True, "report_provided": True},
            {"agency": "health", "attended": False, "report_provided": True},
            {"agency": "family", "attended": True},
            {"agency": "education", "invited": True},
        ],
        "child_attended": False,
        "advocate_attended": True,
        "child_views": "Wants to stay at home if Dad stops drinking.",
        "chair": chair,
        "outcome": Conference.Outcome.PLAN,
        "category": "NEG",
        "decisions": "Plan under neglect: home conditions and supervision.",
    }
    answers.update(changes)
    return answers


def plan_outcomes(due=None):
    due = due or TODAY + timedelta(days=28)
    return [
        {
            "outcome": "Cara has food, clean clothes and a safe bed every day.",
            "actions": [
                {
                    "action": "Weekly unannounced visit to check the home.",
                    "owner_name": "Jo Worker",
                    "owner_agency": "social_care",
                    "due_on": due,
                },
                {
                    "action": "Check Cara's weight each month.",
                    "owner_name": "School nurse",
                    "owner_agency": "health",
                    "due_on": due,
                },
            ],
        }
    ]


def plan_for(world, child, worker, chair, received=None):
    enquiry = enquiry_for(world, child, worker, received or wd_ago(30))
    conference = services.record_initial_conference(
        by=worker, enquiry=enquiry, **conference_answers(chair, wd_ago(20))
    )
    return services.record_child_protection_plan(
        by=worker,
        conference=conference,
        outcomes=plan_outcomes(),
        contingency="Legal planning meeting if home conditions do not improve in 6 weeks.",
        consequences_of_non_compliance="The local authority will seek legal advice.",
    )


# ----- strategy discussion --------------------------------------------------------------------


def test_a_strategy_discussion_is_recorded_audited_and_its_duty_done(world, child, worker):
    referral = strategy_referral(child, wd_ago(1))
    discussion = services.record_strategy_discussion(
        by=worker, child=child, **strategy_answers(world, referral, held_on=TODAY)
    )
    assert discussion.held_at == time(0, 0) and discussion.outcome == "s47"
    # The concern arose when the contact came; a present agency was also invited.
    assert discussion.concern_identified_on == wd_ago(1)
    assert set(discussion.agencies_present) <= set(discussion.agencies_invited)
    assert discussion.created_by == worker
    line = last_audit(discussion)
    assert line.detail["action"] == "strategy discussion recorded" and line.user_id == worker.pk
    assert [d.status for d in duty(child, "strategy_discussion")] == ["done_on_time"]


def test_a_late_strategy_discussion_is_accepted_and_done_late(world, child, worker):
    referral = strategy_referral(child, wd_ago(12))
    services.record_strategy_discussion(
        by=worker, child=child, **strategy_answers(world, referral, held_on=TODAY)
    )
    assert [d.status for d in duty(child, "strategy_discussion")] == ["done_late"]


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"held_on": None}, "held_on", "Enter the date of the strategy discussion"),
        ({"held_at": None}, "held_at", "Enter the time of the strategy discussion"),
        ({"chaired_by": None}, "chaired_by", "Select who chaired the strategy discussion"),
        ({"outcome": ""}, "outcome", "Select what the strategy discussion decided"),
        ({"decisions": "  "}, "decisions", "Enter the decisions and the reasons for them"),
        ({"agencies_present": []}, "agencies_present", "Select who took part"),
        ({"agencies_present": ["mi5"]}, "agencies_present", "Select agencies from the list"),
        ({"held_on": TODAY + timedelta(days=1)}, "held_on", "must be today or in the past"),
        ({"held_on": wd_ago(10)}, "held_on", "cannot be before the concern came to us"),
        ({"decisions": "x" * 20_001}, "decisions", "must be 20,000 characters or fewer"),
    ],
)
def test_a_strategy_discussion_says_what_to_fix_and_records_nothing(
    world, child, worker, changes, field, words
):
    referral = strategy_referral(child, wd_ago(3))
    with pytest.raises(ValidationError) as refused:
        services.record_strategy_discussion(
            by=worker, child=child, **strategy_answers(world, referral, **changes)
        )
    assert words in refused.value.message_dict[field][0]
    assert not StrategyDiscussion.objects.filter(child=child).exists()


def test_control_characters_are_removed(world, child, worker):
    referral = strategy_referral(child, wd_ago(3))
    discussion = services.record_strategy_discussion(
        by=worker,
        child=child,
        **strategy_answers(world, referral, decisions="Joint visit\x00\x1b today.\r\nMedical."),
    )
    assert discussion.decisions == "Joint visit today.\nMedical."


def test_a_strategy_discussion_later_today_is_refused(world, child, worker):
    referral = strategy_referral(child, TODAY)
    later = (timezone.localtime() + timedelta(minutes=30)).time()
    if later < timezone.localtime().time():  # just before midnight: nothing later today
        pytest.skip("no later time today")
    with pytest.raises(ValidationError) as refused:
        services.record_strategy_discussion(
            by=worker,
            child=child,
            **strategy_answers(world, referral, held_on=TODAY, held_at=later),
        )
    assert "must be in the past" in refused.value.message_dict["held_at"][0]


def test_only_staff_record_and_another_childs_referral_is_refused(world, child, worker):
    referral = strategy_referral(child, wd_ago(3))
    with pytest.raises(ValidationError) as refused:
        services.record_strategy_discussion(
            by=world.users[Role.ADMINISTRATOR], child=child, **strategy_answers(world, referral)
        )
    assert "Only a member of staff" in refused.value.message_dict["held_on"][0]
    with pytest.raises(ValidationError) as refused:
        services.record_strategy_discussion(
            by=worker, child=world.children["ours"], **strategy_answers(world, referral)
        )
    assert "referral" in refused.value.message_dict


def test_a_strategy_discussion_edit_on_a_stale_version_is_refused(world, child, worker):
    discussion = discussion_for(world, child, worker)
    opened = discussion.version
    answers = strategy_answers(world, discussion.referral)
    answers.pop("referral")
    services.update_strategy_discussion(
        by=worker, discussion=discussion, version=opened, **{**answers, "decisions": "First."}
    )
    stale = StrategyDiscussion.objects.get(pk=discussion.pk)
    with pytest.raises(EditedMeanwhile):
        services.update_strategy_discussion(
            by=worker, discussion=stale, version=opened, **{**answers, "decisions": "Second."}
        )
    discussion.refresh_from_db()
    assert discussion.decisions == "First." and discussion.version == opened + 1


# ----- section 47 enquiry ---------------------------------------------------------------------


def test_a_section_47_enquiry_starts_from_its_discussion(world, child, worker):
    discussion = discussion_for(world, child, worker, outcome=StrategyDiscussion.Outcome.SECTION_47)
    start = starts.section_47_enquiry_start(discussion)
    assert start["lead_worker"] == worker.staff and start["started_on"] == discussion.held_on
    enquiry = services.record_section_47_enquiry(
        by=worker, strategy_discussion=discussion, lead_worker=start["lead_worker"]
    )
    assert enquiry.started_on == discussion.held_on and enquiry.referral == discussion.referral
    assert last_audit(enquiry).detail["action"] == "section 47 enquiry started"
    # The initial conference is now due, 15 working days from the discussion.
    icpc = duty(child, "initial_child_protection_conference")
    assert icpc and icpc[0].due == working_days().add(discussion.held_on, 15)
    with pytest.raises(ValidationError) as refused:  # one enquiry for one discussion
        services.record_section_47_enquiry(
            by=worker, strategy_discussion=discussion, lead_worker=worker.staff
        )
    assert "strategy_discussion" in refused.value.message_dict


def test_a_section_47_lead_must_be_a_registered_social_worker(world, child, worker):
    discussion = discussion_for(world, child, worker)
    unregistered = Staff.objects.create(
        forename="Pat",
        surname="Support",
        role=Role.FAMILY_SUPPORT_WORKER,
        team=worker.staff.team,
        qualified=False,
        starts_on=date(2020, 1, 6),
    )
    with pytest.raises(ValidationError) as refused:
        services.record_section_47_enquiry(
            by=worker, strategy_discussion=discussion, lead_worker=unregistered
        )
    words = refused.value.message_dict["lead_worker"][0]
    assert words.startswith("Pat Support cannot lead a section 47 enquiry")
    assert "registered with Social Work England" in words
    with pytest.raises(ValidationError) as refused:
        services.record_section_47_enquiry(
            by=worker, strategy_discussion=discussion, lead_worker=None
        )
    assert "Select the social worker" in refused.value.message_dict["lead_worker"][0]
    assert not Section47Enquiry.objects.filter(child=child).exists()


def test_a_section_47_cannot_start_before_its_discussion_or_from_one_that_decided_otherwise(
    world, child, worker
):
    discussion = discussion_for(world, child, worker)
    with pytest.raises(ValidationError) as refused:
        services.record_section_47_enquiry(
            by=worker,
            strategy_discussion=discussion,
            lead_worker=worker.staff,
            started_on=discussion.held_on - timedelta(days=1),
        )
    assert (
        "cannot start before the strategy discussion" in refused.value.message_dict["started_on"][0]
    )
    other = Child.objects.create(
        reference="SYN0000201",
        forename="Dan",
        surname="Lowe",
        sex="M",
        date_of_birth=date(2017, 6, 1),
    )
    nfa = discussion_for(world, other, worker, outcome=StrategyDiscussion.Outcome.NO_FURTHER_ACTION)
    with pytest.raises(ValidationError) as refused:
        services.record_section_47_enquiry(
            by=worker, strategy_discussion=nfa, lead_worker=worker.staff
        )
    assert "decided: no further action" in refused.value.message_dict["strategy_discussion"][0]


def test_a_section_47_is_completed_with_its_outcome_and_findings(world, child, worker):
    enquiry = enquiry_for(world, child, worker)
    answers = {"started_on": enquiry.started_on, "lead_worker": worker.staff}
    for changes, field in (
        ({"outcome": "icpc", "findings": "Bruising."}, "completed_on"),
        ({"completed_on": TODAY, "findings": "Bruising."}, "outcome"),
        ({"completed_on": TODAY, "outcome": "icpc"}, "findings"),
        (
            {
                "completed_on": enquiry.started_on - timedelta(days=1),
                "outcome": "icpc",
                "findings": "x",
            },
            "completed_on",
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            services.update_section_47_enquiry(
                by=worker, enquiry=enquiry, version=enquiry.version, **answers, **changes
            )
        assert field in refused.value.message_dict
    opened = enquiry.version
    services.update_section_47_enquiry(
        by=worker,
        enquiry=enquiry,
        version=opened,
        completed_on=TODAY,
        outcome="icpc",
        findings="Unexplained bruising; neglect of the home.",
        **answers,
    )
    enquiry.refresh_from_db()
    assert enquiry.completed_on == TODAY and enquiry.outcome == "icpc"
    assert last_audit(enquiry).detail["action"] == "section 47 enquiry completed"
    with pytest.raises(EditedMeanwhile):
        services.update_section_47_enquiry(
            by=worker,
            enquiry=Section47Enquiry.objects.get(pk=enquiry.pk),
            version=opened,
            **answers,
        )


# ----- conferences ----------------------------------------------------------------------------


def test_the_initial_conference_starts_from_the_enquiry_and_its_discussion(world, child, worker):
    enquiry = enquiry_for(world, child, worker)
    start = starts.initial_conference_start(enquiry)
    invited = [row["agency"] for row in start["attendance"]]
    assert invited == ["social_care", "police", "health", "education", "family"]


def test_an_initial_conference_on_time_completes_its_duty(world, child, worker, chair):
    enquiry = enquiry_for(world, child, worker, wd_ago(5))
    conference = services.record_initial_conference(
        by=worker, enquiry=enquiry, **conference_answers(chair, TODAY)
    )
    assert conference.kind == "initial" and conference.category == "NEG"
    lines = {a.agency: a for a in ConferenceAttendance.objects.filter(conference=conference)}
    assert (
        lines["health"].invited and not lines["health"].attended and lines["health"].report_provided
    )
    assert lines["education"].invited and not lines["education"].attended
    assert last_audit(conference).detail == {
        "action": "initial conference recorded",
        "outcome": "plan",
    }
    assert [d.status for d in duty(child, "initial_child_protection_conference")] == [
        "done_on_time"
    ]


def test_a_late_initial_conference_is_accepted_and_found_late(world, child, worker, chair):
    enquiry = enquiry_for(world, child, worker, wd_ago(20))
    conference = services.record_initial_conference(
        by=worker, enquiry=enquiry, **conference_answers(chair, TODAY)
    )
    assert [d.status for d in duty(child, "initial_child_protection_conference")] == ["done_late"]
    found = compute_findings(read_tables(children=[child.pk]), TODAY)
    late = found.filter(found["failure"] == "late_icpc")
    assert late["record"].to_list() == [conference.pk]


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"held_on": None}, "held_on", "Enter the date of the conference"),
        ({"chair": None}, "chair", "Select who chaired the conference"),
        ({"outcome": ""}, "outcome", "Select whether the child is to have a child protection plan"),
        ({"category": ""}, "category", "Select the category of abuse"),
        ({"category": "MUL"}, "category", "Multiple is no longer used"),
        ({"decisions": ""}, "decisions", "Enter the conference's decisions"),
        ({"attendance": []}, "attendance", "Select the agencies invited to the conference"),
        (
            {"advocate_attended": False, "no_participation_reason": ""},
            "no_participation_reason",
            "Enter why the child did not take part and had no advocate",
        ),
        (
            {"reports_shared_with_parents_on": TODAY + timedelta(days=2)},
            "reports_shared_with_parents_on",
            "must be today or in the past",
        ),
    ],
)
def test_a_conference_says_what_to_fix_and_records_nothing(
    world, child, worker, chair, changes, field, words
):
    enquiry = enquiry_for(world, child, worker)
    with pytest.raises(ValidationError) as refused:
        services.record_initial_conference(
            by=worker, enquiry=enquiry, **conference_answers(chair, TODAY, **changes)
        )
    assert words in refused.value.message_dict[field][0]
    assert not Conference.objects.filter(child=child).exists()


def test_no_plan_needs_no_category_and_a_conference_before_the_enquiry_is_refused(
    world, child, worker, chair
):
    enquiry = enquiry_for(world, child, worker)
    with pytest.raises(ValidationError) as refused:
        services.record_initial_conference(
            by=worker,
            enquiry=enquiry,
            **conference_answers(chair, enquiry.started_on - timedelta(days=1)),
        )
    assert (
        "cannot be before the section 47 enquiry started"
        in refused.value.message_dict["held_on"][0]
    )
    conference = services.record_initial_conference(
        by=worker,
        enquiry=enquiry,
        **conference_answers(
            chair,
            TODAY,
            outcome="no_plan",
            category="",
            advocate_attended=False,
            no_participation_reason="Aged 2.",
        ),
    )
    assert conference.category == "" and conference.no_participation_reason == "Aged 2."
    with pytest.raises(ValidationError) as refused:
        services.record_child_protection_plan(
            by=worker,
            conference=conference,
            outcomes=plan_outcomes(),
            contingency="x",
            consequences_of_non_compliance="y",
        )
    assert "needs no child protection plan" in refused.value.message_dict["conference"][0]


def test_a_conference_is_one_transaction(world, child, worker, chair, monkeypatch):
    enquiry = enquiry_for(world, child, worker)

    def broken(**kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(services, "note", broken)
    with pytest.raises(RuntimeError):
        services.record_initial_conference(
            by=worker, enquiry=enquiry, **conference_answers(chair, TODAY)
        )
    assert not Conference.objects.filter(child=child).exists()
    assert not ConferenceAttendance.objects.filter(conference__child=child).exists()


# ----- the plan -------------------------------------------------------------------------------


def test_the_plan_is_made_from_the_conference_decision_and_category(world, child, worker, chair):
    plan = plan_for(world, child, worker, chair)
    conference = plan.initial_conference
    assert plan.starts_on == conference.held_on
    assert plan.initial_category == plan.latest_category == "NEG"
    assert plan.referral == conference.section_47_enquiry.referral
    assert PlanOutcome.objects.filter(plan=plan).count() == 1
    assert sorted(PlanAction.objects.filter(plan=plan).values_list("owner_agency", flat=True)) == [
        "health",
        "social_care",
    ]
    assert last_audit(plan).detail["action"] == "child protection plan recorded"
    start = starts.child_protection_plan_start(conference)
    assert start["category"] == "NEG" and "police" in start["agencies"]
    # The plan's duties follow at once: the first core group, 10 working days from the start,
    # is overdue; the review conference is due.
    assert [d.status for d in duty(child, "core_group")] == ["overdue"]
    assert duty(child, "review_conference")


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"contingency": " "}, "contingency"),
        ({"consequences_of_non_compliance": ""}, "consequences_of_non_compliance"),
        ({"outcomes": []}, "outcomes"),
        ({"outcomes": [{"outcome": "Safe at home.", "actions": []}]}, "outcomes-0-actions"),
        (
            {"outcomes": [{"outcome": "", "actions": plan_outcomes()[0]["actions"]}]},
            "outcomes-0-outcome",
        ),
    ],
)
def test_a_plan_needs_its_outcomes_actions_contingency_and_consequences(
    world, child, worker, chair, changes, field
):
    enquiry = enquiry_for(world, child, worker)
    conference = services.record_initial_conference(
        by=worker, enquiry=enquiry, **conference_answers(chair, TODAY)
    )
    answers = {
        "outcomes": plan_outcomes(),
        "contingency": "Legal planning meeting.",
        "consequences_of_non_compliance": "Legal advice will be sought.",
    }
    answers.update(changes)
    with pytest.raises(ValidationError) as refused:
        services.record_child_protection_plan(by=worker, conference=conference, **answers)
    assert field in refused.value.message_dict
    assert not ChildProtectionPlan.objects.filter(child=child).exists()
    assert not PlanOutcome.objects.filter(plan__child=child).exists()


def test_each_action_needs_what_who_which_agency_and_when(world, child, worker, chair):
    enquiry = enquiry_for(world, child, worker)
    conference = services.record_initial_conference(
        by=worker, enquiry=enquiry, **conference_answers(chair, TODAY)
    )
    outcomes = [
        {
            "outcome": "Safe.",
            "actions": [{"action": "", "owner_name": "", "owner_agency": "", "due_on": None}],
        }
    ]
    with pytest.raises(ValidationError) as refused:
        services.record_child_protection_plan(
            by=worker,
            conference=conference,
            outcomes=outcomes,
            contingency="c",
            consequences_of_non_compliance="n",
        )
    errors = refused.value.message_dict
    assert errors["outcomes-0-actions-0-action"] == ["Enter what is to be done"]
    assert errors["outcomes-0-actions-0-owner_name"] == ["Enter who will do it"]
    assert errors["outcomes-0-actions-0-owner_agency"] == [
        "Select the agency of the person who will do it"
    ]
    assert errors["outcomes-0-actions-0-due_on"] == ["Enter the date it is to be done by"]


def test_a_plan_is_revised_and_a_stale_revision_refused(world, child, worker, chair):
    plan = plan_for(world, child, worker, chair)
    outcome = plan.outcomes.get()
    first, second = plan.actions.order_by("pk")
    opened = plan.version
    revised = [
        {
            "id": outcome.pk,
            "outcome": outcome.outcome,
            "actions": [
                {
                    "id": first.pk,
                    "action": "Twice-weekly visits.",
                    "owner_name": first.owner_name,
                    "owner_agency": first.owner_agency,
                    "due_on": first.due_on,
                },
                {
                    "action": "Parenting course.",
                    "owner_name": "Family centre",
                    "owner_agency": "early_help",
                    "due_on": TODAY + timedelta(days=60),
                },
            ],
        }
    ]
    services.update_child_protection_plan(
        by=worker,
        plan=plan,
        version=opened,
        outcomes=revised,
        contingency="Legal planning meeting in 4 weeks.",
        consequences_of_non_compliance="Legal advice.",
    )
    actions = list(PlanAction.objects.filter(plan=plan).order_by("pk"))
    assert [a.action for a in actions] == ["Twice-weekly visits.", "Parenting course."]
    assert actions[0].pk == first.pk and not PlanAction.objects.filter(pk=second.pk).exists()
    with pytest.raises(EditedMeanwhile):
        services.update_child_protection_plan(
            by=worker,
            plan=ChildProtectionPlan.objects.get(pk=plan.pk),
            version=opened,
            outcomes=revised,
            contingency="Someone else's words.",
            consequences_of_non_compliance="Legal advice.",
        )
    plan.refresh_from_db()
    assert plan.contingency == "Legal planning meeting in 4 weeks."


# ----- core group -----------------------------------------------------------------------------


def test_a_core_group_reviews_the_actions_and_completes_its_duty(world, child, worker, chair):
    plan = plan_for(world, child, worker, chair)
    start = starts.core_group_start(plan)
    assert "police" in start["agencies_present"] and len(start["actions"]) == 2
    first, second = (row["action"] for row in start["actions"])
    meeting = services.record_core_group_meeting(
        by=worker,
        plan=plan,
        held_on=TODAY,
        agencies_present=["social_care", "health", "family"],
        notes="Home conditions improving; Cara's attendance up.",
        actions_reviewed=[
            {"action": first, "status": "done", "note": "Visits happening."},
            {"action": second.pk, "status": "in_progress"},
        ],
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "done" and first.completed_on == TODAY
    assert second.status == "in_progress" and second.completed_on is None
    assert meeting.actions_reviewed[0] == {
        "action": first.pk,
        "status": "done",
        "note": "Visits happening.",
    }
    # The first core group was due 10 working days after the plan began: done late.
    assert "done_late" in [d.status for d in duty(child, "core_group")]
    assert last_audit(meeting).detail["action"] == "core group meeting recorded"
    assert starts.core_group_start(plan)["agencies_present"] == ["social_care", "health", "family"]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"held_on": None}, "held_on"),
        ({"notes": ""}, "notes"),
        ({"agencies_present": []}, "agencies_present"),
        ({"actions_reviewed": [{"action": 999_999, "status": "done"}]}, "actions-0-status"),
        ({"actions_reviewed": [{"action": None, "status": "done"}]}, "actions-0-status"),
    ],
)
def test_a_core_group_says_what_to_fix(world, child, worker, chair, changes, field):
    plan = plan_for(world, child, worker, chair)
    answers = {"held_on": TODAY, "agencies_present": ["social_care"], "notes": "Met."}
    answers.update(changes)
    with pytest.raises(ValidationError) as refused:
        services.record_core_group_meeting(by=worker, plan=plan, **answers)
    assert field in refused.value.message_dict
    assert not CoreGroupMeeting.objects.filter(plan=plan).exists()


def test_a_core_group_before_the_plan_is_refused_and_a_stale_edit_too(world, child, worker, chair):
    plan = plan_for(world, child, worker, chair)
    with pytest.raises(ValidationError) as refused:
        services.record_core_group_meeting(
            by=worker,
            plan=plan,
            held_on=plan.starts_on - timedelta(days=1),
            agencies_present=["social_care"],
            notes="Met.",
        )
    assert "cannot meet before the plan started" in refused.value.message_dict["held_on"][0]
    meeting = services.record_core_group_meeting(
        by=worker, plan=plan, held_on=TODAY, agencies_present=["social_care"], notes="Met."
    )
    opened = meeting.version
    services.update_core_group_meeting(
        by=worker,
        meeting=meeting,
        version=opened,
        held_on=TODAY,
        agencies_present=["social_care"],
        notes="Met at school.",
    )
    with pytest.raises(EditedMeanwhile):
        services.update_core_group_meeting(
            by=worker,
            meeting=CoreGroupMeeting.objects.get(pk=meeting.pk),
            version=opened,
            held_on=TODAY,
            agencies_present=["social_care"],
            notes="Met at home.",
        )
    meeting.refresh_from_db()
    assert meeting.notes == "Met at school."


# ----- review conference ----------------------------------------------------------------------


def review_answers(chair, **changes):
    answers = conference_answers(chair, TODAY, outcome=Conference.Outcome.CONTINUE, category="")
    answers.update(changes)
    return answers


def test_a_review_starts_from_the_plan_and_continues_it(world, child, worker, chair):
    plan = plan_for(world, child, worker, chair)
    start = starts.review_conference_start(plan)
    assert start["category"] == "NEG" and start["chair"] == chair
    assert {"social_care", "police", "family"} <= {r["agency"] for r in start["attendance"]}
    review = services.record_review_conference(
        by=worker, plan=plan, **review_answers(chair, category="EMO")
    )
    plan.refresh_from_db()
    assert review.kind == "review" and review.plan == plan and review.category == "EMO"
    assert plan.latest_category == "EMO" and plan.initial_category == "NEG"
    assert plan.ends_on is None
    assert "done_on_time" in [d.status for d in duty(child, "review_conference")]


def test_a_review_continuing_keeps_the_plans_category_by_default(world, child, worker, chair):
    plan = plan_for(world, child, worker, chair)
    review = services.record_review_conference(by=worker, plan=plan, **review_answers(chair))
    assert review.category == "NEG"


def test_a_review_ends_the_plan_with_its_reason(world, child, worker, chair):
    plan = plan_for(world, child, worker, chair)
    with pytest.raises(ValidationError) as refused:
        services.record_review_conference(
            by=worker, plan=plan, **review_answers(chair, outcome="end")
        )
    assert refused.value.message_dict["end_reason"] == ["Select why the plan ends"]
    services.record_review_conference(
        by=worker, plan=plan, **review_answers(chair, outcome="end", end_reason="no_longer_at_risk")
    )
    plan.refresh_from_db()
    assert plan.ends_on == TODAY and plan.end_reason == "no_longer_at_risk"
    line = AuditEvent.objects.filter(detail__action="review conference recorded").last()
    assert line.detail["plan_ended"] == plan.pk
    with pytest.raises(ValidationError) as refused:  # the plan has ended: no second ending
        services.record_review_conference(
            by=worker, plan=plan, **review_answers(chair, outcome="end", end_reason="other")
        )
    assert "already ended" in refused.value.message_dict["outcome"][0]


def test_a_conference_correction_keeps_its_decision_and_refuses_a_stale_version(
    world, child, worker, chair
):
    plan = plan_for(world, child, worker, chair)
    conference = plan.initial_conference
    opened = conference.version
    answers = conference_answers(chair, conference.held_on)
    for key in ("outcome", "category"):
        answers.pop(key)
    services.update_conference(
        by=worker,
        conference=conference,
        version=opened,
        **{**answers, "attendance": [{"agency": "social_care", "attended": True}]},
    )
    conference.refresh_from_db()
    assert conference.outcome == "plan" and conference.category == "NEG"
    assert list(conference.attendance.values_list("agency", flat=True)) == ["social_care"]
    with pytest.raises(ValidationError) as refused:  # the plan started on the conference's day
        services.update_conference(
            by=worker,
            conference=conference,
            version=conference.version,
            **{**answers, "held_on": conference.held_on + timedelta(days=1)},
        )
    assert "held_on" in refused.value.message_dict
    with pytest.raises(EditedMeanwhile):
        services.update_conference(
            by=worker,
            conference=Conference.objects.get(pk=conference.pk),
            version=opened,
            **answers,
        )
