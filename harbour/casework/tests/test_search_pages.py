"""Find a child: every match can be reached, a page at a time; none is cut off silently."""

from datetime import date

import pytest
from django.urls import reverse

from harbour.access.roles import Role
from harbour.access.tests.world import build, sign_in
from harbour.casework.views.search import SEARCH_PAGE
from harbour.people.models import Child
from harbour.people.search import rebuild_keys

pytestmark = pytest.mark.django_db


@pytest.fixture
def searcher(client):
    world = build()
    Child.objects.bulk_create(
        Child(
            reference=f"SYN7{n:06d}",
            forename=f"Ava{n:02d}",
            surname="Brackbie",
            sex="F",
            date_of_birth=date(2015, 1, 1),
        )
        for n in range(SEARCH_PAGE + 5)
    )
    rebuild_keys()  # as a bulk load does: bulk_create passes by the signals that keep the keys
    sign_in(client, world.users[Role.SERVICE_MANAGER])
    return client


def _references(page) -> list[str]:
    return [child.reference for child, _ in page.context["results"]]


def test_more_matches_than_a_page_are_paged_not_cut(searcher):
    first = searcher.get(reverse("search"), {"q": "Brackbie"})
    assert f"{SEARCH_PAGE + 5} found" in first.content.decode()
    assert len(_references(first)) == SEARCH_PAGE
    assert "page=2" in first.content.decode()
    second = searcher.get(reverse("search"), {"q": "Brackbie", "page": 2})
    assert len(_references(second)) == 5
    assert not set(_references(first)) & set(_references(second))


def test_a_page_that_is_not_a_number_is_named_as_the_problem(searcher):
    page = searcher.get(reverse("search"), {"q": "Brackbie", "page": "abc"})
    assert page.status_code == 200
    assert "Page must be a whole number" in page.content.decode()


def test_a_page_past_the_end_shows_the_last(searcher):
    page = searcher.get(reverse("search"), {"q": "Brackbie", "page": 99})
    assert len(_references(page)) == 5
