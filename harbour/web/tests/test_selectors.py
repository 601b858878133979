from datetime import date

import pytest

from harbour.web.tests.records import allocate, make_child
from harbour.workforce.selectors import current_allocations

pytestmark = pytest.mark.django_db

DAY = date(2025, 6, 10)


def test_current_allocations_on_a_date(worker):
    staff = worker.staff
    ended = allocate(make_child("C5001", "Amy", "Ward"), staff, date(2025, 1, 6), date(2025, 6, 9))
    last_day = allocate(make_child("C5002", "Bea", "Ward"), staff, date(2025, 1, 6), DAY)
    first_day = allocate(make_child("C5003", "Cal", "Ward"), staff, DAY)
    later = allocate(make_child("C5004", "Dev", "Ward"), staff, date(2025, 6, 11))

    held = set(current_allocations(staff, DAY))
    assert {last_day, first_day} <= held
    assert not {ended, later} & held
