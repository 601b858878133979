from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from harbour.people.models import Child
from harbour.timescales.selectors import child_duties
from harbour.workforce.models import Allocation
from harbour.workforce.selectors import current_allocations


@login_required
def home(request):
    staff = getattr(request.user, "staff", None)
    today = timezone.localdate()
    context = {
        "staff": staff,
        "team": staff.team if staff else None,
        "allocations": current_allocations(staff, today) if staff else None,
    }
    return render(request, "web/home.html", context)


@login_required
def child(request, reference):
    """The child's record: who they are, who holds them, and their duties."""
    record = get_object_or_404(Child, reference=reference)
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
        "web/child.html",
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
