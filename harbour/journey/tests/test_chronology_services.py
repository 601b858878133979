"""Curating the chronology: add, mark not significant (and back), annotate; each validated,
one transaction, one audit line."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from harbour.access.models import AuditEvent, User
from harbour.casework.tests.record_history import history
from harbour.journey.models import ChronologyEntry
from harbour.journey.selectors import chronology
from harbour.journey.services import chronology as services
from harbour.web.tests.records import make_child

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return User.objects.create_user(
        username="curator", password="x", first_name="Cu", last_name="Rator"
    )


def _audits(child):
    """The curation's own lines (each save is also logged as a change of its row)."""
    return AuditEvent.objects.filter(
        child_id=child.pk, action=AuditEvent.Action.CHANGE, detail__has_key="chronology"
    ).count()


def test_add_an_entry(user):
    child = make_child("C1", "Ada", "Quill")
    entry = services.add_entry(
        user=user,
        child=child,
        occurred_on=date(2025, 5, 1),
        category="family",
        summary="  Grandmother died.  ",
        annotation="Ada lost her main carer at weekends.",
    )
    assert entry.significant and entry.source == "" and entry.summary == "Grandmother died."
    assert entry.created_by == user
    assert _audits(child) == 1
    [item] = [i for i in chronology([child.pk]) if i.entry_id == entry.pk]
    assert item.by == "Cu Rator"


def test_an_entry_is_refused_with_gov_uk_messages(user):
    child = make_child("C1", "Ada", "Quill")
    with pytest.raises(ValidationError) as refused:
        services.add_entry(
            user=user,
            child=child,
            occurred_on=timezone.localdate() + timedelta(days=1),
            category="nonsense",
            summary="",
        )
    errors = refused.value.message_dict
    assert errors["occurred_on"] == ["The date the event happened must be today or in the past"]
    assert errors["category"] == ["Select what kind of event it was"]
    assert errors["summary"] == ["Enter what happened"]
    assert not ChronologyEntry.objects.exists() and _audits(child) == 0


def test_an_automatic_event_marked_not_significant_stays_off(user):
    child = make_child("C1", "Ada", "Quill")
    made = history(child)
    source = f"cp_plan:{made['plan'].pk}"
    [item] = [
        i for i in chronology([child.pk]) if i.source == source and i.on == made["plan"].starts_on
    ]
    assert item.entry_id is None
    entry = services.mark_not_significant(
        user=user, child=child, source=source, occurred_on=item.on
    )
    assert entry.pk and not entry.significant and entry.source == source
    items = [i for i in chronology([child.pk]) if i.source == source and i.on == item.on]
    assert len(items) == 1 and not items[0].significant  # kept, not made again
    services.mark_significant(user=user, child=child, entry_id=entry.pk)
    entry.refresh_from_db()
    assert entry.significant
    assert _audits(child) == 2


def test_annotate_a_stored_or_an_automatic_event(user):
    child = make_child("C1", "Ada", "Quill")
    made = history(child)
    services.annotate(
        user=user, child=child, entry_id=made["chronology"].pk, annotation="The first referral."
    )
    made["chronology"].refresh_from_db()
    assert made["chronology"].annotation == "The first referral."
    missing = made["missing"]
    source = f"missing:{missing.pk}"
    on = timezone.localtime(missing.started_at).date()
    entry = services.annotate(
        user=user, child=child, source=source, occurred_on=on, annotation="Ran to her father's."
    )
    assert entry.significant and entry.category == "missing"
    with pytest.raises(ValidationError):
        services.annotate(user=user, child=child, annotation="x" * 5001, entry_id=entry.pk)


def test_another_childs_entry_or_no_such_event_is_refused(user):
    child, other = make_child("C1", "Ada", "Quill"), make_child("C2", "Bo", "Quill")
    made = history(other)
    with pytest.raises(ValidationError):
        services.mark_not_significant(user=user, child=child, entry_id=made["chronology"].pk)
    with pytest.raises(ValidationError):
        services.mark_not_significant(
            user=user, child=child, source="referral:999999", occurred_on=date(2025, 1, 1)
        )
    assert _audits(child) == 0
