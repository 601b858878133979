"""An independent reading of the database for each injected failure, written for the tests.

It reads the tables with plain SQL and judges each duty with the calendar alone, so a test
can check that the truth file names every failure in the records and nothing else.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.db import connection

from harbour.timescales.calendar import working_days

LONDON = ZoneInfo("Europe/London")
SUPERVISED = (
    "social_worker",
    "senior_practitioner",
    "family_support_worker",
    "mash_screener",
    "personal_adviser",
)


def _rows(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _date(value):
    if isinstance(value, datetime):
        return value.astimezone(LONDON).date() if value.tzinfo else value.date()
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value


def _datetime(value):
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
        return value.replace(tzinfo=ZoneInfo("UTC")) if value.tzinfo is None else value
    return value


def _local_date(value):
    value = _datetime(value)
    return value.astimezone(LONDON).date() if value is not None else None


def failures_in_database(end: date) -> set[tuple]:
    cal = working_days()
    wd = cal.add
    found = set()
    refs = dict(_rows("SELECT id, reference FROM people_child"))
    dob = {i: _date(d) for i, d in _rows("SELECT id, date_of_birth FROM people_child")}

    def add(kind, child_id, record):
        found.add((kind, refs[child_id] if child_id else None, record))

    for cid, child, received, decided in _rows(
        "SELECT id, child_id, received_at, decision_at FROM journey_contact"
    ):
        due = wd(_local_date(received), 1)
        if decided is not None and _local_date(decided) > due:
            add("late_contact_decision", child, cid)
        if decided is None and due <= end:
            add("undecided_contact_overdue", child, cid)

    for sid, child, concern, held in _rows(
        "SELECT id, child_id, concern_identified_on, held_on FROM journey_strategydiscussion"
    ):
        if _date(held) > wd(_date(concern), 1):
            add("late_strategy_discussion", child, sid)

    for sid, child, qualified, registration in _rows(
        "SELECT e.id, e.child_id, s.qualified, s.registration_number FROM "
        "journey_section47enquiry e JOIN workforce_staff s ON s.id = e.lead_worker_id"
    ):
        if not (qualified and registration):
            add("s47_unqualified_lead", child, sid)

    for cid, child, held, strategy in _rows(
        "SELECT c.id, c.child_id, c.held_on, d.held_on FROM journey_conference c "
        "JOIN journey_section47enquiry e ON e.id = c.section_47_enquiry_id "
        "JOIN journey_strategydiscussion d ON d.id = e.strategy_discussion_id "
        "WHERE c.kind = 'initial'"
    ):
        if _date(held) > wd(_date(strategy), 15):
            add("late_icpc", child, cid)

    plans = {}
    for pid, child, starts, ends, contingency in _rows(
        "SELECT id, child_id, starts_on, ends_on, contingency FROM journey_childprotectionplan"
    ):
        plans[pid] = (child, _date(starts), _date(ends))
        if not contingency.strip():
            add("plan_without_contingency", child, pid)
    meetings = defaultdict(list)
    for mid, pid, held in _rows("SELECT id, plan_id, held_on FROM journey_coregroupmeeting"):
        meetings[pid].append((_date(held), mid))
    for pid, (child, starts, ends) in plans.items():
        due = wd(starts, 10)
        first = min(meetings[pid]) if meetings[pid] else None
        if first and first[0] > due:
            add("late_first_core_group", child, first[1])
        if first is None and due <= end and (ends is None or ends > due):
            add("core_group_overdue", child, pid)

    visits = defaultdict(list)
    for vid, child, on, seen, alone, reason in _rows(
        "SELECT id, child_id, visited_on, child_seen, seen_alone, not_seen_alone_reason "
        "FROM journey_visit WHERE kind = 'child_protection'"
    ):
        on = _date(on)
        visits[child].append((on, vid))
        born = dob[child]
        if seen and not alone and not reason and born:
            age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
            if age >= 5:
                add("child_not_seen_alone", child, vid)
    for child, starts, ends in plans.values():
        last = starts
        stop = min(ends, end + timedelta(days=1)) if ends else end + timedelta(days=1)
        for on, vid in sorted(v for v in visits[child] if starts <= v[0] < stop):
            if on > wd(last, 10):
                add("missed_cp_visit", child, vid)
            last = on
        if wd(last, 10) < stop:
            add("cp_visit_overdue", child, last)

    referral_dates = dict(_rows("SELECT id, received_on FROM journey_referral"))
    for aid, child, kind, referral, starts, authorised, worker, signer in _rows(
        "SELECT id, child_id, kind, referral_id, started_on, authorised_on, worker_id, "
        "authorised_by_id FROM journey_assessment"
    ):
        R, starts = _date(referral_dates[referral]), _date(starts)
        if kind == "initial":
            due = wd(R, 7 if date(2010, 3, 1) > R else 10)
        elif kind == "core":
            due = wd(starts, 35)
        else:
            due = wd(R, 45)
        if authorised is not None and _date(authorised) > due:
            add("assessment_over_timescale", child, aid)
        if authorised is None and due <= end:
            add("assessment_overdue", child, aid)
        if signer is not None and signer == worker:
            add("manager_signed_own_assessment", child, aid)

    staff = {}
    for sid, starts, ends, qualified_on, asye in _rows(
        "SELECT id, starts_on, ends_on, qualified_on, asye_completed_on FROM workforce_staff "
        f"WHERE role IN ({', '.join(['%s'] * len(SUPERVISED))})",
        SUPERVISED,
    ):
        staff[sid] = (_date(starts), _date(ends), _date(qualified_on), _date(asye))
    sessions = defaultdict(list)
    for sup, worker, held in _rows("SELECT id, worker_id, held_on FROM workforce_supervision"):
        sessions[worker].append((_date(held), sup))
    for sid, (starts, ends, qualified_on, asye) in staff.items():
        last = starts
        stop = min(ends, end) if ends else end
        newly = qualified_on == starts  # hired straight from qualifying
        for held, sup in sorted(sessions[sid]):
            in_asye = newly and (asye is None or last < asye)
            due = last + (timedelta(days=14) if in_asye else relativedelta(months=1))
            if held > due:
                found.add(("supervision_gap", None, sup))
            last = held
        in_asye = newly and (asye is None or last < asye)
        due = last + (timedelta(days=14) if in_asye else relativedelta(months=1))
        if due < stop:
            found.add(("supervision_overdue", None, sid))

    allocations = defaultdict(list)
    for child, starts, ends in _rows(
        "SELECT child_id, starts_on, ends_on FROM workforce_allocation"
    ):
        allocations[child].append((_date(starts), _date(ends)))
    referrals = defaultdict(list)
    for rid, child, received, closed in _rows(
        "SELECT id, child_id, received_on, closed_on FROM journey_referral"
    ):
        received, closed = _date(received), _date(closed)
        referrals[child].append((received, closed, rid))
        due = wd(received, 1)
        if due > end or (closed is not None and closed <= due):
            continue
        if not any(s <= due and (e is None or e >= due) for s, e in allocations[child]):
            add("unallocated_child_in_need", child, rid)
    for child, episodes in referrals.items():
        episodes.sort()
        for (_, closed, rid), (received, _, _) in zip(episodes, episodes[1:], strict=False):
            if closed is not None and 0 < (received - closed).days <= 12 * 7:
                add("closed_then_rereferred", child, rid)
    return found


def truth_set(truth: list[dict]) -> set[tuple]:
    return {(f["failure"], f["child"], f["record"]) for f in truth}
