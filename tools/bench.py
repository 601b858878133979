"""Harbour's benchmarks: whole commands timed from outside, on SQLite and on PostgreSQL.

Prints a Markdown table to paste into BENCHMARKS.md. Usage: tools/bench.py [--sizes small,...]
"""

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
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


def bench_synth(sizes: list[str], years: int, databases: list[str]) -> list[str]:
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for database in databases:
            for size in sizes:
                env = fresh_database(database, f"harbour_bench_{size}", Path(scratch))
                seconds, peak = timed(
                    [
                        HARBOUR,
                        "synth",
                        "--size",
                        size,
                        "--years",
                        str(years),
                        "--seed",
                        "1",
                        "--end",
                        END,
                        "--quiet",
                    ],
                    env,
                )
                rows.append(
                    f"| `harbour synth --size {size} --years {years}` | {database} | "
                    f"{seconds:.0f} s | {peak:.0f} MiB |"
                )
                print(rows[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="small,medium,large")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--databases", default="sqlite,postgres")
    options = parser.parse_args()
    print(
        f"Machine: {platform.node()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {date.today()}\n"
    )
    print("| command | database | wall time | peak memory |\n| --- | --- | --- | --- |")
    bench_synth(options.sizes.split(","), options.years, options.databases.split(","))


if __name__ == "__main__":
    main()
