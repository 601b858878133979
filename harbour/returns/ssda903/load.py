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
from harbour.care.models import LegalStatus, PeriodOfCare, Placement
from harbour.people.models import Address, Child
from harbour.returns.importing import (
    Outcome,
    Problem,
    Progress,
    no_progress,
    save_if_changed,
    unnamed,
)
from harbour.returns.period import CollectionYear
from harbour.returns.ssda903.episodes import NEW_PLACEMENT, NEW_STATUS, PeriodPlan
from harbour.returns.ssda903.reading import CHILD, Return903, read, read_files

__all__ = ["Return903", "load", "read", "read_files"]

TEMPORARY = ("T0", "T1", "T2", "T3", "T4")
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
PLACEMENT_DETAILS = ("placement_type", "provider", "urn", "postcode")
UNKNOWN_PLACEMENT = {"placement_type": "", "provider": "", "urn": "", "postcode": ""}


def load(parsed: Return903, outcome: Outcome, progress: Progress = no_progress) -> None:
    if parsed.year is None or not parsed.tables:
        return
    from harbour.returns.ssda903 import records, workers

    loader = Loader(parsed, outcome, progress)
    loader.children_()
    if loader.found:
        return  # children the return needs are missing; nothing else can be placed
    loader.periods_()
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

    # Periods of care, legal statuses, placements, home postcodes

    def periods_(self) -> None:
        plans = self.parsed.plans
        ids = [c.pk for c in self.children.values()]
        for period in PeriodOfCare.objects.filter(child_id__in=ids).order_by("starts_on", "id"):
            self.periods[period.child_id].append(period)
        if not plans:
            return
        looked_after = [self.children[ref].pk for ref in plans]
        statuses, placements = defaultdict(list), defaultdict(list)
        for status in LegalStatus.objects.filter(child_id__in=looked_after).order_by(
            "starts_on", "id"
        ):
            statuses[status.period_id].append(status)
        for placement in Placement.objects.filter(child_id__in=looked_after).order_by(
            "starts_on", "id"
        ):
            placements[placement.period_id].append(placement)
        addresses = defaultdict(list)
        for address in Address.objects.filter(child_id__in=looked_after).order_by("starts_on"):
            addresses[address.child_id].append(address)
        matched, used = [], set()
        for ref, child_plans in sorted(plans.items()):
            child = self.children[ref]
            for plan in child_plans:
                period = self._period(child, plan, used)
                if period is not None:
                    matched.append((child, plan, period))
        self.flush()
        self._drop_stand_ins(looked_after, used, statuses, placements)
        for done, (child, plan, period) in enumerate(matched, start=1):
            self._statuses(child, plan, period, statuses[period.pk])
            self._placements(child, plan, period, placements[period.pk])
            self.step("legal statuses and placements", done, len(matched))
        for ref, child_plans in plans.items():
            child = self.children[ref]
            self.periods[child.pk].sort(key=lambda p: (p.starts_on, p.pk))
            self._home(child, child_plans, addresses[child.pk])
        self.flush()

    def _period(self, child: Child, plan: PeriodPlan, used: set) -> PeriodOfCare | None:
        held = self.periods[child.pk]
        ends = plan.ends_on
        # A continuing period is proved from its latest allowed start (by a social worker or
        # missing episode within it), so anything held that overlaps that is the same period.
        starts = plan.latest_start if plan.continuing else plan.first_day
        overlapping = [
            p for p in held if p.starts_on < (ends or date.max) and starts < (p.ends_on or date.max)
        ]
        if len(overlapping) > 1 or (overlapping and id(overlapping[0]) in used):
            starts = ", ".join(f"{p.starts_on:%d/%m/%Y}" for p in overlapping)
            self.problem(
                plan.episodes[0],
                "DECOM",
                f"this period of care overlaps more than one "
                f"Harbour holds for {child.reference} (from {starts})",
            )
            return None
        period = overlapping[0] if overlapping else None
        if plan.continuing:
            if period is not None and period.starts_on <= plan.latest_start:
                starts, known = period.starts_on, period.dates_known
            else:
                starts, known = plan.latest_start, False
        else:
            starts, known = plan.first_day, True
        reason = plan.reason_ceased
        if ends is None and period and period.ends_on and period.ends_on > self.year.end:
            ends, reason = period.ends_on, period.reason_ceased  # ended after the year
        values = {
            "starts_on": starts,
            "ends_on": ends,
            "reason_ceased": reason,
            "category_of_need": plan.category_of_need,
            "dates_known": known,
        }
        saved = self.save(PeriodOfCare, {"child": child}, values, period)
        used.add(id(saved))
        if period is None:
            held.append(saved)
        return saved

    def _drop_stand_ins(self, ids: list, used: set, statuses, placements) -> None:
        """A period held only so that a care leaver the return met in OC3 had left care (see
        records._period_before) goes once the periods the episodes show do that for each of
        the care leaver's contacts."""
        from harbour.care.models import CareLeaverContact
        from harbour.returns.ssda903.records import left_care_before

        stand_ins = {
            p.pk: p
            for child_id in ids
            for p in self.periods[child_id]
            if not p.dates_known
            and id(p) not in used
            and all(s.code == "" for s in statuses[p.pk])
            and all(pl.placement_type == "" for pl in placements[p.pk])
        }
        if not stand_ins:
            return
        contacts = defaultdict(list)
        for child_id, day in CareLeaverContact.objects.filter(
            care_leaver__child_id__in={p.child_id for p in stand_ins.values()}
        ).values_list("care_leaver__child_id", "contact_on"):
            contacts[child_id].append(day)
        for period in stand_ins.values():
            others = [p for p in self.periods[period.child_id] if p is not period]
            if not all(left_care_before(others, day) for day in contacts[period.child_id]):
                continue
            if period.reviews.exists() or period.health_assessments.exists():
                continue
            for record in statuses.pop(period.pk, []) + placements.pop(period.pk, []):
                self.remove(record)
            self.remove(period)
            self.periods[period.child_id] = others

    def _window(self, plan: PeriodPlan, rows: list):
        """A period's rows before the return's first episode (kept: the return does not show
        them), within it, by start, and after the year (kept: later than the return)."""
        starts = plan.first_day if plan.continuing else date.min
        before = [r for r in rows if r.starts_on < starts]
        inside = defaultdict(list)
        for r in rows:
            if starts <= r.starts_on <= self.year.end:
                inside[r.starts_on].append(r)
        after = [r for r in rows if r.starts_on > self.year.end]
        return before, inside, after

    def _statuses(self, child, plan: PeriodPlan, period, rows: list) -> None:
        before, inside, after = self._window(plan, rows)
        wanted = []  # [record or None, values]
        first = plan.episodes[0]
        if plan.continuing:
            wanted += [[r, {"starts_on": r.starts_on, "code": r.code}] for r in before[:-1]]
            carried = before[-1] if before else None
            if first["RNE"] in NEW_STATUS:
                code = carried.code if carried else ""  # changed from a status not known
                inferred = carried is not None and len(before) == 1 and not period.dates_known
                if code == first["LS"] and inferred:
                    code = ""  # held only from a later return's first episode: not known
                elif code == first["LS"]:
                    self.problem(
                        first,
                        "RNE",
                        f"says the legal status changed on "
                        f"{first['DECOM']:%d/%m/%Y}, but Harbour holds {code} before",
                    )
            else:
                code = first["LS"]
            day = carried.starts_on if carried else period.starts_on
            wanted.append([carried, {"starts_on": day, "code": code}])
        for n, episode in enumerate(plan.episodes):
            if episode["RNE"] in NEW_STATUS or (n == 0 and not plan.continuing):
                wanted.append([None, {"starts_on": episode["DECOM"], "code": episode["LS"]}])
        wanted += [[r, {"starts_on": r.starts_on, "code": r.code}] for r in after]
        self._reuse(wanted, inside, ("code",))
        self._rebuild(LegalStatus, child, period, wanted, inside)

    def _placements(self, child, plan: PeriodPlan, period, rows: list) -> None:
        before, inside, after = self._window(plan, rows)
        wanted = []  # [record or None, values, episodes]
        if plan.continuing:
            wanted += [[r, _placement_values(r), []] for r in before[:-1]]
            carried = before[-1] if before else None
            day = carried.starts_on if carried else period.starts_on
            if plan.episodes[0]["RNE"] in NEW_PLACEMENT:
                held = _placement_values(carried) if carried else dict(UNKNOWN_PLACEMENT)
                wanted.append([carried, {**held, "starts_on": day}, []])
            else:  # the placement went on from before the first episode
                wanted.append([carried, {**_attributes(plan.episodes[0]), "starts_on": day}, []])
        for n, episode in enumerate(plan.episodes):
            if episode["RNE"] in NEW_PLACEMENT or (n == 0 and not plan.continuing):
                values = {**_attributes(episode), "starts_on": episode["DECOM"]}
                wanted.append([None, values, [episode]])
            else:
                wanted[-1][2].append(episode)
        if plan.continuing and plan.episodes[0]["RNE"] in NEW_PLACEMENT:
            self._inferred_placement(wanted, len(before) == 1, period)
        self._reuse(wanted, inside, PLACEMENT_DETAILS)
        # The reason for a move shows on the episode before it, unless either is temporary.
        for here, following in zip(wanted, wanted[1:], strict=False):
            record, values, episodes = here
            if (
                episodes
                and following[2]
                and values["placement_type"] not in TEMPORARY
                and following[1]["placement_type"] not in TEMPORARY
            ):
                values["reason_for_change"] = episodes[-1]["REASON_PLACE_CHANGE"] or ""
        wanted += [[r, _placement_values(r), []] for r in after]
        for n, (record, values, _) in enumerate(wanted):
            values.setdefault("reason_for_change", record.reason_for_change if record else "")
            following = wanted[n + 1][1]["starts_on"] if n + 1 < len(wanted) else None
            values["ends_on"] = following or period.ends_on
        self._rebuild(Placement, child, period, [w[:2] for w in wanted], inside)

    @staticmethod
    def _inferred_placement(wanted: list, only: bool, period) -> None:
        """A placement held from the start of a period whose start is not known was taken
        from a newer return's first episode; where this (older) return shows when it began,
        it moves there and the placement before is not known."""
        carried = next((w for w in wanted if not w[2]), None) if only else None
        if carried is None or carried[0] is None or period.dates_known:
            return
        for entry in wanted:
            if (
                entry[2]
                and entry[0] is None
                and all(entry[1][f] == carried[1][f] for f in PLACEMENT_DETAILS)
            ):
                entry[0] = carried[0]
                carried[0], carried[1] = (
                    None,
                    {**UNKNOWN_PLACEMENT, **{"starts_on": carried[1]["starts_on"]}},
                )
                return

    @staticmethod
    def _reuse(wanted: list, inside: dict, same: tuple) -> None:
        """Find each wanted status or placement among those held within the return's span:
        the same day and details; else the same details on another day (its start now better
        known, as when an older return is read after a newer one); else the same day."""
        held = [r for rows in inside.values() for r in rows]

        def alike(record, values) -> bool:
            return all(getattr(record, f) == values[f] for f in same)

        for test in (
            lambda r, v: r.starts_on == v["starts_on"] and alike(r, v),
            alike,
            lambda r, v: r.starts_on == v["starts_on"],
        ):
            for entry in wanted:
                if entry[0] is None:
                    found = next((r for r in held if test(r, entry[1])), None)
                    if found is not None:
                        entry[0] = found
                        held.remove(found)
                        inside[found.starts_on].remove(found)

    def _rebuild(self, model, child, period, wanted: list, inside: dict) -> None:
        if wanted:
            wanted[0][1]["starts_on"] = period.starts_on  # the period's first starts with it
        for held in inside.values():
            for record in held:
                self.remove(record)
        for record, values in wanted:
            values["period_id"] = period.pk
            self.save(model, {"child": child}, values, record)

    def _home(self, child: Child, plans: list[PeriodPlan], held: list) -> None:
        """The home postcode each episode shows is the address held on its first day (or the
        earliest held); a postcode the return shows that Harbour does not hold is added from
        that day, with no street address (the return gives none)."""
        for plan in plans:
            for episode in plan.episodes:
                postcode = episode["HOME_POST"]
                if not postcode:
                    continue
                begun = [a for a in held if a.starts_on <= episode["DECOM"]] or held[:1]
                if begun and begun[-1].postcode == postcode:
                    continue
                address = self.save(
                    Address,
                    {"child": child},
                    {"line_1": "", "town": "", "postcode": postcode, "starts_on": episode["DECOM"]},
                )
                held.append(address)
                held.sort(key=lambda a: a.starts_on)


def _attributes(episode) -> dict:
    return {
        "placement_type": episode["PLACE"],
        "provider": episode["PLACE_PROVIDER"] or "",
        "urn": episode["URN"] or "",
        "postcode": episode["PL_POST"] or "",
    }


def _placement_values(record: Placement) -> dict:
    return {
        "placement_type": record.placement_type,
        "provider": record.provider,
        "urn": record.urn,
        "postcode": record.postcode,
        "starts_on": record.starts_on,
    }
