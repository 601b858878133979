"""Ofsted's Annex A lists as data: sheet names, headings in order, look-back windows and the
lettered option values of the workbook's drop-downs.

Headings are liia-tools' `la-agg.yml` (docs/returns/specification.md, section 3), with the
sample workbook's UASC column in List 8. Option values follow liia's data map and Data to
Insight's Annex A queries where the specification is silent.
"""

from harbour.codes import code_list

CHILD = ("Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)")
DISABLED = "Does the Child have a Disability"
ALLOCATED = ("Allocated Team", "Allocated Worker")

LISTS: dict[str, tuple[str, ...]] = {
    "List 1": (*CHILD, "Date of Contact", "Contact Source"),
    "List 2": (
        *CHILD,
        "Assessment start date",
        "Assessment completion date",
        "Organisation completing assessment",
    ),
    "List 3": (
        *CHILD,
        "Date of referral",
        "Referral Source",
        "Referral NFA?",
        "Number of Referrals in Last 12 Months",
        *ALLOCATED,
    ),
    "List 4": (
        *CHILD,
        DISABLED,
        "Continuous Assessment Start Date",
        "Child Seen During Continuous Assessment",
        "Continuous Assessment Date of Authorisation",
        "Was the child assessed as requiring LA children's social care support?",
        *ALLOCATED,
    ),
    "List 5": (
        *CHILD,
        DISABLED,
        "Strategy discussion initiating Section 47 Enquiry Start Date",
        "Was an Initial Child Protection Conference deemed unnecessary?",
        "Date of Initial Child Protection Conference",
        "Did the Initial Child Protection Conference Result in a Child Protection Plan",
        "Number of Section 47 Enquiries in the last 12 months",
        "Number of ICPCs in the last 12 months",
        *ALLOCATED,
    ),
    "List 6": (
        *CHILD,
        DISABLED,
        "CIN Start Date",
        "Primary Need Code",
        "Date Child Was Last Seen",
        "CIN Closure Date",
        "Reason for Closure",
        "Case Status",
        *ALLOCATED,
    ),
    "List 7": (
        *CHILD,
        DISABLED,
        "Child Protection Plan Start Date",
        "Initial Category of Abuse",
        "Latest Category of Abuse",
        "Date of the Last Statutory Visit",
        "Was the Child Seen Alone?",
        "Date of latest review conference",
        "Child Protection Plan End Date",
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
        "Months (Y/N)",
        "Number of Previous Child Protection Plans",
        *ALLOCATED,
    ),
    "List 8": (
        *CHILD,
        "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
        DISABLED,
        "Date Started to be Looked After",
        "Child's Category of Need",
        "Is this a second or subsequent period of being a Looked After Child within the last "
        "12 months (Y/N)",
        "Start date of current legal status",
        "Child's Legal Status",
        "Date of Latest Statutory Review",
        "Date of Last Social Work Visit",
        "What is the permanence plan for this child?",
        "Date of Last IRO Visit / Contact to the Child",
        "Date of Last Health Assessment",
        "Date of Last Dental Check",
        "Number of Placements in the Last 12 months",
        "Date Ceased to be Looked After",
        "Reason Ceased to be Looked After",
        "Start Date of Most Recent Placement",
        "Placement Type",
        "Placement Provider",
        "Placement postcode",
        "URN of Placement",
        "Placement Location",
        "LA of Placement",
        "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 "
        "months",
        "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months",
        "Was the child offered a Return Interview after their last missing episode (Y/N)?",
        "Did the child accept a Return Interview after their last missing episode (Y/N)?",
        *ALLOCATED,
    ),
    "List 9": (
        *CHILD,
        DISABLED,
        *ALLOCATED,
        "Eligibility Category",
        "LA in Touch",
        "Type of Accommodation",
        "Suitability of Accommodation",
        "Activity Status",
    ),
    "List 10": (
        "Child Unique ID",
        "Family identifier",
        *CHILD[1:],
        DISABLED,
        "Date the Child Entered Care",
        "Date of Decision that Child Should be Placed for Adoption",
        "Date of Placement Order",
        "Date of Matching Child and Prospective Adopters",
        "Date Placed for Adoption",
        "Date of Adoption Order",
        "Date of Decision that Child Should No Longer be Placed for Adoption",
        "Reason Why Child No Longer Placed for Adoption",
        "Date the child was placed for fostering in FFA or concurrent planning placement",
    ),
    "List 11": (
        "Individual adopter identifier",
        "Family identifier",
        "Gender",
        "Ethnicity",
        "Disability",
        "Is the (prospective) adopter fostering for adoption?",
        "Date enquiry received",
        "Date Stage 1 started",
        "Date Stage 1 ended",
        "Date Stage 2 started",
        "Date Stage 2 ended",
        "Date application submitted",
        "Date application approved",
        "Date adopter matched with child(ren)",
        "Date child/children placed with adopter(s)",
        "No. of children placed",
        "Date of Adoption Order",
        "Date of leaving adoption process",
        "Reason for leaving adoption process",
    ),
}

TITLES = {
    "List 1": "Contacts",
    "List 2": "Early help",
    "List 3": "Referrals",
    "List 4": "Assessments",
    "List 5": "Section 47 enquiries and ICPCs",
    "List 6": "Children in need",
    "List 7": "Child protection",
    "List 8": "Children in care",
    "List 9": "Care leavers",
    "List 10": "Adoption",
    "List 11": "Adopters",
}

# Months looked back from the inspection date (Ofsted's wording, specification section 3).
WINDOW_MONTHS = {name: 12 if name in ("List 10", "List 11") else 6 for name in LISTS}


def heading(list_name: str, starts: str) -> str:
    """A long heading by how it starts."""
    (found,) = [h for h in LISTS[list_name] if h.startswith(starts)]
    return found


# Headings a workbook may leave out: la-agg has no UASC column.
OPTIONAL = {("List 8", heading("List 8", "Unaccompanied"))}

# Columns Harbour works out from history the workbook does not carry (counts over twelve
# months, earlier legal statuses and placements, missing episodes) or cannot store (a disability
# without its kind): an import keeps what the rows say, so a re-export may show less.
NOT_STORED = {
    ("List 3", "Number of Referrals in Last 12 Months"),
    ("List 5", "Number of Section 47 Enquiries in the last 12 months"),
    ("List 5", "Number of ICPCs in the last 12 months"),
    ("List 7", heading("List 7", "Subject to Emergency")),
    ("List 8", heading("List 8", "Is this a second")),
    ("List 8", "Number of Placements in the Last 12 months"),
    ("List 8", heading("List 8", "Number of Episodes the Child has been 'Missing'")),
    ("List 8", heading("List 8", "Number of Episodes the Child has been 'Absent'")),
    ("List 8", heading("List 8", "Was the child offered")),
    ("List 8", heading("List 8", "Did the child accept")),
    ("List 10", "Date the Child Entered Care"),
    ("List 10", "Date of Placement Order"),
    ("List 10", heading("List 10", "Date the child was placed for fostering")),
} | {(name, DISABLED) for name, headings in LISTS.items() if DISABLED in headings}

DATE_FORMAT = "%d/%m/%Y"
EXCEL_DATE = "DD/MM/YYYY"


def lettered(values: list[str]) -> dict[str, str]:
    return {v: f"{chr(ord('a') + n)}) {v}" for n, v in enumerate(values)}


YES, NO, UNKNOWN = "a) Yes", "b) No", "c) Unknown"
GENDER = {"M": "a) Male", "F": "b) Female", "U": "c) Not stated/recorded"}
# The data map letters the twenty census codes a) to s), REFU and NOBT both s).
ETHNICITY = lettered(list(code_list("ethnicity").codes)[:18]) | {
    "REFU": "s) REFU",
    "NOBT": "s) NOBT",
}
SOURCE_GROUPS = {
    "1": "Individual",
    "2A": "Schools",
    "2B": "Education services",
    "3": "Health services",
    "4": "Housing",
    "5": "LA services",
    "6": "Police",
    "7": "Other legal agency",
    "8": "Other",
    "9": "Anonymous",
    "10": "Unknown",
}
_SOURCE_LETTERS = [
    "a",
    "b",
    "c",
    "d",
    "e",
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "p",
    "p1",
    "q",
    "r",
    "s",
    "t",
    "u",
]


def _source_label(code: str) -> str:
    group = SOURCE_GROUPS.get(code) or SOURCE_GROUPS[code[0]]
    return f"{code}: {group}"


SOURCE = {
    code: f"{letter}) {_source_label(code)}"
    for letter, code in zip(_SOURCE_LETTERS, code_list("referral_source").codes, strict=True)
}
ABUSE = {
    "NEG": "a) Neglect",
    "PHY": "b) Physical abuse",
    "SAB": "c) Sexual abuse",
    "EMO": "d) Emotional abuse",
    "MUL": "e) Multiple/not recommended",
}
CASE_STATUS = {
    "looked_after": "a) Looked after child",
    "protection": "b) Child Protection plan",
    "in_need": "c) Child in need plan",
    "assessment": "d) Open assessment",
    "closed": "e) Closed episode",
}
ELIGIBILITY = {
    "relevant": "a) Relevant child",
    "former_relevant": "b) Former relevant child",
    "qualifying": "c) Qualifying care leaver",
    "eligible": "d) Eligible child",
}
IN_TOUCH = {
    "YES": "a) Yes",
    "NO": "b) No",
    "DIED": "c) Died",
    "REFU": "d) Refu",
    "NREQ": "e) NREQ",
    "RHOM": "f) Rhom",
}
SUITABLE = {True: "a) Suitable", False: "b) Unsuitable"}
LOCATION = {True: "a) In", False: "b) Out"}


def dashed(list_name: str) -> dict[str, str]:
    """Census codes as the workbook shows them: `N1 - Abuse or neglect`."""
    return {c: f"{c} - {label}" for c, label in code_list(list_name).codes.items()}


def coloned(list_name: str) -> dict[str, str]:
    """SSDA903 codes as the workbook shows them: `C2: Full care order`."""
    return {c: f"{c}: {label}" for c, label in code_list(list_name).codes.items()}


PRIMARY_NEED = dashed("primary_need")
CLOSURE = dashed("closure_reason")
CATEGORY_OF_NEED = coloned("category_of_need")
LEGAL_STATUS = coloned("legal_status")
PLACEMENT_TYPE = coloned("placement_type")
PROVIDER = coloned("placement_provider")
REASON_CEASED = coloned("reason_episode_ceased")
ACCOMMODATION = coloned("care_leaver_accommodation")
ACTIVITY = coloned("care_leaver_activity")
ADOPTION_CEASED = coloned("reason_placed_for_adoption_ceased")
