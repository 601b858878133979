"""The shape of one child in need episode, decided before any row is written.

A referral's whole episode (assessment, protection, plans, care, closure) is planned first as
dates and outcomes, with no regard to the county's end date; rendering then writes the rows,
leaving out whatever falls after the end. Planning first lets the generator keep only those
legacy episodes (referred before the county's history starts) that are still open within it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class AssessmentPlan:
    kind: str
    starts_on: date
    done_on: date
    authorised_on: date
    late: bool = False
    own_sign_off: bool = False


@dataclass
class StrategyPlan:
    concern_on: date
    held_on: date
    late: bool = False
    outcome: str = "s47"
    s47_done: date | None = None
    s47_outcome: str = ""
    unqualified_lead: bool = False
    icpc_on: date | None = None
    icpc_late: bool = False
    icpc_outcome: str = ""


@dataclass
class ProtectionPlan:
    starts_on: date
    ends_on: date
    end_reason: str
    reviews: list[date]
    category: str
    first_core_group: date
    late_core_group: bool = False
    no_contingency: bool = False


@dataclass
class CarePlan:
    starts_on: date
    ends_on: date
    reason_ceased: str
    category_of_need: str
    legal: list[tuple[date, str]]
    placements: list[dict]
    adoption: dict | None = None
    care_leaver: bool = False


@dataclass
class EpisodePlan:
    received_at: datetime
    decided_at: datetime
    referral_on: date
    source: str
    late_decision: bool = False
    no_further_action: bool = False
    primary_need: str = "N1"
    allocation_delay: int = 0
    assessments: list[AssessmentPlan] = field(default_factory=list)
    factors: list[str] = field(default_factory=list)
    strategy: StrategyPlan | None = None
    protection: ProtectionPlan | None = None
    cin_plans: list[tuple[date, date]] = field(default_factory=list)
    care: CarePlan | None = None
    step_down_on: date | None = None
    closed_on: date | None = None
    closure_reason: str = ""
    phases: list[tuple[str, date]] = field(default_factory=list)
    gone_on: date | None = None
