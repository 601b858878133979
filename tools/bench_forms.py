"""Issue 14's benchmark: opening and saving the recording forms on a large county, and a draft
kept by the script's autosave, on SQLite and on PostgreSQL.

Each database in a process of its own (`tools/bench_forms.py run`), Django set up on the
county, each request through Django's test client with the whole middleware stack, signed in
as a real session is. Everything a run writes is rolled back at its end, so the county is left
as it was (the audit log's checkpoint file, written after a commit, is therefore not written:
a few hundred microseconds a save).

Usage: .venv/bin/python tools/bench_forms.py --sqlite-large DIR --postgres-large URL [--count N]
Prints Markdown rows for BENCHMARKS.md.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_MS = {"autosave": 50}
DEFAULT_BUDGET_MS = 150
OPERATIONS = (
    "visit: open",
    "visit: save",
    "case note: open",
    "case note: save",
    "assessment: open",
    "assessment: autosave",
    "assessment: save",
)


def _percentiles(times: list[float]) -> dict:
    times = sorted(times)
    return {
        "n": len(times),
        "p50": statistics.median(times),
        "p95": times[max(0, round(0.95 * len(times)) - 1)],
        "max": times[-1],
    }


def _subjects(count: int):
    """(child, its allocated worker's user, its open referral) for `count` children with a
    current allocation and an open child in need episode, the longest histories first."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from harbour.journey.models import Referral, Visit
    from harbour.synth.demo import _authenticator
    from harbour.workforce.models import Allocation

    today = timezone.localdate()
    current = Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    open_referrals = Referral.objects.filter(received_on__lte=today).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=today)
    )
    held = (
        Allocation.objects.filter(current, worker__user__isnull=False, worker__ends_on=None)
        .filter(child__in=open_referrals.values("child"))
        .select_related("worker__user", "child")
        .order_by("child_id")
    )
    by_visits = dict(
        Visit.objects.filter(child__in=held.values("child"))
        .values("child")
        .annotate(n=Count("id"))
        .values_list("child", "n")
    )
    chosen = sorted(held, key=lambda a: -by_visits.get(a.child_id, 0))[:count]
    referrals = dict(
        open_referrals.filter(child__in=[a.child_id for a in chosen])
        .order_by("received_on")
        .values_list("child", "id")
    )
    for allocation in chosen:
        _authenticator(allocation.worker.user)
    return [(a.child, a.worker.user, referrals[a.child_id], a.worker) for a in chosen]


def _day(prefix: str, day: date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def _one_child(n, client, child, referral_id, staff, today, timed, reverse):
    """Open and save a visit and a case note; open an assessment, keep its draft, save it."""
    ref = child.reference
    visit = reverse("record-step", args=[ref, "visit"])
    note = reverse("record-step", args=[ref, "case-note"])
    assessment = reverse("record-step", args=[ref, "assessment"])
    if n < 3:  # warm-up: the process's first requests are not timed
        client.get(visit)
        client.get(note)
        client.get(assessment)
    timed("visit: open", lambda: client.get(visit), 200)
    timed(
        "visit: save",
        lambda: client.post(
            visit,
            {
                "action": "save",
                "kind": "child_in_need",
                **_day("visited_on", today),
                "purpose": "Benchmark visit",
                "worker": staff.pk,
                "seen": "alone",
                "child_views": "Said school is going well.",
                "observations": "A warm home.",
            },
        ),
        302,
    )
    timed("case note: open", lambda: client.get(note), 200)
    timed(
        "case note: save",
        lambda: client.post(
            note,
            {
                "action": "save",
                **_day("occurred_on", today),
                "at": "10:15",
                "subject": "Call with school",
                "text": "The school says attendance is better.",
            },
        ),
        302,
    )
    timed("assessment: open", lambda: client.get(assessment), 200)
    fields = {
        "referral": referral_id,
        "kind": "single",
        **_day("started_on", today),
        "child_seen": "yes",
        **_day("child_seen_on", today),
        "seen_alone": "yes",
        "child_views": "Likes school; worries about mum.",
        "family_history": "Lives with mother and a brother.",
        "factors": "21",
        "analysis": "Needs are met with early help.",
        "outcome": "early_help",
        "submit": "no",
    }
    timed(
        "assessment: autosave",
        lambda: client.post(reverse("keep-draft"), {"harbour_path": assessment, **fields}),
        200,
    )
    timed(
        "assessment: save",
        lambda: client.post(assessment, {"action": "save", **fields}),
        302,
    )


def run(count: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from harbour.access.tests.world import sign_in

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    times = {name: [] for name in OPERATIONS}
    failed = dict.fromkeys(OPERATIONS, 0)
    clients = {}

    def timed(name, call, expect):
        started = time.perf_counter()
        response = call()
        times[name].append((time.perf_counter() - started) * 1000)
        if response.status_code != expect:
            failed[name] += 1
        return response

    subjects = _subjects(count)
    for n, (child, user, referral_id, staff) in enumerate(subjects):
        if user.pk not in clients:
            clients[user.pk] = Client(raise_request_exception=False)
            sign_in(clients[user.pk], user)
        client = clients[user.pk]
        # Each child's requests in a transaction rolled back at their end: the county is left
        # as it was, and no lock is held for longer than one child's requests.
        with transaction.atomic():
            _one_child(n, client, child, referral_id, staff, today, timed, reverse)
            transaction.set_rollback(True)
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "children": len(subjects),
                "load": os.getloadavg()[0],
                "results": {k: _percentiles(v) | {"failed": failed[k]} for k, v in times.items()},
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("section", nargs="?", choices=["all", "run"], default="all")
    parser.add_argument("--sqlite-large", help="A large county's data folder.")
    parser.add_argument("--postgres-large", help="A large county's database URL.")
    parser.add_argument("--count", type=int, default=200, help="Children (each: 7 requests).")
    options = parser.parse_args()
    if options.section == "run":
        run(options.count)
        return
    print(f"Machine: {platform.node()}, {os.cpu_count()} cores; {date.today()}\n")
    print("| operation | database | n | p50 ms | p95 ms | max ms | load | under budget |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    given = (("sqlite", options.sqlite_large), ("postgres", options.postgres_large))
    generate = not any(where for _, where in given)
    with tempfile.TemporaryDirectory() as scratch:
        for kind, where in given:
            if where or generate:
                _bench(kind, where, options.count, Path(scratch))


def _bench(kind: str, where: str | None, count: int, scratch: Path) -> None:
    """One database's figures: the county given, else a large one generated as `make bench`
    generates the pages' (tools/bench.py)."""
    sys.path.insert(0, str(ROOT / "tools"))
    from bench import _county

    env = _county(kind, "large", where, scratch)
    done = subprocess.run(
        [sys.executable, __file__, "run", "--count", str(count)],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    for name, figures in found["results"].items():
        budget = next((b for k, b in BUDGET_MS.items() if k in name), DEFAULT_BUDGET_MS)
        verdict = "yes" if figures["p95"] < budget else "**no**"
        extra = f" ({figures['failed']} failed)" if figures["failed"] else ""
        print(
            f"| {name} | {kind} | {figures['n']} | {figures['p50']:.0f} | "
            f"{figures['p95']:.0f} | {figures['max']:.0f} | {found['load']:.1f} | "
            f"{verdict} (< {budget} ms){extra} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
