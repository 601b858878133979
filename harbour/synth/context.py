"""Shared state of one generation run: randomness, calendar, policy, dates and the sink."""

import random
from bisect import bisect_right
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from harbour.authority.policy import PolicyBook
from harbour.synth.failures import Failures
from harbour.synth.sink import Sink
from harbour.synth.sizes import Size
from harbour.timescales.calendar import school_days, working_days

LONDON = ZoneInfo("Europe/London")
# Children still in care (or leaving care) when the county's history begins came into care
# up to this many years before it; their journeys are generated whole.
LEGACY_YEARS = 12


class Context:
    def __init__(self, size: Size, years: int, seed: int, end: date, sink: Sink, rates):
        self.size = size
        self.years = years
        self.seed = seed
        self.end = end
        self.start = end - relativedelta(years=years) + timedelta(days=1)
        self.legacy_start = self.start - relativedelta(years=LEGACY_YEARS)
        self.staff_from = self.legacy_start
        self.rng = random.Random(seed)
        # Failures draw from their own stream, so rates change which records fail, not the county.
        self.failures = Failures(rates, random.Random(f"failures-{seed}"))
        self.sink = sink
        self.cal = working_days()
        self.policy = PolicyBook()
        self.half_terms = school_terms(self.legacy_start.year - 1, end.year + 1)
        self.school_days = school_days((s, e) for _, s, e in self.half_terms)
        # Whole terms (autumn, spring, summer): personal education plans are reviewed termly.
        self.terms = [
            (self.half_terms[i][1], self.half_terms[i + 1][2])
            for i in range(0, len(self.half_terms), 2)
        ]
        self._term_starts = [s.toordinal() for s, _ in self.terms]

    def term_index(self, day: date) -> int:
        """The whole term a day falls in, or the last one before it."""
        return max(bisect_right(self._term_starts, day.toordinal()) - 1, 0)

    # ----- dates --------------------------------------------------------------------------
    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=LONDON)

    def wd(self, day: date, n: int) -> date:
        """The n-th working day after `day` (n may be negative)."""
        return self.cal.add(day, n) if n >= 0 else self.cal.subtract(day, -n)

    def wd_count(self, a: date, b: date) -> int:
        return self.cal.count(a, b)

    def working_day_between(self, lo: date, hi: date) -> date:
        """A random working day in [lo, hi]; a random day if the range holds none."""
        if hi < lo:
            return lo
        first = self.cal.next_on_or_after(lo)
        if first > hi:
            return lo + timedelta(days=self.rng.randint(0, (hi - lo).days))
        span = self.cal.count(first, hi)
        return self.cal.add(first, self.rng.randint(0, span))

    def day_between(self, lo: date, hi: date) -> date:
        if hi <= lo:
            return lo
        return lo + timedelta(days=self.rng.randint(0, (hi - lo).days))

    def months(self, day: date, months: float) -> date:
        whole = int(months)
        return day + relativedelta(months=whole) + timedelta(days=int((months - whole) * 30))

    def pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def in_window(self, day: date) -> bool:
        """Failures are injected only into the county's own history, not its legacy cases."""
        return self.start <= day <= self.end


def school_terms(first_year: int, last_year: int) -> list[tuple[str, date, date]]:
    """Half terms of a typical English school year, for each academic year."""
    halves = []
    for year in range(first_year, last_year + 1):
        halves += [
            ("Autumn term, first half", date(year, 9, 3), date(year, 10, 24)),
            ("Autumn term, second half", date(year, 11, 3), date(year, 12, 19)),
            ("Spring term, first half", date(year + 1, 1, 6), date(year + 1, 2, 13)),
            ("Spring term, second half", date(year + 1, 2, 23), date(year + 1, 3, 27)),
            ("Summer term, first half", date(year + 1, 4, 13), date(year + 1, 5, 22)),
            ("Summer term, second half", date(year + 1, 6, 1), date(year + 1, 7, 21)),
        ]
    return halves
