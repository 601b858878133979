"""Every problem the checks find for the children in the report, with who answers for it, and
the counts by team, worker and kind the page shows."""

from datetime import date

import polars as pl

from harbour.insight.quality.codes import codes
from harbour.insight.quality.identity import identity
from harbour.insight.quality.kinds import KINDS
from harbour.insight.quality.order import order
from harbour.insight.quality.scope import children_in_report, holders
from harbour.insight.quality.unallocated import unallocated

KIND_ORDER = {kind: n for n, kind in enumerate(KINDS)}


def problems(tables: dict, today: date) -> pl.DataFrame:
    """One row a problem: the checks' columns (kinds.COLUMNS), then the child's reference and
    name, the family of the kind, and the team and worker who hold the child (team_id null
    for a child never allocated, worker_id null for one not allocated now)."""
    children = tables["children"]
    ids = children_in_report(tables, today).implode()
    found = pl.concat(
        [
            identity(children.filter(pl.col("id").is_in(ids)), today),
            order(tables, today),
            unallocated(tables, today),
            codes(tables),
        ]
    ).filter(pl.col("child_id").is_in(ids))
    names = children.select(
        child_id="id",
        reference="reference",
        child=pl.concat_str("forename", "surname", separator=" "),
    )
    family = {kind.id: kind.family for kind in KINDS.values()}
    return (
        found.join(holders(tables["allocations"], today), on="child_id", how="left")
        .join(names, on="child_id", how="left")
        .with_columns(
            family=pl.col("kind").replace_strict(family),
            rank=pl.col("kind").replace_strict(KIND_ORDER, return_dtype=pl.Int32),
        )
        .sort("team_id", "worker_id", "reference", "rank", "on", nulls_last=True)
        .drop("rank")
    )


def counts(found: pl.DataFrame, by: str) -> dict:
    """{key: {family: rows, ..., "total": rows}} for each value of `by` (team_id, worker_id)."""
    table: dict = {}
    grouped = found.group_by(by, "family").len()
    for key, family, n in grouped.iter_rows():
        row = table.setdefault(key, {"total": 0})
        row[family] = n
        row["total"] += n
    return table


def by_kind(found: pl.DataFrame) -> list[tuple[str, int]]:
    """(kind, rows) in the kinds' own order, for the kinds found."""
    n = dict(found.group_by("kind").len().iter_rows())
    return [(kind, n[kind]) for kind in KINDS if kind in n]
