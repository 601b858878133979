"""harbour import PATH...: load a CIN census XML, SSDA903 CSV tables (a folder, a zip or the
files) and an Annex A workbook, in any combination, in one transaction."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from harbour.returns.importing import ImportRefused
from harbour.returns.imports import import_paths
from harbour.timescales.management.commands._options import one_line_errors


class Command(BaseCommand):
    help = (
        "Import statutory returns: a CIN census XML, a folder or zip of SSDA903 CSV files, an "
        "Annex A workbook. Children are matched across them by the authority's child reference. "
        "Every file is checked first; if any problem is found nothing is imported and every "
        "problem is listed. Importing the same files again changes nothing."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        return one_line_errors(parser, "harbour import")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders to import.")
        parser.add_argument("--quiet", action="store_true", help="No progress lines.")

    def handle(self, *args, paths, quiet, **options):
        started = time.monotonic()
        last = [0.0]

        def progress(step: str, done: int, total: int) -> None:
            now = time.monotonic()
            if quiet or (now - last[0] < 1 and done not in (0, total)):
                return
            last[0] = now
            share = f" {done:,} of {total:,}" if total > 1 else ""
            self.stderr.write(f"[{now - started:5.1f}s] {step}{share}")

        try:
            outcome = import_paths([Path(p) for p in paths], progress)
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stdout.write(str(problem))
            raise CommandError(
                f"{len(refused.problems)} problem(s) found: nothing was imported"
            ) from None
        for line in outcome.lines():
            self.stdout.write(line)
        if not outcome.changed:
            self.stdout.write("Nothing changed: every record was already held as imported.")
        self.stdout.write(f"Imported in {time.monotonic() - started:.1f}s.")
        sys.stdout.flush()
