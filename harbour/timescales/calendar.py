"""Working days and school days for England.

Bank holidays come from the `holidays` package (England's subdivision of the UK), which
knows the moved and extra ones (VE day 2020, the 2022 jubilee and state funeral, the 2023
coronation). Lookups are precomputed once per calendar, so the arithmetic is constant time:
duties for a whole county call it millions of times.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache

import holidays
import numpy as np

EPOCH = date(1970, 1, 1)

FIRST_YEAR = 1990
LAST_YEAR = 2070


class DayCalendar:
    """A set of counted days (working days, school days) with arithmetic over them.

    `add(d, n)` is the n-th counted day after d (d itself never counts, so a duty due
    "within one working day" of a Friday contact is due on Monday). `count(a, b)` is the
    number of counted days after a, up to and including b.
    """

    def __init__(self, counted: Iterable[date], first: date, last: date):
        days = np.array([(d - EPOCH).days for d in counted], dtype=np.int32)
        self._build(np.unique(days), first, last)

    @classmethod
    def from_numbers(cls, counted: np.ndarray, first: date, last: date) -> "DayCalendar":
        """From the counted days as numbers of days since 1970, sorted, once each."""
        calendar = cls.__new__(cls)
        calendar._build(counted.astype(np.int32), first, last)
        return calendar

    def _build(self, counted: np.ndarray, first: date, last: date) -> None:
        self.first = first
        self.last = last
        epoch = EPOCH.toordinal()
        self._ordinals = (counted.astype(np.int64) + epoch).tolist()
        self._days = [date.fromordinal(o) for o in self._ordinals]
        # For whole columns at once: days since 1970 of each counted day, and for every day of
        # the calendar how many counted days fall on or before it.
        self._base = (first - EPOCH).days
        self._counted_days = counted
        flags = np.zeros((last - first).days + 1, dtype=np.int32)
        flags[self._counted_days - self._base] = 1
        self._upto = np.cumsum(flags, dtype=np.int32)
        self._flags = flags

    def _check(self, d: date) -> None:
        if not self.first <= d <= self.last:
            raise ValueError(f"{d.isoformat()} is outside the calendar ({self.first}..{self.last})")

    def is_counted(self, d: date) -> bool:
        self._check(d)
        i = bisect_left(self._ordinals, d.toordinal())
        return i < len(self._ordinals) and self._ordinals[i] == d.toordinal()

    def add(self, d: date, n: int) -> date:
        if n < 0:
            raise ValueError("n must not be negative; use subtract")
        self._check(d)
        if n == 0:
            return d
        i = bisect_right(self._ordinals, d.toordinal()) + n - 1
        if i >= len(self._days):
            raise ValueError(f"{n} days after {d} is beyond the calendar")
        return self._days[i]

    def subtract(self, d: date, n: int) -> date:
        """The n-th counted day before d."""
        if n < 0:
            raise ValueError("n must not be negative; use add")
        self._check(d)
        if n == 0:
            return d
        i = bisect_left(self._ordinals, d.toordinal()) - n
        if i < 0:
            raise ValueError(f"{n} days before {d} is before the calendar")
        return self._days[i]

    def count(self, a: date, b: date) -> int:
        """Counted days after a up to and including b (negative if b is before a)."""
        self._check(a)
        self._check(b)
        return bisect_right(self._ordinals, b.toordinal()) - bisect_right(
            self._ordinals, a.toordinal()
        )

    def add_array(self, days: np.ndarray, n: np.ndarray) -> np.ndarray:
        """`add` (or `subtract`, for negative n) over arrays of days since 1970."""
        offset = days.astype(np.int64) - self._base
        if offset.size and (offset.min() < 0 or offset.max() >= self._upto.size):
            raise ValueError("a date is outside the calendar")
        n = np.broadcast_to(np.asarray(n, dtype=np.int64), offset.shape)
        upto = self._upto[offset].astype(np.int64)
        forward = upto + n - 1
        backward = upto - self._flags[offset] + n
        index = np.where(n >= 0, forward, backward)
        if index.size and (index.min() < 0 or index.max() >= self._counted_days.size):
            raise ValueError("a result is outside the calendar")
        return np.where(n == 0, days, self._counted_days[np.clip(index, 0, None)])

    def count_array(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """`count` over arrays of days since 1970."""
        return (
            self._upto[b.astype(np.int64) - self._base]
            - self._upto[a.astype(np.int64) - self._base]
        )

    def next_on_or_after(self, d: date) -> date:
        self._check(d)
        i = bisect_left(self._ordinals, d.toordinal())
        return self._days[i]


def _each_day(first: date, last: date):
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


@cache
def england_bank_holidays(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> frozenset:
    found = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return frozenset(found.keys())


def _weekdays_but_bank_holidays(first: date, last: date) -> tuple[np.ndarray, np.ndarray]:
    """Every day from first to last (days since 1970), and which are Monday to Friday and not a
    bank holiday."""
    days = np.arange((first - EPOCH).days, (last - EPOCH).days + 1, dtype=np.int32)
    bank = np.array([(d - EPOCH).days for d in england_bank_holidays()], dtype=np.int32)
    weekday = (days + 3) % 7 < 5  # 1 January 1970 was a Thursday (Monday is 0)
    return days, weekday & ~np.isin(days, bank)


@cache
def working_days() -> DayCalendar:
    """England's working days: Monday to Friday, less bank holidays."""
    first, last = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
    days, working = _weekdays_but_bank_holidays(first, last)
    return DayCalendar.from_numbers(days[working], first, last)


def _school_year(d: date) -> int:
    return d.year if d.month >= 9 else d.year - 1


def school_days(terms: Iterable[tuple[date, date]]) -> DayCalendar:
    """School days: weekdays inside the authority's terms, less bank holidays. In a school year
    whose terms are not recorded (records loaded from returns, before anyone enters the terms)
    every working day counts, so no duty is left without a date."""
    terms = [tuple(term) for term in terms]
    return _school_days(tuple(sorted(terms)))


@cache
def _school_days(terms: tuple[tuple[date, date], ...]) -> DayCalendar:
    first, last = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
    days, working = _weekdays_but_bank_holidays(first, last)
    in_term = np.zeros(days.size, dtype=bool)
    recorded: set[int] = set()
    for starts, ends in terms:
        recorded.add(_school_year(starts))
        lo, hi = max((starts - first).days, 0), min((ends - first).days, days.size - 1)
        in_term[lo : hi + 1] = True
    as_dates = days.astype("datetime64[D]")
    years = as_dates.astype("datetime64[Y]").astype(np.int64) + 1970
    months = as_dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    school_year = years - (months < 9)
    unrecorded = ~np.isin(school_year, np.array(sorted(recorded), dtype=np.int64))
    return DayCalendar.from_numbers(days[working & (in_term | unrecorded)], first, last)
