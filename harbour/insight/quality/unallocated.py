"""Open cases with no allocated worker: a child in need episode, child protection plan or
period of care open today, and no allocation current today."""

from datetime import date

import polars as pl

from harbour.insight.quality.kinds import rows

# table: (words, start, end). An episode closed today no longer needs a worker.
EPISODES = {
    "referrals": ("child in need episode", "received_on", "closed_on"),
    "cp_plans": ("child protection plan", "starts_on", "ends_on"),
    "periods": ("period of care", "starts_on", "ends_on"),
}
RECORDS = {
    "referrals": "journey.Referral",
    "cp_plans": "journey.ChildProtectionPlan",
    "periods": "care.PeriodOfCare",
}


def _open(frame: pl.DataFrame, start: str, end: str, today: date) -> pl.DataFrame:
    return frame.filter((pl.col(start) <= today) & (pl.col(end).is_null() | (pl.col(end) > today)))


def unallocated(tables: dict, today: date) -> pl.DataFrame:
    """One row a child: what is open (the earliest first) and since when."""
    allocations = tables["allocations"]
    held = allocations.filter(
        (pl.col("starts_on") <= today)
        & (pl.col("ends_on").is_null() | (pl.col("ends_on") >= today))
    )["child_id"].implode()
    open_now = pl.concat(
        [
            _open(tables[table], start, end, today).select(
                "child_id", "id", on=start, words=pl.lit(words), table=pl.lit(table)
            )
            for table, (words, start, end) in EPISODES.items()
        ]
    ).filter(~pl.col("child_id").is_in(held))
    by_child = (
        open_now.sort("child_id", "on", "table")
        .group_by("child_id", maintain_order=True)
        .agg(
            what=pl.col("words").unique(maintain_order=True).str.join(", "),
            on=pl.col("on").first(),
            id=pl.col("id").first(),
            record=pl.col("table").first().replace_strict(RECORDS),
        )
    )
    return rows(
        by_child,
        "unallocated",
        pl.lit("Open: ") + pl.col("what"),
        on="on",
        record=pl.col("record"),
    )
