"""Work trays: a worker's duties, a team's, the service's side by side."""

import csv

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from harbour.access import audit, scope
from harbour.access.decorators import requires
from harbour.access.export import safe_cell
from harbour.access.models import AuditEvent
from harbour.people.models import Child
from harbour.timescales import selectors
from harbour.workforce.models import Staff, Team


def _named(duties):
    """Children and workers for the duties, for the tables' names and links."""
    children = Child.objects.in_bulk({d.child_id for d in duties if d.child_id})
    staff = Staff.objects.in_bulk(
        {d.staff_id for d in duties if d.staff_id} | {d.worker_id for d in duties if d.worker_id}
    )
    return [
        {
            "duty": d,
            "child": children.get(d.child_id),
            "subject": staff.get(d.staff_id),
            "worker": staff.get(d.worker_id),
        }
        for d in duties
    ]


def _allowed(request):
    """Children the viewer may know of: restricted records only with a grant."""
    return scope.knowable_children(request.user)


@requires("timescales.view_own_work")
def my_work(request):
    return _tray(request, request.user.staff, own=True)


@requires(
    "timescales.view_worker_work", lambda request, staff_id: get_object_or_404(Staff, pk=staff_id)
)
def worker_work(request, staff_id: int, obj):
    return _tray(request, obj, own=False)


@requires("timescales.view_own_work")
def export_my_work(request):
    """The worker's tray as a spreadsheet (CSV), safe to open in Excel."""
    today = timezone.localdate()
    rows = _named(selectors.worker_tray(request.user.staff, today, _allowed(request)))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="my-work-{today}.csv"'
    writer = csv.writer(response)
    writer.writerow(["Child reference", "Child", "Duty", "Due", "Status"])
    for row in rows:
        child = row["child"]
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    child.reference if child else "",
                    child.name if child else "",
                    row["duty"].title,
                    row["duty"].due.isoformat(),
                    row["duty"].status,
                )
            ]
        )
    audit.record(
        AuditEvent.Action.EXPORT,
        request=request,
        obj=request.user.staff,
        detail={
            "rows": len(rows),
            "what": "work tray",
            "worker": request.user.staff.name,
            **audit.listed_children(row["duty"].child_id for row in rows),
        },
    )
    return response


def _tray(request, staff, own: bool):
    today = timezone.localdate()
    duties = selectors.worker_tray(staff, today, _allowed(request))
    rows = _named(duties)
    # A tray names children: the log says whose tray it was and which were shown.
    audit.record(
        AuditEvent.Action.VIEW,
        request=request,
        obj=staff,
        detail={
            "what": "work tray",
            "worker": staff.name,
            **audit.listed_children(d.child_id for d in duties),
        },
    )
    return render(
        request,
        "timescales/tray.html",
        {
            "staff": staff,
            "own": own,
            "today": today,
            "overdue": [r for r in rows if r["duty"].status == "overdue"],
            "due_soon": [r for r in rows if r["duty"].status == "due_soon"],
        },
    )


@requires("timescales.view_team", lambda request, team_id: get_object_or_404(Team, pk=team_id))
def team_work(request, team_id: int, obj):
    team = obj
    today = timezone.localdate()
    duties = selectors.team_duties(team, today, _allowed(request))
    titles = {d.rule: d.title for d in duties}
    workers = Staff.objects.in_bulk({d.worker_id for d in duties if d.worker_id})
    return render(
        request,
        "timescales/team.html",
        {
            "team": team,
            "today": today,
            "total": len(duties),
            "overdue": sum(d.overdue for d in duties),
            "by_kind": [
                (titles[k], o, s) for k, o, s in selectors.counts(duties, lambda d: d.rule)
            ],
            "by_worker": [
                (workers.get(k), o, s)
                for k, o, s in selectors.counts(duties, lambda d: d.worker_id)
            ],
        },
    )


@requires("timescales.view_service")
def service_work(request):
    today = timezone.localdate()
    duties = selectors.service_duties(today, _allowed(request))
    teams = Team.objects.in_bulk({d.team_id for d in duties if d.team_id})
    rows = [(teams.get(k), o, s) for k, o, s in selectors.counts(duties, lambda d: d.team_id)]
    return render(
        request,
        "timescales/service.html",
        {
            "today": today,
            "rows": sorted(
                rows,
                key=lambda r: (
                    (r[0].district.name if r[0] and r[0].district else "~"),
                    r[0].name if r[0] else "~",
                ),
            ),
            "overdue": sum(d.overdue for d in duties),
            "due_soon": sum(not d.overdue for d in duties),
        },
    )
