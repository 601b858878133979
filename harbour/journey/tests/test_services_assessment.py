"""Referrals recorded directly and assessments recorded from them: valid saves, each required
answer missing, late or out of order accepted, the impossible refused, a stale version refused,
audited, one transaction, and the duties that follow."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from harbour.access.models import AuditEvent
from harbour.core.saving import EditedMeanwhile
from harbour.journey.models import Assessment, Contact, Referral
from harbour.journey.services import assessment as services
from harbour.journey.services import referral as referrals
from harbour.journey.tests import assessment_world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def sw():
    return w.worker()


@pytest.fixture
def child():
    return w.child()


def answers(**changes) -> dict:
    fields = {
        "kind": Assessment.Kind.SINGLE,
        "started_on": w.working_days_ago(3),
        "child_seen": True,
        "child_seen_on": w.working_days_ago(2),
        "seen_alone": True,
        "child_views": "Maya said she likes school because of breakfast club.",
        "family_history": "Mother's mental health has been poor since the winter.",
        "risk_factors": "Little food in the house; no heating.",
        "protective_factors": "A grandmother nearby who visits daily.",
        "factors": ["4B"],
        "analysis": "Neglect through parental illness rather than intent.",
        "outcome": "",
    }
    fields.update(changes)
    return fields


def last_audit(obj):
    return AuditEvent.objects.filter(object_id=str(obj.pk)).order_by("-id").first()


# ----- referral ------------------------------------------------------------------------------


def test_a_referral_by_letter_opens_the_episode_and_the_assessment_duty(sw, child):
    received = w.working_days_ago(2)
    made = referrals.record_referral(
        by=sw,
        child=child,
        received_on=received,
        source="3A",
        primary_need="N1",
        concerns="The GP wrote about bruising seen at an appointment.",
        referrer="Dr Ash, Fernside Surgery",
    )
    assert made.closed_on is None and made.source == "3A" and made.created_by == sw
    assert last_audit(made).detail["action"] == "referral recorded"
    assert [d.status for d in w.duties(child, "single_assessment")] == ["not_yet_due"]
    said = referrals.what_the_referral_says(made)
    assert said["source_words"] == "Health services - GP"
    assert said["concerns"].startswith("The GP wrote") and said["referrer"].startswith("Dr Ash")
    assert said["child"]["name"] == child.name


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"received_on": None}, "received_on"),
        ({"source": ""}, "source"),
        ({"source": "ZZ"}, "source"),
        ({"primary_need": "N99"}, "primary_need"),
        ({"concerns": "  "}, "concerns"),
    ],
)
def test_a_referral_says_what_to_fix(sw, child, changes, field):
    fields = {"received_on": w.days_ago(1), "source": "2A", "concerns": "Hungry at school."}
    fields.update(changes)
    with pytest.raises(ValidationError) as refused:
        referrals.record_referral(by=sw, child=child, **fields)
    assert field in refused.value.message_dict
    assert not Referral.objects.exists()


def test_a_referral_in_the_future_or_overlapping_an_open_episode_is_refused(sw, child):
    with pytest.raises(ValidationError) as refused:
        referrals.record_referral(
            by=sw, child=child, received_on=w.days_ago(-1), source="2A", concerns="x"
        )
    assert refused.value.message_dict["received_on"] == [
        "The date the referral was received must be today or in the past"
    ]
    w.referral(child, received_on=w.days_ago(30))
    with pytest.raises(ValidationError) as refused:
        referrals.record_referral(
            by=sw, child=child, received_on=w.days_ago(1), source="2A", concerns="x"
        )
    assert "already has a child in need episode" in refused.value.message_dict["received_on"][0]


def test_a_referral_needs_a_member_of_staff(child):
    with pytest.raises(ValidationError) as refused:
        referrals.record_referral(
            by=w.administrator(), child=child, received_on=w.days_ago(1), source="2A", concerns="x"
        )
    assert "Only a member of staff" in refused.value.message_dict["received_on"][0]


def test_a_referral_recorded_long_after_is_accepted_and_its_duty_is_late(sw, child):
    received = w.working_days_ago(60)
    referrals.record_referral(by=sw, child=child, received_on=received, source="6", concerns="x")
    assert [d.status for d in w.duties(child, "single_assessment")] == ["overdue"]


def test_no_further_action_at_referral_closes_the_episode_that_day(sw, child):
    made = referrals.record_referral(
        by=sw,
        child=child,
        received_on=w.days_ago(2),
        source="1A",
        concerns="A neighbour heard shouting once.",
        no_further_action=True,
    )
    assert made.closed_on == made.received_on and made.closure_reason == "RC7"
    assert made.closed_by == sw.staff
    assert w.duties(child, "single_assessment") == []


def test_a_contact_decided_as_a_referral_opens_one_only_once(sw, child):
    contact = Contact.objects.create(
        child=child,
        source="2A",
        received_at=timezone.now() - timedelta(days=1),
        decision=Contact.Decision.ADVICE,
        concerns="Hungry.",
    )
    with pytest.raises(ValidationError) as refused:
        referrals.record_referral(
            by=sw, child=child, contact=contact, received_on=w.days_ago(1), source="2A"
        )
    assert "contact" in refused.value.message_dict
    Contact.objects.filter(pk=contact.pk).update(decision=Contact.Decision.REFERRAL)
    contact.refresh_from_db()
    made = referrals.record_referral(
        by=sw, child=child, contact=contact, received_on=w.days_ago(1), source="2A"
    )
    assert referrals.what_the_referral_says(made)["concerns"] == "Hungry."


def test_a_referral_edit_on_a_stale_version_is_refused(sw, child):
    made = w.referral(child)
    opened = made.version
    other = Referral.objects.get(pk=made.pk)
    referrals.update_referral(
        by=sw,
        referral=other,
        version=opened,
        received_on=made.received_on,
        source="2A",
        primary_need="N4",
    )
    with pytest.raises(EditedMeanwhile):
        referrals.update_referral(
            by=sw,
            referral=made,
            version=opened,
            received_on=made.received_on,
            source="6",
            primary_need="N1",
        )
    made.refresh_from_db()
    assert made.primary_need == "N4" and made.source == "2A"
    assert last_audit(made).detail["action"] == "referral changed"


# ----- assessment ----------------------------------------------------------------------------


def test_an_assessment_is_recorded_from_the_referral(sw, child):
    ref = w.referral(child)
    made = services.record_assessment(by=sw, referral=ref, **answers(factors=["4B", "3A"]))
    assert made.child == child and made.worker == sw.staff and made.created_by == sw
    assert made.child_seen and made.seen_alone and made.factors == ["4B", "3A"]
    assert made.submitted_at is None and made.authorised_on is None
    line = last_audit(made)
    assert line.detail == {"action": "assessment recorded", "kind": "single", "submitted": False}
    assert line.child_id == child.pk
    assert services.answers_of(made)["factors"] == ["4B", "3A"]


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"kind": ""}, "kind", "Select the kind of assessment"),
        ({"started_on": None}, "started_on", "Enter the date the assessment started"),
        ({"child_seen": None}, "child_seen", "Select whether the child was seen"),
        ({"child_seen_on": None}, "child_seen_on", "Enter the date the child was seen"),
        ({"seen_alone": None}, "seen_alone", "Select whether the child was seen alone"),
        (
            {"seen_alone": False},
            "not_seen_alone_reason",
            "Enter why the child was not seen alone",
        ),
        (
            {"child_seen": False, "child_seen_on": None},
            "child_not_seen_reason",
            "Enter why the child was not seen",
        ),
        (
            {"child_views": " "},
            "child_views",
            "Enter the child's views, or why they are not recorded",
        ),
        ({"factors": ["99Z"]}, "factors", "Select the factors from the list"),
        ({"outcome": "maybe"}, "outcome", "Select the outcome of the assessment"),
    ],
)
def test_each_required_answer_missing_is_named(sw, child, changes, field, message):
    ref = w.referral(child)
    with pytest.raises(ValidationError) as refused:
        services.record_assessment(by=sw, referral=ref, **answers(**changes))
    assert refused.value.message_dict[field] == [message]
    assert not Assessment.objects.exists()


def test_the_reasons_stand_in_for_what_did_not_happen(sw, child):
    ref = w.referral(child)
    made = services.record_assessment(
        by=sw,
        referral=ref,
        **answers(
            child_seen=False,
            child_seen_on=w.days_ago(1),
            seen_alone=True,
            child_not_seen_reason="The family cancelled both visits; a third is booked.",
            child_views="",
            no_views_reason="Not yet seen.",
        ),
    )
    # Not seen: no date, not alone, and the reasons kept.
    assert not made.child_seen and made.child_seen_on is None and not made.seen_alone
    assert made.child_not_seen_reason.startswith("The family cancelled")
    assert made.no_views_reason == "Not yet seen."


def test_no_factors_identified_goes_alone(sw, child):
    ref = w.referral(child)
    with pytest.raises(ValidationError) as refused:
        services.record_assessment(by=sw, referral=ref, **answers(factors=["21", "1B"]))
    assert "No factors identified" in refused.value.message_dict["factors"][0]


def test_the_impossible_is_refused(sw, child):
    ref = w.referral(child, received_on=w.days_ago(10))
    for changes, field in (
        ({"started_on": w.days_ago(-1)}, "started_on"),
        ({"started_on": w.days_ago(11)}, "started_on"),
        ({"child_seen_on": w.days_ago(-2)}, "child_seen_on"),
        ({"completed_on": w.days_ago(12)}, "completed_on"),
    ):
        with pytest.raises(ValidationError) as refused:
            services.record_assessment(by=sw, referral=ref, **answers(**changes))
        assert field in refused.value.message_dict, changes


def test_a_late_or_historic_assessment_is_accepted(sw, child):
    # A core assessment of 2011, recorded now for the child's history; and the child seen
    # before the assessment formally started.
    ref = w.referral(child, received_on=w.days_ago(5000))
    made = services.record_assessment(
        by=sw,
        referral=ref,
        **answers(
            kind=Assessment.Kind.CORE,
            started_on=w.days_ago(4990),
            child_seen_on=w.days_ago(4995),
        ),
    )
    assert made.kind == "core"


def test_an_update_on_a_stale_version_is_refused_and_keeps_the_first(sw, child):
    ref = w.referral(child)
    made = services.record_assessment(by=sw, referral=ref, **answers())
    opened = made.version
    services.update_assessment(
        by=sw,
        assessment=Assessment.objects.get(pk=made.pk),
        version=opened,
        **answers(analysis="First person's analysis."),
    )
    with pytest.raises(EditedMeanwhile):
        services.update_assessment(
            by=sw, assessment=made, version=opened, **answers(analysis="Second person's.")
        )
    made.refresh_from_db()
    assert made.analysis == "First person's analysis." and made.version == opened + 1


def test_submitting_needs_analysis_factors_and_outcome(sw, child):
    ref = w.referral(child)
    made = services.record_assessment(by=sw, referral=ref, **answers(analysis="", factors=[]))
    with pytest.raises(ValidationError) as refused:
        services.submit_for_sign_off(by=sw, assessment=made, version=made.version)
    assert set(refused.value.message_dict) == {"analysis", "factors", "outcome"}
    made.refresh_from_db()
    assert made.submitted_at is None


def test_submitted_for_sign_off_and_the_duty_waits_for_the_manager(sw, child):
    ref = w.referral(child, received_on=w.working_days_ago(10))
    made = services.record_assessment(by=sw, referral=ref, **answers(outcome="cin"))
    services.submit_for_sign_off(by=sw, assessment=made, version=made.version)
    made.refresh_from_db()
    assert made.submitted_by == sw.staff and made.submitted_at is not None
    assert made.completed_on == timezone.localdate()
    assert last_audit(made).detail["action"] == "assessment submitted for sign-off"
    # Submitting does not complete the assessment duty: the manager's sign-off does.
    assert [d.status for d in w.duties(child, "single_assessment")] == ["not_yet_due"]
    Assessment.objects.filter(pk=made.pk).update(
        authorised_on=timezone.localdate(), authorised_by=sw.staff
    )
    assert [d.status for d in w.duties(child, "single_assessment")] == ["done_on_time"]
    made.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.update_assessment(by=sw, assessment=made, version=made.version, **answers())
    assert "signed off" in refused.value.message_dict["started_on"][0]


def test_saved_and_submitted_in_one_go_or_neither(sw, child):
    ref = w.referral(child)
    with pytest.raises(ValidationError) as refused:
        services.record_assessment(by=sw, referral=ref, submit=True, **answers())
    assert set(refused.value.message_dict) == {"outcome"}
    assert not Assessment.objects.exists()
    made = services.record_assessment(by=sw, referral=ref, submit=True, **answers(outcome="nfa"))
    assert made.submitted_by == sw.staff and made.completed_on == timezone.localdate()
    assert last_audit(made).detail["submitted"] is True


def test_a_failure_leaves_nothing_half_written(sw, child, monkeypatch):
    ref = w.referral(child)

    def broken(*args, **kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr("harbour.access.audit.record", broken)
    with pytest.raises(RuntimeError):
        services.record_assessment(by=sw, referral=ref, **answers())
    assert not Assessment.objects.exists()
