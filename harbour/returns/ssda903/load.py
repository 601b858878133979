"""Importing an SSDA903 return (children looked after, CSV tables).

`read` (a folder or .zip) and `read_files` (CSVs named one by one) parse and check every table
without touching the database (reading.py, checks.py, episodes.py); `load` writes what was read.

Loading changes only what the return shows differently: for each table it works out what
Harbour's own export would show from the records already held and saves where that differs
from the file, each record found by its natural key, so importing the same files twice changes
nothing. Where the return is silent (a name, an address line, times of day), what is held stays.
Within the span a return covers, legal statuses, placements, reviews and missing episodes it no
longer shows are removed (counted as updated), so a corrected return corrects.
"""

from collections import Counter, defaultdict
from datetime import date

from simple_history.utils import bulk_create_with_history

from harbour.access import audit
from harbour.access.models import AuditEvent
from harbour.care.models import PeriodOfCare
from harbour.people.models import Child
from harbour.returns.importing import (
    Outcome,
    Problem,
    Progress,
    no_progress,
    save_if_changed,
    unnamed,
)
from harbour.returns.period import CollectionYear
from harbour.returns.ssda903.reading import CHILD, Return903, read, read_files

__all__ = ["Return903", "load", "read", "read_files"]

BATCH = 500
PARENTS = [  # written in this order
    "Team",
    "Staff",
    "Child",
    "PeriodOfCare",
    "LegalStatus",
    "Placement",
    "Address",
    "FamilyMember",
    "Relationship",
    "CareLeaver",
    "CareLeaverContact",
    "LookedAfterReview",
    "HealthAssessment",
    "Conviction",
    "AdoptionPlan",
    "PreviousPermanence",
    "MissingEpisode",
    "Allocation",
]
SCHOOL_AGE_UPN = 4


def load(parsed: Return903, outcome: Outcome, progress: Progress = no_progress) -> None:
    if parsed.year is None or not parsed.tables:
        return
    from harbour.returns.ssda903 import records, workers
    from harbour.returns.ssda903.periods import Periods

    loader = Loader(parsed, outcome, progress)
    loader.children_()
    if loader.found:
        return  # children the return needs are missing; nothing else can be placed
    Periods(loader).run()
    for step in (
        records.reviews,
        records.health,
        records.care_leavers,
        records.adoption,
        records.permanence,
        records.missing,
        records.mothers,
        workers.social_workers,
    ):
        step(loader)
        loader.flush()
    loader.log()


def age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def upn_shown(upn: str, upn_unknown: str, born: date | None, year: CollectionYear) -> str:
    """What the export sends for a child's UPN (the code it works out where none is held)."""
    if upn:
        return upn
    if upn_unknown in ("UN1", "UN2", "UN3", "UN4", "UN5"):
        return upn_unknown
    cutoff = date(year.start.year - 1, 8, 31)
    return "UN1" if born and age(born, cutoff) < SCHOOL_AGE_UPN else "UN4"


class Loader:
    def __init__(self, parsed: Return903, outcome: Outcome, progress: Progress):
        self.parsed, self.outcome, self.progress = parsed, outcome, progress
        self.year: CollectionYear = parsed.year
        self.found: list[Problem] = []
        self.children: dict[str, Child] = {}
        self.periods: dict[int, list[PeriodOfCare]] = defaultdict(list)  # child id -> periods
        self.pending: dict = defaultdict(list)  # model -> new records, written by flush()
        self.created: Counter = Counter()

    # Saving

    def save(self, model, lookup: dict, values: dict, existing=None):
        """save_if_changed with a prefetched record; where the prefetch found none, a new
        record queued for flush() (no second look-up, and one audit line for them all)."""
        if existing is None:
            record = model(**lookup, **values)
            self.pending[model].append(record)
            return record
        return save_if_changed(model, lookup, values, self.outcome, existing=existing)

    def flush(self) -> None:
        """Write the new records, with their history, in bulk, a record's parent (and so its
        id) before it: new records may refer to new parents as objects."""
        reason = f"Imported from the SSDA903 return {self.year.label}"
        parents_first = sorted(
            self.pending.items(), key=lambda item: PARENTS.index(item[0].__name__)
        )
        for model, records in parents_first:
            bulk_create_with_history(records, model, batch_size=BATCH, default_change_reason=reason)
            name = model._meta.verbose_name
            self.outcome.created[name] += len(records)
            self.created[name] += len(records)
        self.pending.clear()

    def log(self) -> None:
        """Records changed one by one are in the audit log already; those created in bulk
        get one line for the import."""
        if self.created:
            audit.record(
                AuditEvent.Action.CHANGE,
                detail={
                    "type": "import",
                    "return": f"SSDA903 {self.year.label}",
                    "files": sorted(self.parsed.files.values()),
                    "created": dict(self.created),
                },
            )

    def unchanged(self, model) -> None:
        self.outcome.unchanged[model._meta.verbose_name] += 1

    def remove(self, record) -> None:
        """A record the return covers and no longer shows; counted as an update."""
        record.delete()
        self.outcome.updated[record._meta.verbose_name] += 1

    def problem(self, row, field_: str, text: str) -> None:
        found = Problem(row.file, row.where, field_, text)
        self.found.append(found)
        self.parsed.problems.append(found)

    def step(self, name: str, done: int, total: int) -> None:
        if done == total or done % 200 == 0:
            self.progress(f"SSDA903: {name}", done, total)

    def period_on(self, child: Child, day: date) -> PeriodOfCare | None:
        """The period of care a record on this day belongs to: the last begun by then."""
        periods = self.periods.get(child.pk) or []
        begun = [p for p in periods if p.starts_on <= day]
        return begun[-1] if begun else (periods[0] if periods else None)

    def looked_after(self) -> list[Child]:
        """Children with episodes in the return (those its other tables are about)."""
        return [self.children[ref] for ref in self.parsed.plans if ref in self.children]

    # Children

    def children_(self) -> None:
        parsed = self.parsed
        mentioned: dict[str, object] = {}
        for rows in parsed.tables.values():
            for row in rows:
                if row[CHILD] is not None:
                    mentioned.setdefault(row[CHILD], row)
        held = Child.objects.in_bulk(list(mentioned), field_name="reference")
        header = {r[CHILD]: r for r in parsed.rows("header")}
        uasc = {r[CHILD]: r for r in parsed.rows("uasc")}
        total = len(mentioned)
        for done, ref in enumerate(sorted(mentioned), start=1):
            child, row = held.get(ref), header.get(ref)
            if row is None:
                if child is None:
                    self.problem(
                        mentioned[ref],
                        CHILD,
                        f"{ref} is neither in the Header table nor a child Harbour holds",
                    )
                else:
                    self.children[ref] = child
                continue
            values = self._child_values(child, row, uasc.get(ref), ref in parsed.plans)
            if child is None:
                values.update(unnamed(ref))
            self.children[ref] = self.save(Child, {"reference": ref}, values, child)
            self.step("children", done, total)
        self.flush()

    def _child_values(self, child, row, uasc_row, looked_after: bool) -> dict:
        values = {"sex": row["SEX"], "date_of_birth": row["DOB"]}
        if ((child.ethnicity if child else "") or "NOBT") != row["ETHNIC"]:
            values["ethnicity"] = row["ETHNIC"]
        upn = row["UPN"]
        if upn.startswith("UN"):
            held = (child.upn, child.upn_unknown) if child else ("", "")
            if upn_shown(*held, row["DOB"], self.year) != upn:
                values["upn_unknown"] = upn
        else:
            values["upn"] = upn
        if self.parsed.has("uasc") and looked_after:
            values["unaccompanied_asylum_seeking"] = uasc_row is not None
            if uasc_row is not None:
                ceased = uasc_row["DUC"]
                held = child.uasc_ceased_on if child else None
                if ceased is None and held and held > self.year.end:
                    ceased = held  # ceased after the year the return describes
                values["uasc_ceased_on"] = ceased
        return values
