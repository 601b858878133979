"""The timeline reads every table for the children given, newest first, in a fixed number
of queries whatever their history; the chronology is made from it and the stored entries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from harbour.casework.tests.record_history import history
from harbour.journey.models import ChronologyEntry
from harbour.journey.selectors import KINDS, chronology, kind_counts, record_of, timeline
from harbour.web.tests.records import make_child

pytestmark = pytest.mark.django_db


def test_every_kind_of_event_newest_first():
    child = make_child("T1", "Ada", "Quill")
    history(child)
    events = timeline([child.pk])
    counts = kind_counts(events)
    assert all(counts[k] >= 1 for k in KINDS), counts
    keys = [e.sort_key for e in events]
    assert keys == sorted(keys, reverse=True)
    for e in events:
        assert record_of(e.record, e.record_id, child.pk) is not None, e
        assert e.title and e.kind in KINDS


def test_filtered_by_kind_and_only_the_childrens_own():
    child, other = make_child("T1", "Ada", "Quill"), make_child("T2", "Bo", "Quill")
    history(child)
    history(other)
    visits = timeline([child.pk], kinds=["visit"])
    assert visits and {e.kind for e in visits} == {"visit"}
    assert {e.child_id for e in timeline([child.pk])} == {child.pk}
    both = timeline([child.pk, other.pk])
    assert {e.child_id for e in both} == {child.pk, other.pk}
    assert timeline([]) == []


def test_queries_do_not_grow_with_history(django_assert_max_num_queries):
    child = make_child("T1", "Ada", "Quill")
    history(child, visits=2)
    with django_assert_max_num_queries(30) as few:
        timeline([child.pk])
    history(child, visits=50)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(timeline([child.pk])) > 50


def test_the_chronology_joins_entries_to_the_events_they_stand_for():
    child = make_child("T1", "Ada", "Quill")
    made = history(child)
    items = chronology([child.pk])
    referral = [i for i in items if i.source == f"referral:{made['referral'].pk}"]
    # The stored entry stands for the referral's event: it is there once, as the entry.
    assert len(referral) == 1 and referral[0].entry_id == made["chronology"].pk
    # Events significant in themselves with no entry are made automatically.
    plan = [i for i in items if i.source == f"cp_plan:{made['plan'].pk}"]
    assert plan and plan[0].entry_id is None and plan[0].significant
    assert plan[0].record == "child-protection-plan"
    assert any(i.source == f"missing:{made['missing'].pk}" for i in items)
    days = [i.on for i in items]
    assert days == sorted(days)  # oldest first
    # A worker's entry, with no source, is on it too.
    ChronologyEntry.objects.create(
        child=child,
        occurred_on=timezone.localdate() - timedelta(days=2),
        category="family",
        summary="Father moved out.",
        significant=True,
    )
    assert any(i.summary == "Father moved out." for i in chronology([child.pk]))


def test_a_page_read_page_sized_is_the_page_of_the_whole_timeline():
    from django.core.paginator import Paginator

    from harbour.journey.selectors import TimelinePages

    child, sister = make_child("T1", "Ada", "Quill"), make_child("T2", "Bo", "Quill")
    history(child, visits=25)
    history(sister, visits=12)
    ids = [child.pk, sister.pk]
    whole = timeline(ids)
    assert TimelinePages(ids).counts == kind_counts(whole)
    for kinds in (None, ["visit"], ["care", "plan"], ["referral", "contact", "early_help"]):
        events = [e for e in whole if kinds is None or e.kind in kinds]
        for size in (5, 30):
            full, sized = Paginator(events, size), Paginator(TimelinePages(ids, kinds), size)
            assert (sized.count, sized.num_pages) == (full.count, full.num_pages)
            for number in (1, 2, 3, full.num_pages, 99, "x"):
                want, got = full.get_page(number), sized.get_page(number)
                assert got.number == want.number
                assert list(got.object_list) == list(want.object_list), (kinds, size, number)


def test_a_page_reads_only_its_rows(django_assert_max_num_queries):
    from harbour.journey.selectors import TimelinePages

    child = make_child("T1", "Ada", "Quill")
    history(child, visits=60)
    pages = TimelinePages([child.pk], ["visit"])
    with django_assert_max_num_queries(1):
        page = pages[0:10]
    assert len(page) == 10 and len(pages) >= 60
