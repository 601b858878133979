"""Time Harbour's indicators for the database in HARBOUR_DATABASE_URL, in-process, for
BENCHMARKS.md.

    python tools/time_indicators.py AS_OF [RUNS]

First every indicator for the year ending AS_OF and the trend (12 months, 5 collection years),
from reading the database to the figures, as `harbour indicators` does: the median of RUNS
(default 5) after a warm-up, with the parts (reading, duties, the year's figures with the
children behind them, the trend). Then a few indicators on their own against a hand-written
DuckDB query for the same figure over the same rows (the frames Harbour read, handed to
DuckDB as Arrow): Harbour's time includes working out what the figure needs from the tables
(a fresh Inputs each run), DuckDB's the whole query; both give the same numbers or this stops.
"""

import os
import statistics
import sys
import time
from datetime import date

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")
django.setup()

import duckdb  # noqa: E402
import polars as pl  # noqa: E402

from harbour.insight.indicators.compute import compute, figure, trend  # noqa: E402
from harbour.insight.indicators.definitions import by_id  # noqa: E402
from harbour.insight.indicators.inputs import Inputs, read  # noqa: E402
from harbour.insight.indicators.periods import period_ending  # noqa: E402


def median_time(work, runs: int) -> tuple[float, object]:
    result = work()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def whole(as_of: date, runs: int) -> None:
    parts: dict[str, list[float]] = {"read": [], "duties": [], "year": [], "trend": []}
    totals = []
    for n in range(runs + 1):
        marks = [time.perf_counter()]
        inputs = Inputs(as_of, read())
        marks.append(time.perf_counter())
        inputs.duties  # noqa: B018 (worked out here to time it apart)
        marks.append(time.perf_counter())
        figures = compute(as_of, "year", inputs=inputs)
        marks.append(time.perf_counter())
        trend(as_of, inputs=inputs)
        marks.append(time.perf_counter())
        if n == 0:
            continue  # warm-up
        for name, start, end in zip(parts, marks, marks[1:], strict=False):
            parts[name].append(end - start)
        totals.append(marks[-1] - marks[0])
    print(
        f"all {len(figures)} indicators for the year ending {as_of} and their trend: "
        f"median {statistics.median(totals):.2f} s of {runs} "
        f"(min {min(totals):.2f}, max {max(totals):.2f})"
    )
    for name, times in parts.items():
        print(f"  {name:7} {statistics.median(times):.3f} s")
    print(f"  duties: {inputs.duties.height:,} rows")


def against_duckdb(as_of: date, runs: int) -> None:
    tables = read()
    duties = Inputs(as_of, tables).duties
    period = period_ending(as_of, "year")
    start, end = period.start.isoformat(), period.end.isoformat()
    within = f"BETWEEN DATE '{start}' AND DATE '{end}'"
    on = f"DATE '{end}'"
    frames = {
        "referrals": tables["referrals"],
        "plans": tables["plan_history"],
        "periods": tables["periods"],
        "legal": tables["legal_statuses"],
        "placements": tables["placements"],
        "allocations": tables["allocations"],
        "staff": tables["staff"],
        "duties": duties.with_columns(pl.col("rule", "status", "failure").cast(pl.String)),
    }
    looked_after = f"""
        SELECT p.child_id FROM periods p
        LEFT JOIN LATERAL (SELECT code FROM legal l WHERE l.period_id = p.id
            AND l.starts_on <= {on} ORDER BY l.starts_on DESC LIMIT 1) s ON TRUE
        WHERE p.starts_on <= {on} AND (p.ends_on IS NULL OR p.ends_on > {on})
        AND (s.code IS NULL OR s.code NOT IN ('V3', 'V4'))"""
    queries = {
        "referrals": f"SELECT count(*), NULL FROM referrals WHERE received_on {within}",
        "re_referrals_within_12m_pct": f"""
            WITH r AS (SELECT child_id, received_on, lag(received_on) OVER (
                PARTITION BY child_id ORDER BY received_on) AS before FROM (
                SELECT DISTINCT child_id, received_on FROM referrals))
            SELECT count(*) FILTER (WHERE x.before >=
                CAST(x.received_on - INTERVAL 12 MONTH AS DATE)), count(*)
            FROM referrals f JOIN r x USING (child_id, received_on)
            WHERE f.received_on {within}""",
        "cin": f"""SELECT count(DISTINCT child_id), NULL FROM referrals
            WHERE received_on <= {on} AND NOT no_further_action
            AND (closed_on IS NULL OR closed_on > {on})""",
        "cp_second_or_subsequent_pct": f"""
            WITH p AS (SELECT *, coalesce(previous_plans_recorded, rank() OVER (
                PARTITION BY child_id ORDER BY starts_on) - 1) AS previous FROM plans)
            SELECT count(*) FILTER (WHERE previous >= 1), count(*) FROM p
            WHERE starts_on {within}""",
        "cla_three_or_more_placements_pct": f"""
            WITH cla AS (SELECT DISTINCT child_id FROM ({looked_after})),
            counted AS (SELECT cla.child_id, count(p.child_id) AS n FROM cla
                LEFT JOIN placements p ON p.child_id = cla.child_id AND p.starts_on <= {on}
                AND (p.ends_on IS NULL OR p.ends_on >= DATE '{start}')
                AND p.placement_type NOT IN ('T0', 'T1', 'T2', 'T3', 'T4')
                GROUP BY cla.child_id)
            SELECT count(*) FILTER (WHERE n >= 3), count(*) FROM counted""",
        "contact_decisions_within_1wd_pct": f"""
            SELECT count(*) FILTER (WHERE status = 'done_on_time'), count(*) FROM duties
            WHERE rule = 'contact_decision' AND due {within}
            AND status IN ('done_on_time', 'done_late', 'overdue')""",
        "cp_children_seen_in_time_pct": f"""
            SELECT count(*) FILTER (WHERE late = 0), count(*) FROM (
                SELECT child_id, count(*) FILTER (WHERE status <> 'done_on_time') AS late
                FROM duties WHERE rule = 'child_protection_visit' AND due {within}
                AND status IN ('done_on_time', 'done_late', 'overdue') GROUP BY child_id)""",
        "caseload_mean": f"""
            SELECT sum(cases), count(*) FROM (
                SELECT a.worker_id, count(DISTINCT a.child_id) AS cases FROM allocations a
                JOIN staff s ON s.id = a.worker_id
                WHERE s.role IN ('social_worker', 'senior_practitioner')
                AND a.starts_on <= {on} AND (a.ends_on IS NULL OR a.ends_on >= {on})
                GROUP BY a.worker_id)""",
    }
    db = duckdb.connect()
    for name, frame in frames.items():
        db.register(name, frame.to_arrow())
    print(f"\none indicator at a time, the year ending {as_of} (median of {runs}):")
    print(f"  {'indicator':40} {'Harbour':>9} {'DuckDB':>9} {'ratio':>6}")
    for indicator, sql in queries.items():
        definition = by_id()[indicator]

        def harbour(definition=definition):
            return figure(definition, Inputs(as_of, tables, duties), period)

        harbour_time, found = median_time(harbour, runs)
        duck_time, row = median_time(lambda sql=sql: db.execute(sql).fetchone(), runs)
        if (found.numerator, found.denominator) != tuple(row):
            sys.exit(f"{indicator}: Harbour {found.numerator}/{found.denominator}, DuckDB {row}")
        ratio = harbour_time / duck_time
        print(
            f"  {indicator:40} {harbour_time * 1000:7.1f}ms {duck_time * 1000:7.1f}ms {ratio:5.1f}x"
        )


if __name__ == "__main__":
    day = date.fromisoformat(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    whole(day, count)
    against_duckdb(day, count)
