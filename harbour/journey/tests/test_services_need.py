"""The child in need plan, its reviews, and closing the child in need episode: valid saves,
required answers, late accepted, the impossible refused, stale versions refused, audited, one
transaction, and the duties that follow."""

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

from harbour.access.models import AuditEvent
from harbour.core.saving import EditedMeanwhile
from harbour.journey.models import ChildInNeedPlan, ChildInNeedPlanReview, Referral
from harbour.journey.services import closure
from harbour.journey.services import need as services
from harbour.journey.tests import assessment_world as w

pytestmark = pytest.mark.django_db

OUTCOMES = "Maya has a hot meal every day; her mother is seen by the community mental health team."


@pytest.fixture
def sw():
    return w.worker()


@pytest.fixture
def child():
    return w.child()


def last_audit(obj):
    return AuditEvent.objects.filter(object_id=str(obj.pk)).order_by("-id").first()


def plan_from(sw, ref, starts_on) -> ChildInNeedPlan:
    return services.record_child_in_need_plan(
        by=sw, referral=ref, starts_on=starts_on, outcomes=OUTCOMES
    )


# ----- the plan ------------------------------------------------------------------------------


def test_a_plan_is_recorded_and_its_review_falls_due(sw, child):
    ref = w.referral(child, received_on=w.days_ago(40))
    plan = plan_from(sw, ref, w.days_ago(30))
    assert plan.child == child and plan.ends_on is None and plan.created_by == sw
    assert last_audit(plan).detail["action"] == "child in need plan recorded"
    assert [d.status for d in w.duties(child, "child_in_need_plan_review")] == ["not_yet_due"]


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"starts_on": None}, "starts_on", "Enter the date the plan started"),
        ({"outcomes": " "}, "outcomes", "Enter the outcomes the plan is to achieve"),
        (
            {"starts_on": date(2999, 1, 1)},
            "starts_on",
            "The date the plan started must be today or in the past",
        ),
    ],
)
def test_a_plan_says_what_to_fix(sw, child, changes, field, message):
    ref = w.referral(child)
    fields = {"starts_on": w.days_ago(1), "outcomes": OUTCOMES, **changes}
    with pytest.raises(ValidationError) as refused:
        services.record_child_in_need_plan(by=sw, referral=ref, **fields)
    assert refused.value.message_dict[field] == [message]
    assert not ChildInNeedPlan.objects.exists()


def test_a_plan_outside_its_episode_or_beside_an_open_one_is_refused(sw, child):
    ref = w.referral(child, received_on=w.days_ago(20))
    with pytest.raises(ValidationError) as refused:
        plan_from(sw, ref, w.days_ago(21))
    assert "before the referral was received" in refused.value.message_dict["starts_on"][0]
    plan_from(sw, ref, w.days_ago(10))
    with pytest.raises(ValidationError) as refused:
        plan_from(sw, ref, w.days_ago(5))
    assert "already has a child in need plan" in refused.value.message_dict["starts_on"][0]


def test_a_plan_edit_on_a_stale_version_is_refused(sw, child):
    plan = plan_from(sw, w.referral(child), w.days_ago(2))
    opened = plan.version
    services.update_child_in_need_plan(
        by=sw,
        plan=ChildInNeedPlan.objects.get(pk=plan.pk),
        version=opened,
        starts_on=plan.starts_on,
        outcomes="The first change.",
    )
    with pytest.raises(EditedMeanwhile):
        services.update_child_in_need_plan(
            by=sw, plan=plan, version=opened, starts_on=plan.starts_on, outcomes="The second."
        )
    plan.refresh_from_db()
    assert plan.outcomes == "The first change."


# ----- the review ----------------------------------------------------------------------------


def test_a_late_review_is_accepted_and_the_duty_is_done_late(sw, child):
    starts = timezone.localdate() - relativedelta(months=4)
    ref = w.referral(child, received_on=starts - relativedelta(days=5))
    plan = plan_from(sw, ref, starts)
    assert [d.status for d in w.duties(child, "child_in_need_plan_review")] == ["overdue"]
    review = services.record_plan_review(
        by=sw,
        plan=plan,
        held_on=timezone.localdate(),
        notes="Meals are regular; mother engaging with the team.",
        decision=ChildInNeedPlanReview.Decision.CONTINUE,
    )
    assert review.plan == plan and last_audit(review).detail["decision"] == "continue"
    found = w.duties(child, "child_in_need_plan_review")
    assert "done_late" in [d.status for d in found]
    assert "overdue" not in [d.status for d in found]
    plan.refresh_from_db()
    assert plan.ends_on is None


def test_a_review_that_ends_the_plan_ends_it_that_day(sw, child):
    plan = plan_from(sw, w.referral(child, received_on=w.days_ago(60)), w.days_ago(50))
    held = w.days_ago(3)
    services.record_plan_review(
        by=sw, plan=plan, held_on=held, notes="Outcomes met.", decision="end"
    )
    plan.refresh_from_db()
    assert plan.ends_on == held
    with pytest.raises(ValidationError) as refused:
        services.record_plan_review(
            by=sw, plan=plan, held_on=w.days_ago(1), notes="Again.", decision="continue"
        )
    assert "a review must be held before then" in refused.value.message_dict["held_on"][0]


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"held_on": None}, "held_on", "Enter the date the review was held"),
        ({"notes": ""}, "notes", "Enter what the review found"),
        ({"decision": ""}, "decision", "Select whether the plan continues or ends"),
        ({"held_on": date(2000, 1, 1)}, "held_on", None),
    ],
)
def test_a_review_says_what_to_fix(sw, child, changes, field, message):
    plan = plan_from(sw, w.referral(child), w.days_ago(2))
    fields = {"held_on": w.days_ago(1), "notes": "Progress.", "decision": "continue", **changes}
    with pytest.raises(ValidationError) as refused:
        services.record_plan_review(by=sw, plan=plan, **fields)
    assert field in refused.value.message_dict
    if message:
        assert refused.value.message_dict[field] == [message]
    assert not ChildInNeedPlanReview.objects.exists()


# ----- closure -------------------------------------------------------------------------------


def test_closing_the_episode_ends_its_plan_and_the_duties_with_it(sw, child):
    ref = w.referral(child, received_on=w.days_ago(40))
    plan = plan_from(sw, ref, w.days_ago(30))
    closed = w.days_ago(1)
    closure.close_episode(
        by=sw, referral=ref, version=ref.version, closed_on=closed, closure_reason="RC7"
    )
    ref.refresh_from_db()
    plan.refresh_from_db()
    assert ref.closed_on == closed and ref.closure_reason == "RC7" and ref.closed_by == sw.staff
    assert plan.ends_on == closed
    line = last_audit(ref)
    assert line.detail["action"] == "child in need episode closed"
    assert line.detail["plans_ended"] == [plan.pk]
    # No review is needed of a plan that has ended.
    assert [d.status for d in w.duties(child, "child_in_need_plan_review")] == ["no_longer_needed"]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"closure_reason": ""}, "closure_reason"),
        ({"closure_reason": "RC0"}, "closure_reason"),
        ({"closed_on": None}, "closed_on"),
        ({"closed_on": date(2999, 1, 1)}, "closed_on"),
        ({"closed_on": date(2000, 1, 1)}, "closed_on"),
    ],
)
def test_closure_says_what_to_fix(sw, child, changes, field):
    ref = w.referral(child)
    fields = {"closed_on": w.days_ago(1), "closure_reason": "RC8", **changes}
    with pytest.raises(ValidationError) as refused:
        closure.close_episode(by=sw, referral=ref, version=ref.version, **fields)
    assert field in refused.value.message_dict
    ref.refresh_from_db()
    assert ref.closed_on is None


def test_closure_waits_for_a_child_protection_plan_to_end(sw, child):
    from harbour.web.tests.records import on_a_plan

    on_a_plan(child, w.days_ago(30))
    ref = Referral.objects.get(child=child)
    with pytest.raises(ValidationError) as refused:
        closure.close_episode(
            by=sw, referral=ref, version=ref.version, closed_on=w.days_ago(1), closure_reason="RC7"
        )
    assert "child protection plan" in refused.value.message_dict["closed_on"][0]


def test_closure_on_a_stale_version_is_refused_and_nothing_ends(sw, child):
    ref = w.referral(child, received_on=w.days_ago(40))
    plan = plan_from(sw, ref, w.days_ago(30))
    opened = ref.version
    Referral.objects.get(pk=ref.pk).save()  # someone else saved the referral meanwhile
    with pytest.raises(EditedMeanwhile):
        closure.close_episode(
            by=sw, referral=ref, version=opened, closed_on=w.days_ago(1), closure_reason="RC7"
        )
    plan.refresh_from_db()
    assert plan.ends_on is None
    assert Referral.objects.get(pk=ref.pk).closed_on is None


def test_an_administrator_without_a_staff_record_cannot_close(child):
    ref = w.referral(child)
    with pytest.raises(ValidationError) as refused:
        closure.close_episode(
            by=w.administrator(),
            referral=ref,
            version=ref.version,
            closed_on=w.days_ago(1),
            closure_reason="RC7",
        )
    assert "closure_reason" in refused.value.message_dict
