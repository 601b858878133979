"""What the database already holds for a census's children, read in bulk and keyed as the
census matches records: a referral by child and date, an assessment, CIN plan or enquiry by
referral and start date, a plan by child and start date, a conference by child (or plan) and day.
"""

from collections import defaultdict
from datetime import date

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

CHUNK = 900  # values per IN (...): below SQLite's oldest limit on query variables


def until(day: date | None, end: date) -> date | None:
    """What a census made on `end` shows of a held date: nothing if it is later."""
    return day if day is not None and day <= end else None


def rows(model, field: str, values) -> list:
    values = list(values)
    found = []
    for i in range(0, len(values), CHUNK):
        found.extend(model.objects.filter(**{f"{field}__in": values[i : i + CHUNK]}))
    return found


class Held:
    def __init__(self, references: list[str]):
        self.children = {c.reference: c for c in rows(Child, "reference", references)}
        ids = [c.pk for c in self.children.values()]
        self.disabilities = defaultdict(dict)
        for d in rows(Disability, "child_id", ids):
            self.disabilities[d.child_id][d.code] = d
        self.referrals = {(r.child_id, r.received_on): r for r in rows(Referral, "child_id", ids)}
        self.assessments = {
            (a.referral_id, a.started_on): a for a in rows(Assessment, "child_id", ids)
        }
        self.cin_plans = {
            (p.referral_id, p.starts_on): p for p in rows(ChildInNeedPlan, "child_id", ids)
        }
        enquiries = rows(Section47Enquiry, "child_id", ids)
        self.enquiries = {(e.referral_id, e.started_on): e for e in enquiries}
        linked = {e.strategy_discussion_id for e in enquiries}
        self.free_strategies = {  # discussions that led to no enquiry, which one may now join
            (s.referral_id, s.held_on): s
            for s in rows(StrategyDiscussion, "child_id", ids)
            if s.pk not in linked
        }
        self.initial = {}
        self.icpc_dates = defaultdict(set)  # enquiry id: its initial conferences' days
        self.reviews = {}
        for c in rows(Conference, "child_id", ids):
            if c.kind == Conference.Kind.INITIAL:
                self.initial[(c.child_id, c.held_on)] = c
                if c.section_47_enquiry_id:
                    self.icpc_dates[c.section_47_enquiry_id].add(c.held_on)
            elif c.plan_id:
                self.reviews[(c.plan_id, c.held_on)] = c
        plans = rows(ChildProtectionPlan, "child_id", ids)
        self.plans = {(p.child_id, p.starts_on): p for p in plans}
        self.plan_starts = defaultdict(set)
        for p in plans:
            self.plan_starts[p.child_id].add(p.starts_on)
        self.starting_plans = {p.initial_conference_id for p in plans}
