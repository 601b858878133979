"""Periods of care, legal statuses, placements and home postcodes, rebuilt from a return's
episodes (see episodes.py for how episodes become periods).

Each period the return shows is matched to the one Harbour holds that overlaps it, or made.
Within the span the return covers (from its first episode of the period, or the whole period
where the return shows it begin, to 31 March), the statuses and placements are made to be
what the episodes show; those before the span are kept (the return does not show them) and so
are those after 31 March (later than the return). A period whose start the return does not
give begins on the latest day the return allows, with a first status or placement that is not
known (blank) where the return shows one changing on its first episode.
"""

from collections import defaultdict
from datetime import date

from harbour.care.models import CareLeaverContact, LegalStatus, PeriodOfCare, Placement
from harbour.people.models import Address, Child
from harbour.returns.ssda903.episodes import NEW_PLACEMENT, NEW_STATUS, PeriodPlan

TEMPORARY = ("T0", "T1", "T2", "T3", "T4")
PLACEMENT_DETAILS = ("placement_type", "provider", "urn", "postcode")
UNKNOWN_PLACEMENT = {"placement_type": "", "provider": "", "urn": "", "postcode": ""}


def left_care_before(periods: list, birthday: date) -> bool:
    """As the export judges a care leaver: left care before the birthday, not looked after
    since."""
    left = any(p.ends_on is not None and p.ends_on < birthday for p in periods)
    since = any(p.ends_on is None or p.ends_on > birthday for p in periods)
    return left and not since


class Periods:
    def __init__(self, loader):
        self.loader = loader
        self.year = loader.year

    def run(self) -> None:
        plans = self.loader.parsed.plans
        ids = [c.pk for c in self.loader.children.values()]
        for period in PeriodOfCare.objects.filter(child_id__in=ids).order_by("starts_on", "id"):
            self.loader.periods[period.child_id].append(period)
        if not plans:
            return
        looked_after = [self.loader.children[ref].pk for ref in plans]
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
            child = self.loader.children[ref]
            for plan in child_plans:
                period = self._period(child, plan, used)
                if period is not None:
                    matched.append((child, plan, period))
        self.loader.flush()
        self._drop_stand_ins(looked_after, used, statuses, placements)
        for done, (child, plan, period) in enumerate(matched, start=1):
            self._statuses(child, plan, period, statuses[period.pk])
            self._placements(child, plan, period, placements[period.pk])
            self.loader.step("legal statuses and placements", done, len(matched))
        for ref, child_plans in plans.items():
            child = self.loader.children[ref]
            self.loader.periods[child.pk].sort(key=lambda p: (p.starts_on, p.pk))
            self._home(child, child_plans, addresses[child.pk])
        self.loader.flush()

    def _period(self, child: Child, plan: PeriodPlan, used: set) -> PeriodOfCare | None:
        held = self.loader.periods[child.pk]
        ends = plan.ends_on
        # A continuing period is proved from its latest allowed start (by a social worker or
        # missing episode within it), so anything held that overlaps that is the same period.
        starts = plan.latest_start if plan.continuing else plan.first_day
        overlapping = [
            p for p in held if p.starts_on < (ends or date.max) and starts < (p.ends_on or date.max)
        ]
        if len(overlapping) > 1 or (overlapping and id(overlapping[0]) in used):
            starts = ", ".join(f"{p.starts_on:%d/%m/%Y}" for p in overlapping)
            self.loader.problem(
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
        saved = self.loader.save(PeriodOfCare, {"child": child}, values, period)
        used.add(id(saved))
        if period is None:
            held.append(saved)
        return saved

    def _drop_stand_ins(self, ids: list, used: set, statuses, placements) -> None:
        """A period held only so that a care leaver the return met in OC3 had left care (see
        records._period_before) goes once the periods the episodes show do that for each of
        the care leaver's contacts."""
        stand_ins = {
            p.pk: p
            for child_id in ids
            for p in self.loader.periods[child_id]
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
            others = [p for p in self.loader.periods[period.child_id] if p is not period]
            if not all(left_care_before(others, day) for day in contacts[period.child_id]):
                continue
            if period.reviews.exists() or period.health_assessments.exists():
                continue
            for record in statuses.pop(period.pk, []) + placements.pop(period.pk, []):
                self.loader.remove(record)
            self.loader.remove(period)
            self.loader.periods[period.child_id] = others

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
                    self.loader.problem(
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
                self.loader.remove(record)
        for record, values in wanted:
            values["period_id"] = period.pk
            self.loader.save(model, {"child": child}, values, record)

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
                address = self.loader.save(
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
