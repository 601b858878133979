"""Planning a referral's episode: every date and outcome, before anything is written.

Compliant steps land comfortably inside their timescale under every edition of the guidance;
injected failures land clearly outside it, and only where the late event still falls inside
the county's history (a failure with no record to point at would be a failure the truth file
could not name).
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from harbour.synth import care as care_planning
from harbour.synth import sizes
from harbour.synth.plans import AssessmentPlan, EpisodePlan, ProtectionPlan, StrategyPlan

# Working Together 2013 replaced initial and core assessments with the single assessment.
SINGLE_ASSESSMENT_FROM = date(2013, 4, 15)
PRIMARY_NEED = {"N1": 57, "N2": 9, "N3": 3, "N4": 9, "N5": 16, "N6": 2, "N7": 0.5, "N8": 3.5}
CATEGORY = {"NEG": 50, "EMO": 37, "PHY": 7, "SAB": 4, "MUL": 2}
FACTORS_BY_NEED = {
    "N1": ["16A", "17A", "18B", "3A", "3B", "4B", "2B", "1B"],
    "N2": ["5A", "6A", "4A"],
    "N3": ["4B", "6B", "7A"],
    "N4": ["4B", "3B", "24A"],
    "N5": ["3B", "3A", "1B", "2B", "4B"],
    "N6": ["14A", "23A", "13A", "10A"],
    "N7": ["24A"],
    "N8": ["24A", "9A"],
}


class Planner:
    def __init__(self, ctx):
        self.ctx = ctx
        self.rng = ctx.rng

    def episode(
        self, child, received_at, decided_at, referral_on, source, late_decision, direct_care=False
    ) -> EpisodePlan:
        ctx, rng = self.ctx, self.rng
        R = referral_on
        plan = EpisodePlan(received_at, decided_at, R, source, late_decision)
        plan.primary_need = "N2" if child.disabled else ctx.pick(PRIMARY_NEED)
        unborn = child.born > R
        injecting = ctx.in_window(R)

        if not direct_care and rng.random() < sizes.REFERRAL_NFA_SHARE:
            plan.no_further_action = True
            plan.closed_on, plan.closure_reason = R, "RC7"  # no assessment, so not RC8
            return plan

        allocation_due = ctx.wd(R, ctx.policy.value("allocation_working_days", R))
        if (
            not direct_care
            and injecting
            and allocation_due < ctx.end  # overdue by the end, not merely due on it
            and ctx.failures.roll("unallocated_child_in_need")
        ):
            plan.allocation_delay = rng.randint(3, 12)
        allocated_on = ctx.wd(R, plan.allocation_delay) if plan.allocation_delay else R
        plan.phases.append(("assessment", allocated_on))

        strategy_share = sizes.STRATEGY_SHARE * (0.8 if unborn else 1.0)
        if direct_care:
            path = "care"
        elif rng.random() < strategy_share:
            path = "strategy"
        else:
            path = "plain"

        earliest_done = 5 + plan.allocation_delay
        if path == "strategy":
            plan.strategy = self._strategy(R, injecting)
            plan.primary_need = "N1"
            if plan.strategy.s47_done:
                earliest_done = max(earliest_done, ctx.wd_count(R, plan.strategy.s47_done))

        self._assess(plan, child, allocated_on, earliest_done, injecting, unborn)
        done = plan.assessments[-1].authorised_on  # the episode moves on once signed off
        need = plan.primary_need
        plan.factors = self._factors(need)

        # Where the episode goes after the front of the journey.
        after = done
        next_step = None
        strategy = plan.strategy
        if path == "care":
            next_step = ("care", ctx.day_between(R, R + timedelta(days=3)))
        elif strategy and strategy.icpc_on and strategy.icpc_outcome == "plan":
            next_step = ("protection", strategy.icpc_on)
        elif strategy and strategy.icpc_on:
            next_step = ("cin", strategy.icpc_on)
        elif strategy and strategy.outcome == "s47":
            after = max(done, strategy.s47_done)
            next_step = ("cin", after) if strategy.s47_outcome == "cin" else None
        else:
            outcome = ctx.pick(sizes.AFTER_ASSESSMENT)
            if child.disabled and outcome != "cin" and rng.random() < 0.6:
                outcome = "cin"
            if outcome == "cin":
                next_step = ("cin", done)
            elif outcome == "early_help" and child.age(done) < 17:
                plan.step_down_on = done
                plan.closed_on, plan.closure_reason = done, "RC9"
                return plan
        if next_step is None:
            # RC8 is "closed after assessment, no further action"; an episode with an enquiry
            # in it closes as RC7.
            reason = "RC7" if strategy and strategy.outcome == "s47" else "RC8"
            plan.closed_on, plan.closure_reason = after, reason
            return plan
        self._continue(plan, child, *next_step)
        # An episode is not closed before its assessment is signed off.
        plan.closed_on = max(plan.closed_on, plan.assessments[-1].authorised_on)
        return plan

    # ----- the front of the journey -------------------------------------------------------
    def _strategy(self, R: date, injecting: bool) -> StrategyPlan:
        ctx, rng = self.ctx, self.rng
        concern = ctx.wd(R, rng.randint(0, 3))
        allowed = ctx.policy.value("strategy_discussion_working_days", concern)
        held = ctx.wd(concern, rng.randint(0, allowed))
        late = False
        if injecting and ctx.failures.roll("late_strategy_discussion"):
            late_held = ctx.wd(concern, rng.randint(allowed + 2, allowed + 7))
            if late_held <= ctx.end:
                held, late = late_held, True
        plan = StrategyPlan(concern, held, late)
        if rng.random() >= sizes.STRATEGY_TO_S47:
            plan.outcome = "cin"
            return plan
        plan.s47_done = ctx.wd(held, rng.randint(3, 10))
        plan.unqualified_lead = (
            injecting and held <= ctx.end and ctx.failures.roll("s47_unqualified_lead")
        )
        if rng.random() < sizes.S47_TO_ICPC:
            low = max(ctx.wd_count(held, plan.s47_done), 5)
            plan.icpc_on = ctx.wd(held, rng.randint(low, 15))
            if injecting and ctx.failures.roll("late_icpc"):
                late_on = ctx.wd(held, rng.randint(17, 25))
                if late_on <= ctx.end:
                    plan.icpc_on, plan.icpc_late = late_on, True
            plan.icpc_outcome = "plan" if rng.random() < sizes.ICPC_TO_PLAN else "no_plan"
            plan.s47_outcome = "icpc"
        else:
            plan.s47_outcome = ctx.pick(sizes.AFTER_S47_NO_ICPC)
            plan.s47_outcome = "cin" if plan.s47_outcome == "cin" else "unsubstantiated"
        return plan

    def _assess(self, plan, child, starts_on, earliest_done, injecting, unborn) -> None:
        ctx, rng = self.ctx, self.rng
        R = plan.referral_on
        if R < SINGLE_ASSESSMENT_FROM:
            # Initial assessment within 7 working days (the strictest edition), then a core
            # assessment within 30 of its start where the case continues.
            done = ctx.wd(R, rng.randint(max(1, plan.allocation_delay + 1), 7))
            plan.assessments.append(AssessmentPlan("initial", starts_on, done, done))
            if plan.strategy or rng.random() < 0.5:
                core_done = ctx.wd(done, rng.randint(10, 30))
                plan.assessments.append(AssessmentPlan("core", done, core_done, core_done))
            return
        if unborn:
            kind = "pre_birth"
        elif child.age(R) >= 16 and rng.random() < 0.25:
            kind = "homeless_16_17"
        else:
            kind = "single"
        days = rng.randint(min(earliest_done, 40), 40)
        late = False
        if injecting and ctx.failures.roll("assessment_over_timescale"):
            late_days = rng.randint(max(50, earliest_done), 75)
            if ctx.wd(R, late_days + 2) <= ctx.end:
                days, late = late_days, True
        done = ctx.wd(R, days)
        authorised = ctx.wd(done, rng.randint(0, 2))
        own = (
            injecting
            and authorised <= ctx.end
            and ctx.failures.roll("manager_signed_own_assessment")
        )
        plan.assessments.append(AssessmentPlan(kind, starts_on, done, authorised, late, own))

    def _factors(self, need: str) -> list[str]:
        pool = FACTORS_BY_NEED[need]
        return sorted(set(self.rng.sample(pool, k=min(len(pool), self.rng.randint(1, 3)))))

    # ----- after the assessment -----------------------------------------------------------
    def _continue(self, plan: EpisodePlan, child, step: str, on: date) -> None:
        """Follow the episode from `on` until it closes."""
        ctx, rng = self.ctx, self.rng
        last_day = child.eighteen - timedelta(days=1)
        for _ in range(8):
            if on >= last_day:
                plan.closed_on, plan.closure_reason = last_day, "RC7"
                return
            if step == "cin":
                plan.phases.append((self._casework_team(child), on))
                ends = min(self._cin_length(on, child), last_day)
                plan.cin_plans.append((on, ends))
                if ends < last_day and rng.random() < sizes.CIN_TO_CARE:
                    step, on = "care", ends
                    continue
                plan.closed_on, plan.closure_reason = ends, "RC7"
                return
            if step == "protection":
                plan.phases.append((self._casework_team(child), on))
                plan.protection = self._protection(on, child, last_day)
                ends = plan.protection.ends_on
                if plan.protection.end_reason == "aged_18":
                    plan.closed_on, plan.closure_reason = ends, "RC7"
                    return
                after = ctx.pick(sizes.AFTER_CP_PLAN)
                if after == "care":
                    plan.protection.end_reason = "looked_after"
                    step, on = "care", ends
                elif after == "cin":
                    step, on = "cin", ends
                else:
                    plan.closed_on, plan.closure_reason = ends, "RC7"
                    return
                continue
            if step == "care":
                starts = max(on, child.born)
                # Straight from referral, the assessment team holds the case until its
                # assessment is signed off, then hands it to the children in care team.
                handover = (
                    max(starts, plan.assessments[-1].authorised_on)
                    if (plan.assessments and starts <= plan.assessments[-1].authorised_on)
                    else starts
                )
                plan.phases.append(("children_in_care", handover))
                plan.care = care_planning.plan_care(ctx, child, starts)
                ends, reason = plan.care.ends_on, plan.care.reason_ceased
                closure = {"E11": "RC1", "E12": "RC1", "E41": "RC3", "E3": "RC5"}.get(reason)
                if reason in ("E4A", "E4B"):
                    step, on = "cin", ends  # home, with support as a child in need
                    continue
                if reason in ("E45", "E46", "E47", "E48"):
                    closure = "RC4"
                plan.closed_on, plan.closure_reason = ends, closure or "RC7"
                if reason in ("E11", "E12", "E17", "E5", "E6", "E8", "E3"):
                    plan.gone_on = ends
                return
        plan.closed_on, plan.closure_reason = on, "RC7"

    def _casework_team(self, child) -> str:
        return "disabled_children" if child.disabled else "safeguarding"

    def _cin_length(self, on: date, child) -> date:
        months = self.ctx.pick({3: 30, 6: 35, 12: 22, 24: 13 if child.disabled else 4})
        return self.ctx.working_day_between(
            on + relativedelta(months=max(2, months // 2)), on + relativedelta(months=months)
        )

    def _protection(self, starts: date, child, last_day: date) -> ProtectionPlan:
        ctx, rng = self.ctx, self.rng
        injecting = ctx.in_window(starts)
        reviews = []
        due = starts + relativedelta(months=3)
        ends, reason = None, "no_longer_at_risk"
        while True:
            review = ctx.working_day_between(due - timedelta(days=12), due - timedelta(days=1))
            if review >= last_day:
                ends, reason = last_day, "aged_18"
                break
            reviews.append(review)
            end_here = rng.random() < (0.22 if len(reviews) == 1 else 0.45)
            if end_here:
                ends = review
                break
            due = review + relativedelta(months=6)
        first_cg = ctx.wd(starts, rng.randint(3, 10))
        late_cg = False
        if injecting and ctx.failures.roll("late_first_core_group"):
            late_on = ctx.wd(starts, rng.randint(12, 20))
            if late_on <= ctx.end and late_on < ends:
                first_cg, late_cg = late_on, True
        no_contingency = (
            injecting and starts <= ctx.end and ctx.failures.roll("plan_without_contingency")
        )
        return ProtectionPlan(
            starts, ends, reason, reviews, ctx.pick(CATEGORY), first_cg, late_cg, no_contingency
        )
