"""harbour performance_report: the performance report for the year, quarter or month ending on
a day, as a PDF, a workbook of its numbers, or both."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from harbour.insight.exports import report
from harbour.insight.exports.pdf import performance_pdf
from harbour.insight.exports.workbook import performance_workbook
from harbour.insight.indicators.inputs import Inputs
from harbour.insight.management.commands._picture import add_picture_arguments, scope_of
from harbour.timescales.management.commands._options import as_of_date, one_line_errors


class Command(BaseCommand):
    help = (
        "Write the performance report (every indicator with its comparators and trend) for the "
        "year, quarter or month ending on a day, as a PDF and/or an XLSX workbook."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        return one_line_errors(parser, "harbour performance_report")

    def add_arguments(self, parser):
        add_picture_arguments(
            parser,
            "One team's report (by its id), compared with the authority's figures.",
        )
        parser.add_argument("--pdf", metavar="FILE", help="Write the report as a PDF here.")
        parser.add_argument("--xlsx", metavar="FILE", help="Write the workbook here.")

    def handle(self, *args, as_of, period, team=None, pdf=None, xlsx=None, **options):
        if not pdf and not xlsx:
            raise CommandError("give --pdf FILE, --xlsx FILE or both")
        as_of = as_of_date(as_of)
        scope = scope_of(team)
        for option, path in (("--pdf", pdf), ("--xlsx", xlsx)):
            if path and not Path(path).parent.is_dir():
                raise CommandError(f"{option}: there is no folder {str(Path(path).parent)!r}")
        made = report(as_of, period, scope, inputs=Inputs.read(as_of))
        if pdf:
            Path(pdf).write_bytes(performance_pdf(made.rows, **made.kwargs()))
            self.stdout.write(f"Wrote {pdf}")
        if xlsx:
            Path(xlsx).write_bytes(performance_workbook(made.rows, **made.kwargs()))
            self.stdout.write(f"Wrote {xlsx}")
