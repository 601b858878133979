"""A child's statuses on a day, for any number of children in a fixed number of queries."""

from datetime import date

import pytest

from harbour.access.models import Restriction
from harbour.care.models import CareLeaver, LegalStatus, PeriodOfCare, Placement
from harbour.casework.status import (
    CARE_LEAVER,
    CHILD_IN_NEED,
    CHILD_PROTECTION,
    EARLY_HELP,
    LOOKED_AFTER,
    RESTRICTED,
    status_for,
    statuses_for,
)
from harbour.journey.models import ChildInNeedPlan, EarlyHelpEpisode, Referral
from harbour.web.tests.records import make_child, on_a_plan

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 1)


def _looked_after(child, starts_on=date(2025, 1, 6), ends_on=None):
    period = PeriodOfCare.objects.create(
        child=child, starts_on=starts_on, ends_on=ends_on, category_of_need="N1"
    )
    LegalStatus.objects.create(period=period, child=child, code="V2", starts_on=starts_on)
    LegalStatus.objects.create(period=period, child=child, code="C2", starts_on=date(2025, 9, 1))
    Placement.objects.create(
        period=period,
        child=child,
        placement_type="U1",
        provider="PR1",
        provider_name="Harbourshire fostering",
        starts_on=starts_on,
    )
    return period


def test_a_child_with_no_status_has_an_empty_list():
    child = make_child("S1", "Ada", "Quill")
    assert statuses_for([child.pk], DAY) == {child.pk: []}
    assert statuses_for([], DAY) == {}


def test_child_protection_shows_the_latest_category_and_since_when():
    child = make_child("S1", "Ada", "Quill")
    plan = on_a_plan(child, date(2026, 2, 3))
    plan.latest_category = "EMO"
    plan.save()
    [status] = status_for(child.pk, DAY)
    assert status.kind == CHILD_PROTECTION
    assert status.label == "Child protection plan"
    assert status.detail == "Emotional abuse"
    assert status.since == date(2026, 2, 3)
    assert "govuk-tag--red" in status.tag_class
    # Not yet on the plan the day before, and not once it ended.
    assert status_for(child.pk, date(2026, 2, 2)) == []
    plan.ends_on = date(2026, 5, 1)
    plan.save()
    assert [s.kind for s in status_for(child.pk, DAY)] == [CHILD_IN_NEED]  # referral still open


def test_looked_after_shows_the_legal_status_then_in_force_and_the_placement():
    child = make_child("S1", "Ada", "Quill")
    _looked_after(child)
    [status] = status_for(child.pk, DAY)
    assert status.kind == LOOKED_AFTER
    assert status.since == date(2025, 1, 6)
    assert status.detail.startswith("Full care order; ")
    assert "Harbourshire fostering" in status.detail
    [earlier] = status_for(child.pk, date(2025, 3, 1))
    assert earlier.detail.startswith("Single period of accommodation under section 20")


def test_child_in_need_only_when_neither_on_a_plan_nor_looked_after():
    child = make_child("S1", "Ada", "Quill")
    referral = Referral.objects.create(child=child, received_on=date(2026, 3, 2), source="6")
    [status] = status_for(child.pk, DAY)
    assert (status.kind, status.detail, status.since) == (
        CHILD_IN_NEED,
        "no plan yet",
        date(2026, 3, 2),
    )
    ChildInNeedPlan.objects.create(child=child, referral=referral, starts_on=date(2026, 4, 7))
    [status] = status_for(child.pk, DAY)
    assert status.detail == "plan since 7 April 2026"
    assert status.text == "Child in need since 2 March 2026: plan since 7 April 2026"
    referral.closed_on = date(2026, 5, 29)
    referral.save()
    assert status_for(child.pk, DAY) == []


def test_care_leaver_early_help_and_restricted_together_in_a_fixed_order():
    child = make_child("S1", "Ada", "Quill", date_of_birth=date(2007, 1, 1))
    _looked_after(child, starts_on=date(2020, 1, 6), ends_on=date(2025, 1, 1))
    CareLeaver.objects.create(child=child, category="former_relevant")
    EarlyHelpEpisode.objects.create(
        child=child, starts_on=date(2026, 1, 5), lead_professional_agency="Harbour School"
    )
    Restriction.objects.create(child=child, reason="A member of staff's child.")
    kinds = [s.kind for s in status_for(child.pk, DAY)]
    assert kinds == [CARE_LEAVER, EARLY_HELP, RESTRICTED]
    restricted = status_for(child.pk, DAY)[-1]
    assert restricted.detail == ""  # the reason is never shown
    # While still in care, the care leaver shows as looked after.
    assert [s.kind for s in status_for(child.pk, date(2024, 6, 1))][0] == LOOKED_AFTER
    assert CARE_LEAVER not in [s.kind for s in status_for(child.pk, date(2024, 6, 1))]


def test_care_leaver_status_ends_at_26():
    child = make_child("S1", "Ada", "Quill", date_of_birth=date(2000, 1, 1))
    CareLeaver.objects.create(child=child, category="former_relevant")
    assert [s.kind for s in status_for(child.pk, date(2025, 12, 31))] == [CARE_LEAVER]
    assert status_for(child.pk, date(2026, 1, 1)) == []


def test_the_number_of_queries_does_not_grow_with_the_number_of_children(
    django_assert_max_num_queries,
):
    children = []
    for n in range(30):
        child = make_child(f"S{n}", "Ada", f"Quill{n}", date_of_birth=date(2008, 1, 1))
        children.append(child)
        if n % 3 == 0:
            on_a_plan(child, date(2026, 1, 5))
        elif n % 3 == 1:
            _looked_after(child)
            CareLeaver.objects.create(child=child, category="eligible")
        else:
            EarlyHelpEpisode.objects.create(child=child, starts_on=date(2026, 1, 5))
            Restriction.objects.create(child=child, reason="Test.")
    ids = [c.pk for c in children]
    with django_assert_max_num_queries(9):
        result = statuses_for(ids, DAY)
    assert len(result) == 30
    assert all(result[i] for i in ids)
    with django_assert_max_num_queries(9):
        statuses_for(ids[:1], DAY)
