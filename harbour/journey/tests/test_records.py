"""Every record keeps who made and changed it and its history; children are never deleted."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import ProtectedError

from harbour.access.models import User
from harbour.journey.models import Contact
from harbour.people.models import Child

pytestmark = pytest.mark.django_db


def make_child(**extra):
    fields = {
        "reference": "SYN9000001",
        "forename": "Test",
        "surname": "Fenwick",
        "sex": "F",
        "date_of_birth": date(2015, 6, 1),
    }
    return Child.objects.create(**{**fields, **extra})


def test_changes_are_kept_in_history_with_who_made_them():
    worker = User.objects.create(username="worker")
    child = make_child(created_by=worker, updated_by=worker)
    child.ethnicity = "WBRI"
    child.updated_by = worker
    child.save()
    child.ethnicity = "MWBC"
    child.save()
    versions = list(child.history.order_by("history_date"))
    assert [v.ethnicity for v in versions] == ["", "WBRI", "MWBC"]
    assert [v.history_type for v in versions] == ["+", "~", "~"]
    child.refresh_from_db()
    assert child.version == 3
    assert child.updated_at >= child.created_at


def test_a_child_with_records_cannot_be_deleted():
    child = make_child()
    Contact.objects.create(
        child=child,
        source="6",
        received_at=datetime(2025, 1, 6, 9, tzinfo=ZoneInfo("Europe/London")),
    )
    with pytest.raises(ProtectedError):
        child.delete()


def test_unborn_child_and_age():
    unborn = make_child(
        reference="SYN9000002",
        date_of_birth=None,
        expected_date_of_birth=date(2026, 12, 1),
        sex="U",
    )
    assert unborn.is_unborn(date(2026, 11, 23))
    assert unborn.age_on(date(2026, 11, 23)) is None
    born = make_child(reference="SYN9000003", date_of_birth=date(2008, 2, 29))
    assert born.age_on(date(2026, 2, 28)) == 17
    assert born.age_on(date(2026, 3, 1)) == 18


def test_a_child_needs_a_birth_or_expected_date():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        make_child(reference="SYN9000004", date_of_birth=None)
