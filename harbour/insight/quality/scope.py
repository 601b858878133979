"""Which children the report is about, and who answers for each."""

from datetime import date

import polars as pl


def since(today: date) -> date:
    """The start of the collection year whose returns are being made: the year before, until
    the children in need census and SSDA903 return are sent at the end of July."""
    year = today.year if today.month >= 4 else today.year - 1
    if 4 <= today.month <= 7:
        year -= 1
    return date(year, 4, 1)


def _open_since(frame: pl.DataFrame, ends: str, day: date) -> pl.Series:
    """Children with a row open at some time from `day` (or dated after today: those too)."""
    return frame.filter(pl.col(ends).is_null() | (pl.col(ends) >= day))["child_id"]


def children_in_report(tables: dict, today: date) -> pl.Series:
    """Children open to children's social care at any time since `since(today)`: a child in
    need episode, child in need plan, child protection plan, period of care or allocation."""
    day = since(today)
    ids = [
        _open_since(tables["referrals"], "closed_on", day),
        _open_since(tables["cin_plans"], "ends_on", day),
        _open_since(tables["cp_plans"], "ends_on", day),
        _open_since(tables["periods"], "ends_on", day),
        _open_since(tables["allocations"], "ends_on", day),
    ]
    return pl.concat(ids).unique().sort()


def holders(allocations: pl.DataFrame, today: date) -> pl.DataFrame:
    """Each child's worker and team today: the current allocation (the latest to start, if
    more than one); for a child with none, the team of the last one and no worker."""
    return (
        allocations.filter(pl.col("starts_on") <= today)
        .with_columns(current=pl.col("ends_on").is_null() | (pl.col("ends_on") >= today))
        .sort("child_id", "current", "starts_on", "id")
        .group_by("child_id", maintain_order=True)
        .last()
        .select(
            "child_id",
            "team_id",
            worker_id=pl.when("current").then("worker_id"),
        )
    )
