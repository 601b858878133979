"""Time Harbour's indicators for the database in HARBOUR_DATABASE_URL (or HARBOUR_DATA_DIR's
SQLite file), for BENCHMARKS.md. `make bench` runs it on each county it makes.

    python tools/time_indicators.py AS_OF [RUNS] [--parts=123] [--json]

Prints the machine, then:

1. In-process, what `harbour indicators --as-of AS_OF --period year` works out (as
   compute_with_trend does, with the children behind each figure): every indicator for the
   year ending AS_OF, each one's trend (12 months and 5 collection years) and the Department's
   published comparators, from reading the database to the last figure. The median of RUNS
   (default 5) after a warm-up, wall time and CPU time (user + system of this process's
   threads and of the process that reads a SQLite file; a PostgreSQL server's own work is not
   in it), with the parts.
2. The whole command, `harbour indicators --as-of AS_OF --period year`, with its start-up and
   its JSON: the median of 3, wall and CPU time, peak memory.
3. Every indicator on its own against a hand-written DuckDB query for the same figure over the
   same rows (harbour/insight/tests/indicator_sql.py: the queries the tests hold Harbour to,
   here over the frames Harbour read, handed to DuckDB as Arrow). Harbour's time includes
   working out what the figure needs from the tables (a fresh Inputs each call, the duties
   given); DuckDB's is the whole query. Both must give the same numerator and denominator, or
   this stops. Each is timed over batches of calls, in turns with the other.

On a busy machine wall times are inflated; CPU times much less so. `--parts` picks sections;
`--json` adds one last line with the figures as JSON (for tools/bench.py).
"""

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")
django.setup()

import duckdb  # noqa: E402
import polars as pl  # noqa: E402
from django.db import connection  # noqa: E402

from harbour.insight.comparators import comparators_from_db  # noqa: E402
from harbour.insight.indicators import definitions  # noqa: E402
from harbour.insight.indicators.compute import compute, figure, trend  # noqa: E402
from harbour.insight.indicators.inputs import Inputs  # noqa: E402
from harbour.insight.indicators.periods import period_ending  # noqa: E402
from harbour.insight.tests.indicator_sql import every_indicator  # noqa: E402
from harbour.timescales.sources import VISIT_KINDS  # noqa: E402

HARBOUR = str(Path(sys.executable).parent / "harbour")


def clocks() -> tuple[float, float]:
    """Wall seconds, and CPU seconds of this process's threads and its waited-for children."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    return time.perf_counter(), cpu


def machine() -> str:
    model = "unknown CPU"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as meminfo:
        ram = int(meminfo.readline().split()[1]) / 1024 / 1024
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{platform.node()}: {os.cpu_count()} cores, {model}, {ram:.0f} GiB RAM; Python "
        f"{platform.python_version()}, Polars {pl.__version__}, DuckDB {duckdb.__version__}; "
        f"{connection.vendor}; {date.today()}; load average {load}"
    )


def median(values: list[float]) -> float:
    return statistics.median(values)


# ----- 1. everything, in-process ----------------------------------------------------------------


def whole(as_of: date, runs: int) -> dict:
    parts = ("read", "duties", "year", "trend", "published")
    wall: dict[str, list[float]] = {p: [] for p in parts}
    cpu: dict[str, list[float]] = {p: [] for p in parts}
    totals, cpu_totals = [], []
    for n in range(runs + 1):
        marks = [clocks()]
        inputs = Inputs.read(as_of)
        marks.append(clocks())
        inputs.duties  # noqa: B018 (worked out here to time it apart)
        marks.append(clocks())
        figures = compute(as_of, "year", inputs=inputs)
        marks.append(clocks())
        trend(as_of, inputs=inputs)
        marks.append(clocks())
        values = {f.id: f.value for f in figures if f.value is not None}
        published = comparators_from_db([f.id for f in figures], values=values)
        marks.append(clocks())
        if n == 0:
            continue  # warm-up
        for name, start, end in zip(parts, marks, marks[1:], strict=False):
            wall[name].append(end[0] - start[0])
            cpu[name].append(end[1] - start[1])
        totals.append(marks[-1][0] - marks[0][0])
        cpu_totals.append(marks[-1][1] - marks[0][1])
    print(
        f"\n1. in-process: all {len(figures)} indicators for the year ending {as_of}, their "
        f"trend and published comparators ({len(published)} indicators have them); "
        f"{inputs.duties.height:,} duties. Median of {runs}:"
    )
    print(
        f"  {'total':10} {median(totals):6.2f} s wall (min {min(totals):.2f}, max "
        f"{max(totals):.2f}), {median(cpu_totals):6.2f} s CPU"
    )
    for name in parts:
        print(f"  {name:10} {median(wall[name]):6.3f} s wall, {median(cpu[name]):6.3f} s CPU")
    return {
        "wall": median(totals),
        "cpu": median(cpu_totals),
        "parts": {name: [median(wall[name]), median(cpu[name])] for name in parts},
        "duties": inputs.duties.height,
    }


# ----- 2. the whole command ---------------------------------------------------------------------


def command(as_of: date, runs: int = 3) -> dict:
    args = [HARBOUR, "indicators", "--as-of", as_of.isoformat(), "--period", "year"]
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        if status:
            sys.exit(f"{' '.join(args)} failed ({status})")
        walls.append(time.perf_counter() - started)
        cpus.append(usage.ru_utime + usage.ru_stime)
        peaks.append(usage.ru_maxrss / 1024)
    print(
        f"\n2. `harbour indicators --as-of {as_of} --period year`, whole command, median of "
        f"{runs}: {median(walls):.2f} s wall (min {min(walls):.2f}), {median(cpus):.2f} s CPU, "
        f"peak {max(peaks):.0f} MiB"
    )
    return {"wall": median(walls), "cpu": median(cpus), "peak_mib": max(peaks)}


# ----- 3. each indicator against DuckDB ----------------------------------------------------------


def raw_frames(inputs: Inputs) -> dict[str, pl.DataFrame]:
    """The rows Harbour read, shaped as the independent SQL's tables (indicator_sql.py)."""
    tables = inputs.tables
    kinds = {code: kind for kind, code in VISIT_KINDS.items()}
    return {
        "referral": tables["referrals"].select(
            "id", "child_id", "received_on", "closed_on", "no_further_action"
        ),
        "assessment": tables["assessments"].select("id", "child_id", "authorised_on"),
        "enquiry": tables["enquiry_starts"],
        "conference": tables["conferences"].select(
            "id", "kind", "section_47_enquiry_id", "held_on"
        ),
        "cp_plan": tables["plan_history"],
        "visit": tables["visits"].select(
            "id",
            "child_id",
            pl.col("kind").replace_strict(kinds, default="other", return_dtype=pl.String),
            "visited_on",
            "child_seen",
            "seen_alone",
        ),
        "child": tables["children"],
        "period_of_care": tables["periods"],
        "legal_status": tables["legal_statuses"],
        "placement": tables["placements"],
        "allocation": tables["allocations"].select("child_id", "worker_id", "starts_on", "ends_on"),
        "staff": tables["staff"]
        .join(tables["social_workers"].select("id", "agency_worker"), on="id", how="left")
        .select(
            "id",
            "role",
            pl.col("qualified").cast(pl.Boolean),
            # Only whether there is one: the figures read no more of it.
            registration_number=pl.when(pl.col("registered") == 1)
            .then(pl.lit("SW"))
            .otherwise(pl.lit("")),
            agency_worker=pl.col("agency_worker").fill_null(False),
            starts_on="starts_on",
            ends_on="ends_on",
        ),
        "social_worker_allocation": tables["social_worker_allocations"],
        "health_assessment": tables["health_records"],
        "population": tables["population"],
        "contact": tables["contacts"].select("id", "child_id", "received_at"),
        "care_leaver_contact": tables["care_leaver_contacts"],
        "duties": inputs.duties.with_columns(pl.col("rule", "status", "failure").cast(pl.String)),
    }


def batch_size(work, at_least: float = 0.02) -> int:
    """How many calls of `work` take at least `at_least` seconds (so that a call of a
    millisecond is timed over many, not at the clock's and the scheduler's mercy)."""
    count = 1
    while True:
        started = time.perf_counter()
        for _ in range(count):
            work()
        if time.perf_counter() - started >= at_least or count >= 1000:
            return count
        count *= 2


def timed_pair(first, second, runs: int) -> tuple[list[float], list[float]]:
    """Median wall and CPU seconds a call of each of two pieces of work, timed in turns (so a
    busy moment on the machine falls on both alike): `runs` batches of each."""
    sizes = [batch_size(first), batch_size(second)]
    times: list[list[list[float]]] = [[[], []], [[], []]]
    for _ in range(runs):
        for n, work in enumerate((first, second)):
            start = clocks()
            for _ in range(sizes[n]):
                work()
            end = clocks()
            times[n][0].append((end[0] - start[0]) / sizes[n])
            times[n][1].append((end[1] - start[1]) / sizes[n])
    return [median(times[0][0]), median(times[0][1])], [median(times[1][0]), median(times[1][1])]


def against_duckdb(as_of: date, runs: int) -> dict:
    inputs = Inputs.read(as_of)
    tables, duties = inputs.tables, inputs.duties
    period = period_ending(as_of, "year")
    queries = every_indicator(period.start, period.end)
    db = duckdb.connect()
    for name, frame in raw_frames(inputs).items():
        db.register(name, frame.to_arrow())
    (threads,) = db.execute("SELECT current_setting('threads')").fetchone()
    print(
        f"\n3. each indicator on its own, the year ending {as_of}, against hand-written DuckDB "
        f"SQL over the same rows ({threads} DuckDB threads). Median of {runs} batches, each "
        "of 20 ms or more, timed in turns; ms a call, wall (CPU). Harbour's figure as the "
        "command gives it (numerator and denominator; `with ids`: also the children behind "
        "them, as --ids gives)."
    )
    print(
        f"  {'indicator':40} {'Harbour':>14} {'DuckDB':>14} {'ratio':>6} {'CPU ratio':>9} "
        f"{'with ids':>8}"
    )
    found = {}
    for definition in definitions():
        sql = queries[definition.id]

        def harbour(definition=definition, ids=False):
            return figure(definition, Inputs(as_of, tables, duties), period, ids=ids)

        def duck(sql=sql):
            return db.execute(sql).fetchone()

        result, row = harbour(), duck()
        if (result.numerator, result.denominator) != tuple(row):
            sys.exit(
                f"{definition.id}: Harbour {result.numerator}/{result.denominator}, DuckDB {row}"
            )
        mine, theirs = timed_pair(harbour, duck, runs)
        with_ids, _ = timed_pair(lambda h=harbour: h(ids=True), lambda: None, max(1, runs // 2))
        ratio, cpu_ratio = mine[0] / theirs[0], mine[1] / max(theirs[1], 1e-9)
        found[definition.id] = {
            "harbour": mine,
            "duckdb": theirs,
            "ratio": ratio,
            "cpu_ratio": cpu_ratio,
            "with_ids": with_ids,
            "figure": [result.numerator, result.denominator],
        }
        print(
            f"  {definition.id:40} {mine[0] * 1000:6.1f} ({mine[1] * 1000:5.1f}) "
            f"{theirs[0] * 1000:6.1f} ({theirs[1] * 1000:5.1f}) {ratio:5.2f}x {cpu_ratio:8.2f}x "
            f"{with_ids[0] * 1000:7.1f}"
        )
    ratios = [f["ratio"] for f in found.values()]
    worst = max(found, key=lambda i: found[i]["ratio"])
    print(
        f"  all {len(found)} give DuckDB's numbers; ratio Harbour/DuckDB {min(ratios):.2f} to "
        f"{max(ratios):.2f} (median {median(ratios):.2f}; highest {worst}); "
        f"{sum(r > 3 for r in ratios)} over 3"
    )
    return found


def main() -> None:
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    as_of = date.fromisoformat(arguments[0])
    runs = int(arguments[1]) if len(arguments) > 1 else 5
    print(machine())
    summary = {"machine": machine(), "as_of": as_of.isoformat()}
    parts = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--parts=")), "123")
    if "1" in parts:
        summary["in_process"] = whole(as_of, runs)
    if "2" in parts:
        summary["command"] = command(as_of)
    if "3" in parts:
        summary["indicators"] = against_duckdb(as_of, runs)
    if "--json" in sys.argv:
        print(json.dumps(summary))


if __name__ == "__main__":
    main()
