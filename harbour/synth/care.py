"""Children looked after: planning a period of care and writing it with its reviews, visits,
health assessments, personal education plans, missing episodes, adoption and leaving care."""

import math
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from harbour.synth import text
from harbour.synth.plans import CarePlan

HOME_REASONS = {"E4A": 85, "E4B": 15}
SGO_REASONS = {"E45": 40, "E46": 10, "E47": 40, "E48": 10}
ADULT_REASONS = {"E17": 25, "E5": 50, "E6": 5, "E8": 20}
OTHER_REASONS = {"E8": 50, "E13": 35, "E3": 15}
MOVE_REASONS = {
    "CARPL": 30,
    "CREQB": 15,
    "CREQO": 15,
    "CHILD": 10,
    "STAND": 5,
    "LAREQ": 10,
    "PLACE": 5,
    "OTHER": 10,
}
NEED = {"N1": 64, "N2": 3, "N3": 3, "N4": 7, "N5": 14, "N6": 1, "N8": 8}
# From 2025-26 the return drops H5 (semi-independent living) for Z11-Z14.
NEW_PLACEMENT_CODES_FROM = date(2025, 4, 1)


def plan_care(ctx, child, starts: date) -> CarePlan:
    rng = ctx.rng
    age = child.age(starts)
    uasc = child.extra.get("uasc", False)
    eighteen = child.eighteen
    if uasc:
        route = "adult"
    elif age < 1:
        route = ctx.pick({"adoption": 35, "sgo": 20, "home": 35, "adult": 10})
    elif age < 5:
        route = ctx.pick({"adoption": 15, "sgo": 20, "home": 43, "adult": 22})
    elif age < 10:
        route = ctx.pick({"sgo": 15, "home": 48, "adult": 32, "cao": 5})
    elif age < 16:
        route = ctx.pick({"home": 52, "adult": 33, "cao": 5, "other": 10})
    else:
        route = ctx.pick({"home": 30, "adult": 70})

    adoption = None
    if route == "home":
        months = rng.uniform(0.5, 12) if age >= 10 else rng.uniform(1, 18)
        ends, reason = ctx.months(starts, months), ctx.pick(HOME_REASONS)
    elif route == "adoption":
        decided = ctx.working_day_between(ctx.months(starts, 4), ctx.months(starts, 9))
        order = ctx.working_day_between(ctx.months(decided, 1), ctx.months(decided, 4))
        matched = ctx.working_day_between(ctx.months(order, 2), ctx.months(order, 6))
        placed = ctx.day_between(matched + timedelta(days=7), matched + timedelta(days=35))
        ends = ctx.working_day_between(ctx.months(placed, 4), ctx.months(placed, 10))
        reason = "E11" if rng.random() < 0.7 else "E12"
        adoption = {
            "decided_on": decided,
            "order_on": order,
            "matched_on": matched,
            "placed_on": placed,
        }
    elif route == "sgo":
        ends, reason = ctx.months(starts, rng.uniform(9, 24)), ctx.pick(SGO_REASONS)
    elif route == "cao":
        ends, reason = ctx.months(starts, rng.uniform(6, 24)), "E41"
    elif route == "other":
        ends, reason = ctx.months(starts, rng.uniform(3, 24)), ctx.pick(OTHER_REASONS)
    else:
        ends, reason = eighteen, ctx.pick(ADULT_REASONS)
    if ends >= eighteen:
        ends, reason, adoption = eighteen, ctx.pick(ADULT_REASONS), None
    if (ends.month, ends.day) == (3, 31) and ends != eighteen:
        # The validators count care ending on 31 March as twelve months continuous (OC2).
        ends -= timedelta(days=1)
    ends = max(ends, starts + timedelta(days=14))

    legal = _legal_statuses(ctx, starts, ends, route, uasc, adoption)
    placements = _placements(ctx, child, starts, ends, adoption, legal)
    _apart(placements, {day for day, _ in legal[1:]})
    if reason in ("E45", "E46") and not placements[-1]["placement_type"].startswith("U"):
        reason = "E47" if reason == "E45" else "E48"  # not with former foster carers
    since_14 = max(starts, child.born + relativedelta(years=14))
    care_leaver = ends == eighteen and (ends - since_14).days >= 91
    need = "N8" if uasc else ("N2" if child.disabled else ctx.pick(NEED))
    return CarePlan(starts, ends, reason, need, legal, placements, adoption, care_leaver)


def _apart(placements: list[dict], legal_changes: set) -> None:
    """A move never falls on the day the legal status changes: that would be RNE "T", which
    the validators as published wrongly reject (rule 435)."""
    for before, after in zip(placements, placements[1:], strict=False):
        moved = after["starts_on"]
        if moved in legal_changes and (after["ends_on"] - moved).days > 2:
            before["ends_on"] = after["starts_on"] = moved + timedelta(days=1)


def _legal_statuses(ctx, starts, ends, route, uasc, adoption):
    rng = ctx.rng
    if uasc:
        return [(starts, "V2")]
    if route == "home":
        return [(starts, "V2" if rng.random() < 0.7 else "C1")]
    first = ctx.pick({"C1": 60, "V2": 25, "L2": 10, "L1": 5})
    legal = [(starts, first)]
    if first in ("L1", "L2"):  # police protection lasts 72 hours at most, an EPO 8 days here
        legal.append((starts + timedelta(days=rng.randint(1, 3 if first == "L1" else 8)), "C1"))
    if legal[-1][1] == "C1" or rng.random() < 0.3:
        full = ctx.working_day_between(ctx.months(starts, 6), ctx.months(starts, 12))
        if adoption and full >= adoption["order_on"]:
            full = adoption["order_on"] - timedelta(days=7)
        if legal[-1][0] < full < ends:
            legal.append((full, "C2"))
    if adoption and adoption["order_on"] < ends:
        legal.append((adoption["order_on"], "E1"))
    return legal


def _placement_type(ctx, age: float, long_term: bool, on: date) -> str:
    # Supported accommodation for 16- and 17-year-olds only as Z11, from 2025-26; before that
    # H5 and P2 would fail the next year's return for a placement that runs on into it.
    if age >= 16 and on >= NEW_PLACEMENT_CODES_FROM and ctx.rng.random() < 0.4:
        return "Z11"
    if age < 1 and ctx.rng.random() < 0.1:
        return "R3"
    if long_term:
        return ctx.pick({"U4": 60, "U1": 20, "K2": 12 if age >= 10 else 0, "P1": 8})
    residential = 22 if age >= 10 else 2
    return ctx.pick({"U6": 62, "U3": 18, "K2": residential, "P1": 5})


def _placements(ctx, child, starts, ends, adoption, legal):
    rng = ctx.rng
    unstable = rng.random() < 0.22
    moves_a_year = 1.5 if unstable else 0.25
    placements, on = [], starts
    placed_for_adoption = adoption["placed_on"] if adoption else None
    while on < ends:
        if placed_for_adoption and on >= placed_for_adoption:
            # Placed with adopters who were not the child's foster carers: A5 (with current
            # carers) needs the legal status to change the same day (rule 217).
            kind = "A6"
            until = ends
        else:
            kind = _placement_type(ctx, child.age(on), (on - starts).days > 365, on)
            if kind == "P1" and [code for day, code in legal if day <= on][-1] == "V2":
                kind = "U6"  # not placed with parents while accommodated under section 20
            gap = max(21, int(-math.log(1 - rng.random()) / moves_a_year * 365))
            until = min(ends, on + timedelta(days=gap))
            if placed_for_adoption and on < placed_for_adoption < until:
                until = placed_for_adoption
            if (ends - until).days < 21:
                until = ends
        placements.append(_placement(ctx, kind, on, until))
        on = until
    for placement in placements[:-1]:
        placement["reason_for_change"] = ctx.pick(MOVE_REASONS)
    return placements


def _placement(ctx, kind: str, starts: date, ends: date) -> dict:
    rng = ctx.rng
    provider = {
        "U1": "PR1",
        "U3": "PR1",
        "P1": "PR0",
        "Z11": "",
        "R3": "PR4",
        "A5": "PR1",
        "A6": "PR5",
    }.get(kind)
    if provider is None:
        if kind == "K2":
            provider = "PR4" if rng.random() < 0.8 else "PR1"
        else:
            provider = "PR1" if rng.random() < 0.7 else "PR4"
    # The authority's own homes are in its own area.
    own_home = kind == "K2" and provider == "PR1"
    in_area = own_home or rng.random() < (0.5 if kind == "K2" else 0.82)
    district = rng.choice(ctx.size.districts) if in_area else "elsewhere"
    if kind.startswith(("U", "A")):
        urn = "XXXXXXX"  # carers without an Ofsted URN of their own
    elif kind in ("K2", "R3"):
        urn = f"SC{rng.randint(900000, 999999)}"
    else:
        urn = ""  # P1 and Z11 take none
    return {
        "placement_type": kind,
        "provider": provider,
        "provider_name": {
            "PR0": "Parent",
            "PR1": "Harbourshire fostering service",
            "": "Supported accommodation (synthetic)",
        }.get(provider, f"{text.surname(rng)} Care Ltd (synthetic)"),
        "urn": urn,
        "postcode": text.address(rng, district)[2],
        "in_area": in_area,
        "starts_on": starts,
        "ends_on": ends,
        "reason_for_change": "",
    }
