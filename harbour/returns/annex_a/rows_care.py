"""Rows of the care lists: children in care (List 8), care leavers (9) and adoption (10)."""

from harbour.returns.annex_a import lists as L
from harbour.returns.annex_a.data import AnnexData, local_day, worker
from harbour.returns.annex_a.rows import (
    ADOPTED,
    FOSTERING_FOR_ADOPTION,
    person,
    upto,
    yes_no,
)


def _latest(rows, when: str, as_of):
    rows = [r for r in rows if getattr(r, when) <= as_of]
    return max(rows, key=lambda r: getattr(r, when)) if rows else None


def _missing(data: AnnexData, child_id: int) -> tuple[int, int, bool | None, bool | None]:
    episodes = [m for m in data.missing[child_id] if local_day(m.started_at) >= data.year_ago]
    missing = [m for m in episodes if m.kind == "M"]
    absent = [m for m in episodes if m.kind == "A"]
    every_missing = [m for m in data.missing[child_id] if m.kind == "M"]
    last = every_missing[-1] if every_missing else None
    offered = None if last is None else last.interview_offered_at is not None
    accepted = (
        None
        if last is None or last.interview_offered_at is None
        else (last.interview_held_at is not None and not last.interview_declined)
    )
    return len(missing), len(absent), offered, accepted


def list_8(data: AnnexData) -> list[list]:
    rows = []
    a = data.as_of
    for period in data.periods:
        child = data.children[period.child_id]
        ended = upto(period.ends_on, a)
        last_day = ended or a
        status = _latest(
            [s for s in data.legal[child.pk] if s.period_id == period.pk], "starts_on", last_day
        )
        placements = [p for p in data.placements[child.pk] if p.starts_on <= a]
        placement = _latest(
            [p for p in placements if p.period_id == period.pk], "starts_on", last_day
        )
        in_year = [p for p in placements if p.ends_on is None or p.ends_on >= data.year_ago]
        review = _latest(data.reviews[period.pk], "held_on", a)
        visit = _latest(
            [
                v
                for v in data.visits[child.pk]
                if v.kind == "looked_after" and period.starts_on <= v.visited_on <= last_day
            ],
            "visited_on",
            a,
        )
        health = data.health[period.pk]
        dental = [h for h in health if h.teeth_checked]
        again = any(
            p.starts_on < period.starts_on and p.ends_on is not None and p.ends_on >= data.year_ago
            for p in data.child_periods[child.pk]
        )
        uasc = child.unaccompanied_asylum_seeking and (
            child.uasc_ceased_on is None or child.uasc_ceased_on >= data.year_ago
        )
        missing, absent, offered, accepted = _missing(data, child.pk)
        rows.append(
            [
                *person(data, child.pk, disability=False),
                yes_no(uasc),
                yes_no(child.pk in data.disabled),
                period.starts_on,
                L.CATEGORY_OF_NEED.get(period.category_of_need),
                yes_no(again),
                status.starts_on if status else None,
                L.LEGAL_STATUS.get(status.code) if status else None,
                review.held_on if review else None,
                visit.visited_on if visit else None,
                None,  # no permanence plan is recorded in Harbour
                None,  # nor IRO visits between reviews
                health[-1].done_on if health else None,
                dental[-1].done_on if dental else None,
                len(in_year),
                ended,
                L.REASON_CEASED.get(period.reason_ceased) if ended else None,
                placement.starts_on if placement else None,
                L.PLACEMENT_TYPE.get(placement.placement_type) if placement else None,
                L.PROVIDER.get(placement.provider) if placement else None,
                placement.postcode if placement else None,
                placement.urn if placement else None,
                L.LOCATION[placement.in_area] if placement else None,
                None,  # the placing authority of an out-of-area placement is not recorded
                missing,
                absent,
                yes_no(offered),
                yes_no(accepted),
                *data.allocated(child.pk),
            ]
        )
    return rows


def list_9(data: AnnexData) -> list[list]:
    rows = []
    for leaver in data.care_leavers:
        age = leaver.child.age_on(data.as_of)
        if age is None or not 16 <= age <= 25:
            continue
        contacts = data.leaver_contacts[leaver.pk]
        latest = contacts[-1] if contacts else None
        rows.append(
            [
                *person(data, leaver.child_id),
                *worker(leaver.personal_adviser),
                L.ELIGIBILITY.get(leaver.category),
                L.IN_TOUCH.get(latest.in_touch) if latest else None,
                L.ACCOMMODATION.get(latest.accommodation) if latest else None,
                L.SUITABLE.get(latest.accommodation_suitable) if latest else None,
                L.ACTIVITY.get(latest.activity) if latest else None,
            ]
        )
    return rows


def adoption_dates(data: AnnexData, plan) -> tuple:
    """The period of care the decision was made in, the adoption order date (the period ended
    by adoption, or the placement ceasing with no reason given) and the reversal date."""
    a = data.as_of
    periods = [p for p in data.child_periods[plan.child_id] if p.starts_on <= plan.decided_on]
    period = periods[-1] if periods else None
    adopted = None
    if period and period.reason_ceased in ADOPTED:
        adopted = upto(period.ends_on, a)
    elif not plan.reason_ceased:
        adopted = upto(plan.placement_ceased_on, a)
    reversed_on = upto(plan.placement_ceased_on, a) if plan.reason_ceased else None
    return period, adopted, reversed_on


def list_10(data: AnnexData) -> list[list]:
    rows = []
    for plan in data.adoption_plans:
        period, adopted, reversed_on = adoption_dates(data, plan)
        recent = [d for d in (adopted, reversed_on) if d is not None]
        if recent and max(recent) < data.year_ago:
            continue  # adopted or reversed more than twelve months before
        orders, ffa = [], []
        if period is not None:
            orders = [
                s.starts_on
                for s in data.legal[plan.child_id]
                if s.period_id == period.pk and s.code == "E1" and s.starts_on <= data.as_of
            ]
            ffa = [
                p.starts_on
                for p in data.placements[plan.child_id]
                if p.period_id == period.pk
                and p.placement_type in FOSTERING_FOR_ADOPTION
                and p.starts_on <= data.as_of
            ]
        cells = person(data, plan.child_id)
        rows.append(
            [
                cells[0],
                None,  # adoptive families are not recorded in Harbour
                *cells[1:],
                period.starts_on if period else None,
                plan.decided_on,
                min(orders) if orders else None,
                upto(plan.matched_on, data.as_of),
                upto(plan.placed_on, data.as_of),
                adopted,
                reversed_on,
                L.ADOPTION_CEASED.get(plan.reason_ceased) if reversed_on else None,
                min(ffa) if ffa else None,
            ]
        )
    return rows
