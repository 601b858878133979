"""Work trays: a worker's duties, a team's, the service's side by side."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

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


@login_required
def my_work(request):
    staff = getattr(request.user, "staff", None)
    if staff is None:
        raise Http404("Work trays are for council staff.")
    return _tray(request, staff, own=True)


@login_required
def worker_work(request, staff_id: int):
    return _tray(request, get_object_or_404(Staff, pk=staff_id), own=False)


def _tray(request, staff, own: bool):
    today = timezone.localdate()
    duties = selectors.worker_tray(staff, today)
    rows = _named(duties)
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


@login_required
def team_work(request, team_id: int):
    team = get_object_or_404(Team, pk=team_id)
    today = timezone.localdate()
    duties = selectors.team_duties(team, today)
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


@login_required
def service_work(request):
    today = timezone.localdate()
    duties = selectors.service_duties(today)
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
