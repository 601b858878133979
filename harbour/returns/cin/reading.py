"""Reading a CIN census XML file and checking every element, without touching the database.

Every problem in the file is collected (not only the first), each naming the element path and
the child, so an authority can fix its extract in one go. The element tree and code lists are
those of docs/returns/specification.md, section 1.
"""

import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse

from harbour.codes import code_list
from harbour.returns.cin.parsed import (
    CinAssessment,
    CinChild,
    CinEnquiry,
    CinEpisode,
    CinPlan,
    CinProtectionPlan,
    CinRead,
)
from harbour.returns.importing import Problems

VALUE, GROUP, GROUPS, IGNORED = "value", "group", "groups", "ignored"

HEADER = {"CollectionDetails": GROUP, "Source": GROUP, "Content": IGNORED}
DETAILS = {"Collection": VALUE, "Year": VALUE, "ReferenceDate": VALUE}
SOURCE = {
    "SourceLevel": VALUE,
    "LEA": VALUE,
    "SoftwareCode": VALUE,
    "Release": VALUE,
    "SerialNo": VALUE,
    "DateTime": VALUE,
}
CHILD = {"ChildIdentifiers": GROUP, "ChildCharacteristics": GROUP, "CINdetails": GROUPS}
IDENTIFIERS = {
    "LAchildID": VALUE,
    "UPN": VALUE,
    "FormerUPN": VALUE,
    "UPNunknown": VALUE,
    "PersonBirthDate": VALUE,
    "ExpectedPersonBirthDate": VALUE,
    "Sex": VALUE,
    "GenderCurrent": VALUE,
    "PersonDeathDate": VALUE,
}
CHARACTERISTICS = {"Ethnicity": VALUE, "Disabilities": GROUP}
DISABILITIES = {"Disability": GROUPS}  # repeated values, read as groups of one
EPISODE = {
    "CINreferralDate": VALUE,
    "ReferralSource": VALUE,
    "PrimaryNeedCode": VALUE,
    "CINclosureDate": VALUE,
    "ReasonForClosure": VALUE,
    "DateOfInitialCPC": VALUE,
    "Assessments": GROUPS,
    "CINPlanDates": GROUPS,
    "Section47": GROUPS,
    "ReferralNFA": VALUE,
    "ChildProtectionPlans": GROUPS,
    "PreProceedingsandFGDM": IGNORED,  # the 2026-27 census's block: nothing holds it yet
}
ASSESSMENT = {
    "AssessmentActualStartDate": VALUE,
    "AssessmentInternalReviewDate": IGNORED,  # optional, used by no rule, not held
    "AssessmentAuthorisationDate": VALUE,
    "FactorsIdentifiedAtAssessment": GROUP,
}
FACTORS = {"AssessmentFactors": GROUPS}
CIN_PLAN = {"CINPlanStartDate": VALUE, "CINPlanEndDate": VALUE}
SECTION_47 = {
    "S47ActualStartDate": VALUE,
    "InitialCPCtarget": VALUE,  # worked out from the start date on export, so not held
    "DateOfInitialCPC": VALUE,
    "ICPCnotRequired": VALUE,
}
PLAN = {
    "CPPstartDate": VALUE,
    "CPPendDate": VALUE,
    "InitialCategoryOfAbuse": VALUE,
    "LatestCategoryOfAbuse": VALUE,
    "NumberOfPreviousCPP": VALUE,
    "Reviews": GROUP,
}
REVIEWS = {"CPPreviewDate": GROUPS}

GENDER_CURRENT = {"1": "M", "2": "F", "0": "U", "9": "U"}  # before 2024-25: 9 not specified
BOOLEANS = {"1": True, "true": True, "0": False, "false": False}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
UPN = re.compile(r"[A-Za-z]\d{12}|[A-Za-z]\d{11}[A-Za-z]")


class _Checker:
    """Walks one file's elements, collecting every problem."""

    def __init__(self, file: str):
        self.problems = Problems(file)

    def group(self, element: Element, where: str, spec: dict):
        """The element's values and sub-groups; unknown, repeated or malformed elements are
        problems."""
        values: dict[str, str] = {}
        groups: dict[str, list[Element]] = defaultdict(list)
        for sub in element:
            tag = sub.tag
            if not isinstance(tag, str):
                continue
            kind = spec.get(tag)
            if kind is None:
                self.problems.add(where, tag, "is not an element the census allows here")
            elif kind == VALUE:
                if len(sub):
                    self.problems.add(where, tag, "holds elements where a value is expected")
                elif tag in values:
                    self.problems.add(where, tag, "appears more than once")
                else:
                    values[tag] = (sub.text or "").strip()
            elif kind == GROUP and groups[tag]:
                self.problems.add(where, tag, "appears more than once")
            elif kind in (GROUP, GROUPS):
                groups[tag].append(sub)
        return values, groups

    def required(self, values: dict, where: str, tag: str) -> str:
        if tag not in values:
            self.problems.add(where, tag, "is required but missing")
        elif not values[tag]:
            self.problems.add(where, tag, "is required but blank")
        return values.get(tag, "")

    def date(self, values: dict, where: str, tag: str, required=False) -> date | None:
        if required and not self.required(values, where, tag):
            return None
        text = values.get(tag, "")
        if not text:
            return None
        try:  # the census's dates are ISO only: dd/mm/yyyy is read month first by validators
            if ISO_DATE.fullmatch(text):
                return date.fromisoformat(text)
        except ValueError:
            pass
        self.problems.add(where, tag, f"{text!r} is not a date (yyyy-mm-dd)")
        return None

    def code(self, values: dict, where: str, tag: str, codes: str, required=False) -> str:
        if required and not self.required(values, where, tag):
            return ""
        return self.problems.code(where, tag, values.get(tag), code_list(codes)) or ""

    def flag(self, values: dict, where: str, tag: str) -> bool:
        text = self.required(values, where, tag)
        if text and text.lower() not in BOOLEANS:
            self.problems.add(where, tag, f"{text!r} is not 1, 0, true or false")
        return BOOLEANS.get(text.lower(), False)

    def leaves(self, groups: dict, where: str, tag: str) -> list[str]:
        """Repeated single values (Disability, AssessmentFactors, CPPreviewDate)."""
        texts = []
        for sub in groups.get(tag, []):
            if len(sub):
                self.problems.add(where, tag, "holds elements where a value is expected")
            else:
                texts.append((sub.text or "").strip())
        return texts

    def not_before(self, where: str, tag: str, later, earlier, earlier_tag: str) -> None:
        if later is not None and earlier is not None and later < earlier:
            self.problems.add(where, tag, f"{later} is before {earlier_tag} {earlier}")

    def once(self, where: str, tag: str, items: list, key) -> None:
        """Records matched by date must not repeat a date (the import keys them by it)."""
        seen = set()
        for item in items:
            value = key(item)
            if value is None:  # already a problem of its own
                continue
            if value in seen:
                self.problems.add(where, tag, f"two records start on {value}")
            seen.add(value)


def read(path: Path) -> CinRead:
    file = str(path)
    checker = _Checker(file)
    result = CinRead(file, checker.problems.found)
    try:
        root = parse(str(path)).getroot()
    except ParseError as error:
        checker.problems.add("file", "XML", f"is not well-formed XML ({error})")
        return result
    except DefusedXmlException as error:
        checker.problems.add("file", "XML", f"holds a construct refused for safety ({error!r})")
        return result
    except (OSError, UnicodeError) as error:
        checker.problems.add("file", "XML", f"cannot be read ({error})")
        return result
    if root.tag != "Message":
        checker.problems.add(
            "file", root.tag, "is not <Message> (a census has no XML namespace or other root)"
        )
        return result
    _, parts = checker.group(root, "Message", {"Header": GROUP, "Children": GROUP})
    for name in ("Header", "Children"):
        if name not in parts:
            checker.problems.add("Message", name, "is required but missing")
    if "Header" in parts:
        _header(checker, parts["Header"][0], result)
    if "Children" in parts:
        _children(checker, parts["Children"][0], result)
    return result


def _header(checker: _Checker, header: Element, result: CinRead) -> None:
    _, parts = checker.group(header, "Header", HEADER)
    for name in ("CollectionDetails", "Source"):
        if name not in parts:
            checker.problems.add("Header", name, "is required but missing")
    if "CollectionDetails" in parts:
        where = "Header / CollectionDetails"
        details, _ = checker.group(parts["CollectionDetails"][0], where, DETAILS)
        if details.get("Collection", "CIN") != "CIN":
            checker.problems.add(where, "Collection", f"{details['Collection']!r} is not CIN")
        year = checker.required(details, where, "Year")
        if year and not re.fullmatch(r"\d{4}", year):
            checker.problems.add(where, "Year", f"{year!r} is not a year such as 2026")
        elif year:
            result.year = int(year)
            result.reference_date = date(result.year, 3, 31)
        reference = checker.date(details, where, "ReferenceDate")
        if result.reference_date and reference and reference != result.reference_date:
            checker.problems.add(
                where, "ReferenceDate", f"{reference} is not 31 March of the census year {year}"
            )
    if "Source" in parts:
        where = "Header / Source"
        source, _ = checker.group(parts["Source"][0], where, SOURCE)
        lea = checker.required(source, where, "LEA")
        if lea and not re.fullmatch(r"\d{3}", lea):
            checker.problems.add(where, "LEA", f"{lea!r} is not a three-digit LA code")
        else:
            result.la_code = lea


def _children(checker: _Checker, children: Element, result: CinRead) -> None:
    first_seen: dict[str, str] = {}
    n = 0
    for element in children:
        if not isinstance(element.tag, str):
            continue
        if element.tag != "Child":
            checker.problems.add("Children", element.tag, "is not an element the census allows")
            continue
        n += 1
        child = _child(checker, element, n, result.year)
        if child is None:
            continue
        where = f"Child {n} (LAchildID {child.reference})"
        if child.reference in first_seen:
            checker.problems.add(
                where, "LAchildID", f"is also the child of {first_seen[child.reference]}"
            )
            continue
        first_seen[child.reference] = where
        result.children.append(child)


def _child(checker: _Checker, element: Element, n: int, year: int | None) -> CinChild | None:
    _, groups = checker.group(element, f"Child {n}", CHILD)
    ids_element = groups.get("ChildIdentifiers", [None])[0]
    ids, _ = checker.group(ids_element, f"Child {n}", IDENTIFIERS) if ids_element else ({}, {})
    reference = ids.get("LAchildID", "")
    name = f"Child {n} (LAchildID {reference})" if reference else f"Child {n}"
    where = f"{name} / ChildIdentifiers"
    if ids_element is None:
        checker.problems.add(name, "ChildIdentifiers", "is required but missing")
    else:
        checker.required(ids, where, "LAchildID")
        if not ids.get("PersonBirthDate") and not ids.get("ExpectedPersonBirthDate"):
            checker.problems.add(
                where, "PersonBirthDate", "is required where there is no ExpectedPersonBirthDate"
            )
    if reference and (len(reference) > 20 or not reference.isalnum()):
        checker.problems.add(where, "LAchildID", "must be at most 20 letters and digits")
    for tag in ("UPN", "FormerUPN"):
        if ids.get(tag) and not UPN.fullmatch(ids[tag]):
            checker.problems.add(where, tag, f"{ids[tag]!r} is not a 13-character UPN")
    born = checker.date(ids, where, "PersonBirthDate")
    sex, gender = _sex(checker, ids, where, year, ids_element is not None)
    died = checker.date(ids, where, "PersonDeathDate")
    checker.not_before(where, "PersonDeathDate", died, born, "PersonBirthDate")
    child = CinChild(
        where=name,
        reference=reference,
        upn=ids.get("UPN", ""),
        former_upn=ids.get("FormerUPN", ""),
        upn_unknown=checker.code(ids, where, "UPNunknown", "upn_unknown"),
        born_on=born,
        expected_on=checker.date(ids, where, "ExpectedPersonBirthDate"),
        sex=sex,
        gender_current=gender,
        died_on=died,
        ethnicity="",
        disabilities=[],
    )

    where = f"{name} / ChildCharacteristics"
    if "ChildCharacteristics" not in groups:
        checker.problems.add(name, "ChildCharacteristics", "is required but missing")
    else:
        traits, parts = checker.group(groups["ChildCharacteristics"][0], where, CHARACTERISTICS)
        child.ethnicity = checker.code(traits, where, "Ethnicity", "ethnicity", required=True)
        if "Disabilities" in parts:
            child.disabilities = _disabilities(
                checker, parts["Disabilities"][0], f"{where} / Disabilities"
            )

    episodes = groups.get("CINdetails", [])
    if not episodes:
        checker.problems.add(name, "CINdetails", "at least one is required")
    for m, episode in enumerate(episodes, 1):
        child.episodes.append(_episode(checker, episode, f"{name} / CINdetails {m}"))
    checker.once(name, "CINdetails", child.episodes, lambda e: e.referred_on)
    plans = [p for e in child.episodes for p in e.plans]
    checker.once(name, "ChildProtectionPlans", plans, lambda p: p.starts_on)
    return child if reference else None


def _sex(checker, ids: dict, where: str, year: int | None, present: bool) -> tuple[str, str]:
    if ids.get("Sex"):
        return checker.code(ids, where, "Sex", "sex"), ""
    gender = ids.get("GenderCurrent", "")
    if gender:
        if gender not in GENDER_CURRENT:
            checker.problems.add(where, "GenderCurrent", f"{gender!r} is not 0, 1, 2 or 9")
        return GENDER_CURRENT.get(gender, ""), gender
    if present:
        tag = "GenderCurrent" if year and year < 2025 else "Sex"
        checker.problems.add(where, tag, "is required but missing")
    return "", ""


def _disabilities(checker: _Checker, element: Element, where: str) -> list[str]:
    _, groups = checker.group(element, where, DISABILITIES)
    texts = checker.leaves(groups, where, "Disability")
    if not groups.get("Disability"):
        checker.problems.add(where, "Disability", "at least one is required in Disabilities")
    codes: list[str] = []
    allowed = code_list("disability")
    for text in texts:
        code = checker.problems.code(where, "Disability", text, allowed, required=True)
        if code and code in codes:
            checker.problems.add(where, "Disability", f"{code} is given twice")
        elif code:
            codes.append(code)
    if "NONE" in codes and len(codes) > 1:
        checker.problems.add(where, "Disability", "NONE cannot be given with other codes")
    return codes


def _episode(checker: _Checker, element: Element, where: str) -> CinEpisode:
    values, groups = checker.group(element, where, EPISODE)
    referred = checker.date(values, where, "CINreferralDate", required=True)
    closed = checker.date(values, where, "CINclosureDate")
    reason = checker.code(values, where, "ReasonForClosure", "closure_reason")
    if values.get("ReasonForClosure") and not values.get("CINclosureDate"):
        checker.problems.add(where, "ReasonForClosure", "is given without a CINclosureDate")
    checker.not_before(where, "CINclosureDate", closed, referred, "CINreferralDate")
    episode = CinEpisode(
        where=where,
        referred_on=referred,
        source=checker.code(values, where, "ReferralSource", "referral_source", required=True),
        primary_need=checker.code(values, where, "PrimaryNeedCode", "primary_need"),
        closed_on=closed,
        closure_reason=reason,
        icpc_on=checker.date(values, where, "DateOfInitialCPC"),
        no_further_action=checker.flag(values, where, "ReferralNFA"),
    )
    for n, sub in enumerate(groups.get("Assessments", []), 1):
        episode.assessments.append(_assessment(checker, sub, f"{where} / Assessments {n}"))
    for n, sub in enumerate(groups.get("CINPlanDates", []), 1):
        episode.cin_plans.append(_cin_plan(checker, sub, f"{where} / CINPlanDates {n}"))
    for n, sub in enumerate(groups.get("Section47", []), 1):
        episode.enquiries.append(_enquiry(checker, sub, f"{where} / Section47 {n}"))
    for n, sub in enumerate(groups.get("ChildProtectionPlans", []), 1):
        episode.plans.append(_plan(checker, sub, f"{where} / ChildProtectionPlans {n}"))
    checker.once(where, "Assessments", episode.assessments, lambda a: a.started_on)
    checker.once(where, "CINPlanDates", episode.cin_plans, lambda p: p.starts_on)
    checker.once(where, "Section47", episode.enquiries, lambda s: s.started_on)
    return episode


def _assessment(checker: _Checker, element: Element, where: str) -> CinAssessment:
    values, groups = checker.group(element, where, ASSESSMENT)
    started = checker.date(values, where, "AssessmentActualStartDate", required=True)
    authorised = checker.date(values, where, "AssessmentAuthorisationDate")
    checker.not_before(
        where, "AssessmentAuthorisationDate", authorised, started, "AssessmentActualStartDate"
    )
    factors: list[str] = []
    if "FactorsIdentifiedAtAssessment" in groups:
        block = f"{where} / FactorsIdentifiedAtAssessment"
        _, codes = checker.group(groups["FactorsIdentifiedAtAssessment"][0], block, FACTORS)
        allowed = code_list("assessment_factor")
        for text in checker.leaves(codes, block, "AssessmentFactors"):
            code = checker.problems.code(block, "AssessmentFactors", text, allowed, True)
            if code and code in factors:
                checker.problems.add(block, "AssessmentFactors", f"{code} is given twice")
            elif code:
                factors.append(code)
    return CinAssessment(where, started, authorised, factors)


def _cin_plan(checker: _Checker, element: Element, where: str) -> CinPlan:
    values, _ = checker.group(element, where, CIN_PLAN)
    starts = checker.date(values, where, "CINPlanStartDate", required=True)
    ends = checker.date(values, where, "CINPlanEndDate")
    checker.not_before(where, "CINPlanEndDate", ends, starts, "CINPlanStartDate")
    return CinPlan(where, starts, ends)


def _enquiry(checker: _Checker, element: Element, where: str) -> CinEnquiry:
    values, _ = checker.group(element, where, SECTION_47)
    started = checker.date(values, where, "S47ActualStartDate", required=True)
    checker.date(values, where, "InitialCPCtarget")
    icpc = checker.date(values, where, "DateOfInitialCPC")
    checker.not_before(where, "DateOfInitialCPC", icpc, started, "S47ActualStartDate")
    not_required = checker.flag(values, where, "ICPCnotRequired")
    if icpc and not_required:
        checker.problems.add(where, "ICPCnotRequired", "is 1 although a DateOfInitialCPC is given")
    return CinEnquiry(where, started, icpc, not_required)


def _plan(checker: _Checker, element: Element, where: str) -> CinProtectionPlan:
    values, groups = checker.group(element, where, PLAN)
    starts = checker.date(values, where, "CPPstartDate", required=True)
    ends = checker.date(values, where, "CPPendDate")
    checker.not_before(where, "CPPendDate", ends, starts, "CPPstartDate")
    initial = checker.code(
        values, where, "InitialCategoryOfAbuse", "category_of_abuse", required=True
    )
    latest = checker.code(values, where, "LatestCategoryOfAbuse", "category_of_abuse", True)
    previous = checker.required(values, where, "NumberOfPreviousCPP")
    if previous and not previous.isdigit():
        checker.problems.add(
            where, "NumberOfPreviousCPP", f"{previous!r} is not a whole number (0 or more)"
        )
    reviews: list[date] = []
    if "Reviews" in groups:
        block = f"{where} / Reviews"
        _, dates = checker.group(groups["Reviews"][0], block, REVIEWS)
        if not dates.get("CPPreviewDate"):
            checker.problems.add(block, "CPPreviewDate", "at least one is required in Reviews")
        for text in checker.leaves(dates, block, "CPPreviewDate"):
            held = checker.date({"CPPreviewDate": text}, block, "CPPreviewDate", True)
            if held is not None and held not in reviews:
                reviews.append(held)
    return CinProtectionPlan(
        where, starts, ends, initial, latest, int(previous) if previous.isdigit() else 0, reviews
    )
