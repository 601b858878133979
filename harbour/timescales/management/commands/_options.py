import sys
from datetime import date

from django.core.management.base import CommandError


def one_line_errors(parser, prog: str):
    """argparse's usage errors as one line, like Harbour's other messages."""

    def error(message):
        sys.stderr.write(f"{prog}: {message}\n")
        sys.exit(2)

    parser.error = error
    return parser


def as_of_date(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of: {value!r} is not a date (YYYY-MM-DD)") from None
