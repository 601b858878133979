"""Writing child protection: strategy discussion, section 47 enquiry, conferences, the plan,
core groups and child protection visits."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from harbour.access.roles import Role
from harbour.synth import text

ATTENDING = ("social_care", "police", "health", "education", "family")


def _chair(w, day):
    return w.county.workforce.anyone("reviewing", Role.CONFERENCE_CHAIR, day)


def _duty_worker(w, day):
    """The allocated worker, or a qualified duty worker of the assessment team if none."""
    return (
        w.worker_on(day)
        or w.county.workforce.case_slot("assessment", w.child.district).holder(day).staff_id
    )


def write_strategy(w, s) -> None:
    ctx, child, sink = w.ctx, w.child, w.sink
    if not w.visible(s.held_on):
        return
    workforce = w.county.workforce
    team = w.team_on(s.held_on) or workforce.teams_of("assessment", child.district)[0].id
    agencies = ["social_care", "police", "health"] + (
        ["education"] if child.age(s.held_on) >= 4 else []
    )
    strategy_id = sink.add(
        "journey.StrategyDiscussion",
        {
            "child_id": child.id,
            "referral_id": w.referral_id,
            "concern_identified_on": s.concern_on,
            "held_on": s.held_on,
            "agencies_present": agencies,
            "chaired_by_id": workforce.manager(team, s.held_on),
            "outcome": s.outcome,
        },
    )
    if s.late:
        ctx.failures.record("late_strategy_discussion", child.reference, strategy_id)
    w.chronology(
        s.held_on,
        "protection",
        "Strategy discussion held with police and health.",
        True,
        f"strategy:{strategy_id}",
    )
    if s.outcome != "s47":
        return
    lead = _duty_worker(w, s.held_on)
    if s.unqualified_lead:
        lead = workforce.holder(team, Role.FAMILY_SUPPORT_WORKER, s.held_on)
    done = w.visible(s.s47_done)
    s47_id = sink.add(
        "journey.Section47Enquiry",
        {
            "child_id": child.id,
            "referral_id": w.referral_id,
            "strategy_discussion_id": strategy_id,
            "started_on": s.held_on,
            "lead_worker_id": lead,
            "completed_on": s.s47_done if done else None,
            "outcome": s.s47_outcome if done else "",
        },
    )
    if s.unqualified_lead:
        ctx.failures.record("s47_unqualified_lead", child.reference, s47_id)
    w.chronology(s.held_on, "protection", "Section 47 enquiry started.", True, f"s47:{s47_id}")
    if s.icpc_on and w.visible(s.icpc_on):
        w.icpc_id = conference(w, "initial", s.icpc_on, s47_id=s47_id, outcome=s.icpc_outcome)
        if s.icpc_late:
            ctx.failures.record("late_icpc", child.reference, w.icpc_id)


def conference(w, kind, on, *, s47_id=None, plan_id=None, outcome="") -> int:
    ctx, child, sink, rng = w.ctx, w.child, w.sink, w.rng
    before = ctx.policy.value("conference_reports_to_parents_working_days", on)
    age = child.age(on)
    conference_id = sink.add(
        "journey.Conference",
        {
            "child_id": child.id,
            "kind": kind,
            "section_47_enquiry_id": s47_id,
            "plan_id": plan_id,
            "held_on": on,
            "reports_shared_with_parents_on": ctx.wd(on, -rng.randint(before, before + 3)),
            "child_attended": age >= 12 and rng.random() < 0.4,
            "advocate_attended": age >= 8 and rng.random() < 0.3,
            "chair_id": _chair(w, on),
            "outcome": outcome,
        },
    )
    for agency in ATTENDING:
        if agency == "education" and age < 4:
            continue
        attended = agency in ("social_care", "family") or rng.random() < 0.85
        sink.add(
            "journey.ConferenceAttendance",
            {
                "conference_id": conference_id,
                "agency": agency,
                "invited": True,
                "attended": attended,
                "report_provided": agency != "family" and rng.random() < 0.9,
            },
        )
    w.chronology(
        on,
        "protection",
        f"{kind.capitalize()} child protection conference held.",
        True,
        f"conference:{conference_id}",
    )
    return conference_id


def write_plan(w, p) -> None:
    ctx, child, sink = w.ctx, w.child, w.sink
    if not w.visible(p.starts_on):
        return
    ended = w.visible(p.ends_on)
    plan_id = sink.add(
        "journey.ChildProtectionPlan",
        {
            "child_id": child.id,
            "referral_id": w.referral_id,
            "initial_conference_id": w.icpc_id,
            "starts_on": p.starts_on,
            "ends_on": p.ends_on if ended else None,
            "end_reason": p.end_reason if ended else "",
            "initial_category": p.category,
            "latest_category": p.category,
            "contingency": "" if p.no_contingency else text.CONTINGENCY,
            "consequences_of_non_compliance": text.CONSEQUENCES,
        },
    )
    child.cp_plans += 1
    if p.no_contingency:
        ctx.failures.record("plan_without_contingency", child.reference, plan_id)
    _outcomes_and_actions(w, plan_id, p)
    for n, review in enumerate(p.reviews):
        if not w.visible(review):
            break
        last = n == len(p.reviews) - 1 and review == p.ends_on
        conference(w, "review", review, plan_id=plan_id, outcome="end" if last else "continue")
    _core_groups(w, plan_id, p)
    _visits(w, p)
    if ended:
        w.chronology(
            p.ends_on, "protection", "Child protection plan ended.", True, f"cp_plan:{plan_id}"
        )


def _outcomes_and_actions(w, plan_id, p) -> None:
    rng, sink = w.rng, w.sink
    for outcome in rng.sample(text.OUTCOMES, k=rng.randint(2, 3)):
        outcome_id = sink.add("journey.PlanOutcome", {"plan_id": plan_id, "outcome": outcome})
        for action in rng.sample(text.ACTIONS, k=rng.randint(1, 2)):
            due = p.starts_on + timedelta(days=rng.randint(20, 150))
            if due > w.end:
                status, completed = "in_progress", None
            elif rng.random() < 0.8:
                status, completed = "done", min(due, w.end)
            else:
                status, completed = "not_done", None
            sink.add(
                "journey.PlanAction",
                {
                    "plan_id": plan_id,
                    "outcome_id": outcome_id,
                    "action": action,
                    "owner_name": "Parent" if rng.random() < 0.6 else "Allocated social worker",
                    "owner_agency": "family" if rng.random() < 0.6 else "social_care",
                    "due_on": due,
                    "status": status,
                    "completed_on": completed,
                },
            )


def _core_groups(w, plan_id, p) -> None:
    ctx, child, sink = w.ctx, w.child, w.sink
    held = p.first_core_group
    first = True
    while held < p.ends_on and w.visible(held):
        meeting_id = sink.add(
            "journey.CoreGroupMeeting",
            {
                "child_id": child.id,
                "plan_id": plan_id,
                "held_on": held,
                "agencies_present": ["social_care", "health", "education", "family"],
                "notes": "Progress against each action reviewed; next steps agreed.",
            },
        )
        if first and p.late_core_group:
            ctx.failures.record("late_first_core_group", child.reference, meeting_id)
        first = False
        weeks = ctx.policy.value("core_group_interval_weeks", held)
        due = held + relativedelta(weeks=weeks)
        held = ctx.working_day_between(due - timedelta(days=14), due)


def _visits(w, p) -> None:
    """Child protection visits at most the policy's working days apart, from the plan's start."""
    ctx, child, rng = w.ctx, w.child, w.rng
    last = p.starts_on
    while True:
        interval = ctx.policy.value("cp_visit_interval_working_days", last)
        visit_on = ctx.wd(last, rng.randint(max(1, interval - 5), interval))
        late = False
        if ctx.in_window(last) and ctx.failures.roll("missed_cp_visit"):
            late_on = ctx.wd(last, rng.randint(interval + 2, interval + 10))
            if late_on < p.ends_on and w.visible(late_on):
                visit_on, late = late_on, True
        if visit_on >= p.ends_on or not w.visible(visit_on):
            return
        threshold = ctx.policy.value("seen_alone_from_age", visit_on)
        not_alone = (
            child.age(visit_on) >= threshold
            and ctx.in_window(visit_on)
            and ctx.failures.roll("child_not_seen_alone")
        )
        visit_id = w.visit(
            "child_protection",
            visit_on,
            seen_alone=False if not_alone else None,
            not_alone_reason="" if not_alone else None,
        )
        if late:
            ctx.failures.record("missed_cp_visit", child.reference, visit_id)
        if not_alone:
            ctx.failures.record("child_not_seen_alone", child.reference, visit_id)
        last = visit_on
