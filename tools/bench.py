"""Harbour's benchmarks: whole commands timed from outside, on SQLite and on PostgreSQL, and
the indicators (tools/time_indicators.py: in-process, as the whole command, and each against a
hand-written DuckDB query).

Prints Markdown tables to paste into BENCHMARKS.md. Usage: tools/bench.py [--sizes small,...];
`tools/bench.py concurrency` runs only the concurrency section (many people asking a web server
in several processes for the same new figures at once).
"""

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HARBOUR = str(Path(sys.executable).parent / "harbour")
POSTGRES = os.environ.get("HARBOUR_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
END = "2026-11-20"


def timed(args: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and peak memory (MiB) of one run."""
    started = time.monotonic()
    process = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        raise SystemExit(f"{' '.join(args)} failed ({status})")
    return time.monotonic() - started, usage.ru_maxrss / 1024


def fresh_database(kind: str, name: str, scratch: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "HARBOUR_DATABASE_URL"}
    env["HARBOUR_DATA_DIR"] = str(scratch)
    if kind == "sqlite":
        env["HARBOUR_DATABASE_URL"] = f"sqlite:///{scratch / (name + '.sqlite3')}"
    else:
        import psycopg

        with psycopg.connect(
            POSTGRES.replace("postgres://", "postgresql://") + "/postgres", autocommit=True
        ) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        env["HARBOUR_DATABASE_URL"] = f"{POSTGRES}/{name}"
    subprocess.run([HARBOUR, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    return env


def bench(sizes: list[str], years: int, databases: list[str], returns: bool) -> None:
    synth_rows, duty_rows, indicator_rows, ratio_tables, return_rows = [], [], [], {}, []
    with tempfile.TemporaryDirectory() as scratch:
        for database in databases:
            for size in sizes:
                env = fresh_database(database, f"harbour_bench_{size}", Path(scratch))
                synth = [HARBOUR, "synth", "--size", size, "--years", str(years)]
                seconds, peak = timed([*synth, "--seed", "1", "--end", END, "--quiet"], env)
                synth_rows.append(
                    f"| `harbour synth --size {size} --years {years}` | {database} | "
                    f"{seconds:.0f} s | {peak:.0f} MiB |"
                )
                print(synth_rows[-1], flush=True)
                duty_rows.append(bench_duties(f"{size}, {years} years", database, env))
                print(duty_rows[-1], flush=True)
                row, ratios = bench_indicators(f"{size}, {years} years", database, env)
                indicator_rows.append(row)
                ratio_tables[(size, database)] = ratios
                print(row, flush=True)
                if returns:
                    for row in bench_returns(size, database, env, Path(scratch)):
                        return_rows.append(row)
                        print(row, flush=True)
    print("\n| synthetic county | database | wall time | peak memory |")
    print("| --- | --- | --- | --- |")
    print("\n".join(synth_rows))
    print(
        "\n| county | database | duties | findings | in-process, median of 5 |"
        " `harbour findings`, whole command |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    print("\n".join(duty_rows))
    print(
        f"\n| county | database | all indicators for the year ending {INDICATORS_AS_OF}, trend "
        "and comparators: in-process, median of 5 | `harbour indicators`, whole command, "
        "median of 3 | within 3x of DuckDB |"
    )
    print("| --- | --- | --- | --- | --- |")
    print("\n".join(indicator_rows))
    print_ratios(ratio_tables)
    if return_rows:
        print("\n| county | database | step | wall time | peak memory |")
        print("| --- | --- | --- | --- | --- |")
        print("\n".join(return_rows))


def bench_returns(size: str, database: str, env: dict, scratch: Path) -> list[str]:
    """Export the 2025-26 CIN census and SSDA903 return; time the Department's validators on
    the same files; import both into an empty database."""
    out, year, rows = scratch / f"returns-{size}-{database}", "2026", []
    validators = str(ROOT / ".venv-validators" / "bin" / "python")
    runner = str(ROOT / "harbour" / "returns" / "dfe_validators.py")
    la = "E10000020"  # the synthetic county borrows Norfolk's codes
    census, tables = out / "cin-census-2025-26.xml", out / "ssda903-2025-26"
    steps = [
        (
            "export the CIN census",
            [HARBOUR, "returns", "cin", "--year", year, "--out", str(out), "--no-validate"],
        ),
        (
            "export the SSDA903 return",
            [HARBOUR, "returns", "903", "--year", year, "--out", str(out), "--no-validate"],
        ),
        ("Data to Insight's CIN validator", [validators, runner, "cin", str(census), year]),
        ("Data to Insight's SSDA903 validator", [validators, runner, "903", str(tables), year, la]),
    ]
    for step, args in steps:
        seconds, peak = timed(args, env)
        rows.append(f"| {size} | {database} | {step} | {seconds:.1f} s | {peak:.0f} MiB |")
    empty = fresh_database(database, f"harbour_bench_{size}_import", scratch)
    for step, paths in (
        ("import the CIN census", [census]),
        ("import the SSDA903 return", [tables]),
    ):
        seconds, peak = timed([HARBOUR, "import", "--quiet", *map(str, paths)], empty)
        rows.append(f"| {size} | {database} | {step} | {seconds:.1f} s | {peak:.0f} MiB |")
    return rows


def bench_duties(county: str, database: str, env: dict) -> str:
    """Duties and findings from the database: in-process (median of 5 after a warm-up), then
    the whole `harbour findings` command with its start-up."""
    printed = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "time_duties.py"), END, "6"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    runs = [line.split() for line in printed.splitlines() if line.strip()][1:]
    seconds = sorted(float(run[0]) for run in runs)[len(runs) // 2]
    command, peak = timed([HARBOUR, "findings", "--as-of", END], env)
    duties, findings = int(runs[0][1]), int(runs[0][2])
    return (
        f"| {county} | {database} | {duties:,} | {findings:,} | {seconds:.2f} s | "
        f"{command:.2f} s, {peak:.0f} MiB |"
    )


INDICATORS_AS_OF = "2026-03-31"  # the last whole collection year of the bench's county


def bench_indicators(county: str, database: str, env: dict) -> tuple[str, dict]:
    """Every indicator with its trend and the published comparators (loaded first), in-process
    and as the whole `harbour indicators` command, and each against a hand-written DuckDB query
    (tools/time_indicators.py)."""
    subprocess.run(
        [HARBOUR, "load_published"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL
    )
    printed = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "time_indicators.py"), INDICATORS_AS_OF, "5"]
        + ["--json"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = json.loads(printed.strip().splitlines()[-1])
    inside, command, ratios = found["in_process"], found["command"], found["indicators"]
    within = sum(r["ratio"] <= 3 for r in ratios.values())
    row = (
        f"| {county} | {database} | {inside['wall']:.2f} s ({inside['cpu']:.2f} s CPU) | "
        f"{command['wall']:.2f} s ({command['cpu']:.2f} s CPU), {command['peak_mib']:.0f} MiB | "
        f"{within} of {len(ratios)} (highest {max(r['ratio'] for r in ratios.values()):.2f}x) |"
    )
    return row, ratios


def print_ratios(tables: dict) -> None:
    """Each indicator's time against DuckDB's, for the largest county on each database."""
    largest: dict[str, tuple] = {}
    for size, database in tables:
        largest[database] = (size, database)  # sizes run smallest first
    if not largest:
        return
    keys = list(largest.values())
    heads = " | ".join(f"{size}, {database}: Harbour / DuckDB, ms" for size, database in keys)
    print(f"\n| indicator | {heads} |")
    print("| --- |" + " --- |" * len(keys))
    for indicator in tables[keys[0]]:
        cells = []
        for key in keys:
            r = tables[key][indicator]
            cells.append(
                f"{r['harbour'][0] * 1000:.1f} / {r['duckdb'][0] * 1000:.1f} = {r['ratio']:.2f}x"
            )
        print(f"| {indicator} | {' | '.join(cells)} |")


# ----- concurrency: one computation for many people asking at once ----------------------------

CONCURRENT = 20
WORKERS = 4
SIGN_IN_A_PARTNER = """
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from harbour.access.models import User
from harbour.access.roles import Role

partner = User.objects.create_user(
    username="bench_partner", external_role=Role.PARTNER_REFERRER, organisation="Police (synthetic)"
)
device = TOTPDevice.objects.create(user=partner, name="Bench", confirmed=True)
client = Client()
client.force_login(partner)
session = client.session
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session.save()
print(settings.SESSION_COOKIE_NAME + "=" + session.session_key)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, cookie: str) -> tuple[int, float]:
    started = time.monotonic()
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.monotonic() - started


def bench_concurrency(scratch: Path) -> list[str]:
    """A small county served by gunicorn in WORKERS processes on 127.0.0.1; one partner asks
    for the partnership view of a day no one has asked for, CONCURRENT times at once. The
    figures are worked out once (each computation logs a line, counted here) and every other
    request waits for them; then the same burst again, all from the shared cache."""
    env = fresh_database("sqlite", "harbour_bench_concurrency", scratch)
    end = date.fromisoformat(END)
    subprocess.run(
        [HARBOUR, "synth", "--size", "small", "--years", "2", "--seed", "1", "--end", END]
        + ["--quiet"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    subprocess.run([HARBOUR, "load_published"], env=env, cwd=ROOT, check=True, capture_output=True)
    signed_in = subprocess.run(
        [HARBOUR, "shell", "-c", SIGN_IN_A_PARTNER],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    cookie = signed_in.stdout.strip().splitlines()[-1]
    port, log = _free_port(), scratch / "gunicorn.log"
    served = env | {"HARBOUR_LOG_LEVEL": "INFO", "HARBOUR_ALLOWED_HOSTS": "127.0.0.1"}
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    with open(log, "w") as errors:
        server = subprocess.Popen(
            [gunicorn, "harbour.wsgi:application", "--workers", str(WORKERS)]
            + ["--bind", f"127.0.0.1:{port}", "--timeout", "300"],
            env=served,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):  # the workers up, each having loaded Harbour's pages once
            try:
                if all(_get(f"{base}/login/", "")[0] == 200 for _ in range(WORKERS * 2)):
                    break
            except OSError:
                pass
            time.sleep(0.1)
        new, other = (end - timedelta(days=d) for d in (40, 41))  # days no one asked for
        rows = []
        for burst, day, count in (
            ("a new day", new, CONCURRENT),
            ("the same day again", new, CONCURRENT),
            ("another new day, one request alone", other, 1),
        ):
            url = f"{base}/insight/partnership/?as_of={day.isoformat()}&period=year"
            before = _computations(log)
            started = time.monotonic()
            with ThreadPoolExecutor(count) as pool:
                answers = list(pool.map(_get, [url] * count, [cookie] * count))
            wall = time.monotonic() - started
            made = _computations(log) - before
            times = sorted(seconds for _, seconds in answers)
            statuses = ", ".join(
                f"{sum(s == code for s, _ in answers)} x {code}"
                for code in sorted({s for s, _ in answers})
            )
            rows.append(
                f"| {burst} | {count} | {statuses} | {made} | {times[0]:.2f} s | "
                f"{statistics.median(times):.2f} s | {times[-1]:.2f} s | {wall:.2f} s |"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows


def _computations(log: Path) -> int:
    """The pictures worked out so far (shared.figures logs each computation)."""
    lines = log.read_text().splitlines()
    return sum("worked out ('picture'" in line for line in lines)


def concurrency() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        rows = bench_concurrency(Path(scratch))
    print(
        f"\n| partnership view, {WORKERS} gunicorn workers | requests at once | answers | "
        "pictures worked out | fastest | median | slowest | whole burst |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))


# ----- pages: the web pages' own cost, in process, through Django's test client ---------------

PAGES = ("child", "family", "tray", "team", "front_door", "search")
PAGE_BUDGET_MS = 150


def _page_subjects(count: int, seed: int):
    """(page, url, user) for each request: a spread of children, workers, teams and names,
    the longest histories first."""
    import random

    from django.db.models import Count, Q
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from harbour.access.roles import Role
    from harbour.journey.models import Visit
    from harbour.people.models import Child
    from harbour.synth.demo import _authenticator
    from harbour.workforce.models import Allocation, Staff

    rng = random.Random(seed)
    today = timezone.localdate()
    current = Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    held = Allocation.objects.filter(current, worker__user__isnull=False, worker__ends_on=None)
    holder = dict(held.values_list("child_id", "worker_id"))
    # The longest histories (most visits) among allocated children, then a random spread.
    longest = [
        row["child_id"]
        for row in Visit.objects.filter(child_id__in=held.values("child_id"))
        .values("child_id")
        .annotate(n=Count("id"))
        .order_by("-n")[: count // 10]
    ]
    others = sorted(set(holder) - set(longest))
    children = longest + rng.sample(others, min(len(others), count - len(longest)))
    references = dict(Child.objects.filter(pk__in=children).values_list("pk", "reference"))
    workers = (
        Staff.objects.filter(role=Role.SOCIAL_WORKER, ends_on=None, user__isnull=False)
        .annotate(n=Count("allocations", filter=Q(allocations__ends_on=None)))
        .order_by("-n", "id")
        .select_related("user")
    )
    workers = list(workers[: count // 10]) + rng.sample(
        list(workers[count // 10 :]), min(max(workers.count() - count // 10, 0), count)
    )
    staff = Staff.objects.select_related("user").in_bulk(
        {holder[c] for c in children} | {w.pk for w in workers}
    )
    managers = list(
        Staff.objects.filter(role=Role.TEAM_MANAGER, ends_on=None, user__isnull=False)
        .select_related("user", "team")
        .order_by("id")
    )
    screeners = list(
        Staff.objects.filter(role=Role.MASH_SCREENER, ends_on=None, user__isnull=False)
        .select_related("user")
        .order_by("id")
    )
    people = [s.user for s in staff.values()] + [m.user for m in managers + screeners]
    for user in people:
        _authenticator(user)
    names = list(
        Child.objects.filter(pk__in=rng.sample(others, min(len(others), count))).values_list(
            "forename", "surname"
        )
    )

    def url(name, **kwargs):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            return None

    requests = {page: [] for page in PAGES}
    for n, child in enumerate(children):
        worker = staff[holder[child]].user
        requests["child"].append(
            (url("child", reference=references[child]), worker, n < len(longest))
        )
        family = url("family-file", reference=references[child])
        if family:
            requests["family"].append((family, worker, n < len(longest)))
    for n in range(count):
        worker = workers[n % len(workers)]
        requests["tray"].append((url("my-work"), worker.user, n < count // 10))
        manager = managers[n % len(managers)]
        requests["team"].append((url("team-work", team_id=manager.team_id), manager.user, False))
        if screeners and url("front-door"):
            screener = screeners[n % len(screeners)]
            requests["front_door"].append((url("front-door"), screener.user, False))
        forename, surname = names[n % len(names)]
        # A third by full name, a third by surname, a third misspelt (a letter dropped).
        query = [f"{forename} {surname}", surname, surname[:2] + surname[3:]][n % 3]
        requests["search"].append(
            (f"{url('search')}?q={query.replace(' ', '+')}", workers[n % len(workers)].user, False)
        )
    return requests


REPEAT = 50


def _percentiles(times: list[float]) -> dict:
    times = sorted(times)
    return {
        "p50": statistics.median(times),
        "p95": times[max(0, round(0.95 * len(times)) - 1)],
        "max": times[-1],
    }


def pages_run(count: int, seed: int, pages: list[str], profile: str | None) -> None:
    """In a process of its own, with the database in the environment: time each page."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)  # the county may predate the code's last migrations
    if connection.vendor == "postgresql":
        # As autovacuum does after a bulk load, before the pages are measured: a freshly
        # loaded county has no planner statistics yet, and PostgreSQL then picks whole-table
        # plans (a child's latest visit read by scanning every visit by date: 400 ms).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    from harbour.access.tests.world import sign_in

    requests = _page_subjects(count, seed)
    results = {}
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    clients: dict = {}

    def get(url, user):
        if user.pk not in clients:
            clients[user.pk] = Client(raise_request_exception=False)
            sign_in(clients[user.pk], user)
        return clients[user.pk].get(url)

    for page in pages:
        plan = requests[page]
        if not plan:
            results[page] = None
            continue
        for url, user, _ in plan[:5]:  # warm-up: the first requests of a process
            get(url, user)
        # The warm-up's requests are not first views when they come again.
        times, first, failed, longest, cpu = [], [], 0, [], []
        seen = {(url, user.pk) for url, user, _ in plan[:5]}
        if profiler:
            profiler.enable()
        for url, user, long_history in plan:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = get(url, user)
            elapsed = (time.perf_counter() - started) * 1000
            # The process's own CPU time (all its threads): on a shared machine, wall time
            # includes waiting for a core; a PostgreSQL server's work is not in it.
            cpu.append((time.process_time() - cpu_started) * 1000)
            if response.status_code != 200:
                failed += 1
            times.append(elapsed)
            if (url, user.pk) not in seen:
                first.append(elapsed)
                seen.add((url, user.pk))
            if long_history:
                longest.append(elapsed)
        # Then the first REPEAT of them again: a record or tray opened a second time.
        again = []
        for url, user, _ in plan[:REPEAT]:
            started = time.perf_counter()
            get(url, user)
            again.append((time.perf_counter() - started) * 1000)
        if profiler:
            profiler.disable()
        results[page] = {
            "n": len(times),
            **_percentiles(times),
            "first": _percentiles(first) | {"n": len(first)},
            "again": _percentiles(again),
            "cpu": _percentiles(cpu),
            "load": os.getloadavg()[0],
            "longest_p50": statistics.median(longest) if longest else None,
            "failed": failed,
        }
    if profiler:
        profiler.dump_stats(profile)
    print(json.dumps({"vendor": connection.vendor, "pages": results}))


def _run_pages(env: dict, count: int, seed: int, pages: list[str]) -> dict:
    process = subprocess.run(
        [
            sys.executable,
            __file__,
            "pages-run",
            "--count",
            str(count),
            "--seed",
            str(seed),
            "--pages",
            ",".join(pages),
        ],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(process.stdout.strip().splitlines()[-1])


def _county(kind: str, size: str, where: str | None, scratch: Path) -> dict:
    """The environment of a county: the one given (a SQLite data folder or a PostgreSQL URL),
    else a fresh one generated (5 years, seed 1)."""
    if where:
        env = {k: v for k, v in os.environ.items() if k not in ("HARBOUR_DATABASE_URL",)}
        if kind == "sqlite":
            env["HARBOUR_DATA_DIR"] = where
        else:
            env["HARBOUR_DATABASE_URL"] = where
        return env
    env = fresh_database(kind, f"harbour_pages_{size}", scratch)
    synth = [HARBOUR, "synth", "--size", size, "--years", "5", "--seed", "1", "--end", END]
    subprocess.run([*synth, "--quiet"], env=env, cwd=ROOT, check=True)
    return env


def bench_pages(options) -> None:
    pages = options.pages.split(",")
    counts = {
        page: int(n) for page, n in (item.split("=") for item in options.counts.split(",") if item)
    }
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        counties = [
            ("sqlite", "large", options.sqlite_large),
            ("postgres", "large", options.postgres_large),
            ("sqlite", "small", options.sqlite_small),
        ]
        for kind, size, where in counties:
            if kind not in options.databases.split(","):
                continue
            env = _county(kind, size, where, Path(scratch))
            wanted = pages if size == "large" else ["child"]
            for page in wanted:
                # Each page in a process of its own, so each starts alike (and a figure is
                # printed as soon as it is known).
                count = counts.get(page, options.count)
                figures = _run_pages(env, count, options.seed, [page])["pages"].get(page)
                if figures is None:
                    rows.append(f"| {page} | {size} | {kind} | (no such page yet) |" + " |" * 9)
                    continue
                verdict = "yes" if figures["p95"] < PAGE_BUDGET_MS else "**no**"
                longest = figures["longest_p50"]
                first, again = figures["first"], figures["again"]
                rows.append(
                    f"| {page} | {size} | {kind} | {figures['n']} | {figures['p50']:.0f} | "
                    f"{figures['p95']:.0f} | {figures['max']:.0f} | "
                    f"{first['n']}: {first['p50']:.0f} / {first['p95']:.0f} | "
                    f"{again['p50']:.0f} / {again['p95']:.0f} | "
                    f"{figures['cpu']['p50']:.0f} / {figures['cpu']['p95']:.0f} | "
                    f"{figures['load']:.1f} | "
                    f"{f'{longest:.0f}' if longest is not None else '–'} | {verdict}"
                    + (f" ({figures['failed']} not 200)" if figures["failed"] else "")
                    + " |"
                )
                print(rows[-1], flush=True)
    print(
        "\n| page | county | database | requests | p50 ms | p95 ms | max ms | "
        "first views: n, p50 / p95 ms | again: p50 / p95 ms | CPU: p50 / p95 ms | load | "
        "longest histories, p50 ms | p95 under 150 ms |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "section", nargs="?", choices=["all", "concurrency", "pages", "pages-run"], default="all"
    )
    parser.add_argument("--sizes", default="small,medium,large")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--no-returns", action="store_true", help="Skip the returns' timings.")
    pages = parser.add_argument_group("pages")
    pages.add_argument("--pages", default=",".join(PAGES))
    pages.add_argument("--count", type=int, default=200, help="Requests per page.")
    pages.add_argument("--counts", default="", help="Fewer for some pages: front_door=20,...")
    pages.add_argument("--seed", type=int, default=1)
    pages.add_argument("--sqlite-large", help="A large county's data folder (else generated).")
    pages.add_argument("--postgres-large", help="A large county's database URL (else generated).")
    pages.add_argument("--sqlite-small", help="A small county's data folder (else generated).")
    pages.add_argument("--profile", help="pages-run: write a cProfile of the timed requests.")
    options = parser.parse_args()
    if options.section == "pages-run":
        pages_run(options.count, options.seed, options.pages.split(","), options.profile)
        return
    print(
        f"Machine: {platform.node()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {date.today()}\n"
    )
    if options.section == "concurrency":
        concurrency()
        return
    if options.section == "pages":
        bench_pages(options)
        return
    bench(
        options.sizes.split(","),
        options.years,
        options.databases.split(","),
        not options.no_returns,
    )


if __name__ == "__main__":
    main()
