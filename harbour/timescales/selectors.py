"""Duties for pages: a worker's tray, a team, the service, one child.

Each reads only the records of the children (and staff) it is about, so a page costs what its
people cost, not what the county costs.
"""

from dataclasses import dataclass
from datetime import date

import polars as pl
from django.db.models import Q

from harbour.timescales import plain
from harbour.timescales.engine import Setting, compute_duties
from harbour.timescales.rulebook import rulebook
from harbour.timescales.sources import read_rows, read_tables
from harbour.workforce.models import Allocation, Staff, Team

OPEN = ("overdue", "due_soon")


@dataclass(frozen=True)
class Duty:
    rule: str
    title: str
    child_id: int | None
    staff_id: int | None
    trigger: date
    due: date
    completed: date | None
    status: str
    worker_id: int | None
    team_id: int | None

    @property
    def overdue(self) -> bool:
        return self.status == "overdue"


def _current(on: date):
    return Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))


# Up to this many children a page's rows are read through Django's own connection: starting
# a reader (a process of its own on SQLite) costs more than the rows, and no page starts one.
PAGE_CHILDREN = 5_000


def duties_for(as_of: date, children=(), staff=(), undone=False) -> list[Duty]:
    """The duties of the children and staff given; with `undone`, only those nothing has
    completed (what trays show and count: open, not yet due, no longer needed)."""
    children, staff = sorted(set(children)), sorted(set(staff))
    if len(children) > PAGE_CHILDREN:
        duties = _worked_out(read_tables(children=children, staff=staff), as_of, staff)
        return [d for d in duties if d.completed is None] if undone else duties
    # A page's rows, read through Django's connection, and the rules run over them in plain
    # Python (plain.py): a few milliseconds for a record, tens for a team. Nothing is kept
    # between requests: working the duties out again costs less than telling whether a kept
    # answer still holds (a digest of every row read).
    rows = read_rows(children=children, staff=staff)
    return _worked_out_plainly(rows, as_of, staff, undone)


def _worked_out(tables, as_of: date, staff) -> list[Duty]:
    setting = Setting.from_tables(tables, as_of)
    rules = [name for name in setting.rules.names if name != "supervision" or staff]
    frame = compute_duties(tables, as_of, rule_names=rules, setting=setting)
    frame = frame.filter(pl.col("staff_id").is_null() | pl.col("staff_id").is_in(staff))
    titles = {name: rulebook().latest(name).title for name in rulebook().names}
    return [
        Duty(
            rule=row["rule"],
            title=titles[row["rule"]],
            child_id=row["child_id"],
            staff_id=row["staff_id"],
            trigger=row["trigger"],
            due=row["due"],
            completed=row["completed"],
            status=row["status"],
            worker_id=row["worker_id"],
            team_id=row["team_id"],
        )
        for row in frame.with_columns(pl.col("rule", "status").cast(pl.String)).iter_rows(
            named=True
        )
    ]


def _worked_out_plainly(rows, as_of: date, staff, undone=False) -> list[Duty]:
    """The same duties as `_worked_out` gives for these rows (test_plain.py holds the two to
    it), without the columnar path's fixed cost for every operation."""
    tables = plain.tables_from_rows(rows)
    names = [name for name in rulebook().names if name != "supervision" or staff]
    titles = {name: rulebook().latest(name).title for name in names}
    wanted = set(staff)
    return [
        Duty(
            rule=d["rule"],
            title=titles[d["rule"]],
            child_id=d["child_id"],
            staff_id=d["staff_id"],
            trigger=d["trigger"],
            due=d["due"],
            completed=d["completed"],
            status=d["status"],
            worker_id=d["worker_id"],
            team_id=d["team_id"],
        )
        for d in plain.compute_duties(tables, as_of, names, undone)
        if d["staff_id"] is None or d["staff_id"] in wanted
    ]


def _open(duties: list[Duty]) -> list[Duty]:
    order = {status: n for n, status in enumerate(OPEN)}
    return sorted(
        (d for d in duties if d.status in OPEN), key=lambda d: (order[d.status], d.due, d.rule)
    )


def _children(allocations, allowed):
    """The allocated children, less any the viewer may not know of (restricted records).
    A page's children are found first and then checked by id: asked the other way round
    (allocations whose child is among the knowable ones), SQLite reads every child."""
    children = set(allocations.values_list("child_id", flat=True))
    if allowed is None or not children:
        return sorted(children)
    if len(children) > PAGE_CHILDREN:
        return list(allocations.filter(child__in=allowed).values_list("child_id", flat=True))
    return sorted(allowed.filter(pk__in=children).values_list("pk", flat=True))


def worker_tray(staff: Staff, as_of: date, allowed=None) -> list[Duty]:
    """What the worker must do: overdue first, then due within five working days."""
    children = _children(Allocation.objects.filter(_current(as_of), worker=staff), allowed)
    supervised = []
    if staff.role == "team_manager":
        supervised = (
            Staff.objects.filter(team=staff.team).exclude(pk=staff.pk).values_list("pk", flat=True)
        )
    duties = duties_for(as_of, children, supervised, undone=True)
    return _open([d for d in duties if d.worker_id == staff.pk])


def team_duties(team: Team, as_of: date, allowed=None) -> list[Duty]:
    children = _children(Allocation.objects.filter(_current(as_of), team=team), allowed)
    staff = Staff.objects.filter(team=team).values_list("pk", flat=True)
    duties = duties_for(as_of, children, staff, undone=True)
    return _open([d for d in duties if d.team_id == team.pk])


def service_duties(as_of: date, allowed=None) -> list[Duty]:
    children = _children(Allocation.objects.filter(_current(as_of)), allowed)
    staff = Staff.objects.filter(ends_on__isnull=True).values_list("pk", flat=True)
    return _open(duties_for(as_of, children, staff, undone=True))


def child_duties(child_id: int, as_of: date) -> list[Duty]:
    """All of a child's duties: what is open first, then the most recent."""
    duties = duties_for(as_of, [child_id])
    open_duties = _open(duties)
    rest = sorted((d for d in duties if d.status not in OPEN), key=lambda d: d.due, reverse=True)
    return open_duties + rest


def counts(duties: list[Duty], key) -> list[tuple]:
    """(key, overdue, due soon) rows, most overdue first."""
    table: dict = {}
    for duty in duties:
        row = table.setdefault(key(duty), [0, 0])
        row[0 if duty.overdue else 1] += 1
    return sorted(((k, *v) for k, v in table.items()), key=lambda r: (-r[1], -r[2], str(r[0])))
