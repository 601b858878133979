"""Find a child, Add a child and the merge in Chromium: axe on every page and state (results,
errors, likely matches, side by side, the merged record), and screenshots at 1280 and 320
pixels wide, to HARBOUR_SCREENSHOTS (or a temporary folder)."""

from datetime import date

import pytest

from harbour.access.tests.world import PASSWORD, build
from harbour.people.models import Address, Child
from harbour.web.tests.browser import (  # noqa: F401 (fixtures)
    accessibility_violations,
    axe_path,
    browser,
    page,
    sign_in,
)
from harbour.web.tests.browser import (
    shoot as _shoot,
)
from harbour.web.tests.browser import (
    shots_folder as _shots,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world():
    world = build()
    for n, (forename, surname, born, postcode) in enumerate(
        [
            ("Amy", "Brackby", date(2015, 3, 12), "NE1 4AB"),
            ("Amie", "Brackbie", date(2015, 3, 12), "NE1 7XY"),
            ("Olivia", "Brackby", date(2011, 8, 2), "NE1 4AB"),
            ("Harry", "Brackford", date(2017, 1, 20), "NE3 2QT"),
        ]
    ):
        child = Child.objects.create(
            reference=f"SYN00001{n:02d}",
            forename=forename,
            surname=surname,
            sex="F" if forename != "Harry" else "M",
            date_of_birth=born,
        )
        Address.objects.create(
            child=child,
            line_1=f"{n + 3} Harbour Road",
            town="Harbourton",
            postcode=postcode,
            starts_on=date(2020, 1, 1),
        )
    return world


def test_find_a_child_passes_axe_and_finds_a_misspelt_name(page, axe_path, tmp_path):  # noqa: F811
    _world()
    shots = _shots(tmp_path)
    sign_in(page, "team_manager", PASSWORD)
    page.goto("/children/")
    assert accessibility_violations(page, axe_path) == []
    page.get_by_label("Name, reference or NHS number").fill("Brackbi")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_role("link", name="Amy Brackby").is_visible()
    assert accessibility_violations(page, axe_path) == []
    _shoot(page, shots, "find-a-child")
    # More ways to search works without script: a native details element.
    page.goto("/children/?q=amy&born_day=31&born_month=2&born_year=2015")
    assert page.get_by_text("There is a problem").is_visible()
    assert accessibility_violations(page, axe_path) == []
    page.goto("/children/?q=amy&postcode=NE1")
    assert accessibility_violations(page, axe_path) == []
    _shoot(page, shots, "find-a-child-more")


def test_add_a_child_shows_likely_matches_first(page, axe_path, tmp_path):  # noqa: F811
    _world()
    shots = _shots(tmp_path)
    sign_in(page, "social_worker", PASSWORD)
    page.goto("/children/add/")
    assert accessibility_violations(page, axe_path) == []
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert accessibility_violations(page, axe_path) == []
    page.get_by_label("First name").fill("Amy")
    page.get_by_label("Last name").fill("Brackbey")
    page.get_by_label("Day").fill("12")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2015")
    page.get_by_label("Female").check()
    page.get_by_label("Postcode (optional)").fill("NE1 4AB")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="Is it one of these children?").is_visible()
    assert accessibility_violations(page, axe_path) == []
    _shoot(page, shots, "add-a-child")
    page.get_by_role("button", name="Continue").click()  # nothing chosen
    assert page.get_by_text("There is a problem").is_visible()
    assert accessibility_violations(page, axe_path) == []
    page.get_by_label("None of these").check()
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="Child added").is_visible()
    assert accessibility_violations(page, axe_path) == []


def test_merge_two_records_side_by_side(page, axe_path, tmp_path):  # noqa: F811
    world = _world()
    shots = _shots(tmp_path)
    sign_in(page, "team_manager", PASSWORD)
    page.goto("/children/merge/")
    assert accessibility_violations(page, axe_path) == []
    page.get_by_label("Reference of the duplicate record").fill("SYN0000101")
    page.get_by_label("Reference of the record to keep").fill(world.children["ours"].reference)
    page.get_by_role("button", name="Compare the records").click()
    assert page.get_by_role("heading", name="Are these the same child?").is_visible()
    assert accessibility_violations(page, axe_path) == []
    _shoot(page, shots, "merge-compare")
    page.get_by_role("button", name="Merge SYN0000101").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert accessibility_violations(page, axe_path) == []
    page.get_by_label("Why are these records the same child?").fill("The same NHS number")
    page.get_by_role("button", name="Merge SYN0000101").click()
    assert page.get_by_role("heading", name="This record was merged").is_visible()
    assert accessibility_violations(page, axe_path) == []
    _shoot(page, shots, "merged-record")
