"""Practice standards that are not timescales, on records made by hand."""

from datetime import date

from harbour.authority.policy import PolicyBook
from harbour.timescales.standards import (
    child_not_seen_alone,
    closed_then_rereferred,
    manager_signed_own_assessment,
    plan_without_contingency,
    s47_unqualified_lead,
)
from harbour.timescales.tests.tables import Tables

AS_OF = date(2025, 6, 1)


def records(check, tables, policy=None):
    found = check(tables.frames(), AS_OF, policy or PolicyBook())
    return sorted(found["record"].to_list())


def test_section_47_led_by_an_unqualified_or_unregistered_worker():
    tables = Tables()
    child = tables.child()
    team = tables.add("teams", name="Team")
    people = {}
    for name, qualified, registered in (
        ("sw", True, True),
        ("fsw", False, False),
        ("lapsed", True, False),
    ):
        people[name] = tables.add(
            "staff",
            team_id=team,
            role="social_worker",
            forename=name,
            surname="X",
            qualified=qualified,
            registered=registered,
            starts_on=date(2020, 1, 1),
        )
    enquiries = {
        name: tables.add(
            "section_47_enquiries",
            child_id=child,
            strategy_on=date(2025, 1, 6),
            lead_worker_id=staff_id,
        )
        for name, staff_id in people.items()
    }
    assert records(s47_unqualified_lead, tables) == sorted([enquiries["fsw"], enquiries["lapsed"]])


def test_child_not_seen_alone_from_the_policy_age_with_no_reason():
    tables = Tables()
    six = tables.child(date(2019, 1, 1))
    four = tables.child(date(2021, 1, 1))
    failed = tables.visit(six, "child_protection", date(2025, 3, 3), alone=False)
    tables.visit(six, "child_protection", date(2025, 3, 10), alone=False, reason=True)
    tables.visit(six, "child_in_need", date(2025, 3, 11), alone=False)
    tables.visit(four, "child_protection", date(2025, 3, 3), alone=False)
    birthday = tables.visit(four, "child_protection", date(2026, 1, 1), alone=False)
    assert records(child_not_seen_alone, tables) == [failed]
    # An authority expecting four-year-olds to be seen alone too:
    policy = PolicyBook([("seen_alone_from_age", date(2020, 1, 1), 4)])
    assert len(records(child_not_seen_alone, tables, policy)) == 2
    assert birthday not in records(child_not_seen_alone, tables)


def test_plans_without_contingency_and_assessments_signed_off_by_their_author():
    tables = Tables()
    child = tables.child()
    empty = tables.add("cp_plans", child_id=child, starts_on=date(2025, 1, 6), no_contingency=True)
    tables.add("cp_plans", child_id=child, starts_on=date(2024, 1, 6), no_contingency=False)
    own = tables.add(
        "assessments",
        child_id=child,
        referral_id=1,
        kind="single",
        started_on=date(2025, 1, 6),
        authorised_on=date(2025, 2, 1),
        worker_id=5,
        authorised_by_id=5,
    )
    tables.add(
        "assessments",
        child_id=child,
        referral_id=1,
        kind="single",
        started_on=date(2025, 1, 6),
        authorised_on=date(2025, 2, 1),
        worker_id=5,
        authorised_by_id=6,
    )
    assert records(plan_without_contingency, tables) == [empty]
    assert records(manager_signed_own_assessment, tables) == [own]


def test_closed_then_referred_again_within_twelve_weeks():
    tables = Tables()
    child = tables.child()
    too_soon = tables.add(
        "referrals",
        child_id=child,
        received_on=date(2024, 1, 8),
        closed_on=date(2024, 2, 1),
        no_further_action=False,
    )
    tables.add(
        "referrals",
        child_id=child,
        received_on=date(2024, 4, 25),
        closed_on=date(2024, 6, 1),
        no_further_action=False,
    )  # 12 weeks exactly
    tables.add(
        "referrals",
        child_id=child,
        received_on=date(2024, 8, 25),
        closed_on=None,
        no_further_action=False,
    )  # 12 weeks and 1 day
    assert records(closed_then_rereferred, tables) == [too_soon]
