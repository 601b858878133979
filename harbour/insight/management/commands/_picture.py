"""What `harbour indicators` and `harbour performance_report` both ask: the day, the period
and the team (a leading underscore: not a command)."""

from django.core.management.base import CommandError

from harbour.insight.indicators.periods import KINDS
from harbour.insight.performance import AUTHORITY, Scope


def add_picture_arguments(parser, team_help: str) -> None:
    parser.add_argument("--as-of", help="The period's last day, YYYY-MM-DD (default: today).")
    parser.add_argument(
        "--period",
        choices=list(KINDS),
        default="year",
        help="The 12 months, 3 months or month ending on --as-of (default: year).",
    )
    parser.add_argument("--team", type=int, help=team_help)


def scope_of(team: int | None) -> Scope:
    """The authority, or the team whose id was given (which must exist)."""
    from harbour.workforce.models import Team

    if team is None:
        return AUTHORITY
    if not Team.objects.filter(pk=team).exists():
        raise CommandError(f"--team: there is no team with the id {team}")
    return Scope(team)
