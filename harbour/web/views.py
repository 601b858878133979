from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

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
