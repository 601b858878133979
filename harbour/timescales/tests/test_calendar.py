from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harbour.timescales.calendar import england_bank_holidays, school_days, working_days

wd = working_days()
days = st.dates(min_value=date(2006, 1, 1), max_value=date(2030, 12, 31))


@pytest.mark.parametrize(
    "start, n, expected",
    [
        (date(2024, 11, 22), 1, date(2024, 11, 25)),  # Friday + 1: Monday
        (date(2024, 11, 23), 1, date(2024, 11, 25)),  # Saturday + 1: Monday
        (date(2024, 11, 25), 0, date(2024, 11, 25)),
        (date(2020, 5, 7), 1, date(2020, 5, 11)),  # VE day moved to Friday 8 May 2020
        (date(2020, 5, 1), 1, date(2020, 5, 4)),  # no bank holiday on Monday 4 May 2020
        (date(2022, 6, 1), 1, date(2022, 6, 6)),  # platinum jubilee: 2 and 3 June 2022
        (date(2022, 9, 16), 1, date(2022, 9, 20)),  # the Queen's state funeral, 19 Sep 2022
        (date(2023, 5, 5), 1, date(2023, 5, 9)),  # coronation bank holiday, 8 May 2023
        (date(2024, 2, 28), 2, date(2024, 3, 1)),  # leap year: 29 February is a working day
        (date(2023, 2, 28), 1, date(2023, 3, 1)),
        (date(2021, 12, 24), 1, date(2021, 12, 29)),  # Christmas on a Saturday
        (date(2013, 4, 15), 45, date(2013, 6, 19)),  # single assessment from WT2013's start
        (date(2006, 4, 13), 1, date(2006, 4, 18)),  # Easter 2006
    ],
)
def test_adding_working_days(start, n, expected):
    assert wd.add(start, n) == expected


def test_england_not_scotland_or_wales():
    bank = england_bank_holidays()
    assert date(2024, 1, 2) not in bank  # Scotland's 2 January
    assert date(2024, 3, 18) not in bank  # Northern Ireland's St Patrick's day (observed)
    assert date(2024, 8, 26) in bank  # England's late summer bank holiday


def test_every_year_from_2006_to_2030_has_its_bank_holidays():
    bank = england_bank_holidays()
    for year in range(2006, 2031):
        assert 8 <= sum(1 for d in bank if d.year == year) <= 12, year
    assert date(2011, 4, 29) in bank  # the royal wedding


def test_fifteen_working_days_over_christmas():
    assert wd.add(date(2024, 12, 16), 15) == date(2025, 1, 9)
    assert wd.count(date(2024, 12, 16), date(2025, 1, 9)) == 15


def test_outside_the_calendar_is_an_error_not_a_guess():
    with pytest.raises(ValueError, match="outside the calendar"):
        wd.add(date(1980, 1, 1), 1)


@given(days, st.integers(min_value=0, max_value=400))
def test_add_then_count_round_trips(start, n):
    end = wd.add(start, n)
    assert wd.count(start, end) == n
    assert n == 0 or wd.is_counted(end)


@given(days, st.integers(min_value=1, max_value=400))
def test_subtract_inverts_add_on_working_days(start, n):
    start = wd.next_on_or_after(start)
    assert wd.subtract(wd.add(start, n), n) == start


@given(days, st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=100))
def test_adding_is_associative(start, a, b):
    assert wd.add(wd.add(start, a), b) == wd.add(start, a + b)


@given(days, days)
def test_count_is_antisymmetric_and_bounded_by_calendar_days(a, b):
    assert wd.count(a, b) == -wd.count(b, a)
    assert abs(wd.count(a, b)) <= abs((b - a).days)


@given(days)
def test_working_days_are_weekdays_that_are_not_bank_holidays(day):
    assert wd.is_counted(day) == (day.weekday() < 5 and day not in england_bank_holidays())


def test_school_days_skip_holidays_and_weekends():
    terms = [(date(2025, 9, 3), date(2025, 10, 24)), (date(2025, 11, 3), date(2025, 12, 19))]
    school = school_days(terms)
    # Twenty school days from a child coming into care in half term: counting starts 3 Nov.
    assert school.add(date(2025, 10, 27), 20) == date(2025, 11, 28)
    assert not school.is_counted(date(2025, 10, 29))
    assert school.add(date(2025, 12, 18), 1) == date(2025, 12, 19)
    # The rest of 2025-26 is not in the recorded terms; 2026-27 has none recorded, so its
    # working days count (records loaded from returns before anyone enters the terms).
    assert school.add(date(2025, 12, 18), 2) == date(2026, 9, 1)
    assert school_days([]).add(date(2025, 12, 18), 2) == date(2025, 12, 22)
    assert school.count(date(2025, 9, 2), date(2025, 9, 30)) == 20


@given(
    st.lists(st.tuples(days, st.integers(min_value=-300, max_value=300)), min_size=1, max_size=50)
)
def test_whole_columns_agree_with_one_day_at_a_time(pairs):
    import numpy as np

    from harbour.timescales.calendar import EPOCH

    starts = np.array([(d - EPOCH).days for d, _ in pairs], dtype=np.int32)
    shifts = np.array([n for _, n in pairs])
    results = wd.add_array(starts, shifts)
    for (day, n), result in zip(pairs, results, strict=True):
        expected = wd.add(day, n) if n >= 0 else wd.subtract(day, -n)
        assert (expected - EPOCH).days == result
