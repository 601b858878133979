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
        self.first = first
        self.last = last
        self._days = sorted(counted)
        self._ordinals = [d.toordinal() for d in self._days]
        # For whole columns at once: days since 1970 of each counted day, and for every day of
        # the calendar how many counted days fall on or before it.
        self._base = (first - EPOCH).days
        self._counted_days = np.array([(d - EPOCH).days for d in self._days], dtype=np.int32)
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


@cache
def working_days() -> DayCalendar:
    """England's working days: Monday to Friday, less bank holidays."""
    first, last = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
    bank = england_bank_holidays()
    counted = (d for d in _each_day(first, last) if d.weekday() < 5 and d not in bank)
    return DayCalendar(counted, first, last)


def _school_year(d: date) -> int:
    return d.year if d.month >= 9 else d.year - 1


def school_days(terms: Iterable[tuple[date, date]]) -> DayCalendar:
    """School days: weekdays inside the authority's terms, less bank holidays. In a school year
    whose terms are not recorded (records loaded from returns, before anyone enters the terms)
    every working day counts, so no duty is left without a date."""
    bank = england_bank_holidays()
    days: set[date] = set()
    recorded: set[int] = set()
    for starts, ends in terms:
        recorded.add(_school_year(starts))
        days.update(d for d in _each_day(starts, ends) if d.weekday() < 5 and d not in bank)
    first, last = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
    days.update(
        d
        for d in _each_day(first, last)
        if d.weekday() < 5 and d not in bank and _school_year(d) not in recorded
    )
    return DayCalendar(days, first, last)
