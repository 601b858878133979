"""Each rule, judged on records made by hand: the calendar, the editions, the endings."""

from datetime import date

import polars as pl
import pytest

from harbour.timescales.engine import compute_duties
from harbour.timescales.tests.tables import Tables, at


def duties(tables: Tables, as_of: date, *rules: str) -> list[dict]:
    frame = compute_duties(tables.frames(), as_of, rule_names=list(rules))
    return (
        frame.sort("trigger", "due")
        .select(
            "rule",
            "trigger",
            "due",
            "completed",
            pl.col("status").cast(pl.String),
            pl.col("failure").cast(pl.String),
            "trigger_record",
            "completion_record",
            "scope_record",
            "worker_id",
        )
        .to_dicts()
    )


def one(tables, as_of, rule):
    (duty,) = duties(tables, as_of, rule)
    return duty


# ----- contacts: one working day --------------------------------------------------------


@pytest.mark.parametrize(
    "received, decided, due, status",
    [
        (
            at(date(2024, 11, 22), 16),
            at(date(2024, 11, 25), 9),
            date(2024, 11, 25),
            "done_on_time",
        ),  # Friday afternoon, decided Monday
        (
            at(date(2024, 11, 23), 3),
            at(date(2024, 11, 26), 9),
            date(2024, 11, 25),
            "done_late",
        ),  # Saturday night, decided Tuesday
        (
            at(date(2020, 5, 7), 11),
            at(date(2020, 5, 11), 9),
            date(2020, 5, 11),
            "done_on_time",
        ),  # VE day moved to Friday 8 May 2020
        (
            at(date(2022, 6, 1), 11),
            at(date(2022, 6, 6), 9),
            date(2022, 6, 6),
            "done_on_time",
        ),  # the platinum jubilee's two days
        (
            at(date(2024, 2, 28), 11),
            at(date(2024, 3, 1), 9),
            date(2024, 2, 29),
            "done_late",
        ),  # a leap year's 29 February is a working day
        (
            at(date(2024, 7, 1), 23, 30),
            at(date(2024, 7, 2), 9),
            date(2024, 7, 2),
            "done_on_time",
        ),  # received late on a Monday night in summer time
    ],
)
def test_contact_decision_within_one_working_day(received, decided, due, status):
    tables = Tables()
    child = tables.child()
    tables.add("contacts", child_id=child, received_at=received, decision_at=decided)
    duty = one(tables, date(2025, 1, 1), "contact_decision")
    assert (duty["due"], duty["status"]) == (due, status)


def test_a_contact_received_just_after_midnight_in_summer_counts_from_that_day():
    tables = Tables()
    child = tables.child()
    # 00:30 on Tuesday in London is 23:30 on Monday in UTC: the day is Tuesday.
    tables.add(
        "contacts", child_id=child, received_at=at(date(2024, 7, 2), 0, 30), decision_at=None
    )
    duty = one(tables, date(2024, 7, 2), "contact_decision")
    assert duty["trigger"] == date(2024, 7, 2)
    assert duty["due"] == date(2024, 7, 3)
    assert duty["status"] == "due_soon"


def test_an_undecided_contact_is_overdue_the_day_after_it_was_due():
    tables = Tables()
    child = tables.child()
    tables.add("contacts", child_id=child, received_at=at(date(2024, 11, 20)), decision_at=None)
    assert one(tables, date(2024, 11, 21), "contact_decision")["status"] == "due_soon"
    assert one(tables, date(2024, 11, 22), "contact_decision")["status"] == "overdue"
    assert duties(tables, date(2024, 11, 1), "contact_decision") == []  # not yet received


# ----- assessments: editions ------------------------------------------------------------


def _referral(tables, received, closed=None):
    child = tables.child()
    referral = tables.add(
        "referrals", child_id=child, received_on=received, closed_on=closed, no_further_action=False
    )
    return child, referral


def test_single_assessment_45_working_days_from_referral():
    tables = Tables()
    child, referral = _referral(tables, date(2024, 12, 16))
    assessment = tables.add(
        "assessments",
        child_id=child,
        referral_id=referral,
        kind="single",
        started_on=date(2024, 12, 16),
        authorised_on=date(2025, 2, 24),
    )
    duty = one(tables, date(2025, 6, 1), "single_assessment")
    # 45 working days over Christmas and New Year.
    assert duty["due"] == date(2025, 2, 20)
    assert duty["status"] == "done_late"
    assert duty["completion_record"] == assessment


def test_the_edition_in_force_on_the_referral_day_judges_the_assessment():
    tables = Tables()
    # Referred under Working Together 2010 (initial assessment, 10 working days) shortly before
    # the 2013 edition (single assessment, 45) came in: still 10 days.
    child, referral = _referral(tables, date(2013, 4, 10))
    tables.add(
        "assessments",
        child_id=child,
        referral_id=referral,
        kind="initial",
        started_on=date(2013, 4, 10),
        authorised_on=date(2013, 4, 26),
    )
    (duty,) = duties(tables, date(2014, 1, 1), "initial_assessment", "single_assessment")
    assert duty["rule"] == "initial_assessment"
    assert duty["due"] == date(2013, 4, 24)
    assert duty["status"] == "done_late"
    # A referral on the day the 2013 edition applies has 45 working days.
    child, referral = _referral(tables, date(2013, 4, 15))
    tables.add(
        "assessments",
        child_id=child,
        referral_id=referral,
        kind="single",
        started_on=date(2013, 4, 15),
        authorised_on=date(2013, 6, 14),
    )
    later = [
        d
        for d in duties(tables, date(2014, 1, 1), "initial_assessment", "single_assessment")
        if d["trigger"] == date(2013, 4, 15)
    ]
    assert [(d["rule"], d["due"], d["status"]) for d in later] == [
        ("single_assessment", date(2013, 6, 19), "done_on_time")
    ]


def test_the_2006_edition_gave_seven_working_days():
    tables = Tables()
    child, referral = _referral(tables, date(2010, 2, 25))
    tables.add(
        "assessments",
        child_id=child,
        referral_id=referral,
        kind="initial",
        started_on=date(2010, 2, 25),
        authorised_on=date(2010, 3, 8),
    )
    duty = one(tables, date(2011, 1, 1), "initial_assessment")
    assert duty["due"] == date(2010, 3, 8)
    assert duty["status"] == "done_on_time"


def test_a_case_closed_before_the_assessment_fell_due_needs_none():
    tables = Tables()
    _referral(tables, date(2024, 1, 8), closed=date(2024, 1, 19))
    assert one(tables, date(2024, 6, 1), "single_assessment")["status"] == "no_longer_needed"


# ----- child protection -----------------------------------------------------------------


def _plan(tables, starts, ends=None, born=date(2016, 5, 1)):
    child = tables.child(born)
    plan = tables.add(
        "cp_plans", child_id=child, starts_on=starts, ends_on=ends, no_contingency=False
    )
    return child, plan


def test_child_protection_visits_every_ten_working_days_and_a_missed_one():
    tables = Tables()
    child, plan = _plan(tables, date(2024, 9, 2))
    tables.visit(child, "child_protection", date(2024, 9, 13))  # due 16 Sep
    late = tables.visit(child, "child_protection", date(2024, 10, 4))  # due 27 Sep
    tables.visit(child, "child_protection", date(2024, 10, 17))  # due 18 Oct
    found = duties(tables, date(2024, 10, 25), "child_protection_visit")
    assert [(d["due"], d["status"]) for d in found] == [
        (date(2024, 9, 16), "done_on_time"),
        (date(2024, 9, 27), "done_late"),
        (date(2024, 10, 18), "done_on_time"),
        (date(2024, 10, 31), "due_soon"),
    ]
    assert found[1]["completion_record"] == late


def test_a_plan_ended_before_the_next_visit_fell_due_needs_no_visit():
    tables = Tables()
    child, _ = _plan(tables, date(2024, 9, 2), ends=date(2024, 9, 20))
    tables.visit(child, "child_protection", date(2024, 9, 6))
    found = duties(tables, date(2024, 12, 1), "child_protection_visit")
    assert [d["status"] for d in found] == ["done_on_time", "no_longer_needed"]


def test_a_visit_when_the_child_was_not_seen_does_not_count_unless_unborn():
    tables = Tables()
    child, _ = _plan(tables, date(2024, 9, 2))
    tables.visit(child, "child_protection", date(2024, 9, 6), seen=False, alone=False)
    assert duties(tables, date(2024, 9, 20), "child_protection_visit")[0]["status"] == "overdue"
    unborn, _ = _plan(Tables(), date(2024, 9, 2))
    tables = Tables()
    unborn, _ = _plan(tables, date(2024, 9, 2), born=date(2024, 12, 1))
    tables.visit(unborn, "child_protection", date(2024, 9, 6), seen=False, alone=False)
    assert duties(tables, date(2024, 9, 10), "child_protection_visit")[0]["status"] == (
        "done_on_time"
    )


def test_icpc_within_15_working_days_of_the_strategy_discussion_over_christmas():
    tables = Tables()
    child = tables.child()
    s47 = tables.add(
        "section_47_enquiries",
        child_id=child,
        strategy_on=date(2024, 12, 16),
        completed_on=None,
        outcome="",
    )
    conference = tables.add(
        "conferences",
        child_id=child,
        kind="initial",
        section_47_enquiry_id=s47,
        held_on=date(2025, 1, 10),
    )
    duty = one(tables, date(2025, 2, 1), "initial_child_protection_conference")
    assert duty["due"] == date(2025, 1, 9)
    assert (duty["status"], duty["completion_record"]) == ("done_late", conference)


def test_an_enquiry_that_ends_without_concerns_needs_no_conference():
    tables = Tables()
    child = tables.child()
    tables.add(
        "section_47_enquiries",
        child_id=child,
        strategy_on=date(2024, 3, 1),
        completed_on=date(2024, 3, 8),
        outcome="unsubstantiated",
    )
    assert one(tables, date(2024, 6, 1), "initial_child_protection_conference")["status"] == (
        "no_longer_needed"
    )


def test_core_groups_first_within_ten_working_days_then_six_weekly():
    tables = Tables()
    _, plan = _plan(tables, date(2024, 3, 1))
    tables.add("core_groups", plan_id=plan, held_on=date(2024, 3, 15))
    tables.add("core_groups", plan_id=plan, held_on=date(2024, 5, 1))
    found = duties(tables, date(2024, 5, 10), "core_group")
    assert [(d["due"], d["failure"], d["status"]) for d in found] == [
        (date(2024, 3, 15), "late_first_core_group", "done_on_time"),
        (date(2024, 4, 26), "late_core_group", "done_late"),
        (date(2024, 6, 12), "late_core_group", "not_yet_due"),
    ]


def test_review_conferences_at_three_then_six_months():
    tables = Tables()
    child, plan = _plan(tables, date(2023, 11, 30))
    tables.add(
        "conferences", child_id=child, kind="review", plan_id=plan, held_on=date(2024, 2, 29)
    )
    found = duties(tables, date(2024, 3, 1), "review_conference")
    # Three months from 30 November is 29 February in a leap year.
    assert [(d["due"], d["status"]) for d in found] == [
        (date(2024, 2, 29), "done_on_time"),
        (date(2024, 8, 29), "not_yet_due"),
    ]


def test_conference_reports_shared_two_working_days_before():
    tables = Tables()
    child = tables.child()
    tables.add(
        "conferences",
        child_id=child,
        kind="initial",
        held_on=date(2024, 4, 2),
        reports_shared_with_parents_on=date(2024, 3, 28),
    )
    # Two working days before Tuesday 2 April 2024, across Easter: Wednesday 27 March.
    duty = one(tables, date(2024, 5, 1), "conference_reports_to_parents")
    assert duty["due"] == date(2024, 3, 27)
    assert duty["status"] == "done_late"


# ----- care -----------------------------------------------------------------------------


def _period(tables, starts, ends=None, born=date(2012, 6, 1)):
    child = tables.child(born)
    period = tables.add("periods", child_id=child, starts_on=starts, ends_on=ends)
    return child, period


def test_looked_after_reviews_by_the_regulations_in_force():
    tables = Tables()
    _, before = _period(tables, date(2011, 3, 20))  # 1991 regulations: 28 days
    _, after = _period(tables, date(2011, 4, 4))  # 2010 regulations: 20 working days
    found = duties(tables, date(2011, 4, 1), "looked_after_review")
    assert [d["due"] for d in found] == [date(2011, 4, 17)]
    found = duties(tables, date(2011, 6, 1), "looked_after_review")
    # Easter, the royal wedding and May Day 2011 all fall inside the twenty working days.
    assert [d["due"] for d in found] == [date(2011, 4, 17), date(2011, 5, 6)]


def test_health_assessments_six_monthly_under_five_yearly_after():
    tables = Tables()
    _, young = _period(tables, date(2024, 1, 8), born=date(2021, 1, 1))
    tables.add("health_assessments", period_id=young, done_on=date(2024, 1, 30))
    _, older = _period(tables, date(2024, 1, 8), born=date(2012, 1, 1))
    tables.add("health_assessments", period_id=older, done_on=date(2024, 1, 30))
    found = duties(tables, date(2024, 2, 1), "health_assessment")
    dues = sorted((d["due"], d["status"]) for d in found)
    assert dues == [
        (date(2024, 2, 5), "done_on_time"),
        (date(2024, 2, 5), "done_on_time"),
        (date(2024, 7, 30), "not_yet_due"),
        (date(2025, 1, 30), "not_yet_due"),
    ]


def test_personal_education_plan_in_school_days_and_only_from_age_three():
    tables = Tables()
    tables.add("terms", starts_on=date(2025, 9, 3), ends_on=date(2025, 10, 24))
    tables.add("terms", starts_on=date(2025, 11, 3), ends_on=date(2025, 12, 19))
    _, period = _period(tables, date(2025, 10, 20), born=date(2015, 1, 1))
    _period(tables, date(2025, 10, 20), born=date(2023, 1, 1))  # aged two: no plan due
    tables.add("education_plans", period_id=period, held_on=date(2025, 11, 20))
    duty = one(tables, date(2025, 12, 1), "personal_education_plan")
    # 4 school days before half term, 16 after it.
    assert duty["due"] == date(2025, 11, 24)
    assert duty["status"] == "done_on_time"


def test_looked_after_visits_a_week_after_each_placement_then_six_weekly():
    tables = Tables()
    child, period = _period(tables, date(2024, 1, 8))
    tables.add(
        "placements",
        child_id=child,
        period_id=period,
        placement_type="U6",
        starts_on=date(2024, 1, 8),
        ends_on=date(2024, 3, 1),
    )
    tables.add(
        "placements",
        child_id=child,
        period_id=period,
        placement_type="U6",
        starts_on=date(2024, 3, 1),
        ends_on=None,
    )
    tables.visit(child, "looked_after", date(2024, 1, 12))
    tables.visit(child, "looked_after", date(2024, 2, 20))
    tables.visit(child, "looked_after", date(2024, 3, 11))
    found = duties(tables, date(2024, 3, 20), "looked_after_visit")
    assert [(d["due"], d["status"]) for d in found] == [
        (date(2024, 1, 15), "done_on_time"),
        (date(2024, 2, 23), "done_on_time"),
        (date(2024, 4, 2), "no_longer_needed"),  # the placement ended first
        (date(2024, 3, 8), "done_late"),
        (date(2024, 4, 22), "not_yet_due"),
    ]


def test_return_home_interview_within_72_hours_across_the_clocks_changing():
    tables = Tables()
    child = tables.child()
    tables.add(
        "missing_episodes",
        child_id=child,
        ended_at=at(date(2024, 3, 29), 22),
        interview_offered_at=None,
        interview_held_at=at(date(2024, 4, 1), 22, 30),
        interview_declined=False,
    )
    tables.add(
        "missing_episodes",
        child_id=child,
        ended_at=at(date(2024, 5, 1), 9),
        interview_offered_at=at(date(2024, 5, 2), 9),
        interview_held_at=None,
        interview_declined=True,
    )
    found = duties(tables, date(2024, 6, 1), "return_home_interview")
    # 22:00 GMT on Friday plus 72 hours is 23:00 summer time on Monday.
    assert [d["status"] for d in found] == ["done_on_time", "done_on_time"]


def test_private_fostering_visits_then_twelve_weekly_after_the_first_year():
    tables = Tables()
    child = tables.child()
    tables.add("private_fostering", child_id=child, notified_on=date(2023, 1, 9), ends_on=None)
    tables.visit(child, "private_fostering", date(2023, 1, 16))
    visit = date(2023, 1, 16)
    from datetime import timedelta

    while visit < date(2024, 1, 1):
        visit += timedelta(days=42)
        tables.visit(child, "private_fostering", visit)
    found = duties(tables, date(2024, 2, 1), "private_fostering_visit")
    assert found[0]["due"] == date(2023, 1, 18)
    assert all(d["status"] in ("done_on_time", "not_yet_due") for d in found)
    assert found[-1]["due"] - found[-1]["trigger"] == timedelta(weeks=12)


# ----- the workforce --------------------------------------------------------------------


def _worker(tables, starts, qualified_on=None, asye=None, role="social_worker"):
    team = tables.add("teams", name="A Team")
    return tables.add(
        "staff",
        team_id=team,
        role=role,
        forename="Sam",
        surname="Fenwick",
        qualified=qualified_on is not None,
        registered=qualified_on is not None,
        starts_on=starts,
        ends_on=None,
        qualified_on=qualified_on,
        asye_completed_on=asye,
    )


def test_supervision_monthly_and_fortnightly_in_the_first_year_after_qualifying():
    tables = Tables()
    newly = _worker(
        tables, date(2024, 1, 31), qualified_on=date(2024, 1, 31), asye=date(2025, 1, 31)
    )
    tables.add("supervisions", worker_id=newly, held_on=date(2024, 2, 14))
    experienced = _worker(
        tables, date(2024, 1, 31), qualified_on=date(2015, 7, 1), asye=date(2016, 7, 1)
    )
    tables.add("supervisions", worker_id=experienced, held_on=date(2024, 2, 29))
    found = duties(tables, date(2024, 3, 1), "supervision")
    assert sorted((d["due"], d["status"]) for d in found) == [
        (date(2024, 2, 14), "done_on_time"),  # fourteen days from starting
        (date(2024, 2, 28), "overdue"),  # still fortnightly for the newly qualified
        (date(2024, 2, 29), "done_on_time"),  # a month from 31 January: 29 February
        (date(2024, 3, 29), "not_yet_due"),
    ]


# ----- allocation, strategy discussions, case summaries -------------------------------------


def test_allocation_names_the_episode_and_a_same_day_closure_needs_none():
    tables = Tables()
    child, referral = _referral(tables, date(2024, 5, 1))
    tables.add(
        "allocations",
        child_id=child,
        worker_id=7,
        team_id=1,
        starts_on=date(2024, 5, 8),
        ends_on=None,
    )
    _referral(tables, date(2024, 5, 1), closed=date(2024, 5, 1))
    found = duties(tables, date(2024, 6, 1), "allocation")
    assert [
        (d["status"], d["scope_record"]) for d in found if d["status"] != "no_longer_needed"
    ] == [("done_late", referral)]
    assert [d["status"] for d in found].count("no_longer_needed") == 1


def test_duties_name_the_worker_holding_the_child_on_the_due_day():
    tables = Tables()
    child, _ = _plan(tables, date(2024, 9, 2))
    tables.add(
        "allocations",
        child_id=child,
        worker_id=11,
        team_id=1,
        starts_on=date(2024, 1, 1),
        ends_on=date(2024, 9, 17),
    )
    tables.add(
        "allocations",
        child_id=child,
        worker_id=12,
        team_id=1,
        starts_on=date(2024, 9, 17),
        ends_on=None,
    )
    tables.visit(child, "child_protection", date(2024, 9, 6))
    found = duties(tables, date(2024, 9, 30), "child_protection_visit")
    # Due on 16 September (the first worker) and 20 September (the second).
    assert [(d["due"], d["worker_id"]) for d in found] == [
        (date(2024, 9, 16), 11),
        (date(2024, 9, 20), 12),
    ]


def test_strategy_discussion_and_case_summary_by_local_policy():
    tables = Tables()
    child = tables.child()
    tables.add(
        "strategy_discussions",
        child_id=child,
        concern_identified_on=date(2024, 12, 24),
        held_on=date(2024, 12, 30),
    )
    tables.add("significant_events", child_id=child, occurred_on=date(2024, 12, 30))
    tables.add("case_summaries", child_id=child, updated_at=at(date(2025, 1, 6), 16))
    strategy = one(tables, date(2025, 2, 1), "strategy_discussion")
    assert (strategy["due"], strategy["status"]) == (date(2024, 12, 27), "done_late")
    summary = one(tables, date(2025, 2, 1), "case_summary")
    assert (summary["due"], summary["status"]) == (date(2025, 1, 7), "done_on_time")


def test_audit_moderation_and_actions_by_their_own_due_dates():
    tables = Tables()
    child = tables.child()
    tables.add(
        "case_audits", child_id=child, audited_on=date(2025, 3, 3), moderated_on=date(2025, 4, 4)
    )
    tables.add(
        "audit_actions",
        child_id=child,
        audited_on=date(2025, 3, 3),
        due_on=date(2025, 3, 31),
        completed_on=None,
    )
    tables.add(
        "audit_actions",
        child_id=child,
        audited_on=date(2025, 3, 3),
        due_on=date(2025, 4, 30),
        completed_on=date(2025, 4, 29),
    )
    moderation = one(tables, date(2025, 5, 1), "audit_moderation")
    assert (moderation["due"], moderation["status"]) == (date(2025, 3, 31), "done_late")
    actions = duties(tables, date(2025, 5, 1), "audit_action")
    assert [(d["due"], d["status"]) for d in actions] == [
        (date(2025, 3, 31), "overdue"),
        (date(2025, 4, 30), "done_on_time"),
    ]
