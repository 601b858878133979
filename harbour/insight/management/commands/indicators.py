"""harbour indicators: every indicator for the year, quarter or month ending on a day, with its
comparators, as JSON or CSV."""

import csv
import io
import json
import sys

from django.core.management.base import BaseCommand

from harbour.insight.indicators.inputs import Inputs
from harbour.insight.management.commands._picture import add_picture_arguments, scope_of
from harbour.insight.performance import picture
from harbour.timescales.management.commands._options import as_of_date, one_line_errors

CSV_COLUMNS = (
    "id",
    "title",
    "unit",
    "polarity",
    "period_kind",
    "period_start",
    "period_end",
    "value",
    "numerator",
    "denominator",
    "local_target",
    "comparators",
)


def as_csv(found: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in found:
        target = row["comparators"]["local_target"]
        writer.writerow(
            [
                row["id"],
                row["title"],
                row["unit"],
                row["polarity"],
                row["period"]["kind"],
                row["period"]["start"],
                row["period"]["end"],
                "" if row["value"] is None else row["value"],
                "" if row["numerator"] is None else row["numerator"],
                "" if row["denominator"] is None else row["denominator"],
                "" if target is None else target["value"],
                json.dumps(row["comparators"], separators=(",", ":"), default=str),
            ]
        )
    return buffer.getvalue()


class Command(BaseCommand):
    help = (
        "Print every indicator for the year, quarter or month ending on a day, with its trend "
        "and target."
    )
    # A read-only report: Django's system checks (which import every URL and view) would add
    # half a second to its start-up; `harbour check` and the test suite run them.
    requires_system_checks = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        return one_line_errors(parser, "harbour indicators")

    def add_arguments(self, parser):
        add_picture_arguments(
            parser,
            "One team's figures (by its id): the children it worked with in the 12 months "
            "to --as-of and its staff, compared with the authority's.",
        )
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument(
            "--ids",
            action="store_true",
            help="Also list the children's (or staff's) ids behind each numerator and "
            "denominator (JSON only).",
        )

    def handle(self, *args, as_of, period, format, ids, team=None, **options):
        as_of = as_of_date(as_of)
        scope = scope_of(team)
        found = picture(as_of, period, scope, ids=ids, inputs=Inputs.read(as_of))
        text = as_csv(found) if format == "csv" else json.dumps(found, default=str)
        try:
            self.stdout.write(text.rstrip("\n"))
            self.stdout.flush()
        except BrokenPipeError:  # the reader stopped early (`| head`): not an error
            sys.stderr.close()
