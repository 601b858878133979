"""Children looked after, their placements, reviews, health and education, children missing,
and care leavers."""

from datetime import date, timedelta

import polars as pl
from dateutil.relativedelta import relativedelta

from harbour.insight.indicators.figures import Count, Rate, indicator, judged, share
from harbour.insight.indicators.inputs import ADOPTIVE, EET, SHORT_BREAKS, TEMPORARY, Inputs
from harbour.insight.indicators.periods import Period

CARE_LEAVER_AGES = (19, 20, 21)
YOUNGER_CARE_LEAVER_AGES = (17, 18)
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


# ----- starting and ceasing to be looked after ---------------------------------------------


def _status_on(inputs: Inputs, periods: pl.DataFrame, day: pl.Expr) -> pl.DataFrame:
    """The periods given, each with `code`: its legal status in force on `day` (a date
    expression over the period's columns), null if none had started by then."""
    return (
        periods.with_columns(key=pl.col("id") * 100_000 + day.cast(pl.Int64))
        .sort("key")
        .join_asof(inputs.legal_statuses, on="key")
        .with_columns(code=pl.when(pl.col("status_period") == pl.col("id")).then(pl.col("code")))
    )


def _children_not_short_breaks(periods: pl.DataFrame) -> Count:
    """The children of the periods whose legal status then was not a short break (V3, V4),
    each once however many times they started or ceased."""
    children = periods.filter(~pl.col("code").is_in(SHORT_BREAKS).fill_null(False))
    ids = children["child_id"].unique()
    return Count(ids.len(), ids)


def started(inputs: Inputs, period: Period) -> Count:
    periods = inputs.periods.filter(pl.col("starts_on").is_between(period.start, period.end))
    return _children_not_short_breaks(_status_on(inputs, periods, pl.col("starts_on")))


@indicator("cla_started")
def cla_started(inputs: Inputs, period: Period):
    return started(inputs, period)


@indicator("cla_started_rate_per_10k")
def cla_started_rate(inputs: Inputs, period: Period):
    return Rate(started(inputs, period), inputs.population(period.end))


@indicator("cla_ceased")
def cla_ceased(inputs: Inputs, period: Period):
    periods = inputs.periods.filter(pl.col("ends_on").is_between(period.start, period.end))
    # The status of the last day looked after: the period's end is the first day not.
    last_day = pl.col("ends_on").dt.offset_by("-1d")
    return _children_not_short_breaks(_status_on(inputs, periods, last_day))


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


def social_workers(inputs: Inputs, period: Period) -> pl.DataFrame:
    """Each child's social workers during the period while looked after, as the SSDA903
    export writes its social worker episodes: allocations as social worker that began by the
    period's last day, held on or after its first day and after the day the child's period of
    care began, and begun before a period of care that ended in the period ended."""
    periods = inputs.periods.filter(
        (pl.col("starts_on") <= period.end)
        & (pl.col("ends_on").is_null() | (pl.col("ends_on") >= period.start))
    ).select("child_id", care_starts="starts_on", care_ends="ends_on")
    held = (
        inputs.tables["social_worker_allocations"]
        .filter(pl.col("starts_on") <= period.end)
        .join(periods, on="child_id")
        .with_columns(from_=pl.max_horizontal("starts_on", "care_starts"))
    )
    ended = pl.col("ends_on").is_not_null() & (
        (pl.col("ends_on") <= pl.col("from_")) | (pl.col("ends_on") < period.start)
    )
    after_care = (pl.col("care_ends") <= period.end) & (pl.col("from_") >= pl.col("care_ends"))
    return held.filter(~ended & ~after_care.fill_null(False)).select("child_id", "worker_id")


@indicator("cla_three_or_more_social_workers_pct")
def cla_three_or_more_social_workers(inputs: Inputs, period: Period):
    children = looked_after(inputs, period.end).select("child_id")
    workers = (
        social_workers(inputs, period)
        .join(children, on="child_id")
        .group_by("child_id")
        .agg(workers=pl.col("worker_id").n_unique())
    )
    counted = children.join(workers, on="child_id", how="left").with_columns(
        three=pl.col("workers").fill_null(0) >= 3
    )
    return share(counted, "three")


@indicator("cla_health_assessments_in_time_pct")
def cla_health_assessments_in_time(inputs: Inputs, period: Period):
    return share(judged(inputs.rule("health_assessment"), period), "on_time")


def looked_after_for_a_year(inputs: Inputs, day: date) -> pl.DataFrame:
    """Children looked after continuously for the 12 months to the day, as the SSDA903 OC2
    table and the Department's validators count them: a period of care that began on or before
    the first day of those months and had not ended before the day; no period beginning after
    that first day; no agreed series of short breaks (V3, V4) in force at any time in them."""
    return inputs.memo(("looked_after_for_a_year", day), lambda: _for_a_year(inputs, day))


def _for_a_year(inputs: Inputs, day: date) -> pl.DataFrame:
    first = day + timedelta(days=1) - relativedelta(years=1)
    periods = inputs.periods
    spanning = periods.filter(
        (pl.col("starts_on") <= first) & (pl.col("ends_on").is_null() | (pl.col("ends_on") >= day))
    )
    started = periods.filter(pl.col("starts_on").is_between(first, day, closed="right"))
    statuses = inputs.memo("legal_statuses_until", lambda: _statuses_until(inputs))
    short_breaks = statuses.filter(
        pl.col("code").is_in(SHORT_BREAKS)
        & (pl.col("starts_on") <= day)
        & (pl.col("until").is_null() | (pl.col("until") >= first))
    )
    return (
        spanning.select("child_id")
        .unique()
        .join(started.select("child_id"), on="child_id", how="anti")
        .join(short_breaks.select("child_id"), on="child_id", how="anti")
    )


def _statuses_until(inputs: Inputs) -> pl.DataFrame:
    """Each legal status with its child and the day it gave way to the next (or care ended)."""
    periods = inputs.periods
    return (
        inputs.tables["legal_statuses"]
        .join(periods.select("child_id", period_id="id", care_ends="ends_on"), on="period_id")
        .sort("period_id", "starts_on", "id")
        .with_columns(  # sorted by period: the next row's start, if the same period's
            until=pl.when(pl.col("period_id").shift(-1) == pl.col("period_id"))
            .then(pl.col("starts_on").shift(-1))
            .otherwise(pl.col("care_ends"))
        )
    )


def _latest_health(inputs: Inputs, period: Period) -> pl.DataFrame:
    """The children looked after for the 12 months to the period's last day, each with what
    their latest health record by then said (as the export writes OC2's IMMUNISATIONS and
    TEETH_CHECK: false where there is none)."""
    return inputs.memo(("latest_health", period.end), lambda: _health_on(inputs, period.end))


def _health_on(inputs: Inputs, day: date) -> pl.DataFrame:
    latest = (
        inputs.tables["health_records"]
        .filter(pl.col("done_on") <= day)
        .sort("child_id", "done_on", "id")
        .group_by("child_id", maintain_order=True)
        .last()
    )
    return (
        looked_after_for_a_year(inputs, day)
        .join(latest, on="child_id", how="left")
        .with_columns(
            immunised=pl.col("immunisations_up_to_date").fill_null(False),
            teeth=pl.col("teeth_checked").fill_null(False),
        )
    )


@indicator("cla_immunisations_pct")
def cla_immunisations(inputs: Inputs, period: Period):
    return share(_latest_health(inputs, period), "immunised")


@indicator("cla_dental_checks_pct")
def cla_dental_checks(inputs: Inputs, period: Period):
    return share(_latest_health(inputs, period), "teeth")


@indicator("cla_peps_in_time_pct")
def cla_peps_in_time(inputs: Inputs, period: Period):
    return share(judged(inputs.rule("personal_education_plan"), period), "on_time")


@indicator("missing_rhi_within_72h_pct")
def missing_rhi_in_time(inputs: Inputs, period: Period):
    # Due at an hour, not on a day: an interview due on the period's last day and not held
    # is already late at its end, as the work trays judge it.
    return share(judged(inputs.rule("return_home_interview"), period, moments=True), "on_time")


# ----- care leavers ------------------------------------------------------------------------


def care_leavers(inputs: Inputs, period: Period, ages=CARE_LEAVER_AGES) -> pl.DataFrame:
    """The SSDA903 OC3 rows of young people whose 19th, 20th or 21st birthday (or those of
    the `ages` given) fell in the period, as the export writes them: left care before the
    birthday and not looked after since, described by the contact nearest the birthday."""
    birthdays = inputs.memo(("care_leaver_birthdays", ages), lambda: _birthdays(inputs, ages))
    return (
        birthdays.filter(pl.col("birthday").is_between(period.start, period.end))
        .sort("birthday")
        .unique("child_id", keep="last")
    )


def _birthdays(inputs: Inputs, ages=CARE_LEAVER_AGES) -> pl.DataFrame:
    """Each care leaver's 19th, 20th and 21st birthdays (or those of the `ages` given) on
    which they had left care and not come back, with what the contact nearest each birthday
    said."""
    contacts = inputs.care_leaver_contacts
    people = contacts.select("child_id", "date_of_birth").unique("child_id")
    birthdays = pl.concat(
        [
            people.select("child_id", birthday=pl.col("date_of_birth").dt.offset_by(f"{age}y"))
            for age in ages
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


@indicator("care_leavers_eet_17_18_pct")
def care_leavers_eet_17_18(inputs: Inputs, period: Period):
    return share(care_leavers(inputs, period, YOUNGER_CARE_LEAVER_AGES), "eet")


@indicator("care_leavers_suitable_accommodation_17_18_pct")
def care_leavers_suitable_accommodation_17_18(inputs: Inputs, period: Period):
    return share(care_leavers(inputs, period, YOUNGER_CARE_LEAVER_AGES), "suitable")
