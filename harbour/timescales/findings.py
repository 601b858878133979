"""Findings: every practice failure Harbour can see, in the truth file's shape."""

from datetime import date

import polars as pl

from harbour.timescales.engine import FAILED, Setting, compute_duties, judgeable
from harbour.timescales.standards import STANDARDS


def findings_from(duties: pl.DataFrame, tables, setting: Setting) -> pl.DataFrame:
    late = duties.filter(pl.col("status").is_in(FAILED)).select(
        failure=pl.col("failure").cast(pl.String),
        child_id="child_id",
        record=pl.when(pl.col("record_kind") == "scope")
        .then(pl.col("scope_record"))
        .when(pl.col("status") == "done_late")
        .then(pl.col("completion_record"))
        .otherwise(pl.col("trigger_record")),
    )
    standards = [
        judgeable(check(tables, setting.as_of, setting.policy), tables, "on").drop("on")
        for check in STANDARDS
    ]
    return pl.concat([late, *standards]).unique()


def with_references(found: pl.DataFrame, references: dict[int, str]) -> pl.DataFrame:
    """Findings in the truth file's shape: the child's reference, not their id."""
    mapping = pl.DataFrame(
        {"child_id": list(references), "child": list(references.values())},
        schema={"child_id": pl.Int64, "child": pl.String},
    )
    return (
        found.join(mapping, on="child_id", how="left")
        .select("failure", "child", "record")
        .sort("failure", "child", "record", nulls_last=False)
    )


def compute_findings(tables, as_of: date) -> pl.DataFrame:
    """Findings with child ids (the rules' own output)."""
    setting = Setting.from_tables(tables, as_of)
    duties = compute_duties(tables, as_of, setting=setting)
    return findings_from(duties, tables, setting)
