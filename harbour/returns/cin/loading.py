"""Writing a read CIN census into the records, so that exporting the same year gives it back.

A census is a picture on its reference date (31 March): an episode closed later, an assessment
authorised later or a plan ended later shows as still open. So a held value is kept wherever
the census made from it would show what the file shows, and changed only where it would not;
importing the same file twice, or a year's file into the records it was made from, changes
nothing.

Held records that differ are saved one by one (`save_if_changed`: history and audit line each).
New ones are written in bulk at the end of each step (harbour.returns.bulk), with their
first history entries, and the import is one line in the audit log: one save per record would
make a large county's census take minutes.
"""

from datetime import date

from harbour.access import audit
from harbour.access.models import AuditEvent
from harbour.authority.models import Authority
from harbour.journey.models import (
    Assessment,
    ChildInNeedPlan,
    ChildProtectionPlan,
    Conference,
    Referral,
    Section47Enquiry,
    StrategyDiscussion,
)
from harbour.people.models import Child, Disability
from harbour.returns.bulk import Bulk
from harbour.returns.cin.held import Held, until
from harbour.returns.cin.parsed import CinEnquiry, CinProtectionPlan, CinRead
from harbour.returns.cin.people import child_changes, new_child
from harbour.returns.importing import Outcome, Problem, Progress, save_if_changed
from harbour.returns.period import CollectionYear

NOT_REQUIRED = ("cin", "unsubstantiated")  # enquiry outcomes the census shows as ICPCnotRequired
EVERY = 250  # children between progress reports


def load(parsed: CinRead, outcome: Outcome, progress: Progress) -> None:
    if not _authority(parsed, outcome):
        return
    loader = _Loader(parsed, outcome)
    steps = [
        ("children", loader.child),
        ("referrals", loader.referrals),
        ("assessments and plans", loader.assessments_and_plans),
        ("section 47 enquiries", loader.enquiries),
        ("initial conferences", loader.initial_conferences),
        ("child protection plans", loader.plans),
        ("review conferences", loader.reviews),
    ]
    total = len(parsed.children)
    for step, work in steps:
        for n, child in enumerate(parsed.children, 1):
            work(child)
            if n % EVERY == 0 or n == total:
                progress(f"CIN census: {step}", n, total)
        loader.write()
    loader.log()


def _authority(parsed: CinRead, outcome: Outcome) -> bool:
    authority = Authority.current()
    if authority is None:  # a first import into an empty Harbour: the name can be set later
        save_if_changed(
            Authority,
            {"la_code": parsed.la_code},
            {"name": f"Local authority {parsed.la_code}", "region": ""},
            outcome,
        )
        return True
    if authority.la_code != parsed.la_code:
        parsed.problems.append(
            Problem(
                parsed.file,
                "Header / Source",
                "LEA",
                f"{parsed.la_code} is not this Harbour's authority "
                f"({authority.name}, {authority.la_code})",
            )
        )
        return False
    return True


class _Loader:
    def __init__(self, parsed: CinRead, outcome: Outcome):
        self.parsed, self.outcome = parsed, outcome
        self.period = CollectionYear(parsed.year)
        self.end = self.period.end
        self.held = Held([c.reference for c in parsed.children])
        self.bulk = Bulk(f"Imported from the CIN census {self.period.label}")
        self.created = {}  # model name: records created in bulk, for the audit line
        self.record = {}  # id() of a parsed child, episode, enquiry or plan: its record
        self.strategy = {}  # id() of a parsed enquiry: the discussion for a new enquiry
        self.new_initial = {}  # (child id, day): an initial conference still to be written

    # ----- saving ---------------------------------------------------------------------------
    def put(self, model, key: dict, values: dict, held):
        """Change a held record where `values` differ, or queue a new one for `write`."""
        if held is not None:
            return save_if_changed(model, key, values, self.outcome, existing=held)
        return self.bulk.add(model, {**key, **values})

    def write(self) -> None:
        for model, count in self.bulk.write().items():
            name = model._meta.verbose_name
            self.outcome.created[name] += count
            self.created[name] = self.created.get(name, 0) + count
        self.new_initial.clear()

    def log(self) -> None:
        if self.created:
            audit.record(
                AuditEvent.Action.CHANGE,
                detail={
                    "type": "import",
                    "file": self.parsed.file,
                    "return": f"CIN census {self.period.label}",
                    "created": self.created,
                },
            )

    def problem(self, where: str, field: str, text: str) -> None:
        self.parsed.problems.append(Problem(self.parsed.file, where, field, text))

    # ----- steps, each over every child -----------------------------------------------------
    def child(self, c) -> None:
        held = self.held.children.get(c.reference)
        period = self.period
        values = new_child(c, period) if held is None else child_changes(c, held, period)
        self.record[id(c)] = self.put(Child, {"reference": c.reference}, values, held)

    def referrals(self, c) -> None:
        child = self.record[id(c)]
        if c.disabilities and c.born_on is not None and c.born_on <= self.end:
            self._disabilities(child, c.disabilities)
        period = self.period
        for e in c.episodes:
            held = self.held.referrals.get((child.pk, e.referred_on))
            values = {
                "source": e.source,
                "primary_need": e.primary_need,
                "no_further_action": e.no_further_action,
            }
            if held is None or (held.known_from and held.known_from > period.start):
                values["known_from"] = period.start
            closed = until(held.closed_on, self.end) if held else None
            shown = (closed, held.closure_reason if closed else "")
            if held is None or shown != (e.closed_on, e.closure_reason):
                values.update(closed_on=e.closed_on, closure_reason=e.closure_reason)
            key = {"child_id": child.pk, "received_on": e.referred_on}
            self.record[id(e)] = self.put(Referral, key, values, held)

    def _disabilities(self, child, codes: list[str]) -> None:
        held = self.held.disabilities.get(child.pk, {})
        disabled = any(code != "NONE" for code in held)
        for code in codes:
            if code == "NONE" and disabled:
                continue  # an older return's NONE; the disability recorded since stands
            self.put(Disability, {"child_id": child.pk, "code": code}, {}, held.get(code))
        if "NONE" in held and any(code != "NONE" for code in codes):
            held["NONE"].delete()  # NONE beside a disability would contradict it
            self.outcome.updated[Disability._meta.verbose_name] += 1

    def assessments_and_plans(self, c) -> None:
        child = self.record[id(c)]
        for e in c.episodes:
            referral = self.record[id(e)]
            for a in e.assessments:
                held = self.held.assessments.get((referral.pk, a.started_on))
                if held is None:  # the census names no kind: since 2013 all are single
                    values = {
                        "kind": Assessment.Kind.SINGLE.value,
                        "authorised_on": a.authorised_on,
                    }
                    values["factors"] = a.factors
                else:
                    values = {}
                    if until(held.authorised_on, self.end) != a.authorised_on:
                        values["authorised_on"] = a.authorised_on
                    if a.authorised_on is not None and list(held.factors or []) != a.factors:
                        values["factors"] = a.factors
                key = {"child_id": child.pk, "referral_id": referral.pk, "started_on": a.started_on}
                self.put(Assessment, key, values, held)
            for p in e.cin_plans:
                held = self.held.cin_plans.get((referral.pk, p.starts_on))
                changed = held is None or until(held.ends_on, self.end) != p.ends_on
                key = {"child_id": child.pk, "referral_id": referral.pk, "starts_on": p.starts_on}
                self.put(ChildInNeedPlan, key, {"ends_on": p.ends_on} if changed else {}, held)
            for s in e.enquiries:
                if (referral.pk, s.started_on) not in self.held.enquiries:
                    self.strategy[id(s)] = self._strategy(child, referral, s.started_on)

    def _strategy(self, child, referral, held_on: date) -> StrategyDiscussion:
        """The discussion that started an enquiry: one held that day that led to none yet, or
        a new one (the census dates the enquiry by it; when the concern arose is not known)."""
        free = self.held.free_strategies.pop((referral.pk, held_on), None)
        if free is not None:
            return save_if_changed(
                StrategyDiscussion, {}, {"outcome": "s47"}, self.outcome, existing=free
            )
        key = {"child_id": child.pk, "referral_id": referral.pk, "held_on": held_on}
        values = {"concern_identified_on": held_on, "outcome": "s47"}
        return self.put(StrategyDiscussion, key, values, None)

    def enquiries(self, c) -> None:
        child = self.record[id(c)]
        for e in c.episodes:
            referral = self.record[id(e)]
            for s in e.enquiries:
                held = self.held.enquiries.get((referral.pk, s.started_on))
                values = self._enquiry_values(s, held)
                key = {
                    "child_id": child.pk,
                    "referral_id": referral.pk,
                    "started_on": s.started_on,
                }
                self.record[id(s)] = self.put(Section47Enquiry, key, values, held)

    def _enquiry_values(self, s: CinEnquiry, held) -> dict:
        # Not required needs a completion date, which the census lacks: the earliest it can be.
        done = max(s.started_on, self.period.start)
        if held is None:
            values = {
                "strategy_discussion_id": self.strategy[id(s)].pk,
                "lead_worker_id": None,
                "outcome": "icpc" if s.icpc_on else "",
                "completed_on": None,
            }
            if s.icpc_not_required:  # whether the concerns were substantiated is not known
                values.update(outcome="unsubstantiated", completed_on=done)
            return values
        finished = until(held.completed_on, self.end) is not None
        if (finished and held.outcome in NOT_REQUIRED) == s.icpc_not_required:
            return {}
        if not s.icpc_not_required:
            return {"outcome": "icpc" if s.icpc_on else "", "completed_on": None}
        kept = held.completed_on is not None and self.period.within(held.completed_on)
        kind = held.outcome if held.outcome in NOT_REQUIRED else "unsubstantiated"
        return {"outcome": kind, "completed_on": held.completed_on if kept else done}

    def initial_conferences(self, c) -> None:
        child = self.record[id(c)]
        for e in c.episodes:
            for s in e.enquiries:
                enquiry = self.record[id(s)]
                held = self.held.icpc_dates.get(enquiry.pk, ())
                shown = sorted(day for day in held if day <= self.end)
                if set(shown) - {s.icpc_on}:
                    self.problem(
                        s.where,
                        "DateOfInitialCPC",
                        f"{s.icpc_on or 'blank'}, but Harbour holds this enquiry's initial "
                        f"conference on {', '.join(str(day) for day in shown)}",
                    )
                elif s.icpc_on is not None:
                    self._initial(child, s.icpc_on, enquiry, s.where)
            if e.icpc_on is not None:
                self._initial(child, e.icpc_on, None, e.where)
            for p in e.plans:  # a plan starts at its initial conference, held or not
                if (child.pk, p.starts_on) not in self.held.plans:
                    self._initial(child, p.starts_on, None, p.where)

    def _initial(self, child, held_on: date, enquiry, where: str) -> None:
        key = (child.pk, held_on)
        waiting = self.new_initial.get(key)
        if waiting is not None:
            if enquiry is not None and waiting["section_47_enquiry_id"] is None:
                waiting["section_47_enquiry_id"] = enquiry.pk
            return
        held = self.held.initial.get(key)
        if held is None:
            record = self.put(
                Conference,
                {"child_id": child.pk, "kind": "initial", "held_on": held_on},
                {"section_47_enquiry_id": enquiry.pk if enquiry is not None else None},
                None,
            )
            self.new_initial[key] = self.held.initial[key] = record
        elif enquiry is None:
            self.put(Conference, {}, {}, held)
        elif held.section_47_enquiry_id in (None, enquiry.pk):
            self.put(Conference, {}, {"section_47_enquiry_id": enquiry.pk}, held)
        else:
            self.problem(
                where,
                "DateOfInitialCPC",
                f"Harbour holds the initial conference of {held_on} as following another enquiry",
            )

    def plans(self, c) -> None:
        child = self.record[id(c)]
        starts = {p.starts_on for e in c.episodes for p in e.plans}
        starts |= self.held.plan_starts.get(child.pk, set())
        for e in c.episodes:
            referral = self.record[id(e)]
            for p in e.plans:
                earlier = sum(1 for day in starts if day < p.starts_on)
                plan = self._plan(child, referral, p, earlier)
                if plan is not None:
                    self.record[id(p)] = plan

    def _plan(self, child, referral, p: CinProtectionPlan, earlier: int):
        held = self.held.plans.get((child.pk, p.starts_on))
        values = {
            "referral_id": referral.pk,
            "initial_category": p.initial_category,
            "latest_category": p.latest_category,
        }
        recorded = None if p.previous_plans == earlier else p.previous_plans
        if held is None:
            conference = self.held.initial.get((child.pk, p.starts_on))
            if conference is None:
                return None  # its conference clashed with a held one: a problem already
            if conference.pk in self.held.starting_plans:
                self.problem(
                    p.where,
                    "CPPstartDate",
                    f"Harbour holds the initial conference of {p.starts_on} as starting "
                    "another plan",
                )
                return None
            self.held.starting_plans.add(conference.pk)
            values.update(
                initial_conference_id=conference.pk,
                ends_on=p.ends_on,
                previous_plans_recorded=recorded,
            )
        else:
            if until(held.ends_on, self.end) != p.ends_on:
                values.update(ends_on=p.ends_on, end_reason=held.end_reason if p.ends_on else "")
            shown = held.previous_plans_recorded
            if (shown if shown is not None else earlier) != p.previous_plans:
                values["previous_plans_recorded"] = recorded
        key = {"child_id": child.pk, "starts_on": p.starts_on}
        return self.put(ChildProtectionPlan, key, values, held)

    def reviews(self, c) -> None:
        child = self.record[id(c)]
        for e in c.episodes:
            for p in e.plans:
                plan = self.record.get(id(p))
                for day in p.reviews if plan is not None else ():
                    key = {
                        "child_id": child.pk,
                        "kind": "review",
                        "plan_id": plan.pk,
                        "held_on": day,
                    }
                    self.put(Conference, key, {}, self.held.reviews.get((plan.pk, day)))
