"""Children looked after, their placements, reviews, health and education, children missing,
and care leavers."""

from datetime import date

import polars as pl
from dateutil.relativedelta import relativedelta

from harbour.insight.indicators.figures import Count, Rate, indicator, judged, share
from harbour.insight.indicators.inputs import ADOPTIVE, EET, SHORT_BREAKS, TEMPORARY, Inputs
from harbour.insight.indicators.periods import Period

CARE_LEAVER_AGES = (19, 20, 21)
NO_ACTIVITY = ("DIED", "RHOM")  # the return gives these no activity or accommodation


def looked_after(inputs: Inputs, day: date) -> pl.DataFrame:
    """Periods of care open on the day, except an agreed series of short breaks (V3, V4): one
    row per child, with the period's start."""
    return inputs.memo(("looked_after", day), lambda: _looked_after(inputs, day))


def _looked_after(inputs: Inputs, day: date) -> pl.DataFrame:
    periods = inputs.periods.filter(
        (pl.col("starts_on") <= day) & (pl.col("ends_on").is_null() | (pl.col("ends_on") > day))
    )
    status = (
        periods.select("id", key=pl.col("id") * 100_000 + pl.lit(day).cast(pl.Date).cast(pl.Int64))
        .sort("key")
        .join_asof(inputs.legal_statuses, on="key")
        .filter(pl.col("status_period") == pl.col("id"))
        .select("id", "code")
    )
    return (
        periods.join(status, on="id", how="left")
        .filter(~pl.col("code").is_in(SHORT_BREAKS).fill_null(False))
        .select("child_id", period_id="id", period_start="starts_on")
        .unique("child_id", keep="first")
    )


def _children(frame: pl.DataFrame) -> Count:
    return Count(frame.height, frame["child_id"])


@indicator("cla")
def cla(inputs: Inputs, period: Period):
    return _children(looked_after(inputs, period.end))


@indicator("cla_rate_per_10k")
def cla_rate(inputs: Inputs, period: Period):
    return Rate(_children(looked_after(inputs, period.end)), inputs.population(period.end))


@indicator("cla_reviews_in_time_pct")
def cla_reviews_in_time(inputs: Inputs, period: Period):
    return share(judged(inputs.rule("looked_after_review"), period), "on_time")


@indicator("cla_three_or_more_placements_pct")
def cla_three_or_more_placements(inputs: Inputs, period: Period):
    children = looked_after(inputs, period.end).select("child_id")
    placements = (
        inputs.placements.join(children, on="child_id")
        .filter(
            (pl.col("starts_on") <= period.end)
            & (pl.col("ends_on").is_null() | (pl.col("ends_on") >= period.start))
            & ~pl.col("placement_type").is_in(TEMPORARY)
        )
        .group_by("child_id")
        .agg(placements=pl.len())
    )
    counted = children.join(placements, on="child_id", how="left").with_columns(
        three=pl.col("placements").fill_null(0) >= 3
    )
    return share(counted, "three")


@indicator("cla_long_term_stability_pct")
def cla_long_term_stability(inputs: Inputs, period: Period):
    day = period.end
    two_years_before = day - relativedelta(years=2)
    cohort = (
        looked_after(inputs, day)
        .join(inputs.born, on="child_id", how="left")
        .filter(
            (pl.col("period_start") <= day - relativedelta(months=30))
            & (pl.col("born").dt.offset_by("16y") > day)
        )
    )
    placements = inputs.memo("placements_in_order", lambda: _in_order(inputs))
    current = (
        cohort.with_columns(key=pl.col("period_id") * 100_000 + pl.lit(day).cast(pl.Int64))
        .sort("key")
        .join_asof(placements, on="key")
        .filter(
            (pl.col("placement_period") == pl.col("period_id"))
            & (pl.col("ends_on").is_null() | (pl.col("ends_on") > day))
        )
        .select(
            "child_id",
            stable=(pl.col("starts_on") <= two_years_before)
            | (
                pl.col("placement_type").is_in(ADOPTIVE)
                & (pl.col("before") <= two_years_before).fill_null(False)
            ),
        )
    )
    counted = cohort.select("child_id").join(current, on="child_id", how="left")
    return share(counted.with_columns(pl.col("stable").fill_null(False)), "stable")


def _in_order(inputs: Inputs) -> pl.DataFrame:
    """Placements keyed by (period, start) for as-of joins, each with the start of the one
    before it in the period."""
    return (
        inputs.placements.sort("period_id", "starts_on")
        .select(
            "placement_type",
            "starts_on",
            "ends_on",
            before=pl.col("starts_on").shift(1).over("period_id"),
            placement_period="period_id",
            key=pl.col("period_id") * 100_000 + pl.col("starts_on").cast(pl.Int64),
        )
        .sort("key")
    )


@indicator("cla_health_assessments_in_time_pct")
def cla_health_assessments_in_time(inputs: Inputs, period: Period):
    return share(judged(inputs.rule("health_assessment"), period), "on_time")


@indicator("cla_peps_in_time_pct")
def cla_peps_in_time(inputs: Inputs, period: Period):
    return share(judged(inputs.rule("personal_education_plan"), period), "on_time")


@indicator("missing_rhi_within_72h_pct")
def missing_rhi_in_time(inputs: Inputs, period: Period):
    # Due at an hour, not on a day: an interview due on the period's last day and not held
    # is already late at its end, as the work trays judge it.
    return share(judged(inputs.rule("return_home_interview"), period, moments=True), "on_time")


# ----- care leavers ------------------------------------------------------------------------


def care_leavers(inputs: Inputs, period: Period) -> pl.DataFrame:
    """The SSDA903 OC3 rows of young people whose 19th, 20th or 21st birthday fell in the
    period, as the export writes them: left care before the birthday and not looked after
    since, described by the contact nearest the birthday."""
    birthdays = inputs.memo("care_leaver_birthdays", lambda: _birthdays(inputs))
    return (
        birthdays.filter(pl.col("birthday").is_between(period.start, period.end))
        .sort("birthday")
        .unique("child_id", keep="last")
    )


def _birthdays(inputs: Inputs) -> pl.DataFrame:
    """Each care leaver's 19th, 20th and 21st birthdays on which they had left care and not
    come back, with what the contact nearest each birthday said."""
    contacts = inputs.care_leaver_contacts
    people = contacts.select("child_id", "date_of_birth").unique("child_id")
    birthdays = pl.concat(
        [
            people.select("child_id", birthday=pl.col("date_of_birth").dt.offset_by(f"{age}y"))
            for age in CARE_LEAVER_AGES
        ]
    )
    left = (
        birthdays.join(inputs.periods.select("child_id", "ends_on"), on="child_id")
        .group_by("child_id", "birthday")
        .agg(
            left=(pl.col("ends_on") < pl.col("birthday")).any(),
            since=(pl.col("ends_on").is_null() | (pl.col("ends_on") > pl.col("birthday"))).any(),
        )
        .filter(pl.col("left") & ~pl.col("since"))
        .select("child_id", "birthday")
    )
    nearest = (
        contacts.join(left, on="child_id")
        .with_columns(distance=(pl.col("contact_on") - pl.col("birthday")).abs())
        .sort("child_id", "birthday", "distance", "contact_on", "id")
        .group_by("child_id", "birthday", maintain_order=True)
        .first()
    )
    described = pl.col("accommodation").fill_null("") != ""
    answered = ~pl.col("in_touch").is_in(NO_ACTIVITY) & described
    return nearest.select(
        "child_id",
        "birthday",
        in_touch=pl.col("in_touch") == "YES",
        eet=answered & pl.col("activity").is_in(EET).fill_null(False),
        suitable=answered
        & ~pl.col("accommodation").is_in(("S", "X"))
        & (pl.col("accommodation_suitable") != False).fill_null(True),  # noqa: E712
    )


@indicator("care_leavers_eet_pct")
def care_leavers_eet(inputs: Inputs, period: Period):
    return share(care_leavers(inputs, period), "eet")


@indicator("care_leavers_suitable_accommodation_pct")
def care_leavers_suitable_accommodation(inputs: Inputs, period: Period):
    return share(care_leavers(inputs, period), "suitable")


@indicator("care_leavers_in_touch_pct")
def care_leavers_in_touch(inputs: Inputs, period: Period):
    return share(care_leavers(inputs, period), "in_touch")
