"""Writing a planned episode as rows, leaving out whatever falls after the county's end."""

from bisect import bisect_right
from datetime import date, datetime, timedelta

from harbour.access.roles import Role
from harbour.synth import care_rows, protection_rows, text

CONTACT_DECISION = "referral"


class EpisodeWriter:
    def __init__(self, ctx, county, child, plan, slots=None):
        self.ctx, self.county, self.child, self.plan = ctx, county, child, plan
        # Brothers and sisters referred together share their case-holding posts, phase by
        # phase: a sibling group is allocated to one worker.
        self.slots = slots
        self.sink = ctx.sink
        self.rng = ctx.rng
        self.end = ctx.end
        self.segments: list[tuple[date, date | None, int, int]] = []  # from, to, staff, team
        self.icpc_id = None

    # ----- helpers ------------------------------------------------------------------------
    def visible(self, day: date | None) -> bool:
        return day is not None and day <= self.end

    def until(self, day: date | None) -> date | None:
        """An end date as the county knows it: unknown if it lies after the county's end."""
        return day if self.visible(day) else None

    def worker_on(self, day: date) -> int | None:
        starts = [s[0] for s in self.segments]
        i = bisect_right(starts, day) - 1
        if i < 0:
            return None
        seg = self.segments[i]
        return seg[2] if seg[1] is None or day <= seg[1] else None

    def team_on(self, day: date) -> int | None:
        starts = [s[0] for s in self.segments]
        i = bisect_right(starts, day) - 1
        return self.segments[max(i, 0)][3] if self.segments else None

    def chronology(
        self, day: date, category: str, summary: str, significant: bool, source: str
    ) -> None:
        if not self.visible(day):
            return
        self.sink.add(
            "journey.ChronologyEntry",
            {
                "child_id": self.child.id,
                "occurred_on": day,
                "category": category,
                "summary": summary,
                "significant": significant,
                "source": source,
            },
        )
        if significant and (
            self.child.last_significant is None or day > self.child.last_significant
        ):
            self.child.last_significant = day

    def note(self, at: datetime, subject: str, body: str, author: int | None) -> None:
        if not self.visible(at.date()):
            return
        self.sink.add(
            "journey.CaseNote",
            {
                "child_id": self.child.id,
                "occurred_at": at,
                "author_id": author,
                "subject": subject,
                "text": body,
            },
        )

    # ----- the episode --------------------------------------------------------------------
    def write(self, referral_id: int) -> None:
        plan, child, ctx = self.plan, self.child, self.ctx
        self.county.children.add_family(child, plan.referral_on)
        contact_id = self.county.write_contact(
            child,
            plan.received_at,
            CONTACT_DECISION,
            plan.decided_at,
            plan.source,
            plan.late_decision,
        )
        closed = self.until(plan.closed_on)
        mash = self.county.workforce.anyone("front_door", Role.TEAM_MANAGER, plan.referral_on)
        self.sink.add(
            "journey.Referral",
            {
                "id": referral_id,
                "child_id": child.id,
                "contact_id": contact_id,
                "received_on": plan.referral_on,
                "source": plan.source,
                "primary_need": plan.primary_need,
                "no_further_action": plan.no_further_action,
                "closed_on": closed,
                "closure_reason": plan.closure_reason if closed else "",
                "closed_by_id": mash if plan.no_further_action and closed else None,
            },
        )
        self.referral_id = referral_id
        if plan.allocation_delay:
            ctx.failures.record("unallocated_child_in_need", child.reference, referral_id)
        self.chronology(
            plan.referral_on,
            "referral",
            "Referral accepted by children's social care.",
            True,
            f"referral:{referral_id}",
        )
        self.allocate()
        for assessment in plan.assessments:
            self.assessment(assessment)
        if plan.strategy:
            protection_rows.write_strategy(self, plan.strategy)
        if plan.protection:
            protection_rows.write_plan(self, plan.protection)
        for starts, ends in plan.cin_plans:
            self.child_in_need_plan(starts, ends)
        if plan.care:
            care_rows.write_care(self, plan.care)
        if plan.step_down_on and self.visible(plan.step_down_on):
            self.county.start_early_help(child, plan.step_down_on, None, referral_id)
        if closed and not plan.no_further_action:
            self.chronology(
                closed, "referral", "Episode of need closed.", False, f"referral:{referral_id}"
            )
            self.note(
                ctx.at(closed, 16),
                "Case closure",
                "Case closed with the family's agreement; partners informed.",
                self.worker_on(closed),
            )

    def allocate(self) -> None:
        """Allocation rows for each phase of the episode, passing between post holders."""
        plan, ctx = self.plan, self.ctx
        if plan.no_further_action:
            return
        phases = plan.phases
        closes = plan.closed_on
        reasons: list[str] = []
        for n, (kind, starts) in enumerate(phases):
            ends = phases[n + 1][1] if n + 1 < len(phases) else closes
            if not self.visible(starts) or (ends is not None and ends <= starts):
                continue
            slot = self.slots.get(kind) if self.slots is not None else None
            if slot is None:
                slot = self.county.workforce.case_slot(kind, self.child.district)
                if self.slots is not None:
                    self.slots[kind] = slot
            last_day = min(ends, ctx.end) if ends else ctx.end
            for when, tenure in slot.changes_between(starts, last_day):
                if ends is not None and when >= ends and when != starts:
                    continue  # a new post holder on the day the phase ends: the next phase's
                if self.segments and self.segments[-1][1] is None:
                    prev = self.segments[-1]
                    self.segments[-1] = (prev[0], when, prev[2], prev[3])
                # Why the worker changed, as the SSDA903 return records it: a new case, a move
                # to another team, or the last worker leaving their post.
                if not reasons:
                    reason = "FCONTA"
                elif when == starts:
                    reason = "MANAGE"
                else:
                    reason = "LEFTRL"
                reasons.append(reason)
                self.segments.append((when, None, tenure.staff_id, slot.team_id))
            if ends is not None and self.visible(ends) and self.segments:
                last = self.segments[-1]
                self.segments[-1] = (last[0], ends, last[2], last[3])
        for (starts, ends, staff, team), reason in zip(self.segments, reasons, strict=True):
            self.sink.add(
                "workforce.Allocation",
                {
                    "child_id": self.child.id,
                    "worker_id": staff,
                    "team_id": team,
                    "kind": "social_worker",
                    "reason": reason,
                    "starts_on": starts,
                    "ends_on": self.until(ends),
                },
            )

    def assessment(self, a) -> None:
        ctx, child = self.ctx, self.child
        if not self.visible(a.starts_on):
            return
        worker = self.worker_on(a.starts_on)
        team = self.team_on(a.starts_on)
        authorised = self.visible(a.authorised_on)
        manager = self.county.workforce.manager(team, a.authorised_on) if team else None
        if a.own_sign_off:
            worker = manager
        age = child.age(a.starts_on)
        seen_alone = age >= self.ctx.policy.value("seen_alone_from_age", a.starts_on)
        # Seen the next working day, unless that is after the county's last day.
        seen_on = self.until(ctx.wd(a.starts_on, 1)) if age >= 0 else None
        assessment_id = self.sink.add(
            "journey.Assessment",
            {
                "child_id": child.id,
                "referral_id": self.referral_id,
                "kind": a.kind,
                "started_on": a.starts_on,
                "completed_on": self.until(a.done_on),
                "worker_id": worker,
                "authorised_by_id": manager if authorised else None,
                "authorised_on": a.authorised_on if authorised else None,
                "child_seen": seen_on is not None,
                "child_seen_on": seen_on,
                "seen_alone": seen_alone,
                "child_views": self.rng.choice(text.VIEWS) if age >= 4 else "",
                "family_history": "Family known to universal services; no previous plans.",
                "risk_factors": self.rng.choice(text.CONCERNS),
                "protective_factors": "Supportive grandparent nearby; child attends school.",
                "analysis": "Needs and risks weighed with the family and the professionals.",
                "factors": self.plan.factors if authorised else [],
                "outcome": self._assessment_outcome() if authorised else "",
            },
        )
        if a.late:
            ctx.failures.record("assessment_over_timescale", child.reference, assessment_id)
        if a.own_sign_off:
            ctx.failures.record("manager_signed_own_assessment", child.reference, assessment_id)
        self.chronology(
            a.done_on,
            "assessment",
            f"{a.kind.replace('_', ' ').capitalize()} assessment completed.",
            False,
            f"assessment:{assessment_id}",
        )

    def _assessment_outcome(self) -> str:
        plan = self.plan
        if plan.strategy:
            return "strategy"
        if plan.care:
            return "looked_after"
        if plan.cin_plans:
            return "cin"
        return "early_help" if plan.step_down_on else "nfa"

    def child_in_need_plan(self, starts: date, ends: date) -> None:
        ctx, child = self.ctx, self.child
        if not self.visible(starts):
            return
        plan_id = self.sink.add(
            "journey.ChildInNeedPlan",
            {
                "child_id": child.id,
                "referral_id": self.referral_id,
                "starts_on": starts,
                "ends_on": self.until(ends),
                "outcomes": "Support the family to meet the child's needs at home.",
            },
        )
        interval = ctx.policy.value("cin_plan_review_interval_months", starts)
        review = starts
        while True:
            due = ctx.months(review, interval)
            review = ctx.working_day_between(due - timedelta(days=14), due)
            if review >= ends or not self.visible(review):
                break
            self.sink.add(
                "journey.ChildInNeedPlanReview",
                {
                    "plan_id": plan_id,
                    "held_on": review,
                    "notes": "Plan reviewed with the family and the professionals.",
                },
            )
        self.regular_visits(
            "child_in_need",
            starts,
            ends,
            ctx.policy.value("cin_visit_interval_working_days", starts),
        )

    def regular_visits(self, kind: str, starts: date, ends: date, interval: int) -> None:
        """Visits at most `interval` working days apart while a plan is open."""
        ctx = self.ctx
        last = starts
        while True:
            visit_on = ctx.wd(last, self.rng.randint(max(1, interval // 2), interval))
            if visit_on >= ends or not self.visible(visit_on):
                return
            self.visit(kind, visit_on)
            last = visit_on

    def visit(
        self,
        kind: str,
        on: date,
        *,
        seen_alone: bool | None = None,
        not_alone_reason: str | None = None,
    ) -> int:
        child = self.child
        age = child.age(on)
        born = age >= 0
        if seen_alone is None:
            seen_alone = born and age >= self.ctx.policy.value("seen_alone_from_age", on)
        if not_alone_reason is None:
            not_alone_reason = (
                ""
                if seen_alone
                else (
                    "Child too young to be seen alone" if born else "Unborn child: mother visited"
                )
            )
        return self.sink.add(
            "journey.Visit",
            {
                "child_id": child.id,
                "kind": kind,
                "visited_on": on,
                "worker_id": self.worker_on(on),
                "child_seen": born,
                "seen_alone": seen_alone,
                "not_seen_alone_reason": not_alone_reason,
                "child_views": self.rng.choice(text.VIEWS) if born and age >= 4 else "",
                "observations": self.rng.choice(text.OBSERVATIONS),
                "who_present": "Child and parent" if not seen_alone else "Child",
                "purpose": f"Statutory {kind.replace('_', ' ')} visit",
            },
        )
