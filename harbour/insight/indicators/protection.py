"""Help and protection: section 47 enquiries, conferences, core groups, child protection plans,
visits, and children in need."""

from datetime import date

import polars as pl

from harbour.insight.indicators.definitions import by_id
from harbour.insight.indicators.figures import Count, Rate, count, indicator, judged, share
from harbour.insight.indicators.inputs import Inputs
from harbour.insight.indicators.periods import Period


def _within(frame: pl.DataFrame, column: str, period: Period) -> pl.DataFrame:
    return frame.filter(pl.col(column).is_between(period.start, period.end))


def _open_on(frame: pl.DataFrame, day: date, starts: str, ends: str) -> pl.DataFrame:
    """Rows started on or before the day and not ended by it (an end on the day has ended)."""
    return frame.filter((pl.col(starts) <= day) & (pl.col(ends).is_null() | (pl.col(ends) > day)))


def _open(frame: pl.DataFrame) -> Count:
    """Episodes or plans open on a day, as the Department counts them (a child has at most
    one of each open at a time), with the children's ids."""
    return Count(frame.height, frame["child_id"])


# ----- section 47 enquiries and conferences ----------------------------------------------


def enquiries_in(inputs: Inputs, period: Period, conferences: bool = False) -> pl.DataFrame:
    """Section 47 enquiries started in the period (with the day of the initial conference
    each led to, if asked)."""
    return _within(inputs.enquiries if conferences else inputs.enquiry_starts, "started_on", period)


@indicator("s47_enquiries")
def s47_enquiries(inputs: Inputs, period: Period):
    return count(enquiries_in(inputs, period))


@indicator("s47_rate_per_10k")
def s47_rate(inputs: Inputs, period: Period):
    return Rate(count(enquiries_in(inputs, period)), inputs.population(period.end))


@indicator("s47_leading_to_icpc_pct")
def s47_leading_to_icpc(inputs: Inputs, period: Period):
    enquiries = enquiries_in(inputs, period, conferences=True).with_columns(
        conference=pl.col("conference_on").is_not_null() & (pl.col("conference_on") <= period.end)
    )
    return share(enquiries, "conference")


@indicator("icpc_within_15wd_pct")
def icpc_in_time(inputs: Inputs, period: Period):
    return share(judged(inputs.rule("initial_child_protection_conference"), period), "on_time")


@indicator("first_core_group_within_10wd_pct")
def first_core_group_in_time(inputs: Inputs, period: Period):
    failure = by_id()["first_core_group_within_10wd_pct"].parameters["failure"]
    first = inputs.rule("core_group").filter(pl.col("failure") == failure)
    return share(judged(first, period), "on_time")


@indicator("cp_reviews_in_time_pct")
def cp_reviews_in_time(inputs: Inputs, period: Period):
    return share(judged(inputs.rule("review_conference"), period), "on_time")


# ----- child protection plans ------------------------------------------------------------


def on_a_plan(inputs: Inputs, day: date) -> pl.DataFrame:
    return inputs.memo(
        ("on_a_plan", day), lambda: _open_on(inputs.plans, day, "starts_on", "ends_on")
    )


@indicator("cp_plans")
def cp_plans(inputs: Inputs, period: Period):
    return _open(on_a_plan(inputs, period.end))


@indicator("cp_rate_per_10k")
def cp_rate(inputs: Inputs, period: Period):
    return Rate(_open(on_a_plan(inputs, period.end)), inputs.population(period.end))


def plans_started(inputs: Inputs, period: Period) -> pl.DataFrame:
    return _within(inputs.plans, "starts_on", period)


@indicator("cp_plans_started")
def cp_plans_started(inputs: Inputs, period: Period):
    return count(plans_started(inputs, period))


@indicator("cp_second_or_subsequent_pct")
def cp_second_or_subsequent(inputs: Inputs, period: Period):
    plans = plans_started(inputs, period)
    return share(plans.with_columns(again=inputs.previous_plans(plans) >= 1), "again")


@indicator("cp_plans_ended_after_2y_pct")
def cp_plans_ended_after_2y(inputs: Inputs, period: Period):
    ended = _within(inputs.plans, "ends_on", period)
    two_years = pl.col("ends_on") >= pl.col("starts_on").dt.offset_by("2y")
    return share(ended.with_columns(two_years=two_years), "two_years")


@indicator("cp_open_2y_or_more_pct")
def cp_open_2y_or_more(inputs: Inputs, period: Period):
    day = period.end
    two_years = pl.lit(day) >= pl.col("starts_on").dt.offset_by("2y")
    return share(on_a_plan(inputs, day).with_columns(two_years=two_years), "two_years")


# ----- visits ------------------------------------------------------------------------------


@indicator("cp_children_seen_in_time_pct")
def cp_children_seen_in_time(inputs: Inputs, period: Period):
    visits = judged(inputs.rule("child_protection_visit"), period)
    children = visits.group_by("child_id").agg(all_on_time=pl.col("on_time").all())
    return share(children, "all_on_time")


def _old_enough(inputs: Inputs, days: pl.Series) -> pl.Expr:
    """Whether the child was old enough on each visit's day to be seen alone: the policy's
    seen-alone age on that day (one age unless the authority changed it)."""
    changes = inputs.policy.changes("seen_alone_from_age")
    if len(changes) == 1:
        return pl.col("visited_on") >= pl.col("born").dt.offset_by(f"{changes[0][1]}y")
    ages = pl.Series([changes[0][1]] * len(days), dtype=pl.Int32)
    for applies_from, age in changes[1:]:
        ages = pl.select(
            pl.when(days >= applies_from).then(pl.lit(age, pl.Int32)).otherwise(ages)
        ).to_series()
    return pl.col("visited_on") >= pl.col("born").dt.offset_by(ages.cast(pl.String) + "y")


@indicator("cp_children_seen_alone_pct")
def cp_children_seen_alone(inputs: Inputs, period: Period):
    visits = _within(inputs.cp_visits, "visited_on", period)
    latest = (
        visits.filter(_old_enough(inputs, visits["visited_on"]).fill_null(False))
        .sort("child_id", "visited_on", "id")
        .unique("child_id", keep="last", maintain_order=True)
    )
    return share(latest, "seen_alone")


# ----- children in need --------------------------------------------------------------------


def in_need(inputs: Inputs, day: date) -> pl.DataFrame:
    """Children with an episode of need open on the day (not one closed at referral)."""
    episodes = inputs.referrals.filter(~pl.col("no_further_action"))
    return inputs.memo(
        ("in_need", day), lambda: _open_on(episodes, day, "received_on", "closed_on")
    )


@indicator("cin")
def cin(inputs: Inputs, period: Period):
    return _open(in_need(inputs, period.end))


@indicator("cin_rate_per_10k")
def cin_rate(inputs: Inputs, period: Period):
    return Rate(_open(in_need(inputs, period.end)), inputs.population(period.end))
