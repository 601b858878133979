"""The synthetic county: an authority, its workforce and its children's journeys.

`generate()` streams every row to a sink and returns the truth list of injected failures.
Same size, years, seed, end date and rates: the same county, row for row.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from harbour.access.roles import Role
from harbour.synth import sizes, text
from harbour.synth.children import Children
from harbour.synth.context import Context
from harbour.synth.planning import Planner
from harbour.synth.plans import AssessmentPlan, EpisodePlan
from harbour.synth.rendering import EpisodeWriter
from harbour.synth.sink import Sink
from harbour.synth.workforce import Workforce

# The fictional county borrows Norfolk's codes (a real county of about its size, whose districts
# are unchanged since 2021) so that the Department's validators accept its returns; nothing in its
# data describes Norfolk.
AUTHORITY = {
    "name": "Harbourshire County Council (synthetic)",
    "la_code": "926",
    "ons_code": "E10000020",
    "region": "east",
}
# Ten real county councils of similar size and character, as comparators for the fictional
# county (the published statistics for them are public).
NEIGHBOURS = [
    ("830", "Derbyshire"),
    ("891", "Nottinghamshire"),
    ("860", "Staffordshire"),
    ("925", "Lincolnshire"),
    ("855", "Leicestershire"),
    ("937", "Warwickshire"),
    ("885", "Worcestershire"),
    ("935", "Suffolk"),
    ("865", "Wiltshire"),
    ("908", "Cornwall"),
]
SOURCES = {
    "6": 29,
    "2A": 18,
    "2B": 1.5,
    "3A": 2,
    "3B": 2.5,
    "3C": 0.5,
    "3D": 1.5,
    "3E": 4,
    "3F": 3.5,
    "4": 2,
    "5A": 4,
    "5B": 3,
    "5C": 3,
    "5D": 5,
    "1A": 1,
    "1B": 5,
    "1C": 1,
    "1D": 1,
    "7": 2,
    "8": 4,
    "9": 1,
    "10": 0.5,
}
AGES = {0: 9, 1: 20, 5: 26, 10: 35, 16: 10}
AGE_SPAN = {0: 1, 1: 4, 5: 5, 10: 6, 16: 1.4}


@dataclass
class Summary:
    children: int
    failures: int
    start: date
    end: date


class County:
    def __init__(self, size, years: int, seed: int, end: date, sink: Sink, rates: dict):
        self.ctx = Context(size, years, seed, end, sink, rates)
        self.children = Children(self.ctx, AUTHORITY["la_code"])
        self.workforce = Workforce(self.ctx)
        self.ctx.workforce = self.workforce
        self.planner = Planner(self.ctx)
        self.closed_pool = []  # children with a closed episode, for re-referrals
        self.open_list = []  # children with an open episode, for contacts about open cases
        self._open_pruned = 100
        self.referred = []  # every child with a referral, for their case summary

    # ----- the whole county ---------------------------------------------------------------
    def generate(self) -> list[dict]:
        ctx = self.ctx
        ctx.sink.system_user_id = ctx.sink.add(
            "access.User",
            {
                "username": "synthetic.county",
                "password": "!synthetic",
                "first_name": "Synthetic",
                "last_name": "county loader",
                "email": "",
                "is_active": False,
                "is_staff": False,
                "is_superuser": False,
                "date_joined": ctx.at(ctx.staff_from, 0),
                "external_role": "",
                "organisation": "",
            },
        )
        self._authority()
        self.workforce.build()
        for when, kind in self._events():
            if kind == "referral":
                self._referral(when)
            elif kind == "private_fostering":
                self._private_fostering(when)
            else:
                self._other_contact(when)
        for child in self.children.all:
            if child.early_help:
                self._emit_early_help(child)
        self.children.households.write_families()
        self._case_summaries()
        self._audits()
        self.workforce.supervise()
        ctx.sink.close()
        return ctx.failures.sorted_truth()

    def _authority(self) -> None:
        ctx, sink = self.ctx, self.ctx.sink
        authority_id = sink.add("authority.Authority", dict(AUTHORITY))
        for year in range(ctx.legacy_start.year, ctx.end.year + 1):
            shrink = 1 - 0.004 * (ctx.end.year - year)
            sink.add(
                "authority.ChildPopulation",
                {
                    "authority_id": authority_id,
                    "year": year,
                    "children_0_17": round(ctx.size.children * shrink),
                },
            )
        for rank, (code, name) in enumerate(NEIGHBOURS, start=1):
            sink.add(
                "authority.StatisticalNeighbour",
                {
                    "authority_id": authority_id,
                    "la_code": code,
                    "name": name,
                    "rank": rank,
                    "grouping": "synthetic",
                },
            )
        for name, starts, ends in ctx.half_terms:
            sink.add(
                "authority.SchoolTerm",
                {"authority_id": authority_id, "name": name, "starts_on": starts, "ends_on": ends},
            )

    def _events(self):
        """Every contact's receipt time, in order. Referrals start before the county's history
        so that children already in care, on plans or leaving care are there on day one."""
        ctx, rng = self.ctx, self.ctx.rng
        per10k = ctx.size.children / 10_000
        # A referral or contact often concerns brothers and sisters too: each child has their
        # own, so the events are fewer than the children's referrals and contacts.
        streams = [
            (
                "referral",
                sizes.REFERRALS_PER_10K * per10k / sizes.CHILDREN_PER_REFERRAL,
                ctx.legacy_start,
            ),
            (
                "other",
                (sizes.CONTACTS_PER_10K - sizes.REFERRALS_PER_10K)
                * per10k
                / sizes.CHILDREN_PER_OTHER_CONTACT,
                ctx.start,
            ),
            ("private_fostering", sizes.PRIVATE_FOSTERING_PER_10K * per10k, ctx.start),
        ]
        events = []
        working_share = 1 - sizes.WEEKEND_CONTACT_SHARE
        for kind, per_year, first in streams:
            working_rate = per_year * working_share / 251
            other_rate = per_year * sizes.WEEKEND_CONTACT_SHARE / 114
            day = first
            while day <= ctx.end:
                working = ctx.cal.is_counted(day)
                for _ in range(poisson(rng, working_rate if working else other_rate)):
                    hour = rng.randint(8, 17) if working else rng.randint(0, 23)
                    events.append((ctx.at(day, hour, rng.randint(0, 59)), kind))
                day += timedelta(days=1)
        events.sort(key=lambda event: event[0])
        return events

    # ----- contacts -----------------------------------------------------------------------
    def _decide(self, received_at: datetime, may_fail: bool) -> tuple[datetime, bool]:
        ctx, rng = self.ctx, self.ctx.rng
        day = received_at.date()
        allowed = ctx.policy.value("contact_decision_working_days", day)
        if may_fail and ctx.in_window(day) and ctx.failures.roll("late_contact_decision"):
            late_day = ctx.wd(day, allowed + rng.randint(1, 3))
            if late_day <= ctx.end:
                return ctx.at(late_day, rng.randint(9, 16), rng.randint(0, 59)), True
        if ctx.cal.is_counted(day) and received_at.hour < 15 and rng.random() < 0.7:
            return received_at + timedelta(minutes=rng.randint(30, 150)), False
        decided = ctx.wd(day, rng.randint(1, allowed))
        return ctx.at(decided, rng.randint(9, 17), rng.randint(0, 59)), False

    def write_contact(self, child, received_at, decision, decided_at, source, late) -> int:
        ctx, rng = self.ctx, self.ctx.rng
        decided = decided_at is not None and decided_at.date() <= ctx.end
        consent_sought = rng.random() < 0.8
        overridden = not consent_sought and decision == "referral"
        contact_id = ctx.sink.add(
            "journey.Contact",
            {
                "child_id": child.id,
                "received_at": received_at,
                "source": source,
                "referrer_name": f"{text.adult_name(rng, rng.choice('FM'))} {text.surname(rng)}",
                "referrer_organisation": _organisation(source, child.district),
                "concerns": rng.choice(text.CONCERNS),
                "consent_sought": consent_sought,
                "consent_given": (rng.random() < 0.85) if consent_sought else None,
                "consent_overridden": overridden,
                "consent_override_rationale": (
                    "Seeking consent could place the child at risk of significant harm."
                    if overridden
                    else ""
                ),
                "decision": decision if decided else "",
                "decision_at": decided_at if decided else None,
                "decided_by_id": (
                    self.workforce.anyone("front_door", Role.MASH_SCREENER, decided_at.date())
                    if decided
                    else None
                ),
                "threshold_reason": _threshold(decision) if decided else "",
                "referrer_informed_at": (
                    decided_at + timedelta(hours=rng.randint(1, 20)) if decided else None
                ),
            },
        )
        if late:
            ctx.failures.record("late_contact_decision", child.reference, contact_id)
        return contact_id

    def _other_contact(self, received_at: datetime) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        decision = ctx.pick(sizes.OTHER_CONTACT_DECISIONS)
        day = received_at.date()
        child = self._open_child(day) if decision == "open_case" else None
        if child is None:
            if decision == "open_case":
                decision = "advice"
            child = self._known_child(day, 0, 10_000) if rng.random() < 0.25 else None
            if child is None or child.open_on(day):
                child = self._new_child(day)
        decided_at, late = self._decide(received_at, may_fail=True)
        source = ctx.pick(SOURCES)
        group = [child]
        if decision != "open_case":
            group += self._siblings(child, day, sizes.SIBLINGS_CONTACTED_TOGETHER)
        for member in group:
            if member.id == 0:
                self.children.emit(member)
            decided = decision
            if decided == "early_help" and (member.early_help or member.age(day) >= 17):
                decided = "advice"
            contact_id = self.write_contact(member, received_at, decided, decided_at, source, late)
            if decided == "early_help" and decided_at.date() <= ctx.end:
                self.start_early_help(member, decided_at.date(), contact_id, None)

    # ----- referrals ----------------------------------------------------------------------
    def _referral(self, received_at: datetime) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        legacy = received_at.date() < ctx.start
        decided_at, late = self._decide(received_at, may_fail=not legacy)
        R = decided_at.date()
        too_soon_of = None
        child = None
        if legacy:
            child = self._new_child(R, record=False)
        else:
            weeks = ctx.policy.value("rereferral_after_closure_weeks", R)
            if ctx.failures.roll("closed_then_rereferred") and ctx.end >= R:
                child = self._closed_child(R, 1, weeks * 7 - 7)
                too_soon_of = child.last_referral_id if child else None
            if child is None and rng.random() < sizes.RE_REFERRAL_SHARE:
                child = self._closed_child(R, weeks * 7 + 8, 365, within_year=True)
            if child is None and rng.random() < sizes.OLDER_KNOWN_CHILD_SHARE:
                child = self._known_child(R, weeks * 7 + 8, 10_000, older_than_year=True)
            if child is None:
                child = self._new_child(R, record=False)
        new = child.id == 0
        if child.early_help and child.early_help["ends_on"] <= R:
            self._emit_early_help(child)
        source = "5D" if child.early_help else ctx.pick(SOURCES)
        if ctx.end < R:
            group = [child, *self._siblings(child, R, sizes.SIBLINGS_REFERRED_TOGETHER)]
            for member in group:
                if member.id == 0:
                    self.children.emit(member)
                self.write_contact(member, received_at, "referral", None, source, False)
            return
        direct = new and child.age(R) >= 0 and rng.random() < _direct_share(child.age(R))
        if (
            direct
            and child.extra.get("uasc") is False
            and child.age(R) >= 15
            and (rng.random() < sizes.UASC_SHARE_OF_DIRECT)
        ):
            child.extra["uasc"] = True
            child.sex = "M"
        siblings = self._siblings(child, R, sizes.SIBLINGS_REFERRED_TOGETHER)
        # Brothers and sisters referred together go through the same strategy discussion,
        # enquiry, conference and plan, and come into care together: each one's episode is
        # planned from the same random draws as the first child's, parting only where their
        # ages or needs lead them apart.
        states = (rng.getstate(), ctx.failures.rng.getstate()) if siblings else None
        plan = self.planner.episode(
            child, received_at, decided_at, R, source, late, direct_care=direct
        )
        plans = [(child, plan)]
        if siblings:
            after = (rng.getstate(), ctx.failures.rng.getstate())
            for sibling in siblings:
                if sibling.early_help and sibling.early_help["ends_on"] <= R:
                    self._emit_early_help(sibling)
                rng.setstate(states[0])
                ctx.failures.rng.setstate(states[1])
                sibling_plan = self.planner.episode(
                    sibling, received_at, decided_at, R, source, late, direct_care=direct
                )
                plans.append((sibling, sibling_plan))
            rng.setstate(after[0])
            ctx.failures.rng.setstate(after[1])
        if legacy and not any(self._keep(p, member) for member, p in plans):
            return
        posts = {} if siblings else None
        for member, member_plan in plans:
            if member.id == 0:
                self.children.emit(member)
            self._start_episode(member, member_plan, posts)
        if too_soon_of:
            ctx.failures.record("closed_then_rereferred", child.reference, too_soon_of)

    def _siblings(self, child, on: date, together: float) -> list:
        """The child's brothers and sisters who come to the front door with them: none, or
        (at the rate `together`) most of those aged under 17 who are not already open, whose
        last episode did not close within the re-referral window (that would be a failure the
        generator did not choose), and who are still within the service's reach."""
        ctx, rng = self.ctx, self.ctx.rng
        if child.extra.get("uasc") or child.born > on:
            if child.household is None:
                self.children.households.found(child, alone=True)
            return []
        if child.household is None:
            self.children.households.found(child)
        if len(child.household.slots) == 1 or rng.random() >= together:
            return []
        window = max(ctx.policy.value("rereferral_after_closure_weeks", on), 12) * 7 + 8
        group = []
        for slot in child.household.slots:
            if slot is child.slot or not (0 < (on - slot.born).days < 17 * 365.25):
                continue
            if rng.random() < sizes.SIBLING_LEFT_OUT:
                continue
            sibling = slot.child
            if sibling is None:
                group.append(self.children.from_slot(child.household, slot, on))
            elif (
                sibling.available_on(on)
                and not sibling.open_on(on)
                and (sibling.last_referral is None or sibling.last_referral < on)
                and (sibling.episode_until is None or (on - sibling.episode_until).days > window)
            ):
                group.append(sibling)
        return group

    def _keep(self, plan: EpisodePlan, child) -> bool:
        """A legacy episode is kept if it is open in the county's first year, or leaves a care
        leaver the service still supports."""
        ctx = self.ctx
        if plan.closed_on >= ctx.start - relativedelta(years=1):
            return True
        return bool(
            plan.care
            and plan.care.care_leaver
            and child.born + relativedelta(years=21) >= ctx.start
        )

    def _start_episode(self, child, plan: EpisodePlan, posts=None) -> EpisodeWriter:
        R = plan.referral_on
        referral_id = self.ctx.sink.new_id("journey.Referral")
        stepped_up = child.early_help
        if stepped_up:
            stepped_up.update(ends_on=R, end_reason="stepped_up", stepped_up_to_id=referral_id)
            self._emit_early_help(child)
        writer = EpisodeWriter(self.ctx, self, child, plan, posts)
        writer.write(referral_id)
        if child.last_referral is None:
            self.referred.append(child)
        child.last_referral = R
        child.last_referral_id = referral_id
        child.episode_until = plan.closed_on
        child.gone_on = plan.gone_on
        if plan.gone_on is None:
            self.closed_pool.append(child)
        self.open_list.append(child)
        return writer

    # ----- choosing children --------------------------------------------------------------
    def _new_child(self, on: date, record: bool = True):
        ctx, rng = self.ctx, self.ctx.rng
        child = self._later_sibling(on) if rng.random() < sizes.LATER_SIBLING_SHARE else None
        if child is not None:
            if record:
                self.children.emit(child)
            return child
        if rng.random() < sizes.PRE_BIRTH_SHARE:
            child = self.children.make(on, due_in_days=rng.randint(40, 120))
        else:
            band = ctx.pick(AGES)
            child = self.children.make(
                on, age=band + rng.random() * AGE_SPAN[band] - 0.5, disabled=rng.random() < 0.08
            )
            if child.born > on:
                child.born = on - timedelta(days=rng.randint(1, 300))
            # Referred well before 18, so that an assessment can finish while still a child;
            # and born by the county's end (an unborn child is made with a due date above).
            child.born = max(child.born, on - timedelta(days=int(17.4 * 365.25)))
            child.born = min(child.born, ctx.end - timedelta(days=1))
        if record:
            self.children.emit(child)
        return child

    def _later_sibling(self, on: date):
        """A brother or sister of a child the county already knows, coming on their own."""
        pool, rng = self.children.households.all, self.ctx.rng
        for _ in range(min(20, len(pool))):
            household = pool[rng.randrange(len(pool))]
            if not household.recorded():
                continue
            for slot in household.slots:
                if slot.child is None and 0 < (on - slot.born).days < 17 * 365.25:
                    return self.children.from_slot(household, slot, on)
        return None

    def _sample(self, pool, test, tries=40):
        rng = self.ctx.rng
        for _ in range(min(tries, len(pool))):
            child = pool[rng.randrange(len(pool))]
            if test(child):
                return child
        return None

    def _closed_child(self, R: date, min_days: int, max_days: int, within_year=False):
        def test(child):
            closed = child.episode_until
            return (
                closed is not None
                and child.available_on(R)
                and child.age(R) < 17.3
                and min_days <= (R - closed).days <= max_days
                and (not within_year or (R - child.last_referral).days <= 365)
            )

        return self._sample(self.closed_pool, test, tries=400 if min_days == 1 else 40)

    def _known_child(self, R: date, min_days: int, max_days: int, older_than_year=False):
        def test(child):
            closed = child.episode_until
            return (
                child.available_on(R)
                and child.age(R) < 17.3
                and (closed is None or min_days <= (R - closed).days <= max_days)
                and not child.open_on(R)
                and (not older_than_year or (R - child.last_referral).days > 365)
            )

        return self._sample(self.closed_pool, test)

    def _open_child(self, day: date):
        if len(self.open_list) > 2 * self._open_pruned:
            self.open_list = [c for c in self.open_list if c.episode_until >= day]
            self._open_pruned = max(len(self.open_list), 100)
        return self._sample(self.open_list, lambda child: child.open_on(day))

    # ----- early help ---------------------------------------------------------------------
    def start_early_help(self, child, on: date, contact_id, stepped_down_from) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        if child.early_help or on > ctx.end:
            return
        ends = ctx.working_day_between(on + relativedelta(months=3), on + relativedelta(months=9))
        child.early_help = {
            "child_id": child.id,
            "contact_id": contact_id,
            "starts_on": on,
            "lead_professional_name": f"{text.adult_name(rng, 'F')} {text.surname(rng)}",
            "lead_professional_agency": rng.choice(
                ("Primary school", "Secondary school", "Health visiting", "Family hub")
            ),
            "lead_professional_id": None,
            "assessment_completed_on": ctx.wd(on, rng.randint(5, 20)),
            "plan_started_on": ctx.wd(on, rng.randint(21, 30)),
            "ends_on": ends,
            "end_reason": ctx.pick({"needs_met": 70, "disengaged": 20, "moved": 5, "other": 5}),
            "stepped_down_from_id": stepped_down_from,
            "stepped_up_to_id": None,
        }

    def _emit_early_help(self, child) -> None:
        episode, child.early_help = child.early_help, None
        episode.pop("stepped_up", None)
        end = self.ctx.end
        for field in ("assessment_completed_on", "plan_started_on"):
            if episode[field] > min(end, episode["ends_on"]):
                episode[field] = None
        if episode["ends_on"] > end:
            episode["ends_on"], episode["end_reason"] = None, ""
        self.ctx.sink.add("journey.EarlyHelpEpisode", episode)

    # ----- private fostering --------------------------------------------------------------
    def _private_fostering(self, received_at: datetime) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        decided_at, late = self._decide(received_at, may_fail=True)
        R = decided_at.date()
        child = self.children.make(R, age=rng.uniform(8, 15.5))
        self.children.emit(child)
        if ctx.end < R:
            self.write_contact(child, received_at, "referral", None, "8", False)
            return
        arrangement_ends = ctx.working_day_between(ctx.months(R, 3), ctx.months(R, 20))
        done = ctx.wd(R, rng.randint(10, 35))
        plan = EpisodePlan(received_at, decided_at, R, "8", late, primary_need="N8")
        plan.assessments.append(AssessmentPlan("single", R, done, done))
        plan.factors = [rng.choice(("8D", "8E", "8F"))]
        plan.phases = [("assessment", R), ("safeguarding", done)]
        plan.closed_on, plan.closure_reason = arrangement_ends, "RC7"
        writer = self._start_episode(child, plan)
        ctx.sink.add(
            "care.PrivateFosteringArrangement",
            {
                "child_id": child.id,
                "notified_on": R,
                "starts_on": R - timedelta(days=30),
                "ends_on": writer.until(arrangement_ends),
                "carer_name": f"{text.adult_name(rng, 'F')} {text.surname(rng)}",
                "carer_relationship": "Family friend",
                "end_reason": "Returned to parent" if writer.visible(arrangement_ends) else "",
            },
        )
        first = ctx.wd(R, rng.randint(2, 7))
        visit_on = first
        while visit_on < arrangement_ends and writer.visible(visit_on):
            writer.visit("private_fostering", visit_on)
            visit_on = ctx.working_day_between(
                visit_on + timedelta(days=28), visit_on + timedelta(days=42)
            )

    # ----- case audits --------------------------------------------------------------------
    def _audits(self) -> None:
        """Each month the quality assurance team audits a sample of open cases; a second
        auditor moderates each, and the actions set are done by their dates."""
        ctx, rng, sink = self.ctx, self.ctx.rng, self.ctx.sink
        open_children = [c for c in self.referred if c.episode_until and c.last_referral]
        month = ctx.start.replace(day=1) + relativedelta(months=1)
        while month <= ctx.end:
            day = ctx.cal.next_on_or_after(month)
            sample = [
                c for c in rng.sample(open_children, min(len(open_children), 400)) if c.open_on(day)
            ][: max(2, ctx.size.children // 4_000)]
            for child in sample:
                audited = ctx.working_day_between(day, day + timedelta(days=20))
                if audited > ctx.end:
                    continue
                auditor = self.workforce.anyone("performance", Role.PERFORMANCE_OFFICER, audited)
                moderator = auditor
                while moderator == auditor:
                    moderator = self.workforce.anyone(
                        "performance", Role.PERFORMANCE_OFFICER, audited
                    )
                moderated = ctx.wd(audited, rng.randint(3, 18))
                grade = ctx.pick(AUDIT_GRADES)
                audit_id = sink.add(
                    "oversight.CaseAudit",
                    {
                        "child_id": child.id,
                        "auditor_id": auditor,
                        "audited_on": audited,
                        "grade": grade,
                        "findings": "Practice reviewed against the standards.",
                        "moderator_id": moderator if moderated <= ctx.end else None,
                        "moderated_on": moderated if moderated <= ctx.end else None,
                        "moderated_grade": grade if moderated <= ctx.end else "",
                    },
                )
                for action in rng.sample(AUDIT_ACTIONS, k=rng.randint(1, 2)):
                    due = audited + timedelta(days=rng.randint(10, 60))
                    done = due - timedelta(days=rng.randint(0, 9))
                    sink.add(
                        "oversight.AuditAction",
                        {
                            "audit_id": audit_id,
                            "action": action,
                            "owner_id": self.workforce.anyone(
                                "performance", Role.PERFORMANCE_OFFICER, audited
                            ),
                            "due_on": due,
                            "completed_on": done if done <= ctx.end else None,
                        },
                    )
            month += relativedelta(months=1)

    # ----- case summaries -----------------------------------------------------------------
    def _case_summaries(self) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        for child in self.referred:
            event = child.last_significant
            if event is None:
                continue
            refresh = ctx.wd(event, rng.randint(0, 5))
            updated = refresh if refresh <= ctx.end else event - timedelta(days=1)
            ctx.sink.add(
                "journey.CaseSummary",
                {
                    "child_id": child.id,
                    "summary": "Why we are involved, what we are worried about, what is working "
                    "well, and the plan, in plain words for the family.",
                    "created_at": ctx.at(updated, 16),
                    "updated_at": ctx.at(updated, 16),
                },
            )


def _direct_share(age: float) -> float:
    return next(share for below, share in sizes.DIRECT_TO_CARE_BY_AGE if age < below)


AUDIT_GRADES = {"outstanding": 5, "good": 40, "requires_improvement": 45, "inadequate": 10}
AUDIT_ACTIONS = (
    "Update the chronology with the events since the last review",
    "Record the child's views from the next visit in their own words",
    "Add a contingency to the plan and share it with the family",
    "Hold a management oversight discussion and record the rationale",
)


def poisson(rng, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _organisation(source: str, district: str) -> str:
    return {
        "6": f"{district} Police (synthetic)",
        "2A": f"{district} Primary School (synthetic)",
        "3A": f"{district} Medical Practice (synthetic)",
        "3E": "Harbourshire General Hospital (synthetic)",
    }.get(source, "")


def _threshold(decision: str) -> str:
    return {
        "referral": "Concerns meet the threshold for a statutory assessment.",
        "early_help": "Needs can be met by early help with the family's consent.",
        "open_case": "Case already open: passed to the allocated worker.",
    }.get(decision, "Below the threshold for statutory services; advice given.")
