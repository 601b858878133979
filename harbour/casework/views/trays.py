"""Work trays: a person's work, a team's, the service's side by side.

A worker's tray: their duties overdue and due soon, their new allocations and their drafts;
a conference chair's adds the conferences they chair in the coming weeks and those overdue, an
IRO's the looked-after reviews, a MASH screener's the screening queue. A team's page: its
duties by kind and by worker, its children and its unallocated children."""

import csv

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from harbour.access import audit, scope
from harbour.access.decorators import requires
from harbour.access.export import safe_cell
from harbour.access.models import AuditEvent
from harbour.casework import trays
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


def _screening(request, staff, today):
    if not request.user.has_perm("casework.tray_screening_queue", staff):
        return None
    from harbour.front_door.selectors import screening_queue

    queue = screening_queue(today, request.user)
    return {"queue": queue, "oldest": queue.oldest(5)}


def _tray(request, staff, own: bool):
    today = timezone.localdate()
    viewer = request.user
    duties = trays.worker_duties(staff, today, viewer)
    rows = _named(duties)
    since = trays.last_looked(staff) if own else None
    allocations = trays.new_allocations(staff, today, viewer, since=since)
    if not own:
        for item in allocations:
            item.new = False  # "new" is the worker's own, since they last looked
    drafts = trays.own_drafts(request.user) if own else []
    conferences = reviews = None
    if request.user.has_perm("casework.tray_conferences", staff):
        conferences = trays.chaired(staff, "conferences", today, viewer)
    if request.user.has_perm("casework.tray_reviews", staff):
        reviews = trays.chaired(staff, "reviews", today, viewer)
    screening = _screening(request, staff, today)
    listed = [d.child_id for d in duties] + [a.child.pk for a in allocations]
    listed += [d.child.pk for d in drafts if d.child]
    for chair_tray in (conferences, reviews):
        if chair_tray is not None:
            listed += [c.child.pk for c in chair_tray.mine + chair_tray.unassigned]
    if screening is not None:
        listed += [w.contact.child_id for w in screening["oldest"]]
    # A tray names children: the log says whose tray it was and which were shown.
    audit.record(
        AuditEvent.Action.VIEW,
        request=request,
        obj=staff,
        detail={"what": "work tray", "worker": staff.name, **audit.listed_children(listed)},
    )
    if own:
        trays.note_looked(staff=staff)
    overdue = [r for r in rows if r["duty"].status == "overdue"]
    due_soon = [r for r in rows if r["duty"].status == "due_soon"]
    chaired = [t for t in (conferences, reviews) if t is not None]
    return render(
        request,
        "casework/trays/tray.html",
        {
            # The headline counts what is the person's own to do: their duties and, for a
            # chair or IRO, the conferences or reviews they chair.
            "overdue_count": len(overdue) + sum(len(t.mine_overdue) for t in chaired),
            "due_soon_count": len(due_soon) + sum(len(t.mine_due_soon) for t in chaired),
            "staff": staff,
            "own": own,
            "today": today,
            "overdue": overdue,
            "due_soon": due_soon,
            "new_allocations": allocations,
            "new_working_days": trays.NEW_WORKING_DAYS,
            "since": since,
            "drafts": drafts,
            "conferences": conferences,
            "reviews": reviews,
            "screening": screening,
            "chair_weeks": trays.CHAIR_WEEKS,
        },
    )


def team_lists(request, team, today):
    """The team's children (one page, from ?page=) and its unallocated children, for the team's
    page and a team manager's home; the child ids listed, for the audit line."""
    children = trays.team_children(team, today, request.GET.get("page", 1), request.user)
    waiting = trays.unallocated(team, today, request.user)
    listed = [row["child"].pk for row in children.object_list] + [u.child.pk for u in waiting]
    return {"team_lists": True, "team_children": children, "unallocated": waiting}, listed


@requires("timescales.view_team", lambda request, team_id: get_object_or_404(Team, pk=team_id))
def team_work(request, team_id: int, obj):
    team = obj
    today = timezone.localdate()
    duties = selectors.team_duties(team, today, _allowed(request))
    titles = {d.rule: d.title for d in duties}
    workers = Staff.objects.in_bulk({d.worker_id for d in duties if d.worker_id})
    context = {
        "team": team,
        "today": today,
        "total": len(duties),
        "overdue": sum(d.overdue for d in duties),
        "by_kind": [(titles[k], o, s) for k, o, s in selectors.counts(duties, lambda d: d.rule)],
        "by_worker": [
            (workers.get(k), o, s) for k, o, s in selectors.counts(duties, lambda d: d.worker_id)
        ],
    }
    if request.user.has_perm("casework.view_team_children", team):
        lists, listed = team_lists(request, team, today)
        context.update(lists)
        audit.record(
            AuditEvent.Action.VIEW,
            request=request,
            obj=team,
            detail={
                "what": "team's children",
                "team": team.name,
                **audit.listed_children(listed),
            },
        )
    return render(request, "casework/trays/team.html", context)


@requires("timescales.view_service")
def service_work(request):
    today = timezone.localdate()
    duties = selectors.service_duties(today, _allowed(request))
    teams = Team.objects.in_bulk({d.team_id for d in duties if d.team_id})
    rows = [(teams.get(k), o, s) for k, o, s in selectors.counts(duties, lambda d: d.team_id)]
    return render(
        request,
        "casework/trays/service.html",
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
