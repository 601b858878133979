"""The dashboards: a team manager's (one team), a service manager's (the authority, teams side
by side), the director's (the authority against England, the region and its statistical
neighbours) and the safeguarding partnership's (the same figures, naming no child)."""

from datetime import date, datetime

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode

from harbour.access.decorators import requires
from harbour.insight.indicators.compute import figure
from harbour.insight.indicators.definitions import by_id
from harbour.insight.indicators.periods import period_ending
from harbour.insight.performance import AUTHORITY, Reading, Scope, team_inputs
from harbour.insight.views.limits import allowance, limited
from harbour.insight.views.picture import (
    PictureForm,
    children_link,
    drawn,
    sections,
    shown,
    summary,
)
from harbour.workforce.models import Team

# The practice indicators a service manager sees team by team.
TEAMS_SIDE_BY_SIDE = (
    "cp_children_seen_in_time_pct",
    "cp_children_seen_alone_pct",
    "assessments_within_timescale_pct",
    "cp_reviews_in_time_pct",
    "cla_reviews_in_time_pct",
    "supervision_in_time_pct",
    "caseload_mean",
    "caseload_max",
    "unallocated_children",
)

DASHBOARDS = (
    ("insight.view_service_dashboard", "dashboard-service", "Service manager's dashboard"),
    ("insight.view_director_dashboard", "dashboard-director", "Director's dashboard"),
    ("insight.view_partnership_dashboard", "dashboard-partnership", "Partnership view"),
)


def _read_at(read_at: float) -> str:
    return datetime.fromtimestamp(read_at).strftime("%H:%M")


def _exports(query):
    return {
        "pdf": reverse("performance-report-pdf") + "?" + urlencode(query),
        "xlsx": reverse("performance-report-xlsx") + "?" + urlencode(query),
    }


def _page(request, template, title, scope=AUTHORITY, links=True, extra=None, exports=True):
    form = PictureForm(request.GET)  # bound even when empty: every field has a default
    if not form.is_valid():
        return render(request, template, {"form": form, "title": title}, status=400)
    as_of, period = form.cleaned_data["as_of"], form.cleaned_data["period"]
    reading = Reading(as_of, starting=allowance(request))
    picture = reading.picture(period, scope, year_earlier=True)
    rows = picture.rows
    # Drawn once for every process, like the figures they show.
    charts = reading.shared(
        ("charts", scope.key, period, picture.read_at), lambda: drawn(rows, scope)
    )
    query = {"as_of": as_of.isoformat(), "period": period}
    if scope.is_team:
        query["team"] = scope.team_id
    context = {
        "form": form,
        "title": title,
        "as_of": as_of,
        "period": rows[0]["period"] if rows else None,
        "period_label": period_ending(as_of, period).label,
        "read_at": _read_at(picture.read_at),
        "sections": sections(rows, scope, as_of, links, charts),
        "summary": summary(rows),
        "links": links,
        "scope": scope,
        "exports": exports and _exports(query),
    }
    if extra:
        context |= extra(as_of, period, reading)
    return render(request, template, context)


@requires("insight.view_partnership_dashboard")
def index(request):
    """The dashboards this person may see."""
    mine = []
    staff = getattr(request.user, "staff", None)
    if (
        staff is not None
        and staff.team_id
        and request.user.has_perm("insight.view_team_dashboard", staff.team)
    ):
        mine.append(
            (reverse("dashboard-team", args=[staff.team_id]), f"{staff.team.name}: your team")
        )
    for permission, name, title in DASHBOARDS:
        if request.user.has_perm(permission):
            mine.append((reverse(name), title))
    held = Team.objects.filter(allocations__isnull=False).distinct().order_by("name")
    teams = [t for t in held if request.user.has_perm("insight.view_team_dashboard", t)]
    if len(teams) == 1 and staff is not None and teams[0].pk == staff.team_id:
        teams = []  # only their own, listed above
    return render(request, "insight/index.html", {"dashboards": mine, "teams": teams})


@requires(
    "insight.view_team_dashboard", lambda request, team_id: get_object_or_404(Team, pk=team_id)
)
@limited
def team(request, team_id: int, obj):
    return _page(
        request,
        "insight/dashboard.html",
        f"{obj.name}: team dashboard",
        scope=Scope(obj.pk),
        extra=lambda *_: {"team": obj},
    )


def _teams_side_by_side(user, as_of: date, period: str, reading: Reading):
    """The practice indicators for each team holding children, against the authority."""
    definitions = by_id()
    chosen = period_ending(as_of, period)
    columns = [definitions[i] for i in TEAMS_SIDE_BY_SIDE]
    teams = list(Team.objects.filter(allocations__isnull=False).distinct().order_by("name"))

    def values() -> dict:
        county = reading.inputs
        found = {None: [figure(d, county, chosen, ids=False).value for d in columns]}
        for team in teams:
            theirs = team_inputs(county, team.pk)
            found[team.pk] = [figure(d, theirs, chosen, ids=False).value for d in columns]
        return found

    found = reading.shared(("teams side by side", period, tuple(t.pk for t in teams)), values)
    shown_period = chosen.as_dict()

    def cells(scope, links):
        return [
            {
                "value": shown(value, d.unit),
                "link": links
                and children_link({"id": d.id}, scope, as_of, shown_period, "numerator"),
            }
            for d, value in zip(columns, found[scope.team_id], strict=True)
        ]

    rows = []
    for team in teams:
        # Another team's children are reached through its dashboard, for those who may see it.
        opens = user.has_perm("insight.view_team_dashboard", team)
        rows.append({"team": team, "opens": opens, "cells": cells(Scope(team.pk), opens)})
    return {"columns": columns, "team_rows": rows, "authority_cells": cells(AUTHORITY, True)}


@requires("insight.view_service_dashboard")
@limited
def service(request):
    return _page(
        request,
        "insight/dashboard.html",
        "Service manager's dashboard",
        extra=lambda *args: _teams_side_by_side(request.user, *args),
    )


@requires("insight.view_director_dashboard")
@limited
def director(request):
    return _page(request, "insight/dashboard.html", "Director's dashboard")


@requires("insight.view_partnership_dashboard")
@limited
def partnership(request):
    """The authority's figures for the safeguarding partners: numbers only, no child named."""
    return _page(request, "insight/dashboard.html", "Safeguarding partnership view", links=False)
