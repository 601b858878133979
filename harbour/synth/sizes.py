"""How big a synthetic county is, and the rates its children's journeys follow.

Rates are per 10,000 children aged 0-17 a year unless named otherwise; they are set so that
`large` (about 175,000 children) has about 40,000 contacts, 10,000 referrals, 650 new child
protection plans a year and 1,100 children looked after, close to England's averages.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    name: str
    children: int  # population aged 0-17
    districts: tuple[str, ...]


SIZES = {
    "small": Size("small", 25_000, ("Northmoor",)),
    "medium": Size("medium", 80_000, ("Northmoor", "Southmere")),
    "large": Size("large", 175_000, ("Northmoor", "Eastvale", "Southmere")),
}

# Flows a year per 10,000 children.
CONTACTS_PER_10K = 2_286
REFERRALS_PER_10K = 571
PRIVATE_FOSTERING_PER_10K = 0.9

# Shares and probabilities along the journey.
RE_REFERRAL_SHARE = 0.22  # referrals within 12 months of a previous referral
OLDER_KNOWN_CHILD_SHARE = 0.08  # referrals of children known more than 12 months before
REFERRAL_NFA_SHARE = 0.03  # closed at referral, no assessment
PRE_BIRTH_SHARE = 0.03
HOMELESS_16_17_SHARE = 0.015
STRATEGY_SHARE = 0.38  # referrals with a strategy discussion
STRATEGY_TO_S47 = 0.80
S47_TO_ICPC = 0.255
ICPC_TO_PLAN = 0.87
# Share of new children's referrals that bring them straight into care, by age (teenagers
# come in through family breakdown, remand and as unaccompanied asylum seekers).
DIRECT_TO_CARE_BY_AGE = ((1, 0.033), (10, 0.0075), (15, 0.016), (18, 0.075))
UASC_SHARE_OF_DIRECT = 0.3

# What happens after an assessment with no strategy discussion.
AFTER_ASSESSMENT = {"nfa": 0.50, "early_help": 0.14, "cin": 0.36}
# After a section 47 enquiry that does not lead to a conference.
AFTER_S47_NO_ICPC = {"nfa": 0.55, "cin": 0.45}
# After a child protection plan ends.
AFTER_CP_PLAN = {"cin": 0.66, "care": 0.165, "close": 0.175}
# Child in need plans that end with the child coming into care.
CIN_TO_CARE = 0.037

# Contacts that do not become referrals.
OTHER_CONTACT_DECISIONS = {"nfa": 0.34, "advice": 0.26, "early_help": 0.28, "open_case": 0.12}

# Share of contacts made at weekends (police and hospitals mostly).
WEEKEND_CONTACT_SHARE = 0.06

# Caseload targets used to size teams.
CASES_PER_WORKER = 16
CARE_LEAVERS_PER_ADVISER = 22
PRACTITIONERS_PER_TEAM = 7

# What a county should show each collection year, as `volumes.measure` counts it. The large
# county's headline figures (about 40,000 contacts, 10,000 referrals, 650 new child protection
# plans, 1,100 children looked after) and England's published shares of the flows between them.
TARGETS = {
    "contacts_per_10k": 2_286,
    "referrals_per_10k": 571,
    "contact_to_referral": 0.25,
    "re_referral_share": 0.22,
    "assessment_nfa_share": 0.30,
    "step_down_share_of_closures": 0.09,
    "s47_per_10k": 167,
    "icpc_per_10k": 43,
    "cp_plans_started_per_10k": 37,
    "cp_plan_median_days": 265,
    "cla_per_10k": 63,
    "cla_entries_per_10k": 23.5,
    "cla_three_or_more_placements": 0.105,
    "care_leavers_19_21_per_10k": 27,
}
