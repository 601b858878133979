"""harbour synth: fill an empty database with a synthetic county."""

import sys
import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from harbour.synth import failures
from harbour.synth.load import load_county
from harbour.synth.sizes import SIZES


class Command(BaseCommand):
    help = (
        "Fill an empty database with a synthetic county: staff, teams and children's journeys "
        "with known practice failures, listed in the truth file."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def one_line_error(message):
            sys.stderr.write(f"harbour synth: {message}\n")
            sys.exit(2)

        parser.error = one_line_error
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument("--years", type=int, default=5, help="Years of history (1 to 15).")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--end",
            type=date.fromisoformat,
            default=None,
            help="Last day of the county's history, YYYY-MM-DD (default: today).",
        )
        parser.add_argument("--truth", type=Path, help="Write the injected failures here (JSON).")
        parser.add_argument(
            "--failure-rate",
            action="append",
            default=[],
            metavar="KIND=RATE",
            help="Rate (0 to 1) for one kind of failure, or all=RATE. Repeatable.",
        )
        parser.add_argument("--quiet", action="store_true")
        parser.add_argument(
            "--progress", action="store_true", help="Print a line for every 50,000 rows written."
        )

    def handle(
        self, *args, size, years, seed, end, truth, failure_rate, quiet, progress, **options
    ):
        if not 1 <= years <= 15:
            raise CommandError(f"--years must be between 1 and 15, not {years}")
        end = end or date.today()
        if truth is not None and not truth.parent.exists():
            raise CommandError(f"--truth: folder {truth.parent} does not exist")
        try:
            rates = failures.parse_rates(failure_rate)
        except ValueError as error:
            raise CommandError(f"--failure-rate: {error}") from None
        started = time.monotonic()
        report = None
        if progress:
            marks = iter(range(50_000, 10**9, 50_000))
            mark = next(marks)

            def report(rows):
                nonlocal mark
                while rows >= mark:
                    self.stderr.write(f"{mark:,} rows written")
                    self.stderr.flush()
                    mark = next(marks)
        elif not quiet and sys.stderr.isatty():

            def report(rows):
                self.stderr.write(f"\r  {rows:,} rows written", ending="")

        with transaction.atomic():
            summary = load_county(SIZES[size], years, seed, end, rates, progress=report)
        if truth is not None:
            failures.write_truth(truth, summary.truth)
        if report and not progress:
            self.stderr.write("")
        if not quiet:
            self.stdout.write(
                f"Synthetic {size} county: {summary.children:,} children, {summary.rows:,} rows, "
                f"{len(summary.truth):,} injected failures, {summary.start} to {summary.end}, "
                f"in {time.monotonic() - started:.0f}s."
            )
