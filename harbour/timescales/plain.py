"""The duties of a page's few children in plain Python: the same rules, the same arithmetic and
the same answers as the engine's columnar path (engine.py, scopes.py), without its fixed cost.

The columnar path pays a fixed price for every operation (a few hundred small ones for a child
with a long history: about 60 ms on this machine, whatever the child), which suits a county but
not one record. Here each rule's scopes, completing events, chain of duties, due dates, status
and holder are worked out over the rows `sources.read_rows` gives (tuples straight from Django's
connection), so a page costs what its rows cost. `harbour/timescales/tests/test_plain.py` holds
both paths to the same duties on whole synthetic counties.

Nulls follow the columnar path's three-valued logic: a comparison with a missing value is
neither true nor false, and a filter keeps only what is true.
"""

import calendar as months_calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from harbour.authority.policy import PolicyBook
from harbour.timescales.calendar import school_days, working_days
from harbour.timescales.engine import DUE_SOON_WORKING_DAYS, SHOWN_BY_RETURNS, _json
from harbour.timescales.rulebook import rulebook
from harbour.timescales.scopes import STRATEGY_DECISION
from harbour.timescales.sources import DT, QUERIES, VISIT_KINDS, B, D

LONDON = ZoneInfo("Europe/London")
OPEN_STATUSES = ("overdue", "due_soon", "not_yet_due")
CLOSING_OUTCOMES = ("cin", "unsubstantiated")
SINGLE_KINDS = ("single", "pre_birth", "homeless_16_17")


# ----- rows as values ------------------------------------------------------------------------


def _date(value):
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def _moment(value):
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.fromisoformat(str(value))
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _bool(value):
    return None if value is None else bool(value)


def _int(value):
    return None if value is None else int(value)


def _converter(dtype):
    if dtype == D:
        return _date
    if dtype == DT:
        return _moment
    if dtype == B:
        return _bool
    if dtype.is_integer():
        return _int
    return lambda v: v


def _ready(value, dtype) -> bool:
    """Whether a value already has the rules' type (then its column needs no converting)."""
    if dtype == D:
        return isinstance(value, date) and not isinstance(value, datetime)
    if dtype == DT:
        return isinstance(value, datetime) and value.utcoffset() == timedelta(0)
    if dtype == B:
        return isinstance(value, bool)
    if dtype.is_integer():
        return isinstance(value, int) and not isinstance(value, bool)
    return True


def tables_from_rows(rows: dict) -> dict[str, list[dict]]:
    """read_rows' tuples as dicts of the rules' types (dates, UTC moments, booleans). A column
    whose first value already has its type is taken as it is: one database driver gives one
    column's values one type."""
    tables = {}
    for name, found in rows.items():
        schema = QUERIES[name][1]
        columns = list(schema)
        converting = []
        for n, (column, dtype) in enumerate(schema.items()):
            first = next((row[n] for row in found if row[n] is not None), None)
            if first is not None and not _ready(first, dtype):
                converting.append((column, _converter(dtype)))
        table = [dict(zip(columns, row, strict=True)) for row in found]
        for column, convert in converting:
            for row in table:
                row[column] = convert(row[column])
        tables[name] = table
    return tables


# ----- arithmetic --------------------------------------------------------------------------


def _local(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=LONDON).astimezone(UTC)


def _add_months(day, n: int):
    """A month offset as the columnar path's `offset_by("<n>mo")`: the same day of the month,
    or the month's last day where it is shorter."""
    month = day.month - 1 + n
    year, month = day.year + month // 12, month % 12 + 1
    last = months_calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


def _lt(a, b):
    return None if a is None or b is None else a < b


def _le(a, b):
    return None if a is None or b is None else a <= b


def _and(*values):
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def _or(*values):
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def _is_moment(value) -> bool:
    return isinstance(value, datetime)


# ----- scopes: (scope_id, child_id, staff_id, start, end, record, extra) -----------------------


def _scope(row, start, end=None, **extra):
    return {
        "scope_id": row["id"],
        "child_id": row["child_id"],
        "staff_id": None,
        "start": row[start],
        "end": row[end] if end else None,
        "record": row["id"],
        **extra,
    }


def _births(t):
    return {c["id"]: c["date_of_birth"] for c in t["children"]}


def _contact(t, policy):
    return [
        {**_scope(c, "received_at"), "start": c["received_at"] and _local(c["received_at"])}
        for c in t["contacts"]
    ]


def _referral(t, policy):
    return [_scope(r, "received_on", "closed_on") for r in t["referrals"]]


def _referral_needing_assessment(t, policy):
    found = []
    for r in t["referrals"]:
        known = _or(r["known_from"] is None, _le(r["known_from"], r["received_on"]))
        nfa = r["no_further_action"]
        if _and(None if nfa is None else not nfa, known) is True:
            found.append(_scope(r, "received_on", "closed_on"))
    return found


def _core_assessment(t, policy):
    return [_scope(a, "started_on") for a in t["assessments"] if a["kind"] == "core"]


def _child_protection_concern(t, policy):
    """As scopes.child_protection_concern: the discussions' concerns, and the contacts decided
    "strategy discussion" that no discussion held since has answered."""
    found = [_scope(s, "concern_identified_on") for s in t["strategy_discussions"]]
    held: dict = {}
    for s in t["strategy_discussions"]:
        if s["held_on"] is not None:
            held.setdefault(s["child_id"], []).append(s["held_on"])
    for c in t["contacts"]:
        if c["decision"] != STRATEGY_DECISION or c["decision_at"] is None:
            continue
        came = _local(c["received_at"])
        if any(day >= came for day in held.get(c["child_id"], ())):
            continue
        found.append(
            {
                "scope_id": -c["id"],
                "child_id": c["child_id"],
                "staff_id": None,
                "start": _local(c["decision_at"]),
                "end": None,
                "record": c["id"],
            }
        )
    return found


def _section_47_enquiry(t, policy):
    return [
        {
            **_scope(e, "strategy_on"),
            "end": e["completed_on"] if e["outcome"] in CLOSING_OUTCOMES else None,
        }
        for e in t["section_47_enquiries"]
    ]


def _child_protection_plan(t, policy):
    return [_scope(p, "starts_on", "ends_on") for p in t["cp_plans"]]


def _conference(t, policy):
    return [_scope(c, "held_on") for c in t["conferences"]]


def _child_in_need_plan(t, policy):
    return [_scope(p, "starts_on", "ends_on") for p in t["cin_plans"]]


def _period_of_care(t, policy):
    born = _births(t)
    return [
        {**_scope(p, "starts_on", "ends_on"), "date_of_birth": born.get(p["child_id"])}
        for p in t["periods"]
    ]


def _min_ignoring_nulls(*values):
    known = [v for v in values if v is not None]
    return min(known) if known else None


def _max_ignoring_nulls(*values):
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _placement(t, policy):
    period_end = {p["id"]: p["ends_on"] for p in t["periods"]}
    return [
        {
            **_scope(p, "starts_on"),
            "end": _min_ignoring_nulls(p["ends_on"], period_end.get(p["period_id"])),
            "placement_type": p["placement_type"],
            "placed_on": p["starts_on"],
        }
        for p in t["placements"]
    ]


def _missing_episode(t, policy):
    return [_scope(m, "ended_at") for m in t["missing_episodes"] if m["ended_at"] is not None]


def _private_fostering(t, policy):
    return [
        _scope(p, "notified_on", "ends_on", notified_on=p["notified_on"])
        for p in t["private_fostering"]
    ]


def _practitioner(t, policy):
    roles = policy.value("supervised_roles")
    return [
        {
            "scope_id": s["id"],
            "child_id": None,
            "staff_id": s["id"],
            "start": s["starts_on"],
            "end": s["ends_on"] + timedelta(days=1) if s["ends_on"] else None,
            "record": s["id"],
            "qualified": s["qualified"],
            "qualified_on": s["qualified_on"],
            "asye_completed_on": s["asye_completed_on"],
        }
        for s in t["staff"]
        if s["role"] in roles
    ]


def _latest_significant_event(t, policy):
    return [
        {
            "scope_id": e["child_id"],
            "child_id": e["child_id"],
            "staff_id": None,
            "start": e["occurred_on"],
            "end": None,
            "record": e["child_id"],
        }
        for e in t["significant_events"]
    ]


def _case_audit(t, policy):
    return [_scope(a, "audited_on") for a in t["case_audits"]]


def _audit_action(t, policy):
    return [_scope(a, "audited_on", due_on=a["due_on"]) for a in t["audit_actions"]]


SCOPES = {
    "case_audit": _case_audit,
    "audit_action": _audit_action,
    "contact": _contact,
    "referral": _referral,
    "referral_needing_assessment": _referral_needing_assessment,
    "core_assessment": _core_assessment,
    "child_protection_concern": _child_protection_concern,
    "section_47_enquiry": _section_47_enquiry,
    "child_protection_plan": _child_protection_plan,
    "conference": _conference,
    "child_in_need_plan": _child_in_need_plan,
    "period_of_care": _period_of_care,
    "placement": _placement,
    "missing_episode": _missing_episode,
    "private_fostering": _private_fostering,
    "practitioner": _practitioner,
    "latest_significant_event": _latest_significant_event,
}


# ----- events: (scope_id, on, record) ----------------------------------------------------------


def _events(rows, scope: str, on: str, where=lambda r: True):
    return [(r[scope], r[on], r["id"]) for r in rows if where(r) and r[on] is not None]


def _contact_decision(t, scopes):
    return [
        (c["id"], _local(c["decision_at"]), c["id"])
        for c in t["contacts"]
        if c["decision_at"] is not None
    ]


def _allocated(t, scopes):
    by_child: dict = {}
    for a in t["allocations"]:
        by_child.setdefault(a["child_id"], []).append(a)
    found = []
    for s in scopes:
        days = [
            _max_ignoring_nulls(a["starts_on"], s["start"])
            for a in by_child.get(s["child_id"], ())
            if _or(a["ends_on"] is None, _le(s["start"], a["ends_on"])) is True
        ]
        days = [d for d in days if d is not None]
        if days:
            found.append((s["scope_id"], min(days), s["scope_id"]))
    return found


def _authorised(kinds):
    def events(t, scopes):
        return _events(
            t["assessments"], "referral_id", "authorised_on", lambda a: a["kind"] in kinds
        )

    return events


def _core_assessment_authorised(t, scopes):
    return _events(t["assessments"], "id", "authorised_on", lambda a: a["kind"] == "core")


def _strategy_discussion(t, scopes):
    return _events(t["strategy_discussions"], "id", "held_on")


def _initial_conference(t, scopes):
    return _events(
        t["conferences"], "section_47_enquiry_id", "held_on", lambda c: c["kind"] == "initial"
    )


def _review_conference(t, scopes):
    return _events(t["conferences"], "plan_id", "held_on", lambda c: c["kind"] == "review")


def _core_group_meeting(t, scopes):
    return _events(t["core_groups"], "plan_id", "held_on")


def _report_shared_with_parents(t, scopes):
    return _events(t["conferences"], "id", "reports_shared_with_parents_on")


def _child_in_need_plan_review(t, scopes):
    return _events(t["cin_reviews"], "plan_id", "held_on")


def _looked_after_review(t, scopes):
    return _events(t["looked_after_reviews"], "period_id", "held_on")


def _health_assessment(t, scopes):
    return _events(t["health_assessments"], "period_id", "done_on")


def _personal_education_plan(t, scopes):
    return _events(t["education_plans"], "period_id", "held_on")


def _return_home_interview(t, scopes):
    found = []
    for m in t["missing_episodes"]:
        if m["interview_held_at"] is not None:
            done = m["interview_held_at"]
        elif m["interview_declined"]:
            done = m["interview_offered_at"]
        else:
            done = None
        if done is not None:
            found.append((m["id"], done, m["id"]))
    return found


def _supervision(t, scopes):
    return _events(t["supervisions"], "worker_id", "held_on")


def _case_summary_updated(t, scopes):
    return [
        (s["child_id"], s["updated_at"] and _local(s["updated_at"]), s["id"])
        for s in t["case_summaries"]
    ]


def _visits(kind):
    code = VISIT_KINDS[kind]

    def events(t, scopes):
        born = _births(t)
        by_child: dict = {}
        for s in scopes:
            by_child.setdefault(s["child_id"], []).append(s)
        for found in by_child.values():
            found.sort(key=lambda s: s["start"])
        out = []
        for v in t["visits"]:
            if v["kind"] != code or v["visited_on"] is None:
                continue
            if kind == "child_protection":
                dob = born.get(v["child_id"])
                seen = _or(v["child_seen"], dob is None, _lt(v["visited_on"], dob))
                if seen is not True:
                    continue
            # The latest of the child's scopes that started on or before the visit, if it had
            # not ended by then (a child's scopes of one kind never overlap).
            latest = None
            for s in by_child.get(v["child_id"], ()):
                if s["start"] <= v["visited_on"]:
                    latest = s
                else:
                    break
            if latest is None:
                continue
            if latest["end"] is None or v["visited_on"] < latest["end"]:
                out.append((latest["scope_id"], v["visited_on"], v["id"]))
        return out

    return events


def _audit_moderated(t, scopes):
    return _events(t["case_audits"], "id", "moderated_on")


def _audit_action_completed(t, scopes):
    return _events(t["audit_actions"], "id", "completed_on")


EVENTS = {
    "audit_moderated": _audit_moderated,
    "audit_action_completed": _audit_action_completed,
    "contact_decision": _contact_decision,
    "allocated": _allocated,
    "initial_assessment_authorised": _authorised(("initial",)),
    "single_assessment_authorised": _authorised(SINGLE_KINDS),
    "core_assessment_authorised": _core_assessment_authorised,
    "strategy_discussion": _strategy_discussion,
    "initial_conference": _initial_conference,
    "review_conference": _review_conference,
    "core_group_meeting": _core_group_meeting,
    "report_shared_with_parents": _report_shared_with_parents,
    "child_protection_visit": _visits("child_protection"),
    "child_in_need_visit": _visits("child_in_need"),
    "child_in_need_plan_review": _child_in_need_plan_review,
    "looked_after_review": _looked_after_review,
    "looked_after_visit": _visits("looked_after"),
    "health_assessment": _health_assessment,
    "personal_education_plan": _personal_education_plan,
    "private_fostering_visit": _visits("private_fostering"),
    "return_home_interview": _return_home_interview,
    "supervision": _supervision,
    "case_summary_updated": _case_summary_updated,
}


# ----- variants ------------------------------------------------------------------------------


def _newly_qualified(duty, scope):
    trigger = duty["trigger"]
    return _and(
        scope["qualified"],
        _le(scope["qualified_on"], trigger),
        _or(scope["asye_completed_on"] is None, _lt(trigger, scope["asye_completed_on"])),
    )


def _under_5(duty, scope):
    born = scope["date_of_birth"]
    return None if born is None else _lt(duty["trigger"], _add_months(born, 60))


def _settled_long_term(duty, scope):
    placed = scope["placed_on"]
    return _and(
        None if scope["placement_type"] is None else scope["placement_type"] in ("U1", "U4"),
        None if placed is None else _le(_add_months(placed, 12), duty["trigger"]),
    )


def _after_first_year(duty, scope):
    notified = scope["notified_on"]
    return None if notified is None else _le(_add_months(notified, 12), duty["trigger"])


VARIANTS = {
    "newly_qualified": _newly_qualified,
    "under_5": _under_5,
    "settled_long_term": _settled_long_term,
    "after_first_year": _after_first_year,
}


# ----- the setting ---------------------------------------------------------------------------


class PlainSetting:
    def __init__(self, tables: dict, as_of: date):
        overrides = [
            (
                p["name"],
                p["applies_from"],
                _json(p["value"]),
            )
            for p in tables["policy"]
        ]
        self.as_of = as_of
        self.policy = PolicyBook(overrides)
        self.rules = rulebook()
        self.working = working_days()
        self.school = school_days((t["starts_on"], t["ends_on"]) for t in tables["terms"])


# ----- one rule ------------------------------------------------------------------------------


def _scopes(rule, tables, setting):
    found = []
    as_of_end = _end_of(setting.as_of)
    day_after = setting.as_of + timedelta(days=1)
    months = int(rule.min_age * 12) if rule.min_age is not None else None
    for s in SCOPES[rule.scope](tables, setting.policy):
        start = s["start"]
        if start is None:
            continue
        if _is_moment(start):
            if start > as_of_end:
                continue
            end = s["end"] if s["end"] is not None and s["end"] <= as_of_end else None
        else:
            if start > setting.as_of:
                continue
            end = s["end"] if s["end"] is not None and s["end"] <= day_after else None
        if months is not None:
            born = s.get("date_of_birth")
            if born is None or not start >= _add_months(born, months):
                continue
        found.append({**s, "end": end})
    return found


def _chain(rule, scopes, events, setting, undone=False):
    """(scope, k, trigger, trigger_record, completed, completion_record) for each duty; with
    `undone`, only the duties nothing has completed (each is worked out from its own trigger,
    so leaving out the done ones changes nothing about the rest)."""
    as_of_end = _end_of(setting.as_of)
    events = [
        e
        for e in events
        if e[1] is not None and e[1] <= (as_of_end if _is_moment(e[1]) else setting.as_of)
    ]
    by_scope = {s["scope_id"]: s for s in scopes}
    duties = []
    if not rule.repeats:
        some_end = any(s["end"] is not None for s in scopes)
        first: dict = {}
        for scope_id, on, record in events:
            scope = by_scope.get(scope_id)
            # What completes a one-off duty may come before its trigger, not after its end.
            ended = scope is None or (scope["end"] is not None and not on <= scope["end"])
            if some_end and ended:
                continue
            if scope_id not in first or (on, record) < first[scope_id]:
                first[scope_id] = (on, record)
        for s in scopes:
            done = first.get(s["scope_id"])
            if undone and done:
                continue
            duties.append(
                (
                    s,
                    0,
                    s["start"],
                    s["record"],
                    done[0] if done else None,
                    done[1] if done else None,
                )
            )
        return duties
    within: dict = {}
    for scope_id, on, record in events:
        scope = by_scope.get(scope_id)
        if scope is None:
            continue
        if on >= scope["start"] and (scope["end"] is None or on < scope["end"]):
            within.setdefault(scope_id, []).append((on, record))
    for s in scopes:
        trigger, trigger_record = s["start"], s["record"]
        done = sorted(within.get(s["scope_id"], ()))
        if undone and done:
            trigger, trigger_record = done[-1]
        else:
            for k, (on, record) in enumerate(done):
                duties.append((s, k, trigger, trigger_record, on, record))
                trigger, trigger_record = on, record
        duties.append((s, len(done), trigger, trigger_record, None, None))
    return duties


def _amount(interval, trigger_day, setting):
    if not interval.policy:
        return interval.amount
    value = None
    for applies_from, changed in setting.policy.changes(interval.policy):
        if value is None or trigger_day >= applies_from:
            value = changed
    return value


def _due(interval, trigger, before, setting, scope):
    if interval.clock == "recorded":
        return scope[interval.policy]
    trigger_day = _local(trigger) if _is_moment(trigger) else trigger
    amount = _amount(interval, trigger_day, setting)
    if before:
        amount = -amount
    clock = interval.clock
    if clock == "hours":
        return trigger + timedelta(hours=amount)
    if _is_moment(trigger):
        raise ValueError(f"a {clock} clock counts from days, not moments")
    if clock in ("working_days", "school_days"):
        days = setting.working if clock == "working_days" else setting.school
        return days.add(trigger, amount) if amount >= 0 else days.subtract(trigger, -amount)
    if clock in ("calendar_days", "weeks"):
        return trigger + timedelta(days=amount * (7 if clock == "weeks" else 1))
    return _add_months(trigger, amount)


def _status(completed, end, due, setting):
    moments = _is_moment(due)
    as_of = _end_of(setting.as_of) if moments else setting.as_of
    soon = setting.working.add(setting.as_of, DUE_SOON_WORKING_DAYS)
    soon = _end_of(soon) if moments else soon
    if completed is not None:
        return "done_on_time" if _le(completed, due) else "done_late"
    if end is not None and _le(end, due):
        return "no_longer_needed"
    if _lt(due, as_of):
        return "overdue"
    if _le(due, soon):
        return "due_soon"
    return "not_yet_due"


def rule_duties(name: str, tables, setting, cache: dict, undone=False) -> list[dict]:
    latest = setting.rules.latest(name)
    key = (latest.scope, latest.min_age)
    if key not in cache:
        cache[key] = _scopes(latest, tables, setting)
    scopes = cache[key]
    if not scopes:
        return []
    event_key = (latest.completed_by, key)
    if event_key not in cache:
        cache[event_key] = EVENTS[latest.completed_by](tables, scopes)
    starts, editions = setting.rules.timeline(name)
    found = []
    for scope, k, trigger, trigger_record, completed, completion_record in _chain(
        latest, scopes, cache[event_key], setting, undone
    ):
        trigger_day = _local(trigger) if _is_moment(trigger) else trigger
        index = sum(1 for s in starts if s <= trigger_day) - 1
        if index < 0 or editions[index] is None:
            continue
        rule = editions[index]
        step = rule.steps[min(k, len(rule.steps) - 1)]
        duty = {"trigger": trigger}
        due = _due(step.due, trigger, step.before, setting, scope)
        for variant, interval in step.variants.items():
            if VARIANTS[variant](duty, scope) is True:
                due = _due(interval, trigger, step.before, setting, scope)
        status = _status(completed, scope["end"], due, setting)
        day = _local if _is_moment(due) else (lambda v: v)
        found.append(
            {
                "rule": name,
                "failure": step.failure,
                "child_id": scope["child_id"],
                "staff_id": scope["staff_id"],
                "trigger": day(trigger) if trigger is not None else None,
                "due": day(due) if due is not None else None,
                "completed": day(completed) if completed is not None else None,
                "status": status,
                "trigger_record": trigger_record,
                "completion_record": completion_record,
            }
        )
    return found


# ----- all the rules, and who holds each duty ------------------------------------------------


def compute_duties(tables: dict, as_of: date, rule_names, undone=False) -> list[dict]:
    """Every duty of the rules named; with `undone`, only those not yet done (open, not yet
    due or no longer needed): what a tray counts, without working out years of visits done."""
    setting = PlainSetting(tables, as_of)
    cache: dict = {}
    duties = [d for name in rule_names for d in rule_duties(name, tables, setting, cache, undone)]
    duties = _judgeable(duties, tables)
    _responsible(duties, tables, as_of)
    return duties


def _judgeable(duties, tables):
    known = {k["child_id"]: k["casework_from"] for k in tables.get("casework_from", ())}
    if not known:
        return duties
    # Kept where "cannot be judged" is false (not where it is unknown: a missing due day).
    return [
        d
        for d in duties
        if _and(
            d["failure"] not in SHOWN_BY_RETURNS,
            known.get(d["child_id"]) is not None,
            _lt(d["due"], known.get(d["child_id"])),
        )
        is False
    ]


def _responsible(duties, tables, as_of):
    """The child's allocation that began latest on or before the day (today for a duty still
    open, else its due day), if it had not ended; for a worker's supervision, their team's
    manager on that day (the first by id, should there be two)."""
    by_child: dict = {}
    for a in tables["allocations"]:
        if a["starts_on"] is not None:
            by_child.setdefault(a["child_id"], []).append(a)
    for found in by_child.values():
        found.sort(key=lambda a: a["starts_on"])
    staff = {s["id"]: s for s in tables["staff"]}
    managers: dict = {}
    for s in sorted(tables["staff"], key=lambda s: s["id"]):
        if s["role"] == "team_manager":
            managers.setdefault(s["team_id"], []).append(s)
    for d in duties:
        open_duty = d["status"] in OPEN_STATUSES
        on = as_of if open_duty or d["due"] is None else min(d["due"], as_of)
        d["worker_id"] = d["team_id"] = None
        if d["child_id"] is not None:
            held = None
            for a in by_child.get(d["child_id"], ()):
                if a["starts_on"] <= on:
                    held = a
                else:
                    break
            if held is not None and (held["ends_on"] is None or held["ends_on"] >= on):
                d["worker_id"], d["team_id"] = held["worker_id"], held["team_id"]
        elif d["staff_id"] is not None:
            member = staff.get(d["staff_id"])
            team = member["team_id"] if member else None
            d["team_id"] = team
            for m in managers.get(team, ()) if team is not None else ():
                if _le(m["starts_on"], on) and (m["ends_on"] is None or m["ends_on"] >= on):
                    d["worker_id"] = m["id"]
                    break
