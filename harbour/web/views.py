from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from harbour.access import audit, scope
from harbour.access.decorators import requires
from harbour.access.forms import SearchForm
from harbour.access.models import Alert, AuditEvent
from harbour.people.models import Child
from harbour.timescales.selectors import child_duties
from harbour.workforce.models import Allocation
from harbour.workforce.selectors import current_allocations


@login_required
def home(request):
    staff = getattr(request.user, "staff", None)
    today = timezone.localdate()
    context = {
        "unread_alerts": Alert.objects.filter(recipient=request.user, read_at__isnull=True).count(),
        "staff": staff,
        "team": staff.team if staff else None,
        "allocations": current_allocations(staff, today) if staff else None,
    }
    return render(request, "web/home.html", context)


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


SEARCH_PAGE = 25


@requires("people.search_children")
def search(request):
    """Find a child by name or reference, among the records the person may know of."""
    form = SearchForm(request.GET or None)
    results, page = [], None
    query = ""
    if form.is_valid() and (query := form.cleaned_data["q"].strip()):
        words = query.split()
        found = scope.findable_children(request.user)
        for word in words[:4]:
            found = found.filter(
                Q(reference__iexact=word) | Q(forename__icontains=word) | Q(surname__icontains=word)
            )
        # Paged, never cut short: every match can be reached.
        page = Paginator(found.order_by("surname", "forename", "pk"), SEARCH_PAGE).get_page(
            form.cleaned_data["page"]
        )
        matches = list(page.object_list)
        mine = set(
            scope.visible_children(request.user)
            .filter(pk__in=[c.pk for c in matches])
            .values_list("pk", flat=True)
        )
        results = [(c, c.pk in mine) for c in matches]
        audit.record(
            AuditEvent.Action.SEARCH,
            request=request,
            detail={
                "query": query[:100],
                "results": len(results),
                **audit.listed_children(c.pk for c in matches),
            },
        )
    return render(
        request,
        "web/search.html",
        {
            "form": form,
            "results": results,
            "query": query,
            "page": page,
            "page_query": urlencode({"q": query}),
        },
    )


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
