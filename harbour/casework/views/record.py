"""The child's record: the place a worker lives."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from harbour.access import audit, scope
from harbour.access.models import AuditEvent
from harbour.people.models import Child
from harbour.timescales.selectors import child_duties
from harbour.workforce.models import Allocation


@login_required
def child(request, reference):
    """The child's record: who they are, who holds them, and their duties. Every view is in
    the audit log; outside the viewer's own work it opens only with a reason."""
    record = get_object_or_404(Child, reference=reference)
    if not scope.reachable(request.user, record):
        raise Http404  # answered as a child Harbour does not hold: restricted, or no way in
    if not request.user.has_perm("people.open_record", record):
        return redirect("open-with-reason", reference)
    audit.record(AuditEvent.Action.VIEW, request=request, child=record, obj=record)
    today = timezone.localdate()
    duties = child_duties(record.pk, today)
    allocations = (
        Allocation.objects.filter(child=record)
        .select_related("worker", "team")
        .order_by("-starts_on")
    )
    current = [a for a in allocations if a.ends_on is None or a.ends_on >= today]
    return render(
        request,
        "casework/record.html",
        {
            "child": record,
            "age": record.age_on(today),
            "allocations": current,
            "open_duties": [
                d for d in duties if d.status in ("overdue", "due_soon", "not_yet_due")
            ],
            "past_duties": [
                d for d in duties if d.status not in ("overdue", "due_soon", "not_yet_due")
            ],
        },
    )
