"""harbour indicators: every indicator for the year, quarter or month ending on a day, with its
comparators, as JSON or CSV."""

import csv
import io
import json
import sys

from django.core.management.base import BaseCommand

from harbour.insight.indicators import compute_with_trend, definitions
from harbour.insight.indicators.definitions import Definition
from harbour.insight.indicators.figures import Figure
from harbour.insight.indicators.periods import KINDS
from harbour.insight.indicators.targets import local_targets
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


def _point(figure: Figure) -> dict:
    return {
        "period": figure.period.as_dict(),
        "value": figure.value,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
    }


def comparators(definition: Definition, figure: Figure, trend) -> dict:
    """What a figure is compared with: a dict, so that each kind of comparator is a key.

    - `trend`: the indicator over the last 12 months (month by month) and the last 5 whole
      collection years, oldest first;
    - `local_target`: the authority's own target (harbour/insight/targets.yaml) and whether
      the figure meets it, or null.

    Published comparators (England, the region and the statistical neighbours, from
    harbour/insight/comparators.py) are added here as further keys.
    """
    target = local_targets().get(definition.id)
    return {
        "trend": {
            "monthly": [_point(f) for f in trend.monthly],
            "yearly": [_point(f) for f in trend.yearly],
        },
        "local_target": None
        if target is None
        else {
            "value": target.value,
            "met": target.met(figure.value, definition.polarity),
            "why": target.why,
        },
    }


def published_comparators(figures: list[Figure]) -> dict[str, dict]:
    """England, the region and the statistical neighbours (median and best), from the
    Department's latest published figures, each judged against Harbour's own figure."""
    from harbour.insight.comparators import comparators_from_db

    values = {f.id: f.value for f in figures if f.value is not None}
    return comparators_from_db([f.id for f in figures], values=values)


def rows(figures: list[Figure], trends: dict, ids: bool = False) -> list[dict]:
    found = []
    published = published_comparators(figures)
    for definition, figure in zip(definitions(), figures, strict=True):
        row = {
            "id": figure.id,
            "title": definition.title,
            "unit": definition.unit,
            "polarity": definition.polarity,
        }
        row |= figure.as_dict(ids=ids)
        row["comparators"] = comparators(definition, figure, trends[figure.id])
        row["comparators"]["published"] = published.get(figure.id)
        found.append(row)
    return found


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

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        return one_line_errors(parser, "harbour indicators")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="The period's last day, YYYY-MM-DD (default: today).")
        parser.add_argument(
            "--period",
            choices=list(KINDS),
            default="year",
            help="The 12 months, 3 months or month ending on --as-of (default: year).",
        )
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument(
            "--ids",
            action="store_true",
            help="Also list the children's (or staff's) ids behind each numerator and "
            "denominator (JSON only).",
        )

    def handle(self, *args, as_of, period, format, ids, **options):
        as_of = as_of_date(as_of)
        figures, trends = compute_with_trend(as_of, period, ids=ids)
        found = rows(figures, trends, ids=ids)
        text = as_csv(found) if format == "csv" else json.dumps(found, default=str)
        try:
            self.stdout.write(text.rstrip("\n"))
            self.stdout.flush()
        except BrokenPipeError:  # the reader stopped early (`| head`): not an error
            sys.stderr.close()
