"""Reads of workforce records for pages and reports."""

from datetime import date

from django.db.models import QuerySet

from harbour.workforce.models import Allocation, Staff


def current_allocations(staff: Staff, on_date: date) -> QuerySet[Allocation]:
    """The allocations `staff` holds on `on_date` (an allocation's end date is its last day)."""
    return (
        Allocation.objects.current_on(on_date)
        .filter(worker=staff)
        .select_related("child")
        .order_by("child__surname", "child__forename", "starts_on")
    )
