"""harbour duties: every statutory duty Harbour can see, as JSON or CSV."""

import sys

import polars as pl
from django.core.management.base import BaseCommand

from harbour.timescales.engine import STATUSES
from harbour.timescales.management.commands._options import as_of_date, one_line_errors
from harbour.timescales.reading import duties_and_findings, readable_duties


class Command(BaseCommand):
    help = "Print every duty (what is due, by when, for whom, and whether it was done on time)."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        return one_line_errors(parser, "harbour duties")

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--as-of", help="Judge as on this day, YYYY-MM-DD (default: today).")
        parser.add_argument(
            "--status",
            choices=STATUSES,
            action="append",
            help="Only duties with this status (repeatable).",
        )
        parser.add_argument("--child", help="Only this child's duties (their reference).")

    def handle(self, *args, format, as_of, status, child, **options):
        as_of = as_of_date(as_of)
        tables, duties, _ = duties_and_findings(as_of)
        if status:
            duties = duties.filter(pl.col("status").cast(pl.String).is_in(status))
        table = readable_duties(duties, tables)
        if child:
            table = table.filter(pl.col("child") == child)
        text = table.write_csv() if format == "csv" else table.write_json()
        try:
            self.stdout.write(text.rstrip("\n"))
            self.stdout.flush()
        except BrokenPipeError:  # the reader stopped early (`| head`): not an error
            sys.stderr.close()
