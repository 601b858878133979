"""harbour returns cin|903|annex-a: write a statutory return and check it with the validators."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from harbour.returns import making
from harbour.returns.validation import ValidatorsMissing
from harbour.timescales.management.commands._options import as_of_date, one_line_errors


class Command(BaseCommand):
    help = (
        "Write the CIN census (XML), the SSDA903 return (CSV files) for a collection year, or "
        "Ofsted's Annex A workbook for an inspection date, then list every rule the Department's "
        "validators find broken."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        return one_line_errors(parser, "harbour returns")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["cin", "903", "annex-a"])
        parser.add_argument(
            "--year", type=int, help="Collection year by the year it ends: 2025 is 2024-25."
        )
        parser.add_argument("--as-of", help="Annex A: the inspection date, YYYY-MM-DD.")
        parser.add_argument("--out", required=True, help="Folder (or, for Annex A, .xlsx file).")
        parser.add_argument(
            "--no-validate", action="store_true", help="Skip the Department's validators."
        )

    def handle(self, *args, kind, year, as_of, out, no_validate, **options):
        out = Path(out)
        if kind == "annex-a":
            folder = out.parent if out.suffix == ".xlsx" else out
            from harbour.returns.annex_a.export import annex_a_workbook

            path = out if out.suffix == ".xlsx" else folder / f"annex-a-{as_of_date(as_of)}.xlsx"
            folder.mkdir(parents=True, exist_ok=True)
            annex_a_workbook(as_of_date(as_of), path)
            self.stdout.write(f"Wrote {path}")
            return
        if year is None or not 2013 <= year <= 2100:
            raise CommandError("--year: give the collection year by the year it ends, e.g. 2025")
        try:
            made = making.make_cin if kind == "cin" else making.make_903
            path, failures = made(year, out, validate=not no_validate)
        except ValidatorsMissing as missing:
            raise CommandError(f"{missing} (or pass --no-validate)") from missing
        self.stdout.write(f"Wrote {path}")
        if no_validate:
            self.stdout.write("Not checked with the Department's validators (--no-validate).")
            return
        errors = [f for f in failures if not f.is_query]
        for failure in failures:
            label = "query" if failure.is_query else "error"
            self.stdout.write(
                f"  {label} {failure.rule}: child {failure.child or '-'}: {failure.table} "
                f"{failure.fields}: {failure.message}"
            )
        self.stdout.write(
            f"The Department's validators: {len(errors)} errors, "
            f"{len(failures) - len(errors)} queries."
        )
        if errors:
            raise CommandError(f"{len(errors)} validation errors: fix the records listed above")
