"""The data quality report: what is missing or inconsistent in the records, counted by team and
worker, each row linking to the child's record; and its rows as a spreadsheet (CSV)."""

import csv
import time
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

import polars as pl
from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from harbour.access import audit
from harbour.access.decorators import requires
from harbour.access.export import safe_cell
from harbour.access.models import AuditEvent, Restriction
from harbour.access.scope import granted
from harbour.insight import shared
from harbour.insight.quality import inputs
from harbour.insight.quality.kinds import FAMILIES, KINDS
from harbour.insight.quality.report import by_kind, counts, problems
from harbour.insight.quality.scope import since
from harbour.insight.views.limits import allowance, limited

PERMISSION = "insight.view_data_quality"
EVERY_TEAM = "insight.view_data_quality_of_every_team"
NONE = "none"  # filter value: no team (never allocated), or no worker (not allocated now)
SHOWN = 500  # rows on the page; the spreadsheet has them all


class Filters(forms.Form):
    team = forms.ChoiceField(label="Team", required=False)
    worker = forms.ChoiceField(label="Worker", required=False)
    kind = forms.ChoiceField(label="Problem", required=False)

    def __init__(self, data, *, teams, workers):
        super().__init__(data)
        self.fields["team"].choices = [("", "All teams"), *teams, (NONE, "No team")]
        self.fields["team"].error_messages["invalid_choice"] = "Choose a team from the list"
        self.fields["worker"].choices = [("", "All workers"), *workers, (NONE, "No worker")]
        self.fields["worker"].error_messages["invalid_choice"] = "Choose a worker from the list"
        self.fields["kind"].choices = [("", "All problems")] + [
            (kind.id, kind.title) for kind in KINDS.values()
        ]
        self.fields["kind"].error_messages["invalid_choice"] = "Choose a problem from the list"


@dataclass(frozen=True)
class Found:
    """What every viewer's report is cut from: today's problems, every team's and worker's
    name, the teams that hold or held children and each team's staff. Kept for a minute for
    every process, like the dashboards' figures."""

    problems: pl.DataFrame
    team_names: dict
    worker_names: dict
    holding: frozenset
    team_staff: dict
    read_at: float  # time.time()


def _found(today: date, starting) -> Found:
    def make() -> Found:
        tables = inputs.read(today)
        staff = tables["staff"]
        names = staff.select("id", pl.concat_str("forename", "surname", separator=" "))
        team_staff: dict = {}
        for worker, team in staff.select("id", "team_id").iter_rows():
            team_staff.setdefault(team, []).append(worker)
        return Found(
            problems=problems(tables, today),
            team_names=dict(tables["teams"].select("id", "name").iter_rows()),
            worker_names=dict(names.iter_rows()),
            holding=frozenset(tables["allocations"]["team_id"].to_list()),
            team_staff=team_staff,
            read_at=time.time(),
        )

    return shared.figures(("data quality", today.isoformat()), make, starting=starting)


@dataclass
class Report:
    today: date
    since: date
    every_team: bool
    own_team: int | None
    form: Filters
    found: pl.DataFrame  # rows the viewer may see, before the filters
    chosen: dict  # the filters that were valid
    team_names: dict
    worker_names: dict
    read_at: float

    def where(self, *names) -> pl.DataFrame:
        """The rows, filtered by the chosen filters named."""
        frame = self.found
        for name, column in (("team", "team_id"), ("worker", "worker_id"), ("kind", "kind")):
            value = self.chosen.get(name)
            if name not in names or not value:
                continue
            if value == NONE:
                frame = frame.filter(pl.col(column).is_null())
            else:
                frame = frame.filter(pl.col(column) == (value if name == "kind" else int(value)))
        return frame


def _hidden(user) -> set[int]:
    """Restricted children the viewer holds no grant for: not counted, not listed."""
    return set(
        Restriction.objects.exclude(child__in=granted(user)).values_list("child_id", flat=True)
    )


def _team_asked(query, teams) -> int | None:
    """The team the filters ask for, when it is one in the list: its staff are offered as
    workers. The same form checks it as checks every filter."""
    asked = Filters(query, teams=teams, workers=[])
    asked.is_valid()
    team = asked.cleaned_data.get("team")
    return int(team) if team and team != NONE else None


def _report(request) -> Report:
    today = timezone.localdate()
    basis = _found(today, allowance(request))
    found = basis.problems
    hidden = _hidden(request.user)
    if hidden:
        found = found.filter(~pl.col("child_id").is_in(list(hidden)))
    every_team = request.user.has_perm(EVERY_TEAM)
    own_team = None
    if not every_team:
        own_team = request.user.staff.team_id  # team managers: their own team only
        found = found.filter(pl.col("team_id") == own_team)
    team_names, worker_names = basis.team_names, basis.worker_names

    # Teams: those that hold (or held) the children in the report.
    holding = basis.holding if every_team else {own_team}
    teams = sorted(((str(t), team_names.get(t, "")) for t in holding), key=lambda item: item[1])
    # Workers: those with rows (in the team asked for, if it is one), and the team's own staff.
    team_id = _team_asked(request.GET, teams) if every_team else own_team
    in_team = found if team_id is None else found.filter(pl.col("team_id") == team_id)
    worker_ids = set(in_team["worker_id"].drop_nulls().to_list())
    if team_id is not None:
        worker_ids |= set(basis.team_staff.get(team_id, []))
    workers = sorted(
        ((str(w), worker_names.get(w, "")) for w in worker_ids), key=lambda item: item[1]
    )
    form = Filters(request.GET, teams=teams, workers=workers)
    form.is_valid()
    chosen = {name: value for name, value in form.cleaned_data.items() if value}
    if not every_team:
        chosen["team"] = str(own_team)
    return Report(
        today,
        since(today),
        every_team,
        own_team,
        form,
        found,
        chosen,
        team_names,
        worker_names,
        basis.read_at,
    )


def _link(**filters) -> str:
    """The page's address with these filters (a key of None is 'none')."""
    values = {k: NONE if v is None else v for k, v in filters.items() if v != ""}
    return "?" + urlencode(values) if values else "?"


def _counts(frame: pl.DataFrame, by: str, names: dict, link) -> list[dict]:
    """Rows of the summary tables: who (name and link), counts by family and the total."""
    rows = []
    for key, n in counts(frame, by).items():
        rows.append(
            {
                "id": key,
                "name": names.get(key),
                "href": link(key),
                "families": [n.get(family, 0) for family in FAMILIES],
                "total": n["total"],
            }
        )
    return sorted(rows, key=lambda r: (r["id"] is None, -r["total"], r["name"] or ""))


@requires(PERMISSION)
@limited
def report(request):
    # Filters that are not in the lists are named in an error summary; the rest still apply.
    return _page(request, _report(request))


def _page(request, data: Report, status: int = 200):
    team = data.chosen.get("team")
    shown = data.where("team", "worker", "kind")
    rows = [
        dict(
            row,
            title=KINDS[row["kind"]].title,
            worker_name=data.worker_names.get(row["worker_id"]),
            team_name=data.team_names.get(row["team_id"]),
        )
        for row in shown.head(SHOWN).iter_rows(named=True)
    ]
    kind = data.chosen.get("kind", "")
    by_team = by_worker = None
    if data.every_team:
        by_team = _counts(
            data.where("kind"), "team_id", data.team_names, lambda t: _link(team=t, kind=kind)
        )
    if team:
        by_worker = _counts(
            data.where("team", "kind"),
            "worker_id",
            data.worker_names,
            lambda w: _link(team=team if data.every_team else "", worker=w, kind=kind),
        )
    worker = data.chosen.get("worker", "")
    context = {
        "data": data,
        "form": data.form,
        "families": list(FAMILIES.values()),
        "by_team": by_team,
        "team_name": data.team_names.get(int(team)) if team and team != NONE else None,
        "by_worker": by_worker,
        "by_kind": [
            (
                KINDS[k],
                FAMILIES[KINDS[k].family],
                n,
                _link(team=team if data.every_team else "", worker=worker, kind=k),
            )
            for k, n in by_kind(data.where("team", "worker"))
        ],
        "rows": rows,
        "total": shown.height,
        "shown": len(rows),
        "filters": _link(team=team if data.every_team else "", worker=worker, kind=kind),
        "read_at": datetime.fromtimestamp(data.read_at).strftime("%H:%M"),
    }
    # A list of named children is a view of each: the log says which were shown.
    audit.record(
        AuditEvent.Action.VIEW,
        request=request,
        detail={
            "what": "data quality report",
            "children": list(dict.fromkeys(row["reference"] for row in rows)),
            "rows": len(rows),
            **data.chosen,
        },
    )
    return render(request, "insight/data_quality.html", context, status=status)


@requires(PERMISSION)
@limited
def export(request):
    """Every row (with the filters the page had) as a spreadsheet, safe to open in Excel."""
    data = _report(request)
    if data.form.errors:
        return _page(request, data, status=400)  # the page, naming what is wrong
    rows = data.where("team", "worker", "kind")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="data-quality-{data.today}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "Child reference",
            "Child",
            "Problem",
            "Problem code",
            "Field or event",
            "Date",
            "Out of order with",
            "Its date",
            "Record",
            "Record id",
            "Team",
            "Worker",
        ]
    )
    for row in rows.iter_rows(named=True):
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    row["reference"],
                    row["child"],
                    KINDS[row["kind"]].title,
                    row["kind"],
                    row["what"],
                    row["on"].isoformat() if row["on"] else "",
                    row["against"] or "",
                    row["against_on"].isoformat() if row["against_on"] else "",
                    row["record"],
                    row["record_id"],
                    data.team_names.get(row["team_id"], "No team"),
                    data.worker_names.get(row["worker_id"], "No worker"),
                )
            ]
        )
    audit.record(
        AuditEvent.Action.EXPORT,
        request=request,
        detail={"what": "data quality report", "rows": rows.height, **data.chosen},
    )
    return response
