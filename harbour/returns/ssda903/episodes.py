"""Periods of care from a return's episodes.

Harbour does not store episodes: one starts whenever the legal status or the placement changes
(export.cut_episodes). Reading them back, each child's episodes are split into periods of care
(a new one at RNE S), and RNE says what changed on each episode's first day: L, T and U a legal
status, P, T, U and B a placement. Where the return shows the child already looked after when
its first episode starts (RNE not S), the period began earlier on a day the return does not
give; `latest_start` is then the latest day the return allows (see PeriodPlan).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from harbour.returns.importing import Problems
from harbour.returns.period import CollectionYear
from harbour.returns.ssda903.reading import Row

NEW_STATUS = {"L", "T", "U"}
NEW_PLACEMENT = {"P", "T", "U", "B"}
PLACEMENT_FIELDS = ("PLACE", "PLACE_PROVIDER", "URN", "PL_POST")


@dataclass
class PeriodPlan:
    child: str
    episodes: list[Row]
    continuing: bool  # looked after before its first episode in the return
    latest_start: date  # the first DECOM, or for a continuing period the latest start allowed

    @property
    def first_day(self) -> date:
        return self.episodes[0]["DECOM"]

    @property
    def last(self) -> Row:
        return self.episodes[-1]

    @property
    def ends_on(self) -> date | None:
        return self.last["DEC"] if self.last["REC"] not in (None, "X1") else None

    @property
    def reason_ceased(self) -> str:
        return self.ends_on and self.last["REC"] or ""

    @property
    def category_of_need(self) -> str:
        return self.episodes[0]["CIN"]

    def covers(self, day: date) -> bool:
        start = self.latest_start if self.continuing else self.first_day
        return start <= day and (self.ends_on is None or day < self.ends_on)


def placement_of(row: Row) -> tuple:
    return tuple(row[f] or "" for f in PLACEMENT_FIELDS)


def plan_periods(
    rows: list[Row], year: CollectionYear, problems: dict[str, Problems]
) -> list[PeriodPlan]:
    """One child's episodes as periods of care, each problem in their order added."""
    if any(r["DECOM"] is None or r["RNE"] is None or r["LS"] is None for r in rows):
        return []  # already reported; the order cannot be checked
    rows = sorted(rows, key=lambda r: r["DECOM"])
    plans: list[PeriodPlan] = []
    before = None
    for row in rows:
        p = problems[row.file]
        rne = row["RNE"]
        if before is None:
            if rne != "S" and row["DECOM"] >= year.start:
                p.add(
                    row.where,
                    "RNE",
                    f"{rne!r}: the child's first episode starts in the "
                    "year, so it starts a period of care (S)",
                )
            plans.append(_new_plan(row))
        elif before["DEC"] is None:
            problems[before.file].add(
                before.where, "DEC", "is blank, but only the child's last episode can be open"
            )
            if rne == "S":
                plans.append(_new_plan(row))
            else:
                plans[-1].episodes.append(row)
        elif before["REC"] == "X1":
            if row["DECOM"] != before["DEC"]:
                p.add(
                    row.where,
                    "DECOM",
                    f"{row['DECOM']:%d/%m/%Y} is not the day the episode "
                    f"before ended with X1 ({before['DEC']:%d/%m/%Y})",
                )
            if rne == "S":
                p.add(
                    row.where,
                    "RNE",
                    "'S': the episode before ended with X1, so the child was still looked after",
                )
            _check_change(row, before, plans[-1], p)
            plans[-1].episodes.append(row)
        else:
            if rne != "S":
                p.add(
                    row.where,
                    "RNE",
                    f"{rne!r}: the episode before ended care "
                    f"({before['REC']}), so this one starts a new period (S)",
                )
            if row["DECOM"] < before["DEC"]:
                p.add(
                    row.where,
                    "DECOM",
                    f"{row['DECOM']:%d/%m/%Y} is before the episode "
                    f"before ended ({before['DEC']:%d/%m/%Y})",
                )
            plans.append(_new_plan(row))
        before = row
    if before["REC"] == "X1":
        problems[before.file].add(
            before.where, "REC", "is X1, but no episode follows on the day it ended"
        )
    return plans


def _new_plan(row: Row) -> PeriodPlan:
    continuing = row["RNE"] != "S"
    start = row["DECOM"] - timedelta(days=1) if continuing else row["DECOM"]
    return PeriodPlan(row["CHILD"], [row], continuing, start)


def _check_change(row: Row, before: Row, plan: PeriodPlan, p: Problems) -> None:
    rne = row["RNE"]
    if rne in NEW_STATUS and row["LS"] == before["LS"]:
        p.add(
            row.where,
            "RNE",
            f"{rne!r} says the legal status changed, but it is {row['LS']} before and after",
        )
    if rne not in NEW_STATUS and row["LS"] != before["LS"]:
        p.add(
            row.where,
            "RNE",
            f"{rne!r} says the legal status did not change, but it went "
            f"from {before['LS']} to {row['LS']}",
        )
    if rne == "L" and placement_of(row) != placement_of(before):
        p.add(
            row.where,
            "RNE",
            "'L' says only the legal status changed, but the placement "
            "(PLACE, PLACE_PROVIDER, URN or PL_POST) changed too",
        )
    if row["CIN"] is not None and row["CIN"] != plan.category_of_need:
        p.add(
            row.where,
            "CIN",
            f"{row['CIN']!r} differs from {plan.category_of_need!r} "
            "earlier in the same period of care",
        )


def earliest_evidence(plan: PeriodPlan, days: list[date]) -> None:
    """A continuing period began by the first of these days (a social worker episode or a
    missing episode the return shows within it)."""
    for day in days:
        if day < plan.latest_start:
            plan.latest_start = day
