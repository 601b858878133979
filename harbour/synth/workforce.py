"""The synthetic county's workforce: districts, teams, and staff who come and go.

Every post ("slot") is held by a chain of staff from before the county's history begins to
its end, so on any day each post has exactly one holder and a case held by a post passes to
the next holder when the last one leaves.
"""

import math
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from harbour.access.roles import Role
from harbour.synth import sizes, text

QUALIFIED_ROLES = {
    Role.SOCIAL_WORKER,
    Role.SENIOR_PRACTITIONER,
    Role.TEAM_MANAGER,
    Role.SERVICE_MANAGER,
    Role.MASH_SCREENER,
    Role.CONFERENCE_CHAIR,
    Role.IRO,
    Role.SENIOR_LEADER,
}
CASE_HOLDING = (Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER)


@dataclass
class Tenure:
    staff_id: int
    starts_on: date
    ends_on: date | None  # None: still in post at the county's end
    newly_qualified_until: date | None = None  # ASYE end for a newly qualified social worker


@dataclass
class Slot:
    team_id: int
    role: str
    tenures: list[Tenure] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)

    def holder(self, day: date) -> Tenure:
        i = bisect_right(self._starts, day.toordinal()) - 1
        return self.tenures[max(i, 0)]

    def changes_between(self, start: date, end: date) -> list[tuple[date, Tenure]]:
        """The holders over [start, end]: (from, tenure) pairs in order."""
        spans = [(start, self.holder(start))]
        for tenure in self.tenures:
            if start < tenure.starts_on <= end:
                spans.append((tenure.starts_on, tenure))
        return spans


@dataclass
class TeamInfo:
    id: int
    name: str
    kind: str
    district: str | None
    slots: dict[str, list[Slot]] = field(default_factory=dict)

    def slots_for(self, *roles: str) -> list[Slot]:
        return [slot for role in roles for slot in self.slots.get(role, [])]


class Workforce:
    def __init__(self, ctx):
        self.ctx = ctx
        self.teams: list[TeamInfo] = []
        self.by_kind: dict[tuple[str, str | None], list[TeamInfo]] = {}
        self.staff_users: dict[int, int] = {}  # staff id -> user id
        self.staff_names: dict[int, str] = {}
        self.tenures: list[tuple[Tenure, Slot]] = []

    # ----- building -----------------------------------------------------------------------
    def build(self) -> None:
        ctx = self.ctx
        per10k = ctx.size.children / 10_000
        districts = ctx.size.districts
        district_ids = {
            name: ctx.sink.add("workforce.District", {"name": name}) for name in districts
        }
        self._district_ids = district_ids
        share = 1 / len(districts)

        def workers(cases_per_10k: float, per_worker: float, part: float = 1.0) -> int:
            return max(2, math.ceil(cases_per_10k * per10k * part / per_worker))

        self._add_team(
            "Front Door (MASH)",
            "front_door",
            None,
            {Role.MASH_SCREENER: workers(sizes.CONTACTS_PER_10K, 2_500)},
            family_support=0,
        )
        for district in districts:
            self._add_teams(
                f"{district} Assessment",
                "assessment",
                district,
                workers(68, sizes.CASES_PER_WORKER, share),
            )
            self._add_teams(
                f"{district} Safeguarding",
                "safeguarding",
                district,
                workers(125, sizes.CASES_PER_WORKER, share),
            )
            self._add_teams(
                f"{district} Children in Care",
                "children_in_care",
                district,
                workers(63, sizes.CASES_PER_WORKER, share),
            )
        self._add_teams(
            "Disabled Children", "disabled_children", None, workers(14, sizes.CASES_PER_WORKER)
        )
        self._add_team(
            "Care Leavers",
            "care_leavers",
            None,
            {Role.PERSONAL_ADVISER: workers(36, sizes.CARE_LEAVERS_PER_ADVISER)},
            family_support=0,
        )
        self._add_team(
            "Safeguarding and Reviewing",
            "reviewing",
            None,
            {Role.CONFERENCE_CHAIR: workers(32, 45), Role.IRO: workers(63, 60)},
            family_support=0,
        )
        self._add_team(
            "Performance and Quality Assurance",
            "performance",
            None,
            {Role.PERFORMANCE_OFFICER: 3},
            family_support=0,
            manager=False,
        )
        self._add_team(
            "Children's Services Leadership",
            "leadership",
            None,
            {Role.SERVICE_MANAGER: len(districts) + 1, Role.SENIOR_LEADER: 2},
            family_support=0,
            manager=False,
        )

    def _add_teams(self, name: str, kind: str, district: str | None, practitioners: int) -> None:
        count = max(1, math.ceil(practitioners / sizes.PRACTITIONERS_PER_TEAM))
        for n in range(count):
            in_team = practitioners // count + (1 if n < practitioners % count else 0)
            roles = {Role.SENIOR_PRACTITIONER: 1, Role.SOCIAL_WORKER: max(1, in_team - 1)}
            self._add_team(f"{name} {n + 1}" if count > 1 else name, kind, district, roles)

    def _add_team(self, name, kind, district, roles, family_support=1, manager=True) -> None:
        ctx = self.ctx
        team_id = ctx.sink.add(
            "workforce.Team",
            {"name": name, "kind": kind, "district_id": self._district_ids.get(district)},
        )
        team = TeamInfo(team_id, name, kind, district)
        wanted = dict(roles)
        if manager:
            wanted[Role.TEAM_MANAGER] = 1
        if family_support:
            wanted[Role.FAMILY_SUPPORT_WORKER] = family_support
        for role, count in wanted.items():
            team.slots[role] = [self._fill_slot(team_id, role) for _ in range(count)]
        self.teams.append(team)
        self.by_kind.setdefault((kind, district), []).append(team)

    def _fill_slot(self, team_id: int, role: str) -> Slot:
        ctx, rng = self.ctx, self.ctx.rng
        slot = Slot(team_id, role)
        starts = ctx.staff_from - timedelta(days=rng.randint(0, 3 * 365))
        while starts <= ctx.end:
            agency = role == Role.SOCIAL_WORKER and rng.random() < 0.1
            years = rng.uniform(0.3, 1.5) if agency else rng.uniform(1.0, 7.0)
            ends = starts + timedelta(days=int(years * 365))
            newly_qualified = (
                role == Role.SOCIAL_WORKER
                and not agency
                and starts > ctx.staff_from
                and rng.random() < 0.2
            )
            tenure = self._hire(
                slot, role, starts, ends if ends < ctx.end else None, newly_qualified, agency
            )
            slot.tenures.append(tenure)
            slot._starts.append(starts.toordinal())
            if tenure.ends_on is None:
                break
            starts = ends + timedelta(days=1)
        return slot

    def _hire(self, slot, role, starts, ends, newly_qualified, agency) -> Tenure:
        ctx, rng = self.ctx, self.ctx.rng
        sex = rng.choice("FFFM")
        forename, surname = text.adult_name(rng, sex), text.surname(rng)
        qualified = role in QUALIFIED_ROLES
        staff_id = ctx.sink.new_id("workforce.Staff")
        if newly_qualified:
            qualified_on = starts
            asye_done = starts + relativedelta(years=1)
        elif qualified:
            qualified_on = starts - timedelta(days=rng.randint(400, 6000))
            asye_done = qualified_on + relativedelta(years=1)
        else:
            qualified_on = asye_done = None
        user_id = ctx.sink.add(
            "access.User",
            {
                "username": f"{forename}.{surname}.{staff_id}".lower(),
                "password": "!synthetic",
                "first_name": forename,
                "last_name": surname,
                "email": f"{forename}.{surname}.{staff_id}@harbourshire.invalid".lower(),
                "is_active": ends is None,
                "is_staff": False,
                "is_superuser": False,
                "date_joined": ctx.at(starts, 9),
                "external_role": "",
                "organisation": "",
            },
        )
        ctx.sink.add(
            "workforce.Staff",
            {
                "id": staff_id,
                "user_id": user_id,
                "forename": forename,
                "surname": surname,
                "role": role,
                "team_id": slot.team_id,
                "qualified": qualified,
                "registration_number": f"SW{900000 + staff_id}" if qualified else "",
                "qualified_on": qualified_on,
                "asye_completed_on": asye_done if asye_done and asye_done <= ctx.end else None,
                "agency_worker": agency,
                "starts_on": starts,
                "ends_on": ends,
            },
        )
        self.staff_users[staff_id] = user_id
        self.staff_names[staff_id] = f"{forename} {surname}"
        tenure = Tenure(staff_id, starts, ends, asye_done if newly_qualified else None)
        self.tenures.append((tenure, slot))
        return tenure

    # ----- looking people up --------------------------------------------------------------
    def teams_of(self, kind: str, district: str | None) -> list[TeamInfo]:
        return self.by_kind.get((kind, district)) or self.by_kind[(kind, None)]

    def case_slot(self, kind: str, district: str | None, roles=CASE_HOLDING) -> Slot:
        team = self.ctx.rng.choice(self.teams_of(kind, district))
        return self.ctx.rng.choice(team.slots_for(*roles))

    def holder(self, team_id: int, role: str, day: date) -> int:
        slots = self._team_by_id(team_id).slots[role]
        return self.ctx.rng.choice(slots).holder(day).staff_id

    def manager(self, team_id: int, day: date) -> int:
        return self._team_by_id(team_id).slots[Role.TEAM_MANAGER][0].holder(day).staff_id

    def anyone(self, kind: str, role: str, day: date) -> int:
        team = self.ctx.rng.choice(self.teams_of(kind, None))
        return self.ctx.rng.choice(team.slots[role]).holder(day).staff_id

    def _team_by_id(self, team_id: int) -> TeamInfo:
        if not hasattr(self, "_index"):
            self._index = {t.id: t for t in self.teams}
        return self._index[team_id]

    # ----- supervision --------------------------------------------------------------------
    def supervise(self) -> None:
        """Supervision for every practitioner through each tenure, on time unless a gap is
        injected. The interval is judged by the worker's status at the last supervision."""
        ctx = self.ctx
        supervised = set(ctx.policy.value("supervised_roles"))
        for tenure, slot in self.tenures:
            if slot.role not in supervised:
                continue
            last = tenure.starts_on
            stop = min(tenure.ends_on or ctx.end, ctx.end)
            while True:
                newly_qualified = (
                    tenure.newly_qualified_until is not None and last < tenure.newly_qualified_until
                )
                due = self._supervision_due(last, newly_qualified)
                earliest = due - timedelta(days=6 if newly_qualified else 9)
                held = ctx.working_day_between(max(earliest, last + timedelta(days=1)), due)
                late = last >= ctx.start and ctx.failures.roll("supervision_gap")
                if late:
                    late_held = ctx.working_day_between(
                        due + timedelta(days=5), due + timedelta(days=25)
                    )
                    late = late_held <= stop
                    held = late_held if late else held
                if held > stop:
                    break
                supervision_id = ctx.sink.add(
                    "workforce.Supervision",
                    {
                        "worker_id": tenure.staff_id,
                        "supervisor_id": self.manager(slot.team_id, held),
                        "held_on": held,
                        "kind": "one_to_one",
                        "notes": "Caseload reviewed; actions agreed for each child discussed.",
                    },
                )
                if late:
                    ctx.failures.record("supervision_gap", None, supervision_id)
                last = held

    def _supervision_due(self, last: date, newly_qualified: bool) -> date:
        policy, day = self.ctx.policy, last
        if newly_qualified:
            return day + timedelta(days=policy.value("nqsw_supervision_interval_days", day))
        return day + relativedelta(months=policy.value("supervision_interval_months", day))
