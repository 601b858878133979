"""harbour load_published [--csv PATH ...] [--indicator ID ...]: the Department's published
figures, for comparators."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from harbour.insight.published.extract import mapping
from harbour.insight.published.loading import LoadRefused, load_csv, load_shipped
from harbour.timescales.management.commands._options import one_line_errors


class Command(BaseCommand):
    help = (
        "Load the Department for Education's published figures (England, regions, every "
        "authority) used as comparators. With no --csv, the figures shipped with Harbour and "
        "the statistical neighbours of the authority; with --csv, a newer release of the "
        "Department's CSV files, read by the mapping in harbour/insight/published/measures.yaml. "
        "One transaction: if any problem is found nothing is loaded and every problem is "
        "listed. Loading the same figures again changes nothing."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        return one_line_errors(parser, "harbour load_published")

    def add_arguments(self, parser):
        parser.add_argument(
            "--csv",
            action="append",
            type=Path,
            default=[],
            metavar="PATH",
            help="A Department CSV file (repeatable), e.g. b1_children_in_need_2013_to_2026.csv.",
        )
        parser.add_argument(
            "--indicator",
            action="append",
            default=[],
            metavar="ID",
            help="Load only this indicator (repeatable).",
        )
        parser.add_argument(
            "--measures",
            type=Path,
            help="Another mapping file in the form of measures.yaml (with --csv).",
        )
        parser.add_argument(
            "--release",
            type=int,
            help="The release year of the --csv files (default: the latest year they hold).",
        )

    def handle(self, *args, csv, indicator, measures, release, **options):
        only = set(indicator) or None
        if (measures or release) and not csv:
            raise CommandError("--measures and --release go with --csv")
        try:
            if csv:
                outcome = load_csv(csv, only=only, measures=measures, release=release)
            else:
                if only:
                    unknown = sorted(only - set(mapping().measures))
                    if unknown:
                        raise CommandError(f"--indicator: not a published indicator: {unknown}")
                outcome = load_shipped(only)
        except LoadRefused as refused:
            for problem in refused.problems:
                self.stdout.write(str(problem))
            raise CommandError(
                f"{len(refused.problems)} problem(s) found: nothing was loaded"
            ) from None
        for line in outcome.lines():
            self.stdout.write(line)
        if not outcome.changed:
            self.stdout.write("Nothing changed: every figure was already held.")
