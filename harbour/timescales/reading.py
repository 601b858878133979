"""Duties and findings straight from the database: the entry point for commands and pages."""

from datetime import date

import polars as pl

from harbour.timescales.engine import Setting, compute_duties
from harbour.timescales.findings import findings_from, with_references
from harbour.timescales.sources import read_tables, references


def duties_and_findings(as_of: date, using: str = "default"):
    tables = read_tables(using=using)
    setting = Setting.from_tables(tables, as_of)
    duties = compute_duties(tables, as_of, setting=setting)
    return tables, duties, findings_from(duties, tables, setting)


def findings_in_database(as_of: date, using: str = "default") -> pl.DataFrame:
    _, _, found = duties_and_findings(as_of, using)
    return with_references(found, references(found["child_id"], using))


def readable_duties(duties: pl.DataFrame, tables, using: str = "default") -> pl.DataFrame:
    """Duties with children's references and the names of who holds them, for people."""
    children = references(duties["child_id"], using)
    staff = tables["staff"].select(
        worker_id="id", worker=pl.col("forename") + " " + pl.col("surname")
    )
    teams = tables["teams"].select(team_id="id", team="name")
    child_refs = pl.DataFrame(
        {"child_id": list(children), "child": list(children.values())},
        schema={"child_id": pl.Int64, "child": pl.String},
    )
    return (
        duties.join(child_refs, on="child_id", how="left")
        .join(staff, on="worker_id", how="left")
        .join(teams, on="team_id", how="left")
        .select(
            kind=pl.col("rule").cast(pl.String),
            child="child",
            staff=pl.col("staff_id"),
            trigger="trigger",
            due="due",
            completed="completed",
            status=pl.col("status").cast(pl.String),
            worker="worker",
            team="team",
            rule=pl.col("rule").cast(pl.String),
            edition=pl.col("edition").cast(pl.String),
            failure=pl.col("failure").cast(pl.String),
            trigger_record="trigger_record",
            completion_record="completion_record",
        )
        .sort("due", "kind", "child", nulls_last=True)
    )
