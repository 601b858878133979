"""The workforce: children without a worker, caseloads, supervision."""

from datetime import date

import polars as pl

from harbour.insight.indicators.care import looked_after
from harbour.insight.indicators.definitions import by_id
from harbour.insight.indicators.figures import Count, Most, Share, indicator, judged, share
from harbour.insight.indicators.inputs import Inputs
from harbour.insight.indicators.periods import Period
from harbour.insight.indicators.protection import in_need, on_a_plan


def allocated_on(inputs: Inputs, day: date) -> pl.DataFrame:
    """Who held each child's case on the day (an allocation ending that day still held it)."""
    return inputs.memo(
        ("allocated_on", day),
        lambda: inputs.allocations.filter(
            (pl.col("starts_on") <= day)
            & (pl.col("ends_on").is_null() | (pl.col("ends_on") >= day))
        ),
    )


@indicator("unallocated_children")
def unallocated_children(inputs: Inputs, period: Period):
    day = period.end
    open_cases = pl.concat(
        [
            in_need(inputs, day).select("child_id"),
            on_a_plan(inputs, day).select("child_id"),
            looked_after(inputs, day).select("child_id"),
        ]
    ).unique()
    held = allocated_on(inputs, day).select("child_id").unique()
    unallocated = open_cases.join(held, on="child_id", how="anti")
    return Count(unallocated.height, unallocated["child_id"])


def caseloads(inputs: Inputs, day: date, indicator_id: str) -> pl.DataFrame:
    """Children allocated to each worker in the indicator's roles on the day."""
    roles = by_id()[indicator_id].parameters["roles"]
    workers = inputs.tables["staff"].filter(pl.col("role").is_in(roles)).select(worker_id="id")
    return (
        allocated_on(inputs, day)
        .join(workers, on="worker_id")
        .group_by("worker_id")
        .agg(cases=pl.col("child_id").n_unique())
    )


@indicator("caseload_mean")
def caseload_mean(inputs: Inputs, period: Period):
    loads = caseloads(inputs, period.end, "caseload_mean")
    workers = loads["worker_id"]
    return Share(int(loads["cases"].sum()), loads.height, workers, workers)


@indicator("caseload_max")
def caseload_max(inputs: Inputs, period: Period):
    loads = caseloads(inputs, period.end, "caseload_max")
    if loads.is_empty():
        return Most(None, None, None)
    largest = int(loads["cases"].max())
    holders = loads.filter(pl.col("cases") == largest)["worker_id"]
    return Most(largest, holders, loads["worker_id"])


@indicator("supervision_in_time_pct")
def supervision_in_time(inputs: Inputs, period: Period):
    return share(judged(inputs.rule("supervision"), period), "on_time", ids="staff_id")


# ----- the workforce census's measures ---------------------------------------------------


def in_post(social_workers: pl.DataFrame, day: date) -> pl.DataFrame:
    """Those in post on the day: started by it and not leaving on it (the census counts one
    who leaves on its day as a leaver, not in post)."""
    return social_workers.filter(
        (pl.col("starts_on") <= day) & (pl.col("ends_on").is_null() | (pl.col("ends_on") > day))
    )


@indicator("sw_turnover_pct")
def sw_turnover(inputs: Inputs, period: Period):
    employed = inputs.tables["social_workers"].filter(~pl.col("agency_worker"))
    leavers = employed.filter(pl.col("ends_on").is_between(period.start, period.end))
    staying = in_post(employed, period.end)
    return Share(leavers.height, staying.height, leavers["id"], staying["id"])


@indicator("sw_agency_pct")
def sw_agency(inputs: Inputs, period: Period):
    return share(in_post(inputs.tables["social_workers"], period.end), "agency_worker", ids="id")
