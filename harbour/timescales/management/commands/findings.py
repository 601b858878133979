"""harbour findings: every practice failure Harbour can see, in the truth file's shape."""

import json

from django.core.management.base import BaseCommand

from harbour.timescales.management.commands._options import as_of_date, one_line_errors
from harbour.timescales.reading import findings_in_database


class Command(BaseCommand):
    help = 'Print every practice failure as [{"failure": KIND, "child": REF, "record": ID}].'

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        return one_line_errors(parser, "harbour findings")

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("--as-of", help="Judge as on this day, YYYY-MM-DD (default: today).")

    def handle(self, *args, format, as_of, **options):
        found = findings_in_database(as_of_date(as_of))
        self.stdout.write(json.dumps(found.to_dicts(), indent=1))
