"""What reading a CIN census gives: the file's children and their episodes, as plain data.

Each record keeps `where` (e.g. "Child 12 (LAchildID 100234) / CINdetails 2 / Section47 1") so
that a problem found only when loading can still name its element.
"""

from dataclasses import dataclass, field
from datetime import date

from harbour.returns.importing import Problem


@dataclass
class CinAssessment:
    where: str
    started_on: date
    authorised_on: date | None
    factors: list[str]


@dataclass
class CinPlan:
    where: str
    starts_on: date
    ends_on: date | None


@dataclass
class CinEnquiry:
    where: str
    started_on: date
    icpc_on: date | None
    icpc_not_required: bool


@dataclass
class CinProtectionPlan:
    where: str
    starts_on: date
    ends_on: date | None
    initial_category: str
    latest_category: str
    previous_plans: int
    reviews: list[date]


@dataclass
class CinEpisode:
    where: str
    referred_on: date
    source: str
    primary_need: str
    closed_on: date | None
    closure_reason: str
    icpc_on: date | None  # an initial conference with no section 47 in the episode
    no_further_action: bool
    assessments: list[CinAssessment] = field(default_factory=list)
    cin_plans: list[CinPlan] = field(default_factory=list)
    enquiries: list[CinEnquiry] = field(default_factory=list)
    plans: list[CinProtectionPlan] = field(default_factory=list)


@dataclass
class CinChild:
    where: str
    reference: str
    upn: str
    former_upn: str
    upn_unknown: str
    born_on: date | None
    expected_on: date | None
    sex: str  # M, F or U, from Sex or (before 2024-25) GenderCurrent
    gender_current: str  # as the file gave it, where it gave GenderCurrent
    died_on: date | None
    ethnicity: str
    disabilities: list[str]
    episodes: list[CinEpisode] = field(default_factory=list)


@dataclass
class CinRead:
    file: str
    problems: list[Problem]
    year: int | None = None
    reference_date: date | None = None
    la_code: str = ""
    children: list[CinChild] = field(default_factory=list)
