"""Early help: an episode, its end, the step-up to children's social care and the step-down
from it, each validated, in one transaction, audited, stale versions refused."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from harbour.access.models import AuditEvent
from harbour.core.saving import EditedMeanwhile
from harbour.journey.models import Assessment, EarlyHelpEpisode, Referral
from harbour.journey.services import early_help as services
from harbour.journey.services import need
from harbour.journey.tests import assessment_world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def sw():
    return w.worker()


@pytest.fixture
def child():
    return w.child()


def last_audit(obj):
    return AuditEvent.objects.filter(object_id=str(obj.pk)).order_by("-id").first()


def episode(sw, child, **changes) -> EarlyHelpEpisode:
    fields = {
        "starts_on": w.days_ago(30),
        "lead_professional_name": "Jo Hart",
        "lead_professional_agency": "Fernside Primary School",
        **changes,
    }
    return services.record_early_help(by=sw, child=child, **fields)


def test_an_episode_led_by_a_partner_or_by_staff(sw, child):
    made = episode(sw, child, assessment_completed_on=w.days_ago(20))
    assert made.lead_professional is None and made.lead_professional_agency.startswith("Fernside")
    assert made.created_by == sw and last_audit(made).detail["action"] == "early help recorded"
    services.end_early_help(
        by=sw, episode=made, version=made.version, ends_on=w.days_ago(2), end_reason="needs_met"
    )
    ours = episode(sw, child, starts_on=w.days_ago(1), lead_professional=sw.staff)
    assert ours.lead_professional_name == "Sam Okafor"
    assert ours.lead_professional_agency == "North team"


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"starts_on": None}, "starts_on", "Enter the date early help started"),
        (
            {"lead_professional_name": ""},
            "lead_professional_name",
            "Enter the lead professional's name, or choose them",
        ),
        (
            {"lead_professional_agency": ""},
            "lead_professional_agency",
            "Enter the lead professional's agency",
        ),
        (
            {"plan_started_on": date(2000, 1, 1)},
            "plan_started_on",
            "The date the early help plan started cannot be before early help started",
        ),
        (
            {"assessment_completed_on": date(2999, 1, 1)},
            "assessment_completed_on",
            "The date the early help assessment was done must be today or in the past",
        ),
    ],
)
def test_an_episode_says_what_to_fix(sw, child, changes, field, message):
    with pytest.raises(ValidationError) as refused:
        episode(sw, child, **changes)
    assert refused.value.message_dict[field] == [message]
    assert not EarlyHelpEpisode.objects.exists()


def test_one_episode_at_a_time(sw, child):
    episode(sw, child)
    with pytest.raises(ValidationError) as refused:
        episode(sw, child, starts_on=w.days_ago(1))
    assert "already receiving early help" in refused.value.message_dict["starts_on"][0]


def test_ending_says_what_to_fix(sw, child):
    made = episode(sw, child)
    for changes, field in (
        ({"end_reason": ""}, "end_reason"),
        ({"end_reason": "stepped_up"}, "end_reason"),
        ({"end_reason": "other", "end_notes": ""}, "end_notes"),
        ({"ends_on": w.days_ago(31)}, "ends_on"),
        ({"ends_on": None}, "ends_on"),
    ):
        fields = {"ends_on": w.days_ago(1), "end_reason": "moved", **changes}
        with pytest.raises(ValidationError) as refused:
            services.end_early_help(by=sw, episode=made, version=made.version, **fields)
        assert field in refused.value.message_dict, changes
    made.refresh_from_db()
    assert made.ends_on is None


def test_an_edit_on_a_stale_version_is_refused(sw, child):
    made = episode(sw, child)
    opened = made.version
    services.update_early_help(
        by=sw,
        episode=EarlyHelpEpisode.objects.get(pk=made.pk),
        version=opened,
        starts_on=made.starts_on,
        lead_professional_name="Jo Hart",
        lead_professional_agency="Fernside Primary School",
        plan_started_on=w.days_ago(10),
    )
    with pytest.raises(EditedMeanwhile):
        services.end_early_help(
            by=sw, episode=made, version=opened, ends_on=w.days_ago(1), end_reason="needs_met"
        )
    made.refresh_from_db()
    assert made.plan_started_on == w.days_ago(10) and made.ends_on is None


def test_step_up_ends_the_episode_and_opens_a_referral(sw, child):
    made = episode(sw, child)
    on = w.days_ago(1)
    ended, referral = services.step_up(
        by=sw,
        episode=made,
        version=made.version,
        on=on,
        concerns="Neglect is worsening despite the plan.",
        primary_need="N1",
    )
    assert ended.ends_on == on and ended.end_reason == "stepped_up"
    assert ended.stepped_up_to == referral
    assert referral.received_on == on and referral.source == "5D" and referral.referrer == "Jo Hart"
    assert last_audit(ended).detail["referral_id"] == referral.pk
    assert [d.status for d in w.duties(child, "single_assessment")] == ["not_yet_due"]


def test_a_step_up_refused_leaves_the_episode_open(sw, child):
    made = episode(sw, child)
    w.referral(child, received_on=w.days_ago(60))  # an episode already open
    with pytest.raises(ValidationError) as refused:
        services.step_up(by=sw, episode=made, version=made.version, on=w.days_ago(1), concerns="x")
    assert "already has a child in need episode" in refused.value.message_dict["on"][0]
    with pytest.raises(ValidationError) as refused:
        services.step_up(by=sw, episode=made, version=made.version, on=w.days_ago(1), concerns="")
    assert "concerns" in refused.value.message_dict
    made.refresh_from_db()
    assert made.ends_on is None and Referral.objects.count() == 1


def test_step_down_after_an_assessment_closes_as_rc9(sw, child):
    ref = w.referral(child, received_on=w.days_ago(30))
    Assessment.objects.create(
        child=child,
        referral=ref,
        kind="single",
        started_on=w.days_ago(29),
        outcome=Assessment.Outcome.EARLY_HELP,
    )
    assert services.assessed_for_step_down(ref) is not None
    on = w.days_ago(2)
    closed, started = services.step_down(
        by=sw,
        referral=ref,
        version=ref.version,
        on=on,
        lead_professional_name="Jo Hart",
        lead_professional_agency="Family hub",
    )
    assert closed.closed_on == on and closed.closure_reason == "RC9"
    assert started.stepped_down_from == ref and started.starts_on == on
    assert last_audit(closed).detail["early_help_id"] == started.pk


def test_step_down_after_a_plan_closes_as_rc7_and_ends_the_plan(sw, child):
    ref = w.referral(child, received_on=w.days_ago(90))
    plan = need.record_child_in_need_plan(
        by=sw, referral=ref, starts_on=w.days_ago(60), outcomes="Outcomes."
    )
    closed, _ = services.step_down(
        by=sw, referral=ref, version=ref.version, on=w.days_ago(1), lead_professional=sw.staff
    )
    plan.refresh_from_db()
    assert closed.closure_reason == "RC7" and plan.ends_on == w.days_ago(1)


def test_a_step_down_refused_or_stale_leaves_nothing(sw, child):
    ref = w.referral(child, received_on=w.days_ago(30))
    with pytest.raises(ValidationError) as refused:
        services.step_down(by=sw, referral=ref, version=ref.version, on=w.days_ago(1))
    assert "lead_professional_name" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.step_down(
            by=sw,
            referral=ref,
            version=ref.version,
            on=w.days_ago(31),
            lead_professional=sw.staff,
        )
    assert "before the referral was received" in refused.value.message_dict["on"][0]
    opened = ref.version
    Referral.objects.get(pk=ref.pk).save()
    with pytest.raises(EditedMeanwhile):
        services.step_down(
            by=sw, referral=ref, version=opened, on=w.days_ago(1), lead_professional=sw.staff
        )
    assert not EarlyHelpEpisode.objects.exists()
    assert Referral.objects.get(pk=ref.pk).closed_on is None
