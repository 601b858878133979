"""Fixtures for the web tests: a worker with children allocated, and a Chromium page."""

from datetime import date

import pytest

from harbour.web.tests.browser import axe_path, browser, page  # noqa: F401 (fixtures)
from harbour.web.tests.records import allocate, make_child, make_worker
from harbour.workforce.models import Team


@pytest.fixture
def team(db):
    return Team.objects.create(name="North Safeguarding", kind=Team.Kind.SAFEGUARDING)


@pytest.fixture
def worker(django_user_model, team):
    """A social worker holding one child, and an unborn child, today."""
    user, staff = make_worker(django_user_model, "asha", "Asha", "Patel", team)
    allocate(make_child("C1001", "Ruby", "Hughes"), staff, date(2024, 9, 2))
    unborn = make_child(
        "C1002", "Unborn", "Khan", date_of_birth=None, expected_date_of_birth=date(2099, 1, 15)
    )
    allocate(unborn, staff, date(2024, 11, 4))
    return user
