"""Find a child through the page: tolerant names, date of birth, identifiers, former names,
postcodes; ranked; only what the viewer may find; audited; a bounded number of queries."""

from datetime import date

import pytest
from django.urls import reverse

from harbour.access.models import AuditEvent
from harbour.access.roles import Role
from harbour.access.tests.world import build, sign_in
from harbour.people.models import Address, Child, FormerName
from harbour.people.search import rebuild_keys

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build()


@pytest.fixture
def manager(client, world):
    sign_in(client, world.users[Role.SERVICE_MANAGER])
    return client


def child(reference, forename, surname, born=date(2015, 3, 12), **fields):
    return Child.objects.create(
        reference=reference,
        forename=forename,
        surname=surname,
        sex="F",
        date_of_birth=born,
        **fields,
    )


def found(page) -> list[str]:
    return [row.child.reference for row in page.context["rows"]]


def test_a_misspelt_name_finds_the_child(manager):
    amy = child("SYN0000010", "Amy", "Brackby")
    child("SYN0000011", "Amy", "Fenwick")
    page = manager.get(reverse("search"), {"q": "Brackbi"})
    assert found(page) == [amy.reference]
    assert "name sounds the same" in page.content.decode()


def test_forename_and_surname_both_narrow_and_rank(manager):
    exact = child("SYN0000010", "Olivia", "Brackby")
    close = child("SYN0000011", "Oliva", "Brackbie")
    child("SYN0000012", "Harry", "Brackby")
    page = manager.get(reverse("search"), {"q": "olivia brackby"})
    assert found(page) == [exact.reference, close.reference]


def test_the_beginning_of_a_name_finds_it(manager):
    amy = child("SYN0000010", "Amy", "Brackby")
    assert found(manager.get(reverse("search"), {"q": "Brac"})) == [amy.reference]


def test_date_of_birth_by_the_date_input_and_in_the_box(manager):
    amy = child("SYN0000010", "Amy", "Brackby", born=date(2016, 4, 9))
    swapped = child("SYN0000011", "Amy", "Brackby", born=date(2016, 9, 4))
    child("SYN0000012", "Amy", "Brackby", born=date(2010, 1, 1))
    page = manager.get(
        reverse("search"), {"q": "Amy", "born_day": "9", "born_month": "4", "born_year": "2016"}
    )
    assert found(page) == [amy.reference, swapped.reference]
    assert found(manager.get(reverse("search"), {"q": "9/4/2016"}))[0] == amy.reference


def test_a_date_that_is_not_real_is_named(manager):
    page = manager.get(
        reverse("search"), {"born_day": "31", "born_month": "2", "born_year": "2016"}
    )
    assert "Date of birth must be a real date" in page.content.decode()
    assert 'href="#id_born_day"' in page.content.decode()


@pytest.mark.parametrize(
    "field, value",
    [
        ("q", "SYN0000010"),
        ("q", "485 777 3456"),
        ("identifier", "a123456789012"),
        ("identifier", "B123456789012"),
    ],
)
def test_identifiers(manager, field, value):
    amy = child(
        "SYN0000010",
        "Amy",
        "Brackby",
        nhs_number="4857773456",
        upn="A123456789012",
        former_upn="B123456789012",
    )
    child("SYN0000011", "Amy", "Brackby")
    assert found(manager.get(reverse("search"), {field: value})) == [amy.reference]


def test_a_former_name_finds_the_child(manager):
    amy = child("SYN0000010", "Amy", "Corrwick")
    FormerName.objects.create(child=amy, surname="Brackby")
    page = manager.get(reverse("search"), {"q": "amy brackby"})
    assert found(page) == [amy.reference]
    assert "a former name" in page.content.decode()


def test_postcode_whole_or_outward_code(manager):
    amy = child("SYN0000010", "Amy", "Brackby")
    tom = child("SYN0000011", "Tom", "Fenwick")
    for who, postcode in ((amy, "NE1 4AB"), (tom, "NE1 7XY")):
        Address.objects.create(
            child=who,
            line_1="1 High Street",
            town="Harbourton",
            postcode=postcode,
            starts_on=date(2020, 1, 1),
        )
    assert found(manager.get(reverse("search"), {"q": "ne14ab"})) == [amy.reference]
    assert set(found(manager.get(reverse("search"), {"postcode": "NE1"}))) == {
        amy.reference,
        tom.reference,
    }
    page = manager.get(reverse("search"), {"q": "Amy", "postcode": "NE1 4AB"})
    assert found(page) == [amy.reference]
    assert "1 High Street, NE1 4AB" in page.content.decode()


def test_a_restricted_child_never_appears_to_those_without_a_grant(client, world):
    sign_in(client, world.users[Role.SERVICE_MANAGER])
    assert "SYN0000003" not in found(client.get(reverse("search"), {"q": "Restricted"}))
    client.logout()
    sign_in(client, world.users[Role.TEAM_MANAGER])  # holds the grant
    assert found(client.get(reverse("search"), {"q": "Restricted"})) == ["SYN0000003"]


def test_a_merged_record_never_appears(manager, world):
    kept = world.children["theirs"]
    child("SYN0000010", "Theirs", "Fenwick", merged_into=kept)
    assert found(manager.get(reverse("search"), {"q": "Theirs Fenwick"})) == [kept.reference]


def test_a_worker_sees_whether_each_child_is_their_work(client, world):
    sign_in(client, world.users[Role.SOCIAL_WORKER])
    page = client.get(reverse("search"), {"q": "Fenwick"})
    rows = {row.child.reference: row for row in page.context["rows"]}
    assert rows["SYN0000001"].mine and not rows["SYN0000002"].mine
    assert rows["SYN0000001"].worker == world.staff[Role.SOCIAL_WORKER]
    assert "Child protection plan" in page.content.decode()


def test_the_search_is_audited_with_the_children_listed(manager):
    amy = child("SYN0000010", "Amy", "Brackby")
    manager.get(reverse("search"), {"q": "Brackbi"})
    line = AuditEvent.objects.filter(action=AuditEvent.Action.SEARCH).latest("id")
    assert line.detail["query"] == "Brackbi"
    assert line.detail["child_ids"] == [amy.pk]


def test_nothing_found_says_so(manager):
    page = manager.get(reverse("search"), {"q": "Zzyzx"})
    assert "0 found" in page.content.decode()
    assert "No child matches" in page.content.decode()


def test_queries_follow_the_page_not_the_county(manager, django_assert_max_num_queries):
    Child.objects.bulk_create(
        Child(
            reference=f"SYN1{n:06d}",
            forename=f"Ava{n}",
            surname="Fenwick",
            sex="F",
            date_of_birth=date(2012, 1, 1),
        )
        for n in range(300)
    )
    Child.objects.bulk_create(
        Child(
            reference=f"SYN2{n:06d}",
            forename="Amy",
            surname="Brackby",
            sex="F",
            date_of_birth=date(2014, 1, 1),
        )
        for n in range(60)
    )
    rebuild_keys()
    manager.get(reverse("search"), {"q": "Brackbi"})  # warm the session and caches
    with django_assert_max_num_queries(30):
        page = manager.get(reverse("search"), {"q": "Brackbi"})
    assert len(found(page)) == 25
    assert "60 found" in page.content.decode()


def test_an_area_is_paged_by_the_database(manager, django_assert_max_num_queries):
    Child.objects.bulk_create(
        Child(
            reference=f"SYN3{n:06d}",
            forename="Ava",
            surname=f"Fen{n:02d}",
            sex="F",
            date_of_birth=date(2012, 1, 1),
        )
        for n in range(30)
    )
    Address.objects.bulk_create(
        Address(
            child=c,
            line_1="1 Quay",
            town="Harbourton",
            postcode="NE1 4AB",
            postcode_key="NE14AB",
            outward_code="NE1",
            starts_on=date(2020, 1, 1),
        )
        for c in Child.objects.filter(reference__startswith="SYN3")
    )
    manager.get(reverse("search"), {"q": "NE1"})
    with django_assert_max_num_queries(30):
        first = manager.get(reverse("search"), {"q": "NE1"})
    second = manager.get(reverse("search"), {"q": "NE1", "page": 2})
    assert "30 found" in first.content.decode()
    assert len(found(first)) == 25 and len(found(second)) == 5
    assert not set(found(first)) & set(found(second))


def test_an_address_line_or_its_street_finds_who_lives_or_lived_there(manager):
    amy = child("SYN0000010", "Amy", "Brackby")
    tom = child("SYN0000011", "Tom", "Fenwick")
    child("SYN0000012", "Zoe", "Ashford")
    Address.objects.create(
        child=amy,
        line_1="12 Willow Gardens",
        town="Harbourton",
        postcode="NE1 4AB",
        starts_on=date(2020, 1, 1),
    )
    Address.objects.create(
        child=tom,
        line_1="14 Willow Gardens",
        town="Harbourton",
        postcode="NE1 4AB",
        starts_on=date(2018, 1, 1),
        ends_on=date(2019, 1, 1),
    )
    assert set(found(manager.get(reverse("search"), {"address": "willow gardens"}))) == {
        amy.reference,
        tom.reference,
    }
    page = manager.get(reverse("search"), {"address": "12 Willow Gdns"})
    assert found(manager.get(reverse("search"), {"address": "12 Willow Gar"})) == [amy.reference]
    assert found(manager.get(reverse("search"), {"q": "Tom", "address": "Willow"})) == [
        tom.reference
    ]
    assert page.status_code == 200
    refused = manager.get(reverse("search"), {"address": "12"})
    assert "Enter more of the street" in refused.content.decode()


def test_a_merged_records_reference_finds_the_record_it_was_merged_into(manager, world):
    kept = world.children["theirs"]
    child("SYN0000010", "Theirs", "Fenwick", merged_into=kept)
    assert found(manager.get(reverse("search"), {"q": "SYN0000010"})) == [kept.reference]


def test_more_matches_than_can_be_ranked_says_so(manager, monkeypatch):
    monkeypatch.setattr("harbour.people.selectors.RANKED", 3)
    for n in range(5):
        child(f"SYN000002{n}", f"Amy{n}", "Brackby")
    page = manager.get(reverse("search"), {"q": "Brackby"})
    body = page.content.decode()
    assert "5 found" in body
    assert "likeliest are shown" in body
    assert len(found(page)) == 3
