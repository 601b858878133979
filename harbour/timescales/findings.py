"""Findings: every practice failure Harbour can see, in the truth file's shape."""

from datetime import date

import polars as pl

from harbour.timescales.engine import FAILED, Setting, compute_duties
from harbour.timescales.standards import STANDARDS


def findings_from(duties: pl.DataFrame, tables, setting: Setting) -> pl.DataFrame:
    late = duties.filter(pl.col("status").is_in(FAILED)).select(
        failure="failure",
        child_id="child_id",
        record=pl.when(pl.col("record_kind") == "scope")
        .then(pl.col("scope_record"))
        .when(pl.col("status") == "done_late")
        .then(pl.col("completion_record"))
        .otherwise(pl.col("trigger_record")),
    )
    found = [late] + [check(tables, setting.as_of, setting.policy) for check in STANDARDS]
    references = tables["children"].select(child_id="id", child="reference")
    return (
        pl.concat(found)
        .join(references, on="child_id", how="left")
        .select("failure", "child", "record")
        .unique()
        .sort("failure", "child", "record", nulls_last=False)
    )


def compute_findings(tables, as_of: date) -> pl.DataFrame:
    setting = Setting.from_tables(tables, as_of)
    duties = compute_duties(tables, as_of, setting=setting)
    return findings_from(duties, tables, setting)
