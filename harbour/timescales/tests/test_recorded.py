"""Duties are worked out afresh from the records as they stand: an edit moves the duty."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from harbour.authority.models import Authority, PolicySetting
from harbour.journey.models import ChildProtectionPlan, Conference, Referral, StrategyDiscussion
from harbour.people.models import Child
from harbour.timescales.engine import compute_duties
from harbour.timescales.sources import read_tables

pytestmark = pytest.mark.django_db


def strategy_duty(as_of):
    duties = compute_duties(read_tables(), as_of, rule_names=["strategy_discussion"])
    (duty,) = duties.to_dicts()
    return duty


def make_child():
    return Child.objects.create(
        reference="SYN9100001",
        forename="Ivy",
        surname="Fenwick",
        sex="F",
        date_of_birth=date(2016, 2, 1),
    )


def test_a_trigger_edited_after_the_duty_arose_moves_the_duty():
    child = make_child()
    referral = Referral.objects.create(child=child, received_on=date(2024, 3, 4), source="6")
    discussion = StrategyDiscussion.objects.create(
        child=child,
        referral=referral,
        concern_identified_on=date(2024, 3, 4),
        held_on=date(2024, 3, 7),
    )
    first = strategy_duty(date(2024, 4, 1))
    assert (first["due"], first["status"]) == (date(2024, 3, 5), "done_late")

    # The worker corrects when the concern arose: the duty is judged on the corrected record,
    # and the record's history keeps what it said before.
    discussion.concern_identified_on = date(2024, 3, 6)
    discussion.save()
    second = strategy_duty(date(2024, 4, 1))
    assert (second["due"], second["status"]) == (date(2024, 3, 7), "done_on_time")
    assert [h.concern_identified_on for h in discussion.history.order_by("history_date")] == [
        date(2024, 3, 4),
        date(2024, 3, 6),
    ]


def test_the_authoritys_own_visiting_policy_applies_from_its_date():
    authority = Authority.objects.create(
        name="Test (synthetic)", la_code="998", region="south_west"
    )
    PolicySetting.objects.create(
        authority=authority,
        name="cp_visit_interval_working_days",
        value=20,
        applies_from=date(2024, 10, 1),
    )
    child = make_child()
    referral = Referral.objects.create(child=child, received_on=date(2024, 8, 1), source="6")
    held = datetime(2024, 9, 2, 10, tzinfo=ZoneInfo("Europe/London"))
    conference = Conference.objects.create(child=child, kind="initial", held_on=held.date())
    ChildProtectionPlan.objects.create(
        child=child,
        referral=referral,
        initial_conference=conference,
        starts_on=held.date(),
        initial_category="NEG",
        latest_category="NEG",
        contingency="Legal advice if needed.",
    )
    from harbour.journey.models import Visit

    Visit.objects.create(
        child=child,
        kind="child_protection",
        visited_on=date(2024, 9, 13),
        child_seen=True,
        seen_alone=True,
    )
    Visit.objects.create(
        child=child,
        kind="child_protection",
        visited_on=date(2024, 10, 15),
        child_seen=True,
        seen_alone=True,
    )
    duties = (
        compute_duties(read_tables(), date(2024, 10, 20), rule_names=["child_protection_visit"])
        .sort("trigger")
        .to_dicts()
    )
    # Ten working days before October; twenty from then.
    assert [(d["due"], d["status"]) for d in duties] == [
        (date(2024, 9, 16), "done_on_time"),
        (date(2024, 9, 27), "done_late"),
        (date(2024, 11, 12), "not_yet_due"),
    ]
