"""Social worker episodes: the allocations of a social worker to a looked-after child.

The export shows each allocation once per period of care it falls in, from the later of its
start and the period's, with an end date only where the worker changed while the child was
looked after (export._social_workers). Reading back, a row is matched to the allocation that
would show it; a new allocation is made for the rest. A worker open at the end of one period and
shown again from the first day of the next is one allocation; otherwise one left open when care
ended is held to have ended by the time the child came back into care.

Workers are found by their Social Work England number (SW_ID). `XX` and a number is how the
export names a worker with no registration (by their Harbour id); a worker Harbour does not
hold is added to a team for workers known only from returns, named by their SW_ID.
"""

from collections import defaultdict

from harbour.access.roles import Role
from harbour.returns.ssda903.load import Loader
from harbour.returns.ssda903.reading import by_child
from harbour.returns.ssda903.records import _d
from harbour.workforce.models import Allocation, Staff, Team

TEAM = "Social workers known only from a return"


def social_workers(loader: Loader) -> None:
    parsed, year = loader.parsed, loader.year
    if not parsed.has("social_worker_episodes"):
        return
    rows = by_child(parsed.rows("social_worker_episodes"))
    children = {ref: loader.children[ref] for ref in rows}
    allocations = defaultdict(list)
    for allocation in (
        Allocation.objects.filter(child_id__in=[c.pk for c in children.values()])
        .filter(kind=Allocation.Kind.SOCIAL_WORKER)
        .select_related("worker")
        .order_by("starts_on", "id")
    ):
        allocations[allocation.child_id].append(allocation)
    workers = Workers(loader, parsed.rows("social_worker_episodes"))
    for done, (ref, child_rows) in enumerate(sorted(rows.items()), start=1):
        child = children[ref]
        periods = [p for p in loader.periods[child.pk] if year.overlaps(p.starts_on, p.ends_on)]
        shown = _shown(periods, allocations[child.pk], year)
        matched, new = set(), []
        for row in sorted(child_rows, key=lambda r: r["SW_DECOM"]):
            key = (row["SW_ID"], row["SW_DECOM"])
            if key not in shown:
                new.append(row)
                continue
            matched.add(key)
            allocation, ends, reason, _ = shown[key]
            values = {}
            if reason != (row["SW_REASON"] or "OTHERS"):
                values["reason"] = row["SW_REASON"] or ""
            if ends != _d(row["SW_DEC"]):
                values["ends_on"] = row["SW_DEC"]
            if values:
                loader.save(Allocation, {"child": child}, values, allocation)
            else:
                loader.unchanged(Allocation)
        _end_spills(loader, child, shown, matched)
        for values in _new_allocations(new, periods, year):
            worker = workers.get(values.pop("sw_id"))
            values.update(worker_id=worker.pk, team_id=worker.team_id, kind="social_worker")
            loader.save(Allocation, {"child": child}, values)
        loader.step("social worker episodes", done, len(rows))


def _sw_id(allocation: Allocation) -> str:
    return allocation.worker.registration_number or f"XX{allocation.worker_id:04d}"


def _shown(periods: list, allocations: list, year) -> dict:
    """(SW_ID, SW_DECOM) -> (allocation, SW_DEC, SW_REASON, period), as the export shows."""
    shown = {}
    for period in periods:
        care_ends = period.ends_on if period.ends_on and period.ends_on <= year.end else None
        for allocation in allocations:
            if allocation.starts_on > year.end:
                continue
            starts = max(allocation.starts_on, period.starts_on)
            ends = allocation.ends_on
            if ends is not None and (ends <= starts or ends < year.start):
                continue
            if care_ends is not None and starts >= care_ends:
                continue
            changed_in_care = (
                ends is not None and ends <= year.end and (care_ends is None or ends < care_ends)
            )
            shown[(_sw_id(allocation), starts)] = (
                allocation,
                _d(ends if changed_in_care else None),
                allocation.reason or "OTHERS",
                period,
            )
    return shown


def _end_spills(loader: Loader, child, shown: dict, matched: set) -> None:
    """An allocation the return shows in one period but not from the start of a later one
    ended by then."""
    shown_in = defaultdict(set)
    for key in matched:
        shown_in[shown[key][0].pk].add(key)
    for key, (allocation, _, _, period) in shown.items():
        if key in matched or allocation.pk not in shown_in:
            continue
        if allocation.ends_on is None or allocation.ends_on > period.starts_on:
            loader.save(Allocation, {"child": child}, {"ends_on": period.starts_on}, allocation)


def _new_allocations(rows: list, periods: list, year) -> list[dict]:
    def closed(period) -> bool:
        return period is not None and period.ends_on is not None and period.ends_on <= year.end

    made: list[dict] = []
    open_at_end: dict[str, dict] = {}  # SW_ID -> allocation left open when its period ended
    for row in rows:
        day = row["SW_DECOM"]
        period = next((p for p in periods if p.is_open_on(day)), None)
        earlier = open_at_end.pop(row["SW_ID"], None)
        if (
            earlier is not None
            and period is not None
            and day == period.starts_on
            and _next(periods, earlier["period"]) is period
        ):
            earlier.update(ends_on=row["SW_DEC"], period=period)  # the same allocation
            item = earlier
        else:
            item = {
                "sw_id": row["SW_ID"],
                "starts_on": day,
                "ends_on": row["SW_DEC"],
                "reason": row["SW_REASON"] or "",
                "period": period,
            }
            made.append(item)
        if item["ends_on"] is None and closed(period):
            open_at_end[row["SW_ID"]] = item
    for item in made:
        period = item.pop("period")
        following = _next(periods, period)
        if item["ends_on"] is None and closed(period) and following is not None:
            item["ends_on"] = following.starts_on
    return made


def _next(periods: list, period):
    later = [p for p in periods if period is not None and p.starts_on > period.starts_on]
    return later[0] if later else None


class Workers:
    def __init__(self, loader: Loader, rows: list):
        self.first: dict[str, object] = {}
        for row in rows:
            sw_id, day = row["SW_ID"], row["SW_DECOM"]
            if sw_id not in self.first or day < self.first[sw_id]:
                self.first[sw_id] = day
        self.by_id = {
            s.registration_number: s
            for s in Staff.objects.filter(registration_number__in=list(self.first))
        }
        numbered = {
            int(sw_id[2:]): sw_id
            for sw_id in self.first
            if sw_id.startswith("XX") and sw_id[2:].isdigit() and sw_id not in self.by_id
        }
        for staff in Staff.objects.filter(pk__in=list(numbered), registration_number=""):
            self.by_id[numbered[staff.pk]] = staff
        unknown = sorted(set(self.first) - set(self.by_id))
        if unknown:
            team = loader.save(
                Team,
                {"name": TEAM},
                {"kind": Team.Kind.CHILDREN_IN_CARE},
                Team.objects.filter(name=TEAM).first(),
            )
            for sw_id in unknown:
                self.by_id[sw_id] = loader.save(
                    Staff,
                    {"team": team},
                    {
                        "forename": "Social worker",
                        "surname": sw_id,
                        "role": Role.SOCIAL_WORKER,
                        "qualified": sw_id.startswith("SW"),
                        "registration_number": sw_id,
                        "starts_on": self.first[sw_id],
                    },
                )
            loader.flush()

    def get(self, sw_id: str) -> Staff:
        return self.by_id[sw_id]
