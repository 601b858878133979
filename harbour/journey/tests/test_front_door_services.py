"""The front door's services: receiving, matching, deciding and telling the referrer, each
validated, in one transaction and audited; the contact-decision duty done at once."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from harbour.access.models import AuditEvent
from harbour.access.roles import Role
from harbour.access.tests.world import build
from harbour.journey.models import Contact, EarlyHelpEpisode, Referral
from harbour.journey.services import front_door as services
from harbour.people.models import Child
from harbour.timescales.calendar import working_days
from harbour.timescales.selectors import child_duties

pytestmark = pytest.mark.django_db

BORN = date(2016, 4, 9)


@pytest.fixture
def world():
    return build()


@pytest.fixture
def screener(world):
    return world.users[Role.MASH_SCREENER]


def referral(world, **changes) -> Contact:
    fields = {
        "agency": "2A",
        "forename": "Amy",
        "surname": "Brackbi",
        "born": BORN,
        "concerns": "Came to school hungry three days running.",
        "consent": "yes",
    }
    fields.update(changes)
    return services.receive_referral(by=world.users[Role.PARTNER_REFERRER], **fields)


def held_child() -> Child:
    return Child.objects.create(
        reference="SYN0000100", forename="Amy", surname="Brackby", sex="F", date_of_birth=BORN
    )


def decision(**changes) -> dict:
    fields = {
        "decision": Contact.Decision.REFERRAL,
        "threshold_reason": "Neglect at level 3 of the threshold document.",
        "consent_sought": True,
        "consent_given": True,
        "outcome_for_referrer": "Passed to the assessment team, who will be in touch.",
    }
    fields.update(changes)
    return fields


def test_a_partner_referral_is_a_provisional_record_and_an_online_contact(world):
    contact = referral(world)
    assert services.is_provisional(contact.child)
    assert contact.channel == Contact.Channel.ONLINE and services.from_a_partner(contact)
    assert contact.child_as_referred == {
        "forename": "Amy",
        "surname": "Brackbi",
        "date_of_birth": BORN.isoformat(),
    }
    assert AuditEvent.objects.filter(object_id=str(contact.pk), action="change").exists()


def test_the_same_child_folds_the_provisional_record_into_the_one_held(world, screener):
    contact = referral(world)
    provisional = contact.child
    held = held_child()
    services.link_contact_to_child(contact=contact, child=held, by=screener)
    contact.refresh_from_db()
    provisional.refresh_from_db()
    assert contact.child == held and provisional.merged_into == held
    # The partner's own words about the child are kept.
    assert contact.child_as_referred["surname"] == "Brackbi"
    line = AuditEvent.objects.filter(object_id=str(contact.pk)).order_by("-id").first()
    assert line.detail["action"] == "contact linked to a child" and line.detail["merged"]


def test_linking_refuses_what_cannot_be_the_child(world, screener):
    contact = referral(world)
    with pytest.raises(ValidationError) as refused:
        services.link_contact_to_child(contact=contact, child=contact.child, by=screener)
    assert "child" in refused.value.message_dict
    other = referral(world, forename="Bea")
    with pytest.raises(ValidationError):
        services.link_contact_to_child(contact=contact, child=other.child, by=screener)
    with pytest.raises(ValidationError):  # a partner is not staff
        services.link_contact_to_child(
            contact=contact, child=held_child(), by=world.users[Role.PARTNER_REFERRER]
        )


def test_a_new_child_gets_a_permanent_reference(world, screener):
    contact = referral(world)
    child = services.confirm_new_child(contact=contact, by=screener)
    assert not services.is_provisional(child) and child.reference.startswith("HB")
    assert len(child.reference) == 10
    with pytest.raises(ValidationError):
        services.confirm_new_child(contact=contact, by=screener)


def test_a_referral_decision_opens_the_episode_and_the_duty_is_done_at_once(world, screener):
    contact = referral(world)
    held = held_child()
    services.link_contact_to_child(contact=contact, child=held, by=screener)
    # Received four working days ago: overdue.
    today = timezone.localdate()
    received = working_days().subtract(today, 4)
    Contact.objects.filter(pk=contact.pk).update(
        received_at=timezone.make_aware(
            timezone.datetime.combine(received, timezone.datetime.min.time())
        )
        + timedelta(hours=10)
    )
    duty = [d for d in child_duties(held.pk, today) if d.rule == "contact_decision"]
    assert [d.status for d in duty] == ["overdue"]

    services.decide_contact(contact=contact, by=screener, **decision())
    contact.refresh_from_db()
    assert contact.decision == "referral" and contact.decided_by == screener.staff
    assert contact.referrer_informed_at == contact.decision_at
    opened = Referral.objects.get(contact=contact)
    assert opened.child == held and opened.received_on == today and opened.source == "2A"
    duty = [d for d in child_duties(held.pk, today) if d.rule == "contact_decision"]
    assert [d.status for d in duty] == ["done_late"] and duty[0].completed == today
    line = AuditEvent.objects.filter(object_id=str(contact.pk)).order_by("-id").first()
    assert line.detail["decision"] == "referral" and line.detail["opened"] == "journey.Referral"


def test_a_decision_on_the_day_is_done_on_time(world, screener):
    contact = referral(world)
    services.confirm_new_child(contact=contact, by=screener)
    services.decide_contact(contact=contact, by=screener, **decision(decision="advice"))
    today = timezone.localdate()
    duty = [d for d in child_duties(contact.child_id, today) if d.rule == "contact_decision"]
    assert [d.status for d in duty] == ["done_on_time"]
    assert not Referral.objects.filter(contact=contact).exists()


def test_strategy_opens_a_referral_and_no_discussion_is_invented(world, screener):
    from harbour.journey.models import StrategyDiscussion

    contact = referral(world, consent="no_risk")
    services.confirm_new_child(contact=contact, by=screener)
    services.decide_contact(
        contact=contact,
        by=screener,
        **decision(
            decision="strategy",
            consent_sought=False,
            consent_given=None,
            consent_overridden=True,
            consent_override_rationale="Telling the parents could put the child at risk.",
        ),
    )
    assert Referral.objects.filter(contact=contact).exists()
    assert not StrategyDiscussion.objects.filter(child=contact.child).exists()
    contact.refresh_from_db()
    assert contact.decision == "strategy" and contact.consent_overridden


def test_early_help_starts_an_episode(world, screener):
    contact = referral(world)
    services.confirm_new_child(contact=contact, by=screener)
    services.decide_contact(contact=contact, by=screener, **decision(decision="early_help"))
    episode = EarlyHelpEpisode.objects.get(contact=contact)
    assert episode.starts_on == timezone.localdate() and episode.ends_on is None


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"threshold_reason": "  "}, "threshold_reason"),
        ({"decision": "maybe"}, "decision"),
        (
            {"consent_overridden": True, "consent_override_rationale": ""},
            "consent_override_rationale",
        ),
        ({"outcome_for_referrer": ""}, "outcome_for_referrer"),
        ({"decision": "open_case"}, "decision"),
        ({"decision": "early_help", "consent_given": False}, "decision"),
    ],
)
def test_a_decision_says_what_to_fix_and_records_nothing(world, screener, changes, field):
    contact = referral(world)
    services.confirm_new_child(contact=contact, by=screener)
    with pytest.raises(ValidationError) as refused:
        services.decide_contact(contact=contact, by=screener, **decision(**changes))
    assert field in refused.value.message_dict
    contact.refresh_from_db()
    assert contact.decision == "" and not Referral.objects.filter(contact=contact).exists()


def test_no_decision_before_the_child_is_known_nor_twice(world, screener):
    contact = referral(world)
    with pytest.raises(ValidationError) as refused:
        services.decide_contact(contact=contact, by=screener, **decision())
    assert "First say whether" in refused.value.message_dict["decision"][0]
    services.confirm_new_child(contact=contact, by=screener)
    services.decide_contact(contact=contact, by=screener, **decision())
    with pytest.raises(ValidationError) as refused:
        services.decide_contact(contact=contact, by=screener, **decision())
    assert "was decided on" in refused.value.message_dict["decision"][0]
    assert Referral.objects.filter(contact=contact).count() == 1


def test_an_open_case_is_passed_on_not_referred_twice(world, screener):
    ours = world.children["ours"]  # on a plan: an open referral
    contact = Contact.objects.get(child=ours)
    with pytest.raises(ValidationError) as refused:
        services.decide_contact(contact=contact, by=screener, **decision())
    assert "already has an open child in need episode" in refused.value.message_dict["decision"][0]
    services.decide_contact(
        contact=contact, by=screener, **decision(decision="open_case", outcome_for_referrer="")
    )
    contact.refresh_from_db()
    assert contact.decision == "open_case" and contact.referrer_informed_at is None


def test_telling_the_referrer_after_the_decision(world, screener):
    ours = world.children["ours"]
    contact = Contact.objects.get(child=ours)
    with pytest.raises(ValidationError):
        services.tell_referrer(contact=contact, by=screener, outcome="Passed on.")
    services.decide_contact(
        contact=contact, by=screener, **decision(decision="open_case", outcome_for_referrer="")
    )
    with pytest.raises(ValidationError):
        services.tell_referrer(contact=contact, by=screener, outcome=" ")
    services.tell_referrer(contact=contact, by=screener, outcome="Passed to the social worker.")
    contact.refresh_from_db()
    assert contact.outcome_for_referrer == "Passed to the social worker."
    assert contact.referrer_informed_at >= contact.decision_at


def test_a_typed_contact_about_a_held_child_or_a_new_one(world, screener):
    held = held_child()
    about_held = services.record_contact(
        by=screener,
        channel="phone",
        source="3B",
        referrer_name="Jo Hale",
        referrer_organisation="Health visiting (synthetic)",
        referrer_contact="01234 567890",
        concerns="Mother low in mood; baby not gaining weight.",
        child=held,
        described={"forename": "Amy", "surname": "Brakby"},
    )
    assert about_held.child == held and about_held.child_as_referred["surname"] == "Brakby"
    new = services.record_contact(
        by=screener,
        channel="police",
        source="6",
        referrer_name="PC Ward",
        concerns="Domestic abuse incident; child present.",
        new_child={
            "forename": "Zed",
            "surname": "Quarry",
            "sex": "M",
            "date_of_birth": date(2019, 1, 2),
        },
    )
    assert new.child.reference.startswith("HB") and new.child.forename == "Zed"
    assert new.decision == "" and new.created_by == screener


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"channel": "online"}, "channel"),
        ({"concerns": ""}, "concerns"),
        ({"referrer_name": ""}, "referrer_name"),
        ({"child": None}, "child"),
        ({"received_at": timezone.now() + timedelta(days=1)}, "received_at"),
        ({"source": "ZZ"}, "source"),
    ],
)
def test_a_typed_contact_says_what_to_fix(world, screener, changes, field):
    fields = {
        "by": screener,
        "channel": "phone",
        "source": "1A",
        "referrer_name": "A neighbour",
        "concerns": "Children left alone at night.",
        "child": held_child(),
    }
    fields.update(changes)
    before = Contact.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.record_contact(**fields)
    assert field in refused.value.message_dict
    assert Contact.objects.count() == before
