"""The performance report's exports: a PDF report (pdf.py) and a workbook of the numbers
(workbook.py), both from the performance picture's rows, read the same way (reading.py).

`report(as_of, period, scope)` gives what both need: the rows (with the same period a year
earlier), the scope's name and when the figures were read.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
PERIOD_WORDS = {"year": "12 months", "quarter": "3 months", "month": "month"}


@dataclass(frozen=True)
class Report:
    rows: list
    title: str
    scope_name: str
    as_of: date
    period_label: str
    read_at: datetime | None

    def kwargs(self) -> dict:
        return {
            "title": self.title,
            "scope_name": self.scope_name,
            "as_of": self.as_of,
            "period_label": self.period_label,
            "read_at": self.read_at,
        }


def period_label(as_of: date, period: str) -> str:
    from harbour.insight.indicators.periods import period_ending

    chosen = period_ending(as_of, period)
    if chosen.kind == "collection_year":
        return f"the collection year {chosen.label} (1 April to 31 March)"
    return f"the {PERIOD_WORDS[period]} {chosen.label}"


def scope_name(scope) -> str:
    from harbour.authority.models import Authority
    from harbour.workforce.models import Team

    if scope.is_team:
        return Team.objects.get(pk=scope.team_id).name
    authority = Authority.current()
    return authority.name if authority else "The authority"


def read_time(inputs) -> datetime:
    at = getattr(inputs, "read_at", None)
    return datetime.fromtimestamp(at, LONDON) if at else datetime.now(LONDON)


def report(as_of: date, period: str, scope, inputs=None, reading=None) -> Report:
    """The picture for the report: from `inputs` if given (the command reads the county
    itself), else the picture every process shares for a minute (performance.Reading)."""
    from harbour.insight.performance import Reading, picture

    if inputs is not None:
        rows = picture(as_of, period, scope, inputs=inputs, year_earlier=True)
        read_at = read_time(inputs)
    else:
        shared = (reading or Reading(as_of)).picture(period, scope, year_earlier=True)
        rows, read_at = shared.rows, datetime.fromtimestamp(shared.read_at, LONDON)
    name = scope_name(scope)
    return Report(
        rows=rows,
        title=f"Performance report: {name}",
        scope_name=name,
        as_of=as_of,
        period_label=period_label(as_of, period),
        read_at=read_at,
    )
