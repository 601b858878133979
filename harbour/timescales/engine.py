"""Turning a county's records into duties: pure functions over the tables.

For each rule: its scopes and completing events (scopes.py) become a chain of duties (or one,
for a rule that does not repeat); each duty's due date comes from the edition of the rule in
force on the day it was triggered, the authority's policy on that day and the right calendar;
its status from what was done by when, as of a date.
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl

from harbour.authority.policy import PolicyBook
from harbour.timescales import scopes as scope_builders
from harbour.timescales.calendar import EPOCH, DayCalendar, school_days, working_days
from harbour.timescales.rulebook import Rule, Rulebook, rulebook

LONDON = ZoneInfo("Europe/London")
DUE_SOON_WORKING_DAYS = 5

STATUSES = ("overdue", "due_soon", "not_yet_due", "done_late", "done_on_time", "no_longer_needed")
FAILED = ("overdue", "done_late")
# Up to this many rows in all the tables, the rules run one after another.
SMALL_ROWS = 50_000


@dataclass
class Setting:
    """Everything a duty is judged against besides the records."""

    as_of: date
    policy: PolicyBook
    rules: Rulebook
    working: DayCalendar
    school: DayCalendar

    @classmethod
    def from_tables(cls, tables: dict[str, pl.DataFrame], as_of: date) -> "Setting":
        overrides = [
            (row["name"], row["applies_from"], _json(row["value"]))
            for row in tables["policy"].iter_rows(named=True)
        ]
        terms = tables["terms"].iter_rows()
        return cls(as_of, PolicyBook(overrides), rulebook(), working_days(), school_days(terms))


def _json(value):
    import json

    return json.loads(value) if isinstance(value, str) else value


# ----- building the chain of duties -------------------------------------------------------


def _scopes(rule: Rule, tables, setting: Setting) -> pl.DataFrame:
    build = scope_builders.SCOPES[rule.scope]
    frame = (
        build(tables, setting.policy)
        if rule.scope in scope_builders.NEEDS_POLICY
        else (build(tables))
    )
    frame = frame.filter(pl.col("start").is_not_null())
    is_moment = frame.schema["start"] != pl.Date
    as_of_end = _end_of(setting.as_of)
    latest = as_of_end if is_moment else setting.as_of
    frame = frame.filter(pl.col("start") <= latest)
    if is_moment:
        frame = frame.with_columns(
            pl.when(pl.col("end") <= as_of_end).then(pl.col("end")).otherwise(None).alias("end")
        )
    else:
        frame = frame.with_columns(
            pl.when(pl.col("end") <= setting.as_of + timedelta(days=1))
            .then(pl.col("end"))
            .otherwise(None)
            .alias("end")
        )
    if rule.min_age is not None:
        years = f"{int(rule.min_age * 12)}mo"
        frame = frame.filter(pl.col("start") >= pl.col("date_of_birth").dt.offset_by(years))
    return frame


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=LONDON).astimezone(
        ZoneInfo("UTC")
    )


def _chain(rule: Rule, scopes: pl.DataFrame, events: pl.DataFrame, setting: Setting):
    """One row per duty: its trigger (and the trigger's record) and what completed it."""
    latest = _end_of(setting.as_of) if events.schema["on"] != pl.Date else setting.as_of
    events = events.filter(pl.col("on") <= latest)
    base = scopes.select("scope_id", "start", "end", "record")
    if not rule.repeats:
        # What completes a one-off duty may come before its trigger (reports shared before a
        # conference) but not after its scope has ended (an allocation in a later episode).
        if base["end"].null_count() < base.height:  # some scopes end (else none to check)
            events = (
                events.join(base.select("scope_id", "end"), on="scope_id")
                .filter(pl.col("end").is_null() | (pl.col("on") <= pl.col("end")))
                .drop("end")
            )
        # Each scope's first event (by day, then record): most scopes have one at most.
        if events["scope_id"].n_unique() < events.height:
            events = events.sort("on", "record").group_by("scope_id", maintain_order=True).first()
        first = events.rename({"on": "completed", "record": "completion_record"})
        return base.join(first, on="scope_id", how="left").select(
            "scope_id",
            k=pl.lit(0, pl.Int32),
            trigger=pl.col("start"),
            trigger_record=pl.col("record"),
            completed=pl.col("completed"),
            completion_record=pl.col("completion_record"),
        )
    within = (
        base.join(events, on="scope_id", suffix="_event")
        .filter(
            (pl.col("on") >= pl.col("start"))
            & (pl.col("end").is_null() | (pl.col("on") < pl.col("end")))
        )
        .sort("scope_id", "on", "record_event")
    )
    done = within.select(
        "scope_id",
        k=pl.int_range(pl.len(), dtype=pl.Int32).over("scope_id"),
        trigger=pl.col("on").shift(1).over("scope_id").fill_null(pl.col("start")),
        trigger_record=pl.col("record_event").shift(1).over("scope_id").fill_null(pl.col("record")),
        completed=pl.col("on"),
        completion_record=pl.col("record_event"),
    )
    last = within.group_by("scope_id").agg(
        k=pl.len().cast(pl.Int32),
        last_on=pl.col("on").last(),
        last_record=pl.col("record_event").last(),
    )
    open_duty = base.join(last, on="scope_id", how="left").select(
        "scope_id",
        k=pl.col("k").fill_null(0),
        trigger=pl.col("last_on").fill_null(pl.col("start")),
        trigger_record=pl.col("last_record").fill_null(pl.col("record")),
        completed=pl.lit(None, done.schema["completed"]),
        completion_record=pl.lit(None, pl.Int64),
    )
    return pl.concat([done, open_duty])


# ----- due dates ------------------------------------------------------------------------


def _days(series: pl.Series) -> np.ndarray:
    return series.cast(pl.Int32).to_numpy()


def _policy_amounts(name: str, days: pl.Series, policy: PolicyBook) -> np.ndarray:
    """The policy's value on each trigger day (policies change from dated overrides)."""
    changes = policy.changes(name)
    values = np.full(len(days), changes[0][1], dtype=np.int64)
    day_numbers = _days(days)
    for applies_from, value in changes[1:]:
        values[day_numbers >= (applies_from - EPOCH).days] = value
    return values


def _due(interval, trigger: pl.Series, before: bool, setting: Setting, rows=None) -> pl.Series:
    if interval.clock == "recorded":
        return rows[interval.policy]
    trigger_day = trigger if trigger.dtype == pl.Date else _local_dates(trigger)
    if interval.policy:
        amounts = _policy_amounts(interval.policy, trigger_day, setting.policy)
    else:
        amounts = np.full(len(trigger), interval.amount, dtype=np.int64)
    if before:
        amounts = -amounts
    clock = interval.clock
    if clock == "hours":
        return trigger + pl.Series(amounts * 3_600_000_000).cast(pl.Duration("us"))
    if clock in ("working_days", "school_days"):
        calendar = setting.working if clock == "working_days" else setting.school
        days = _days(trigger)
        return pl.Series(calendar.add_array(days, amounts)).cast(pl.Int32).cast(pl.Date)
    if clock in ("calendar_days", "weeks"):
        step = 7 if clock == "weeks" else 1
        return (pl.Series(_days(trigger) + amounts * step)).cast(pl.Int32).cast(pl.Date)
    months = pl.Series(amounts).cast(pl.String) + "mo"
    return pl.DataFrame({"t": trigger, "m": months}).select(pl.col("t").dt.offset_by(pl.col("m")))[
        "t"
    ]


def _local_dates(moments: pl.Series) -> pl.Series:
    return moments.dt.convert_time_zone(str(LONDON)).dt.date()


def _groups(frame: pl.DataFrame, column: str):
    """(value, rows) for each value of the column: the whole frame where there is one (most
    rules' duties all fall under one edition and one step)."""
    values = frame[column].unique()
    if len(values) == 1:
        return [(values[0], frame)]
    return [(value, rows) for (value,), rows in frame.group_by(column)]


def _with_due(rule_name: str, duties: pl.DataFrame, scopes: pl.DataFrame, setting: Setting):
    """Due dates by the edition in force on each trigger day; duties the edition does not
    know are dropped (an initial assessment after 2013, say)."""
    starts, editions = setting.rules.timeline(rule_name)
    trigger_day = (
        duties["trigger"]
        if duties.schema["trigger"] == pl.Date
        else _local_dates(duties["trigger"])
    )
    index = (
        np.searchsorted(
            np.array([(d - EPOCH).days for d in starts]), _days(trigger_day), side="right"
        )
        - 1
    )
    duties = duties.with_columns(edition_index=pl.Series(index, dtype=pl.Int32))
    attributes = [
        c for c in scopes.columns if c not in ("start", "end", "record", "child_id", "staff_id")
    ]
    if len(attributes) > 1:  # the scope's own columns the variants read, besides scope_id
        duties = duties.join(scopes.select(attributes), on="scope_id", how="left")
    parts = []
    for edition_index, group in _groups(duties, "edition_index"):
        if edition_index < 0 or editions[edition_index] is None:
            continue
        rule = editions[edition_index]
        last_step = len(rule.steps) - 1
        group = group.with_columns(step=pl.min_horizontal(pl.col("k"), pl.lit(last_step)))
        for step_index, rows in _groups(group, "step"):
            step = rule.steps[step_index]
            due = _due(step.due, rows["trigger"], step.before, setting, rows)
            rows = rows.with_columns(due=due)
            for variant, interval in step.variants.items():
                applies = rows.select(scope_builders.VARIANTS[variant]().fill_null(False))
                alternative = _due(interval, rows["trigger"], step.before, setting, rows)
                rows = rows.with_columns(
                    due=pl.when(applies.to_series()).then(alternative).otherwise(pl.col("due"))
                )
            parts.append(
                rows.select(
                    "scope_id",
                    "trigger",
                    "trigger_record",
                    "completed",
                    "completion_record",
                    "due",
                    edition=pl.lit(rule.edition),
                    failure=pl.lit(step.failure),
                    record_kind=pl.lit(rule.record),
                )
            )
    return parts


# ----- status ---------------------------------------------------------------------------


def _status(frame: pl.DataFrame, setting: Setting) -> pl.DataFrame:
    moments = frame.schema["due"] != pl.Date
    as_of = _end_of(setting.as_of) if moments else setting.as_of
    soon = setting.working.add(setting.as_of, DUE_SOON_WORKING_DAYS)
    soon = _end_of(soon) if moments else soon
    return frame.with_columns(
        status=pl.when(pl.col("completed").is_not_null())
        .then(
            pl.when(pl.col("completed") <= pl.col("due"))
            .then(pl.lit("done_on_time"))
            .otherwise(pl.lit("done_late"))
        )
        .when(pl.col("end").is_not_null() & (pl.col("end") <= pl.col("due")))
        .then(pl.lit("no_longer_needed"))
        .when(pl.col("due") < as_of)
        .then(pl.lit("overdue"))
        .when(pl.col("due") <= soon)
        .then(pl.lit("due_soon"))
        .otherwise(pl.lit("not_yet_due"))
    )


def _prepare(rule_name: str, tables, setting: Setting, cache: dict):
    """The rule's scopes and completing events, built once and shared between rules. With no
    scopes there are no duties, so no events are looked for (`None`): a page's few children
    have no scope for most rules."""
    latest = setting.rules.latest(rule_name)
    key = ("scope", latest.scope, latest.min_age)
    if key not in cache:
        cache[key] = _scopes(latest, tables, setting)
    event_key = ("events", latest.completed_by, key)
    if event_key not in cache:
        cache[event_key] = (
            scope_builders.EVENTS[latest.completed_by](tables, cache[key])
            if cache[key].height
            else None
        )
    return latest, cache[key], cache[event_key]


def rule_duties(rule_name: str, tables, setting: Setting, cache: dict) -> pl.DataFrame | None:
    latest, scopes, events = _prepare(rule_name, tables, setting, cache)
    if events is None:  # no scope, no duty
        return None
    chain = _chain(latest, scopes, events, setting)
    parts = _with_due(rule_name, chain, scopes, setting)
    if not parts:
        return None
    frame = pl.concat(parts).join(
        scopes.select("scope_id", "child_id", "staff_id", "end", scope_record="record"),
        on="scope_id",
    )
    frame = _status(frame, setting)
    day = (
        (lambda c: pl.col(c))
        if frame.schema["due"] == pl.Date
        else (lambda c: pl.col(c).dt.convert_time_zone(str(LONDON)).dt.date())
    )
    kinds = setting.rules.enums()
    return frame.select(
        rule=pl.lit(rule_name).cast(kinds["rule"]),
        edition=pl.col("edition").cast(kinds["edition"]),
        failure=pl.col("failure").cast(kinds["failure"]),
        record_kind=pl.col("record_kind").cast(kinds["record_kind"]),
        child_id="child_id",
        staff_id="staff_id",
        scope_record="scope_record",
        trigger=day("trigger"),
        due=day("due"),
        completed=day("completed"),
        status=pl.col("status").cast(pl.Enum(STATUSES)),
        trigger_record="trigger_record",
        completion_record="completion_record",
    )


def compute_duties(
    tables,
    as_of: date,
    rule_names=None,
    setting: Setting | None = None,
    responsible: bool = True,
):
    """Every duty of every rule (or of the rules named), as of a day, with who holds it
    (`worker_id`, `team_id`; left out with responsible=False, for readers that only count
    duties)."""
    setting = setting or Setting.from_tables(tables, as_of)
    names = list(rule_names or setting.rules.names)
    cache: dict = {}
    for name in names:  # scopes and events first: rules share them
        _prepare(name, tables, setting, cache)
    # Rules then run side by side: Polars does its work outside Python's lock. A page's few
    # rows are all Python's work, and threads would only wait on each other for its lock.
    if _rows(tables) < SMALL_ROWS:
        results = [rule_duties(n, tables, setting, cache) for n in names]
    else:
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(lambda n: rule_duties(n, tables, setting, cache), names))
    frames = [f for f in results if f is not None]
    duties = judgeable(pl.concat(frames) if frames else _empty(setting), tables, "due")
    return _responsible(duties, tables, as_of) if responsible else duties


def _rows(tables) -> int:
    """How many rows the tables hold (a mapping of frames; anything else counts as large)."""
    if not isinstance(tables, dict):
        return SMALL_ROWS
    return sum(frame.height for frame in tables.values() if isinstance(frame, pl.DataFrame))


# Failures the statutory returns can show (their dates are in the census and the SSDA903).
SHOWN_BY_RETURNS = ("assessment_over_timescale", "late_icpc", "closed_then_rereferred")


def judgeable(frame: pl.DataFrame, tables, on: str) -> pl.DataFrame:
    """Leave out what cannot be judged: for a child loaded from returns, a duty or standard the
    returns cannot show, dated before Harbour began holding the child's casework."""
    known = tables.get("casework_from") if hasattr(tables, "get") else None
    if known is None or known.is_empty():
        return frame
    unknown = (
        ~pl.col("failure").cast(pl.String).is_in(SHOWN_BY_RETURNS)
        & pl.col("casework_from").is_not_null()
        & (pl.col(on) < pl.col("casework_from"))
    )
    return frame.join(known, on="child_id", how="left").filter(~unknown).drop("casework_from")


def _empty(setting: Setting) -> pl.DataFrame:
    kinds = setting.rules.enums()
    return pl.DataFrame(
        schema={
            "rule": kinds["rule"],
            "edition": kinds["edition"],
            "failure": kinds["failure"],
            "record_kind": kinds["record_kind"],
            "child_id": pl.Int64,
            "staff_id": pl.Int64,
            "scope_record": pl.Int64,
            "trigger": pl.Date,
            "due": pl.Date,
            "completed": pl.Date,
            "status": pl.Enum(STATUSES),
            "trigger_record": pl.Int64,
            "completion_record": pl.Int64,
        }
    )


def _responsible(duties: pl.DataFrame, tables, as_of: date) -> pl.DataFrame:
    """Who holds each duty: the child's allocated worker on the due day (today, for a duty
    still to come), or for a worker's own supervision, their team's manager."""
    # An open duty is the current holder's to do; a finished one was whoever held it when due.
    on = (
        pl.when(pl.col("status").is_in(["overdue", "due_soon", "not_yet_due"]))
        .then(pl.lit(as_of))
        .otherwise(pl.min_horizontal("due", pl.lit(as_of)))
    )
    # One sorted integer key (child, day) lets a single as-of join find each child's holder.
    key = pl.col("child_id") * 100_000 + on.cast(pl.Int64)
    allocations = (
        tables["allocations"]
        .select(
            "worker_id",
            "team_id",
            "ends_on",
            held_child="child_id",
            key=pl.col("child_id") * 100_000 + pl.col("starts_on").cast(pl.Int64),
        )
        .sort("key")
    )
    for_children = (
        duties.filter(pl.col("child_id").is_not_null())
        .with_columns(key=key, on=on)
        .sort("key")
        .join_asof(allocations, on="key")
        .with_columns(
            # The nearest allocation before may be another child's (the one before in the
            # key's order, where this child had none yet on the day): then no one held it.
            held=(pl.col("held_child") == pl.col("child_id"))
            & (pl.col("ends_on").is_null() | (pl.col("ends_on") >= pl.col("on"))),
        )
        .with_columns(
            worker_id=pl.when("held").then("worker_id"),
            team_id=pl.when("held").then("team_id"),
        )
        .drop("key", "on", "ends_on", "held", "held_child")
    )
    staff = tables["staff"]
    managers = staff.filter(pl.col("role") == "team_manager").select(
        "team_id", worker_id="id", m_starts="starts_on", m_ends="ends_on"
    )
    for_staff = (
        duties.filter(pl.col("staff_id").is_not_null())
        .with_row_index("duty")
        .with_columns(on=on)
        .join(staff.select(staff_id="id", team_id="team_id"), on="staff_id", how="left")
        .join(managers, on="team_id", how="left")
        .with_columns(
            worker_id=pl.when(
                (pl.col("m_starts") <= pl.col("on"))
                & (pl.col("m_ends").is_null() | (pl.col("m_ends") >= pl.col("on")))
            ).then("worker_id")
        )
        .sort("duty", "worker_id", nulls_last=True)
        .unique("duty", keep="first", maintain_order=True)
        .drop("duty", "on", "m_starts", "m_ends")
    )
    return pl.concat([for_children, for_staff.select(for_children.columns)])
