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
# A sibling group referred together comes into care together, so these are per referral of a
# new child (and its brothers and sisters); unaccompanied children come alone, so their share
# is raised to keep their number.
DIRECT_TO_CARE_BY_AGE = ((1, 0.036), (10, 0.0083), (15, 0.0176), (18, 0.1))
UASC_SHARE_OF_DIRECT = 0.375

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

# ----- Households and sibling groups ------------------------------------------------------
# How many children a household coming to the front door has (the mother's children, counting
# half-siblings). ONS, Families and households in the UK 2023: of families with dependent
# children, 44% have one, 41% two and 15% three or more; families known to children's social
# care are larger (Bywaters et al., Child welfare inequalities in the four nations of the UK,
# 2020), so the weights lean towards bigger families.
CHILDREN_IN_HOUSEHOLD = {1: 34, 2: 32, 3: 19, 4: 9, 5: 4, 6: 2}
HALF_SIBLING_SHARE = 0.3  # households whose children have two fathers
FATHERS_SURNAME_SHARE = 0.2  # children who carry their father's surname, not their mother's
BIRTH_SPACING_YEARS = (1.2, 5.0)
YEARS_BETWEEN_MOVES = (3, 9)
# A contact or referral about one child usually concerns every child in the household (a
# police notification of domestic abuse names them all): the share of referrals and of other
# contacts that bring the child's brothers and sisters under 17 too, and the share of those
# left out even so (living elsewhere, or not part of the concern).
SIBLINGS_REFERRED_TOGETHER = 0.7
SIBLINGS_CONTACTED_TOGETHER = 0.55
SIBLING_LEFT_OUT = 0.1
# New children who are the brother or sister of a child already known, coming on their own.
LATER_SIBLING_SHARE = 0.12
# Children per referral event and per other contact event, measured on the large county, so
# that the events are scaled to keep the children's referral and contact rates above.
CHILDREN_PER_REFERRAL = 1.67
CHILDREN_PER_OTHER_CONTACT = 1.42

# What the county's sibling groups should show each collection year, as `volumes.siblings`
# counts them (within 0.08 either way). Devon County Council's answer to a freedom of
# information request (28 November 2019): 382 of its 762 children in care were in 147 sibling
# groups in care, half of them; the Children's Commissioner for England's "Siblings in care"
# (January 2023) estimates that about 20,000 children in care, 37% of those with a brother or
# sister in care, were placed apart from them. No national figure counts child protection
# plans made for sibling groups; conferences are usually held for all the children of a
# household together, so most plans start on the same day as a brother's or sister's (an
# assumption, as is the share of referrals made together).
SIBLING_TARGETS = {
    "referred_with_a_sibling": 0.6,
    "cp_plan_started_with_a_sibling": 0.6,
    "came_into_care_with_a_sibling": 0.5,
    "looked_after_with_a_sibling_looked_after": 0.5,
}
