"""Likely matches: tolerant names, dates, postcodes, siblings; bounded; merged never offered."""

from datetime import date

import pytest

from harbour.people.matching import likely_matches
from harbour.people.models import Address, Child, FamilyMember, FormerName, Relationship
from harbour.people.search import rebuild_keys

pytestmark = pytest.mark.django_db


def child(reference, forename, surname, born=date(2015, 3, 12), **fields):
    return Child.objects.create(
        reference=reference,
        forename=forename,
        surname=surname,
        sex="F",
        date_of_birth=born,
        **fields,
    )


def home(who, postcode, starts_on=date(2020, 1, 1), ends_on=None):
    return Address.objects.create(
        child=who,
        line_1="1 High Street",
        town="Harbourton",
        postcode=postcode,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def references(matches):
    return [m.child.reference for m in matches]


def test_a_misspelt_surname_with_the_same_date_of_birth_is_the_likeliest():
    amy = child("SYN0000001", "Amy", "Brackby")
    child("SYN0000002", "Zoe", "Fenwick")
    matches = likely_matches(forename="Amy", surname="Brackbi", date_of_birth=date(2015, 3, 12))
    assert references(matches)[0] == amy.reference
    best = matches[0]
    assert best.score > 0.9
    assert "same date of birth" in best.reasons
    assert any("sounds the same" in r for r in best.reasons)
    assert "SYN0000002" not in references(matches[:1])


def test_ranking_follows_the_evidence():
    same = child("SYN0000001", "Ava", "Brackby")
    other_date = child("SYN0000002", "Ava", "Brackby", born=date(2011, 7, 1))
    other_name = child("SYN0000003", "Ivy", "Brackford")
    matches = likely_matches(forename="Ava", surname="Brackby", date_of_birth=date(2015, 3, 12))
    order = references(matches)
    assert order.index(same.reference) < order.index(other_date.reference)
    if other_name.reference in order:
        assert order.index(other_date.reference) < order.index(other_name.reference)


def test_day_and_month_the_other_way_round_is_a_reason():
    child("SYN0000001", "Amy", "Brackby", born=date(2015, 3, 12))
    (match,) = likely_matches(forename="Amy", surname="Brackby", date_of_birth=date(2015, 12, 3))
    assert "date of birth with day and month the other way round" in match.reasons


def test_a_former_name_is_found():
    amy = child("SYN0000001", "Amy", "Corrwick")
    FormerName.objects.create(child=amy, forename="", surname="Brackby")
    (match,) = likely_matches(forename="Amy", surname="Brackby", date_of_birth=date(2015, 3, 12))
    assert match.child == amy
    assert any("former name" in r for r in match.reasons)


def test_postcode_counts_and_its_area_counts_less():
    same = child("SYN0000001", "Amy", "Brackby", born=date(2014, 1, 1))
    near = child("SYN0000002", "Amy", "Brackby", born=date(2014, 1, 1))
    home(same, "NE1 4AB")
    home(near, "NE1 7XY")
    matches = likely_matches(forename="Amy", surname="Brackby", postcode="ne14ab")
    assert references(matches) == [same.reference, near.reference]
    assert "same postcode" in matches[0].reasons
    assert "same area (NE1)" in matches[1].reasons


def test_a_sibling_of_a_strong_match_is_shown_with_the_reason():
    amy = child("SYN0000001", "Amy", "Brackby")
    tom = child("SYN0000002", "Tom", "Fenwick", born=date(2017, 6, 1))
    mother = FamilyMember.objects.create(forename="Jo", surname="Brackby")
    Relationship.objects.create(child=amy, family_member=mother, kind="mother")
    Relationship.objects.create(child=tom, family_member=mother, kind="mother")
    matches = likely_matches(forename="Amy", surname="Brackby", date_of_birth=date(2015, 3, 12))
    assert references(matches)[0] == amy.reference
    sibling = next(m for m in matches if m.child == tom)
    assert "brother or sister of Amy Brackby (shares a parent)" in sibling.reasons
    assert sibling.score < matches[0].score


def test_among_and_exclude_restrict_the_answer():
    amy = child("SYN0000001", "Amy", "Brackby")
    twin = child("SYN0000002", "Amy", "Brackby")
    asked = {"forename": "Amy", "surname": "Brackby", "date_of_birth": date(2015, 3, 12)}
    assert references(likely_matches(**asked, among=Child.objects.filter(pk=twin.pk))) == [
        twin.reference
    ]
    assert references(likely_matches(**asked, exclude=[twin.pk])) == [amy.reference]


def test_a_merged_record_is_never_offered():
    amy = child("SYN0000001", "Amy", "Brackby")
    old = child("SYN0000002", "Amy", "Brackby")
    old.merged_into = amy
    old.save()
    asked = {"forename": "Amy", "surname": "Brackby", "date_of_birth": date(2015, 3, 12)}
    assert references(likely_matches(**asked)) == [amy.reference]


def test_a_surname_alone_never_looks_like_the_same_child():
    child("SYN0000001", "Amy", "Brackby")
    (match,) = likely_matches(surname="Brackby")
    assert match.score < 0.5


def test_nothing_asked_finds_nothing():
    child("SYN0000001", "Amy", "Brackby")
    assert likely_matches() == []


def test_bulk_loaded_children_are_found_once_their_keys_are_rebuilt():
    Child.objects.bulk_create(
        Child(
            reference=f"SYN{n:07d}",
            forename="Amy",
            surname="Brackby",
            sex="F",
            date_of_birth=date(2015, 3, 12),
        )
        for n in range(3)
    )
    assert likely_matches(forename="Amy", surname="Brackbi") == []
    rebuild_keys()
    assert len(likely_matches(forename="Amy", surname="Brackbi")) == 3


def test_the_cost_follows_the_candidates_not_the_county(django_assert_max_num_queries):
    Child.objects.bulk_create(
        Child(
            reference=f"SYN{n:07d}",
            forename="Ava",
            surname="Fenwick",
            sex="F",
            date_of_birth=date(2010, 1, 1),
        )
        for n in range(400)
    )
    rebuild_keys()
    amy = child("SYN0999999", "Amy", "Brackby")
    home(amy, "NE1 4AB")
    with django_assert_max_num_queries(6):
        matches = likely_matches(
            forename="Amy", surname="Brackbi", date_of_birth=date(2015, 3, 12), postcode="NE1 4AB"
        )
    assert references(matches) == [amy.reference]


def test_siblings_cost_a_fixed_number_of_queries(django_assert_max_num_queries):
    mother = FamilyMember.objects.create(forename="Jo", surname="Brackby")
    for n in range(6):
        kid = child(
            f"SYN000010{n}",
            "Amy" if n == 0 else f"Kid{n}",
            "Brackby",
            born=date(2015, 3, 12) if n == 0 else date(2010 + n, 1, 1),
        )
        Relationship.objects.create(child=kid, family_member=mother, kind="mother")
    with django_assert_max_num_queries(8):
        matches = likely_matches(forename="Amy", surname="Brackby", date_of_birth=date(2015, 3, 12))
    assert len(matches) == 6
    assert all(any("brother or sister" in r for r in m.reasons) for m in matches[1:])
