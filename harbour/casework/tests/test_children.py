"""Add a child (likely matches first) and merge two records of one child, through the pages."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from harbour.access.models import AuditEvent
from harbour.access.roles import Role
from harbour.access.tests.world import build, sign_in
from harbour.journey.models import CaseSummary, Contact
from harbour.people.models import Child

pytestmark = pytest.mark.django_db

DETAILS = {
    "forename": "Ourz",
    "surname": "Fenwick",
    "born_day": "1",
    "born_month": "5",
    "born_year": "2014",
    "sex": "F",
    "postcode": "NE1 4AB",
    "address_line_1": "1 High Street",
    "town": "Harbourton",
}


@pytest.fixture
def world():
    return build()


@pytest.fixture
def worker(client, world):
    sign_in(client, world.users[Role.SOCIAL_WORKER])
    return client


def test_the_form_asks_who_the_child_is(worker):
    page = worker.get(reverse("add_child"))
    assert page.status_code == 200
    assert "Add a child" in page.content.decode()


def test_a_child_like_one_held_is_offered_before_anything_is_made(worker, world):
    page = worker.post(reverse("add_child"), {**DETAILS, "step": "find"})
    body = page.content.decode()
    assert "Is it one of these children?" in body
    assert [row.child for row in page.context["rows"]][0] == world.children["ours"]
    assert "same date of birth" in body
    assert not Child.objects.filter(forename="Ourz").exists()


def test_choosing_a_held_child_opens_their_record(worker, world):
    answer = worker.post(
        reverse("add_child"), {**DETAILS, "step": "choose", "choice": "SYN0000001"}
    )
    assert answer.status_code == 302
    assert answer.url == reverse("child", args=["SYN0000001"])
    assert not Child.objects.filter(forename="Ourz").exists()


def test_a_child_not_offered_cannot_be_chosen(worker):
    page = worker.post(reverse("add_child"), {**DETAILS, "step": "choose", "choice": "SYN0000003"})
    assert "Select the child, or that they are not one of these" in page.content.decode()


def test_a_restricted_child_is_never_offered(worker):
    page = worker.post(reverse("add_child"), {**DETAILS, "forename": "Restricted", "step": "find"})
    assert "SYN0000003" not in page.content.decode()


def test_none_of_these_makes_the_record(worker, world):
    page = worker.post(reverse("add_child"), {**DETAILS, "step": "choose", "choice": "new"})
    assert "Child added" in page.content.decode()
    made = Child.objects.get(forename="Ourz")
    assert made.date_of_birth == date(2014, 5, 1)
    assert made.addresses.get().postcode == "NE1 4AB"
    assert AuditEvent.objects.filter(child_id=made.pk, detail__action="create_child").exists()


def test_with_no_likely_match_the_page_says_so_and_offers_to_add(worker):
    asked = {**DETAILS, "forename": "Quentin", "surname": "Yarholm", "born_year": "2019"}
    asked["postcode"] = asked["address_line_1"] = ""
    page = worker.post(reverse("add_child"), {**asked, "step": "find"})
    assert "No child Harbour holds matches" in page.content.decode()


def test_an_unborn_child(worker):
    due = timezone.localdate() + timezone.timedelta(days=40)
    asked = {**DETAILS, "forename": "Baby", "surname": "Yarholm", "unborn": "on", "sex": "U"}
    asked |= {"born_day": due.day, "born_month": due.month, "born_year": due.year}
    worker.post(reverse("add_child"), {**asked, "step": "choose", "choice": "new"})
    assert Child.objects.get(forename="Baby").expected_date_of_birth == due


@pytest.mark.parametrize(
    "change, message",
    [
        ({"forename": ""}, "Enter the child&#x27;s first name"),
        ({"born_day": ""}, "Date of birth must include a day"),
        ({"born_month": "13"}, "Date of birth must be a real date"),
        ({"born_year": "2099"}, "Date of birth must be today or in the past"),
        ({"sex": ""}, "Select the child&#x27;s sex"),
        ({"postcode": ""}, "Enter the postcode of the address"),
    ],
)
def test_what_is_wrong_is_named(worker, change, message):
    page = worker.post(
        reverse("add_child"), {**DETAILS, **change, "step": "choose", "choice": "new"}
    )
    assert message in page.content.decode()
    assert "There is a problem" in page.content.decode()
    assert not Child.objects.filter(surname="Fenwick", forename=DETAILS["forename"]).exists()


def test_those_who_only_look_cannot_add(client, world):
    sign_in(client, world.users[Role.INSPECTOR])
    assert client.post(reverse("add_child"), {**DETAILS, "step": "find"}).status_code == 403


# Merging


@pytest.fixture
def manager(client, world):
    sign_in(client, world.users[Role.TEAM_MANAGER])
    return client


@pytest.fixture
def duplicate(world):
    twin = Child.objects.create(
        reference="NEW-ABCD",
        forename="Ourz",
        surname="Fenwick",
        sex="F",
        date_of_birth=date(2014, 5, 1),
    )
    Contact.objects.create(child=twin, source="6", received_at=timezone.now(), concerns="Seen")
    return twin


def test_the_two_records_are_shown_side_by_side(manager, world, duplicate):
    page = manager.post(
        reverse("merge_children"),
        {"step": "compare", "duplicate": "new-abcd", "keep": "SYN0000001"},
    )
    body = page.content.decode()
    assert "Are these the same child?" in body
    assert "NEW-ABCD" in body and "SYN0000001" in body
    assert "1 contact" in body
    assert not Child.objects.get(pk=duplicate.pk).merged_into


def test_merging_moves_everything_and_the_duplicate_points_to_the_kept(manager, world, duplicate):
    answer = manager.post(
        reverse("merge_children"),
        {
            "step": "merge",
            "duplicate": "NEW-ABCD",
            "keep": "SYN0000001",
            "reason": "The same child: the police used a nickname",
        },
    )
    assert answer.status_code == 302 and answer.url == reverse("merged", args=["NEW-ABCD"])
    duplicate.refresh_from_db()
    assert duplicate.merged_into == world.children["ours"]
    assert Contact.objects.filter(child=world.children["ours"], concerns="Seen").exists()
    banner = manager.get(answer.url).content.decode()
    assert "NEW-ABCD was merged into SYN0000001" in banner
    assert reverse("child", args=["SYN0000001"]) in banner
    assert AuditEvent.objects.filter(detail__action="merge_children").count() == 2


def test_a_reason_is_needed(manager, duplicate):
    page = manager.post(
        reverse("merge_children"),
        {"step": "merge", "duplicate": "NEW-ABCD", "keep": "SYN0000001", "reason": ""},
    )
    assert "Enter why these records are the same child" in page.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_a_clash_is_explained_and_the_merge_not_offered(manager, world, duplicate):
    CaseSummary.objects.create(child=duplicate, summary="One")
    CaseSummary.objects.create(child=world.children["ours"], summary="Two")
    page = manager.post(
        reverse("merge_children"),
        {
            "step": "merge",
            "duplicate": "NEW-ABCD",
            "keep": "SYN0000001",
            "reason": "The same child, twice over",
        },
    )
    body = page.content.decode()
    assert "These records cannot be merged yet" in body
    assert "Both records have a case summary" in body
    assert "Merge NEW-ABCD into" not in body


@pytest.mark.parametrize(
    "duplicate_ref, keep_ref, message",
    [
        ("SYN0000001", "SYN0000001", "a record cannot be merged into itself"),
        ("NOPE", "SYN0000001", "No record with this reference can be merged"),
    ],
)
def test_wrong_references_are_named(manager, duplicate_ref, keep_ref, message):
    page = manager.post(
        reverse("merge_children"), {"step": "compare", "duplicate": duplicate_ref, "keep": keep_ref}
    )
    assert message in page.content.decode()


def test_a_restricted_record_is_answered_as_not_held_without_a_grant(client, world):
    # The team manager holds the grant; a second manager without one cannot name it.
    from harbour.access.models import User
    from harbour.workforce.models import Staff

    user = User.objects.create_user(username="tm2", password="x-long-password-1")
    Staff.objects.create(
        user=user,
        forename="T",
        surname="M",
        role=Role.TEAM_MANAGER,
        team=world.teams["north"],
        starts_on=date(2020, 1, 6),
    )
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=user, name="Test", confirmed=True)
    sign_in(client, user)
    page = client.post(
        reverse("merge_children"),
        {"step": "compare", "duplicate": "SYN0000003", "keep": "SYN0000001"},
    )
    assert "No record with this reference can be merged" in page.content.decode()


def test_only_team_managers_merge(worker):
    assert worker.get(reverse("merge_children")).status_code == 403


@pytest.mark.parametrize(
    "role, add, merge",
    [
        (Role.SOCIAL_WORKER, True, False),
        (Role.TEAM_MANAGER, True, True),
        (Role.INSPECTOR, False, False),
        (Role.PERFORMANCE_OFFICER, False, False),
    ],
)
def test_find_a_child_offers_adding_and_merging_to_those_who_may(client, world, role, add, merge):
    sign_in(client, world.users[role])
    body = client.get(reverse("search")).content.decode()
    assert (reverse("add_child") in body) is add
    assert (reverse("merge_children") in body) is merge


def test_the_likely_matches_page_costs_what_it_shows(worker, django_assert_max_num_queries):
    Child.objects.bulk_create(
        Child(
            reference=f"SYN5{n:06d}",
            forename="Ourz",
            surname="Fenwick",
            sex="F",
            date_of_birth=date(2014, 5, 1),
        )
        for n in range(40)
    )
    from harbour.people.search import rebuild_keys

    rebuild_keys()
    worker.post(reverse("add_child"), {**DETAILS, "step": "find"})
    with django_assert_max_num_queries(30):
        page = worker.post(reverse("add_child"), {**DETAILS, "step": "find"})
    assert len(page.context["rows"]) == 10
