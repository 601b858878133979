"""What every step of an Annex A load shares: the children and staff met so far, each child's
child in need episodes, and saving only what changed.

A record a return already made (the CIN census and SSDA903 load first) is matched by its
natural key and filled where the workbook knows more; the workbook's blanks never erase.

Each step reads what is held in one query a model before its rows, on the days the workbook
gives; what it makes or changes is written at the end of the step, in bulk (saving.py).
"""

from collections import defaultdict
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from harbour.journey.models import Referral
from harbour.people.models import Child
from harbour.returns.annex_a.data import pick_allocation, staff_name
from harbour.returns.annex_a.parse import ID, Parsed, Row
from harbour.returns.annex_a.saving import Saver
from harbour.returns.importing import Outcome, unnamed
from harbour.workforce.models import Allocation, Staff, Team

TEAM_KINDS = {
    "List 3": Team.Kind.ASSESSMENT,
    "List 4": Team.Kind.ASSESSMENT,
    "List 5": Team.Kind.ASSESSMENT,
    "List 6": Team.Kind.SAFEGUARDING,
    "List 7": Team.Kind.SAFEGUARDING,
    "List 8": Team.Kind.CHILDREN_IN_CARE,
    "List 9": Team.Kind.CARE_LEAVERS,
}
ALLOCATION_LISTS = ("List 8", "List 7", "List 6", "List 3")  # the most current first


def given(values: dict) -> dict:
    """The values the workbook gave: a blank never erases what Harbour holds."""
    return {k: v for k, v in values.items() if v is not None}


class Loader:
    def __init__(self, parsed: Parsed, outcome: Outcome):
        self.parsed = parsed
        self.outcome = outcome
        self.as_of: date = parsed.as_of or date.today()
        self.rows = parsed.rows
        days = [
            v
            for rows in self.rows.values()
            for row in rows
            for h, v in row.values.items()
            if isinstance(v, date) and h != "Date of Birth"
        ]
        self.earliest = min(days, default=self.as_of)
        self.children: dict[str, Child] = {}
        self.episodes: dict[int, list[Referral]] = defaultdict(list)
        self.teams = {t.name: t for t in Team.objects.all()}
        self.staff: dict[tuple[str, str], Staff] = {}
        self.staff_by_name: dict[str, Staff] = {}
        for s in Staff.objects.select_related("team").order_by("-id"):
            self.staff[(staff_name(s), s.team.name)] = s
            self.staff_by_name[staff_name(s)] = s  # the first made, where names repeat
        self.saver = Saver(outcome, f"Imported from Annex A of {self.as_of:%d/%m/%Y}")

    # Saving (harbour.returns.annex_a.saving) ---------------------------------------------
    def save(self, model, lookup: dict, values: dict, existing=None):
        return self.saver.save(model, lookup, values, existing)

    def new(self, model, values: dict):
        return self.saver.new(model, values)

    def write(self) -> None:
        self.saver.write()

    def log(self) -> None:
        self.saver.log(self.parsed.file, f"Annex A {self.as_of:%d/%m/%Y}")

    def problem(self, row: Row, heading: str, text: str) -> None:
        self.parsed.add(row.where, heading, text)

    def child(self, row: Row) -> Child:
        return self.children[row[ID]]

    # Children ------------------------------------------------------------------------------
    def load_children(self) -> None:
        refs = list(self.parsed.children)
        held = {c.reference: c for c in Child.objects.filter(reference__in=refs)}
        uasc = {row[ID] for row in self.rows.get("List 8", []) if row[L8_UASC]}
        for ref, row in self.parsed.children.items():
            child = held.get(ref)
            born = row["Date of Birth"]
            facts = {"sex": row["Gender"], "ethnicity": row["Ethnicity"]}
            if child is None:
                if born is None:
                    self.problem(row, "Date of Birth", "a child new to Harbour needs one")
                    continue
                # An unborn child is shown with the expected date and no age.
                unborn = born > self.as_of or (
                    row["Age of Child (Years)"] is None
                    and born >= self.as_of - relativedelta(months=3)
                )
                values = {
                    **unnamed(ref),
                    "sex": facts["sex"] or "U",
                    "ethnicity": facts["ethnicity"] or "",
                    "expected_date_of_birth" if unborn else "date_of_birth": born,
                    "unaccompanied_asylum_seeking": ref in uasc,
                }
                self.children[ref] = self.save(Child, {"reference": ref}, values)
                continue
            gaps = {
                "sex": facts["sex"] if child.sex == "U" else None,
                "ethnicity": facts["ethnicity"] if not child.ethnicity else None,
                "unaccompanied_asylum_seeking": True if ref in uasc else None,
            }
            self.children[ref] = self.save(Child, {"reference": ref}, given(gaps), existing=child)
        ids = [c.pk for c in self.children.values()]
        for referral in Referral.objects.filter(child_id__in=ids).order_by("received_on", "id"):
            self.episodes[referral.child_id].append(referral)

    def episode(self, row: Row, child: Child, day: date, heading: str) -> Referral | None:
        """The child in need episode open on `day`: the latest referral by then."""
        found = [r for r in self.episodes[child.pk] if r.received_on <= day]
        if not found:
            self.problem(
                row,
                heading,
                f"no child in need episode (List 3, List 6 or held) starts by {day:%d/%m/%Y}",
            )
            return None
        return found[-1]

    # Staff ---------------------------------------------------------------------------------
    def team(self, row: Row) -> Team:
        name = row["Allocated Team"] or "Team not recorded"
        if name not in self.teams:
            kind = TEAM_KINDS.get(row.sheet, Team.Kind.SAFEGUARDING)
            self.teams[name] = self.save(Team, {"name": name}, {"kind": kind})
        return self.teams[name]

    def worker(self, row: Row, role: str = "social_worker") -> Staff | None:
        """The member of staff named in the row: by name and team, else by name alone, else
        new (returns name workers, never their records of employment)."""
        name = row["Allocated Worker"]
        if not name:
            return None
        team = self.team(row)
        found = self.staff.get((name, team.name)) or self.staff_by_name.get(name)
        if found is None:
            forename, _, surname = name.partition(" ")
            found = self.save(
                Staff,
                {"forename": forename, "surname": surname, "team": team},
                {"role": role, "starts_on": self.earliest},
            )
            self.staff[(name, team.name)] = self.staff_by_name[name] = found
        return found

    def load_allocations(self) -> None:
        """Each child's allocated worker, as the workbook has them on its date."""
        wanted: dict[str, Row] = {}
        for name in reversed(ALLOCATION_LISTS):
            for row in self.rows.get(name, []):
                if row["Allocated Worker"] and row[ID] in self.children:
                    wanted[row[ID]] = row
        ids = [self.children[ref].pk for ref in wanted]
        held = defaultdict(list)
        for a in Allocation.objects.filter(child_id__in=ids, kind="social_worker").order_by(
            "starts_on", "id"
        ):
            held[a.child_id].append(a)
        for ref, row in wanted.items():
            child, staff, team = self.children[ref], self.worker(row), self.team(row)
            current = pick_allocation(held[child.pk], self.as_of)
            lookup = {"child": child, "worker": staff, "team": team, "kind": "social_worker"}
            same = next(  # this worker's allocation from the workbook's date, if held
                (
                    a
                    for a in held[child.pk]
                    if (a.worker_id, a.team_id, a.starts_on) == (staff.pk, team.pk, self.as_of)
                ),
                None,
            )
            if current and current.worker_id == staff.pk and current.team_id == team.pk:
                self.save(Allocation, lookup, {}, existing=current)
                continue
            if current and (current.ends_on is None or current.ends_on >= self.as_of):
                if current.starts_on < self.as_of:  # handed over on the workbook's date
                    self.save(Allocation, {}, {"ends_on": self.as_of - timedelta(1)}, current)
                else:
                    self.save(Allocation, {}, {"worker": staff, "team": team}, current)
                    continue
            self.save(Allocation, {**lookup, "starts_on": self.as_of}, {}, same)


L8_UASC = "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)"
