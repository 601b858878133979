"""Run Harbour's whole test suite on SQLite, then again on PostgreSQL (all but the browser
tests, which drive Chromium through pages the view tests cover on both).

PostgreSQL is found at HARBOUR_TEST_POSTGRES_URL (default: the local cluster). Where it cannot
be reached the second run is skipped with one line saying why, unless HARBOUR_REQUIRE_POSTGRES
is set (CI), when that is a failure.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/harbour"


def run(title: str, args: list[str], env: dict[str, str]) -> int:
    started = time.monotonic()
    print(f"\n=== {title} ===", flush=True)
    code = subprocess.call(args, cwd=ROOT, env=env)
    print(
        f"=== {title}: {'passed' if code == 0 else 'FAILED'} in {time.monotonic() - started:.0f}s"
    )
    return code


def postgres_unreachable(url: str) -> str | None:
    import psycopg

    admin = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), connect_timeout=5):
            return None
    except Exception as error:  # any failure to connect means: skip, and say why
        return str(error).strip().splitlines()[0]


def main() -> int:
    extra = sys.argv[1:]
    base_env = {k: v for k, v in os.environ.items() if k != "HARBOUR_DATABASE_URL"}
    base_env["HARBOUR_DATA_DIR"] = str(ROOT / "var" / "test")
    pytest = [
        str(BIN / "pytest"),
        "-n",
        os.environ.get("HARBOUR_TEST_WORKERS", "2"),
        "--durations=12",
        *extra,
    ]

    if run("ruff", [str(BIN / "ruff"), "check", "."], base_env):
        return 1
    failed = run("tests on SQLite", pytest, base_env)

    url = os.environ.get("HARBOUR_TEST_POSTGRES_URL", DEFAULT_POSTGRES)
    why = postgres_unreachable(url)
    if why is None:
        # The browser tests drive pages whose queries the view tests run here too: they run
        # once, on SQLite, which keeps the whole suite within CI's time.
        failed |= run(
            "tests on PostgreSQL (all but the browser tests)",
            [*pytest, "-m", "not browser"],
            {**base_env, "HARBOUR_DATABASE_URL": url},
        )
    elif os.environ.get("HARBOUR_REQUIRE_POSTGRES"):
        print(f"PostgreSQL is required but cannot be reached at {url}: {why}")
        failed = 1
    else:
        print(f"PostgreSQL tests skipped: cannot connect to {url} ({why})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
