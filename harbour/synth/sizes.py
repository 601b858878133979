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
S47_TO_ICPC = 0.25
ICPC_TO_PLAN = 0.87
DIRECT_TO_CARE_SHARE = 0.018  # referrals that bring a child straight into care
UASC_SHARE_OF_DIRECT = 0.25

# What happens after an assessment with no strategy discussion.
AFTER_ASSESSMENT = {"nfa": 0.50, "early_help": 0.14, "cin": 0.36}
# After a section 47 enquiry that does not lead to a conference.
AFTER_S47_NO_ICPC = {"nfa": 0.55, "cin": 0.45}
# After a child protection plan ends.
AFTER_CP_PLAN = {"cin": 0.66, "care": 0.16, "close": 0.18}
# Child in need plans that end with the child coming into care.
CIN_TO_CARE = 0.03

# Contacts that do not become referrals.
OTHER_CONTACT_DECISIONS = {"nfa": 0.34, "advice": 0.26, "early_help": 0.28, "open_case": 0.12}

# Share of contacts made at weekends (police and hospitals mostly).
WEEKEND_CONTACT_SHARE = 0.06

# Caseload targets used to size teams.
CASES_PER_WORKER = 16
CARE_LEAVERS_PER_ADVISER = 22
PRACTITIONERS_PER_TEAM = 7
