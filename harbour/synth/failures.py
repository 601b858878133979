"""The practice failures a synthetic county can contain, and the truth file that lists them.

Each failure names the table its `record` id points into. Everything not chosen for an
injected failure meets every timescale and standard, so the truth file is the complete list.

How each is judged (the synthetic county's definitions; the timescales rules judge the same):
- late_contact_decision: decided after `contact_decision_working_days` working days from receipt.
- late_strategy_discussion: held after `strategy_discussion_working_days` working days from the
  concern being identified.
- s47_unqualified_lead: the enquiry's lead worker was not a registered, qualified social worker.
- late_icpc: initial conference held over 15 working days after the strategy discussion.
- late_first_core_group: first core group over 10 working days after the initial conference.
- missed_cp_visit: a child protection visit came more than `cp_visit_interval_working_days`
  after the previous one (or the plan's start); the record is the late visit.
- child_not_seen_alone: a child aged `seen_alone_from_age` or more seen on a child protection
  visit but not alone, with no reason recorded.
- assessment_over_timescale: single assessment authorised over 45 working days from referral
  (initial: 10, or 7 under the 2006 edition; core: 35 from its start).
- plan_without_contingency: child protection plan with no contingency recorded.
- manager_signed_own_assessment: assessment authorised by the worker who wrote it.
- supervision_gap: a practitioner's supervision came later than the interval after the last
  (fortnightly in the assessed year after qualifying); the record is the late supervision.
- unallocated_child_in_need: an episode still open `allocation_working_days` after referral with
  no allocated worker on that day.
- closed_then_rereferred: an episode closed and the child referred again within
  `rereferral_after_closure_weeks`; the record is the episode closed too soon.
"""

import json
import random
from dataclasses import dataclass, field
from pathlib import Path

FAILURE_TABLES = {
    "late_contact_decision": "journey.Contact",
    "late_strategy_discussion": "journey.StrategyDiscussion",
    "s47_unqualified_lead": "journey.Section47Enquiry",
    "late_icpc": "journey.Conference",
    "late_first_core_group": "journey.CoreGroupMeeting",
    "missed_cp_visit": "journey.Visit",
    "child_not_seen_alone": "journey.Visit",
    "assessment_over_timescale": "journey.Assessment",
    "plan_without_contingency": "journey.ChildProtectionPlan",
    "manager_signed_own_assessment": "journey.Assessment",
    "supervision_gap": "workforce.Supervision",
    "unallocated_child_in_need": "journey.Referral",
    "closed_then_rereferred": "journey.Referral",
}
KINDS = tuple(FAILURE_TABLES)

DEFAULT_RATES = {
    "late_contact_decision": 0.02,
    "late_strategy_discussion": 0.05,
    "s47_unqualified_lead": 0.02,
    "late_icpc": 0.08,
    "late_first_core_group": 0.06,
    "missed_cp_visit": 0.02,
    "child_not_seen_alone": 0.03,
    "assessment_over_timescale": 0.05,
    "plan_without_contingency": 0.04,
    "manager_signed_own_assessment": 0.01,
    "supervision_gap": 0.03,
    "unallocated_child_in_need": 0.01,
    "closed_then_rereferred": 0.01,
}


def parse_rates(specs: list[str]) -> dict[str, float]:
    """Rates from `KIND=RATE` strings (`all=RATE` sets every kind). Raises ValueError."""
    rates = dict(DEFAULT_RATES)
    for spec in specs:
        kind, sep, value = spec.partition("=")
        if not sep:
            raise ValueError(f"failure rate {spec!r} is not KIND=RATE")
        try:
            rate = float(value)
        except ValueError:
            raise ValueError(f"failure rate for {kind!r} is not a number: {value!r}") from None
        if not 0 <= rate <= 1:
            raise ValueError(f"failure rate for {kind!r} must be between 0 and 1, not {value}")
        if kind == "all":
            rates = dict.fromkeys(KINDS, rate)
        elif kind in FAILURE_TABLES:
            rates[kind] = rate
        else:
            raise ValueError(f"unknown failure kind {kind!r}; known: {', '.join(KINDS)}")
    return rates


@dataclass
class Failures:
    """Decides which opportunities fail, and remembers every failure injected."""

    rates: dict[str, float]
    rng: random.Random
    truth: list[dict] = field(default_factory=list)

    def roll(self, kind: str) -> bool:
        return self.rng.random() < self.rates[kind]

    def record(self, kind: str, child: str | None, record: int) -> None:
        self.truth.append({"failure": kind, "child": child, "record": record})

    def sorted_truth(self) -> list[dict]:
        return sort_failures(self.truth)


def sort_failures(found: list[dict]) -> list[dict]:
    return sorted(found, key=lambda f: (f["failure"], f["child"] or "", f["record"]))


def write_truth(path: Path, truth: list[dict]) -> None:
    path.write_text(json.dumps(sort_failures(truth), indent=1) + "\n", encoding="utf-8")
