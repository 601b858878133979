"""Real families: brothers and sisters who are children of the county share their parents'
records, reach each other's records, and live at the same addresses."""

from collections import defaultdict
from datetime import date

import pytest

from harbour.synth.county import County
from harbour.synth.failures import DEFAULT_RATES
from harbour.synth.sink import MemorySink
from harbour.synth.sizes import SIZES

END = date(2026, 11, 20)


@pytest.fixture(scope="module")
def county():
    sink = MemorySink()
    County(SIZES["small"], 2, 6, END, sink, DEFAULT_RATES).generate()
    rows = sink.rows
    members = {m["id"]: m for m in rows["people.FamilyMember"]}
    links = defaultdict(list)  # child id -> [(kind, member row)]
    for link in rows["people.Relationship"]:
        links[link["child_id"]].append((link["kind"], members[link["family_member_id"]]))
    siblings = {
        child: {
            m["child_record_id"] for kind, m in found if kind == "sibling" and m["child_record_id"]
        }
        for child, found in links.items()
    }
    return rows, links, siblings


def test_many_children_have_a_brother_or_sister_with_a_record(county):
    rows, _, siblings = county
    with_one = sum(1 for found in siblings.values() if found)
    assert with_one > 0.4 * len(rows["people.Child"])
    assert max(len(found) for found in siblings.values()) >= 3


def test_each_sibling_reaches_the_others_record(county):
    _, _, siblings = county
    pairs = [(a, b) for a, found in siblings.items() for b in found]
    assert pairs
    for a, b in pairs:
        assert a != b
        assert a in siblings[b], "a sibling link goes both ways"
    for a, found in siblings.items():
        assert all(siblings[b] | {b} == found | {a} for b in found), "one sibling group"


def test_a_sibling_with_a_record_is_one_family_member_row_with_their_own_details(county):
    rows, links, _ = county
    children = {c["id"]: c for c in rows["people.Child"]}
    rows_per_child = defaultdict(set)
    for member in rows["people.FamilyMember"]:
        if member["child_record_id"]:
            rows_per_child[member["child_record_id"]].add(member["id"])
            child = children[member["child_record_id"]]
            assert (member["forename"], member["surname"], member["date_of_birth"]) == (
                child["forename"],
                child["surname"],
                child["date_of_birth"],
            )
    assert rows_per_child and all(len(ids) == 1 for ids in rows_per_child.values())


def test_siblings_share_their_mothers_record(county):
    _, links, siblings = county
    checked = 0
    for a, found in siblings.items():
        mothers = {m["id"] for kind, m in links[a] if kind == "mother"}
        assert len(mothers) == 1
        for b in found:
            assert mothers == {m["id"] for kind, m in links[b] if kind == "mother"}
            checked += 1
        fathers = {m["id"] for kind, m in links[a] if kind == "father"}
        assert len(fathers) == 1
    assert checked


def test_half_siblings_have_their_own_fathers(county):
    _, links, siblings = county
    fathers = {a: {m["id"] for kind, m in links[a] if kind == "father"} for a in siblings}
    pairs = [(a, b) for a, found in siblings.items() for b in found]
    same = sum(fathers[a] == fathers[b] for a, b in pairs)
    assert 0 < same < len(pairs)


def test_households_move_together(county):
    rows, _, siblings = county
    addresses = defaultdict(list)
    for a in rows["people.Address"]:
        addresses[a["child_id"]].append(
            (a["starts_on"], a["ends_on"], a["line_1"], a["town"], a["postcode"])
        )
    moved = 0
    for a, found in siblings.items():
        mine = sorted(addresses[a])
        moved += len(mine) > 1
        # consecutive addresses, no gaps or overlaps, the last one current
        for (_, ends, *_), (starts, *_) in zip(mine, mine[1:], strict=False):
            assert (starts - ends).days == 1
        assert mine[-1][1] is None
        for b in found:
            theirs = sorted(addresses[b])
            since = max(mine[0][0], theirs[0][0])
            both = [row for row in mine if row[1] is None or row[1] >= since]
            other = [row for row in theirs if row[1] is None or row[1] >= since]
            assert [row[1:] for row in both] == [row[1:] for row in other]
    assert moved


def test_sibling_groups_are_referred_together(county):
    rows, _, siblings = county
    by_day = defaultdict(set)
    for referral in rows["journey.Referral"]:
        by_day[referral["received_on"]].add(referral["child_id"])
    together = sum(
        bool(siblings.get(child, set()) & children)
        for children in by_day.values()
        for child in children
    )
    assert together > 0.4 * len(rows["journey.Referral"])
