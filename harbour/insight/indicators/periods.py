"""The periods figures cover: the year, quarter or month ending on a day, and the trend's 12
months and 5 collection years.

A period is a run of whole days, both ends included. The year, quarter or month ending on a
day D starts the day after the same day 12, 3 or 1 months earlier: the year ending on 31
March 2025 is 1 April 2024 to 31 March 2025 (the 2024-25 collection year), the month ending on
28 February 2025 is February, and the month ending on 20 November is 21 October to 20
November. Snapshot figures (children on a plan, looked after) are taken on the period's last
day.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

KINDS = {"year": 12, "quarter": 3, "month": 1}


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    kind: str = "custom"  # year, quarter, month, collection_year, snapshot or custom

    def __post_init__(self):
        if self.start > self.end:
            raise ValueError(f"a period cannot end ({self.end}) before it starts ({self.start})")

    @property
    def label(self) -> str:
        if self.kind == "snapshot":
            return f"on {_day(self.end)}"
        if self.kind == "collection_year":
            return f"{self.end.year - 1}-{str(self.end.year)[2:]}"
        return f"{_day(self.start)} to {_day(self.end)}"

    def snapshot(self) -> "Period":
        """The period's last day, for figures counted on a day."""
        return Period(self.end, self.end, "snapshot")

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def as_dict(self) -> dict:
        return {"kind": self.kind, "start": self.start.isoformat(), "end": self.end.isoformat()}


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def period_ending(as_of: date, kind: str) -> Period:
    """The year, quarter or month ending on `as_of`."""
    if kind not in KINDS:
        raise ValueError(f"period must be one of {', '.join(KINDS)}, not {kind!r}")
    start = as_of + timedelta(days=1) - relativedelta(months=KINDS[kind])
    year_end = kind == "year" and (as_of.month, as_of.day) == (3, 31)
    return Period(start, as_of, "collection_year" if year_end else kind)


def months_to(as_of: date, count: int = 12) -> list[Period]:
    """The `count` months ending on `as_of`, each the month before the next, oldest first."""
    periods, end = [], as_of
    for _ in range(count):
        period = period_ending(end, "month")
        periods.append(period)
        end = period.start - timedelta(days=1)
    return periods[::-1]


def collection_year(ending: int) -> Period:
    """1 April to 31 March, named by the year it ends (2025 is 2024-25)."""
    return Period(date(ending - 1, 4, 1), date(ending, 3, 31), "collection_year")


def collection_years_to(as_of: date, count: int = 5) -> list[Period]:
    """The last `count` whole collection years ending on or before `as_of`, oldest first."""
    last = as_of.year if (as_of.month, as_of.day) >= (3, 31) else as_of.year - 1
    return [collection_year(year) for year in range(last - count + 1, last + 1)]
