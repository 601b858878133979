from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import timezone

from harbour.access import audit, scope
from harbour.access.models import Alert, AuditEvent, Draft
from harbour.people.models import Child
from harbour.workforce.selectors import current_allocations


@login_required
def home(request):
    staff = getattr(request.user, "staff", None)
    today = timezone.localdate()
    team = staff.team if staff else None
    context = {
        "unread_alerts": Alert.objects.filter(recipient=request.user, read_at__isnull=True).count(),
        "staff": staff,
        "team": team,
        "allocations": current_allocations(staff, today) if staff else None,
        # Work not yet saved, offered as soon as the person signs in.
        "drafts": Draft.objects.filter(user=request.user).count(),
    }
    if team is not None and request.user.has_perm("casework.home_team_lists", team):
        from harbour.casework.views.trays import team_lists

        lists, listed = team_lists(request, team, today)
        context.update(lists)
        audit.record(
            AuditEvent.Action.VIEW,
            request=request,
            obj=team,
            detail={"what": "team's children", "team": team.name, **audit.listed_children(listed)},
        )
    return render(request, "web/home.html", context)


def _child_named_in(request):
    """The child whose page was refused, if the address names one this person may reach."""
    match = getattr(request, "resolver_match", None)
    reference = match.kwargs.get("reference") if match else None
    if not reference or not request.user.is_authenticated:
        return None
    record = Child.objects.filter(reference=reference).first()
    if record is None or not scope.reachable(request.user, record):
        return None
    return record


def permission_denied(request, exception):
    """403: what the person can do instead, asked of the same rules as every view."""
    record = _child_named_in(request)
    has_role = request.user.is_authenticated and request.user.role
    context = {"role": request.user.role_label if has_role else ""}
    if record is not None and request.user.has_perm("people.open_record", record):
        context["record_url"] = reverse("child", args=[record.reference])
    elif record is not None and request.user.has_perm("access.open_with_reason", record):
        context["reason_url"] = reverse("open-with-reason", args=[record.reference])
    return render(request, "403.html", context, status=403)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    """500: the page is rendered with no request context (no database, no session), and if even
    that fails a plain page is sent, so the error page itself cannot fail."""
    try:
        body = loader.render_to_string("500.html", {"service_name": settings.HARBOUR_SERVICE_NAME})
    except Exception:  # noqa: BLE001 (whatever broke the page may break this too)
        body = (
            '<!DOCTYPE html><html lang="en-GB"><title>Sorry, there is a problem with the '
            "service</title><h1>Sorry, there is a problem with the service</h1>"
            "<p>Try again later.</p></html>"
        )
    return HttpResponseServerError(body)
