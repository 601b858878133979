"""The rows of each Annex A list, from the records read by `AnnexData`. Cells are dates, whole
numbers, text or None; the workbook writer formats them."""

from datetime import date

from dateutil.relativedelta import relativedelta

from harbour.returns.annex_a import lists as L
from harbour.returns.annex_a.data import AnnexData, local_day, worker

EMERGENCY = ("L1", "L2")  # police protection, emergency protection order
ADOPTED = ("E11", "E12")
FOSTERING_FOR_ADOPTION = ("U2", "U5")


def yes_no(value: bool | None) -> str | None:
    return None if value is None else (L.YES if value else L.NO)


def upto(day: date | None, as_of: date) -> date | None:
    """A date the inspection could know of: none after the inspection date."""
    return day if day is not None and day <= as_of else None


def person(data: AnnexData, child_id: int, disability: bool = True) -> list:
    child = data.children[child_id]
    cells = [
        child.reference,
        L.GENDER.get(child.sex),
        L.ETHNICITY.get(child.ethnicity),
        child.date_of_birth or child.expected_date_of_birth,
        child.age_on(data.as_of),
    ]
    if disability:
        cells.append(yes_no(child_id in data.disabled))
    return cells


def in_year_before(days: list[date], day: date) -> int:
    """How many of `days` fall in the twelve months before `day` (not counting `day`'s own)."""
    start = day - relativedelta(months=12)
    return sum(1 for d in days if start <= d < day)


def list_1(data: AnnexData) -> list[list]:
    return [
        [
            *person(data, c.child_id, disability=False),
            local_day(c.received_at),
            L.SOURCE.get(c.source),
        ]
        for c in data.contacts
    ]


def list_2(data: AnnexData) -> list[list]:
    return [
        [
            *person(data, e.child_id, disability=False),
            e.starts_on,
            upto(e.assessment_completed_on, data.as_of),
            e.lead_professional_agency,
        ]
        for e in data.early_help
    ]


def list_3(data: AnnexData) -> list[list]:
    rows = []
    for r in data.referrals:
        earlier = [x.received_on for x in data.child_referrals[r.child_id] if x.id != r.pk]
        rows.append(
            [
                *person(data, r.child_id, disability=False),
                r.received_on,
                L.SOURCE.get(r.source),
                yes_no(r.no_further_action),
                in_year_before(earlier, r.received_on),
                *data.allocated(r.child_id),
            ]
        )
    return rows


def needs_support(assessment) -> bool | None:
    if not assessment.outcome:
        return None
    return assessment.outcome not in ("nfa", "early_help")


def list_4(data: AnnexData) -> list[list]:
    rows = []
    for a in data.assessments:
        authorised = upto(a.authorised_on, data.as_of)
        rows.append(
            [
                *person(data, a.child_id),
                a.started_on,
                yes_no(a.child_seen),
                authorised,
                yes_no(needs_support(a)) if authorised else None,
                *worker(a.worker),
            ]
        )
    return rows


def conference_unnecessary(enquiry, conference, as_of: date) -> bool | None:
    decided = enquiry.completed_on is None or enquiry.completed_on <= as_of
    if decided and enquiry.outcome in ("cin", "unsubstantiated"):
        return True
    if (decided and enquiry.outcome == "icpc") or conference is not None:
        return False
    return None


def list_5(data: AnnexData) -> list[list]:
    rows = []
    for e in data.enquiries:
        conference = data.enquiry_conference.get(e.pk)
        plan = {"plan": True, "no_plan": False}.get(conference.outcome) if conference else None
        earlier = [x.started_on for x in data.child_enquiries[e.child_id] if x.id != e.pk]
        conferences = [c.held_on for c in data.child_conferences[e.child_id]]
        rows.append(
            [
                *person(data, e.child_id),
                e.started_on,
                yes_no(conference_unnecessary(e, conference, data.as_of)),
                conference.held_on if conference else None,
                yes_no(plan),
                in_year_before(earlier, e.started_on),
                in_year_before(conferences, e.started_on),
                *worker(e.lead_worker),
            ]
        )
    return rows


def case_status(data: AnnexData, episode) -> str:
    """The child's status on the inspection date: the most intensive service open then."""
    a, child = data.as_of, episode.child_id
    if episode.closed_on is not None and episode.closed_on <= a:
        return L.CASE_STATUS["closed"]
    if any(p.is_open_on(a) for p in data.child_periods[child]):
        return L.CASE_STATUS["looked_after"]
    if any(p.is_open_on(a) for p in data.child_plans[child]):
        return L.CASE_STATUS["protection"]
    if child in data.assessments_open:
        return L.CASE_STATUS["assessment"]
    return L.CASE_STATUS["in_need"]


def list_6(data: AnnexData) -> list[list]:
    rows = []
    for r in data.episodes:
        closed = upto(r.closed_on, data.as_of)
        last = closed or data.as_of
        seen = [
            v.visited_on
            for v in data.visits[r.child_id]
            if v.child_seen and r.received_on <= v.visited_on <= last
        ]
        rows.append(
            [
                *person(data, r.child_id),
                r.received_on,
                L.PRIMARY_NEED.get(r.primary_need),
                max(seen) if seen else None,
                closed,
                L.CLOSURE.get(r.closure_reason) if closed else None,
                case_status(data, r),
                *data.allocated(r.child_id),
            ]
        )
    return rows


def list_7(data: AnnexData) -> list[list]:
    rows = []
    a = data.as_of
    for p in data.plans:
        ended = upto(p.ends_on, a)
        last = ended or a
        visits = [
            v
            for v in data.visits[p.child_id]
            if v.kind == "child_protection" and p.starts_on <= v.visited_on <= last
        ]
        visit = visits[-1] if visits else None
        reviews = [c.held_on for c in data.review_conferences[p.pk]]
        emergency = any(
            s.code in EMERGENCY and data.since <= s.starts_on <= a for s in data.legal[p.child_id]
        )
        earlier = sum(1 for x in data.child_plans[p.child_id] if x.starts_on < p.starts_on)
        previous = p.previous_plans_recorded if p.previous_plans_recorded is not None else earlier
        rows.append(
            [
                *person(data, p.child_id),
                p.starts_on,
                L.ABUSE.get(p.initial_category),
                L.ABUSE.get(p.latest_category),
                visit.visited_on if visit else None,
                yes_no(visit.seen_alone) if visit else None,
                max(reviews) if reviews else None,
                ended,
                yes_no(emergency),
                previous,
                *data.allocated(p.child_id),
            ]
        )
    return rows
