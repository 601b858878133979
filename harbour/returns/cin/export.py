"""The children in need census for a collection year, as the Department's XML.

Structure and codes follow the Department's specification as the sector's validators read it
(docs/returns/specification.md, section 1): no namespace, ISO dates, booleans as 1 and 0, and
only what was open in the year (an assessment authorised last year, a plan ended last year,
stays out).
"""

import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import date, datetime

import harbour
from harbour.authority.models import Authority
from harbour.journey.models import (
    Assessment,
    ChildInNeedPlan,
    ChildProtectionPlan,
    Conference,
    Referral,
    Section47Enquiry,
)
from harbour.people.models import Child, Disability
from harbour.returns.period import CollectionYear
from harbour.timescales.calendar import working_days

SEX_FROM = 2025  # the 2024-25 census replaced GenderCurrent with Sex


def _text(parent, tag: str, value) -> None:
    """Add <tag>value</tag> where there is a value: the census leaves out what is unknown."""
    if value is None or value == "":
        return
    element = ET.SubElement(parent, tag)
    element.text = value.isoformat() if isinstance(value, date) else str(value)


def _flag(value: bool) -> str:
    return "1" if value else "0"


def upn_unknown(child: Child, year: CollectionYear) -> str:
    """Why there is no UPN: as recorded, or UN1 for a child not yet of school age (born after
    31 August six years before the census ends), else UN7 where every referral was NFA."""
    if child.upn or child.date_of_birth is None or child.date_of_birth > year.end:
        return ""
    if child.upn_unknown:
        return child.upn_unknown
    school_age_born_by = date(year.end.year - 6 + (1 if year.end.month > 8 else 0), 8, 31)
    return "UN1" if child.date_of_birth > school_age_born_by else "UN7"


class CensusData:
    """Every record the year's census needs, read in a few queries."""

    def __init__(self, year: CollectionYear):
        self.year = year
        end = year.end
        referrals = (
            Referral.objects.filter(received_on__lte=end)
            .exclude(closed_on__lt=year.start)
            .order_by("child_id", "received_on", "id")
        )
        self.referrals = defaultdict(list)
        for r in referrals:
            self.referrals[r.child_id].append(r)
        ids = list(self.referrals)
        self.children = Child.objects.in_bulk(ids)
        self.disabilities = defaultdict(list)
        for child_id, code in (
            Disability.objects.filter(child_id__in=ids)
            .values_list("child_id", "code")
            .order_by("child_id", "code")
        ):
            self.disabilities[child_id].append(code)
        referral_ids = [r.pk for rs in self.referrals.values() for r in rs]
        self.assessments = self._by(
            Assessment.objects.filter(referral_id__in=referral_ids).order_by("started_on", "id"),
            "referral_id",
        )
        self.cin_plans = self._by(
            ChildInNeedPlan.objects.filter(referral_id__in=referral_ids).order_by(
                "starts_on", "id"
            ),
            "referral_id",
        )
        self.enquiries = self._by(
            Section47Enquiry.objects.filter(referral_id__in=referral_ids).order_by(
                "started_on", "id"
            ),
            "referral_id",
        )
        self.initial_conferences = {
            c.section_47_enquiry_id: c
            for c in Conference.objects.filter(
                kind="initial", section_47_enquiry__referral_id__in=referral_ids, held_on__lte=end
            )
        }
        plans = ChildProtectionPlan.objects.filter(child_id__in=ids).order_by("starts_on", "id")
        self.all_plans = self._by(plans, "child_id")
        self.reviews = self._by(
            Conference.objects.filter(
                kind="review", plan__child_id__in=ids, held_on__lte=end
            ).order_by("held_on", "id"),
            "plan_id",
        )

    @staticmethod
    def _by(queryset, key: str) -> dict:
        grouped = defaultdict(list)
        for row in queryset:
            grouped[getattr(row, key)].append(row)
        return grouped


def census_xml(year: int, made_at: datetime | None = None) -> bytes:
    period = CollectionYear(year)
    data = CensusData(period)
    authority = Authority.current()
    message = ET.Element("Message")
    header = ET.SubElement(message, "Header")
    details = ET.SubElement(header, "CollectionDetails")
    _text(details, "Collection", "CIN")
    _text(details, "Year", str(year))
    _text(details, "ReferenceDate", period.end)
    source = ET.SubElement(header, "Source")
    _text(source, "SourceLevel", "L")
    _text(source, "LEA", authority.la_code if authority else "")
    _text(source, "SoftwareCode", "Harbour")
    _text(source, "Release", getattr(harbour, "__version__", "0.1"))
    _text(source, "SerialNo", "001")
    _text(source, "DateTime", (made_at or datetime.now()).strftime("%Y-%m-%dT%H:%M:%S"))
    children = ET.SubElement(message, "Children")
    for child_id in sorted(data.referrals, key=lambda i: data.children[i].reference):
        _child(children, data.children[child_id], data)
    ET.indent(message, space="  ")
    return ET.tostring(message, encoding="utf-8", xml_declaration=True) + b"\n"


def _child(parent, child: Child, data: CensusData) -> None:
    period = data.year
    element = ET.SubElement(parent, "Child")
    ids = ET.SubElement(element, "ChildIdentifiers")
    born = child.date_of_birth is not None and child.date_of_birth <= period.end
    _text(ids, "LAchildID", child.reference)
    _text(ids, "UPN", child.upn)
    _text(ids, "FormerUPN", child.former_upn)
    _text(ids, "UPNunknown", upn_unknown(child, period))
    if born:
        _text(ids, "PersonBirthDate", child.date_of_birth)
    else:
        _text(ids, "ExpectedPersonBirthDate", child.expected_date_of_birth or child.date_of_birth)
    if period.year >= SEX_FROM:
        _text(ids, "Sex", child.sex if born else "U")
    else:  # before 2024-25 the census sent GenderCurrent: 1 male, 2 female, 0 not known
        _text(ids, "GenderCurrent", {"M": "1", "F": "2"}.get(child.sex, "0") if born else "0")
    _text(
        ids,
        "PersonDeathDate",
        child.date_of_death if child.date_of_death and child.date_of_death <= period.end else None,
    )
    characteristics = ET.SubElement(element, "ChildCharacteristics")
    _text(characteristics, "Ethnicity", child.ethnicity or "NOBT")
    codes = data.disabilities.get(child.pk)
    if codes and born:
        disabilities = ET.SubElement(characteristics, "Disabilities")
        for code in codes:
            _text(disabilities, "Disability", code)
    for referral in data.referrals[child.pk]:
        _episode(element, child, referral, data)


def _episode(parent, child, referral, data: CensusData) -> None:
    period, end = data.year, data.year.end
    details = ET.SubElement(parent, "CINdetails")
    _text(details, "CINreferralDate", referral.received_on)
    _text(details, "ReferralSource", referral.source)
    _text(details, "PrimaryNeedCode", referral.primary_need)
    closed = referral.closed_on is not None and referral.closed_on <= end
    if closed:
        _text(details, "CINclosureDate", referral.closed_on)
        _text(details, "ReasonForClosure", referral.closure_reason)
    for assessment in data.assessments.get(referral.pk, []):
        authorised = (
            assessment.authorised_on
            if assessment.authorised_on and (assessment.authorised_on <= end)
            else None
        )
        if authorised is None and assessment.started_on > end:
            continue
        if authorised is not None and authorised < period.start:
            continue  # completed in an earlier year
        group = ET.SubElement(details, "Assessments")
        _text(group, "AssessmentActualStartDate", assessment.started_on)
        _text(group, "AssessmentAuthorisationDate", authorised)
        if authorised and assessment.factors:
            factors = ET.SubElement(group, "FactorsIdentifiedAtAssessment")
            for code in assessment.factors:
                _text(factors, "AssessmentFactors", code)
    for plan in data.cin_plans.get(referral.pk, []):
        if not period.overlaps(plan.starts_on, plan.ends_on):
            continue
        group = ET.SubElement(details, "CINPlanDates")
        _text(group, "CINPlanStartDate", plan.starts_on)
        _text(
            group, "CINPlanEndDate", plan.ends_on if plan.ends_on and plan.ends_on <= end else None
        )
    for enquiry in data.enquiries.get(referral.pk, []):
        conference = data.initial_conferences.get(enquiry.pk)
        finished = enquiry.completed_on is not None and enquiry.completed_on <= end
        not_required = finished and enquiry.outcome in ("cin", "unsubstantiated")
        if enquiry.started_on > end:
            continue
        if conference is not None and conference.held_on < period.start:
            continue  # its conference was last year
        if not_required and enquiry.completed_on < period.start:
            continue
        group = ET.SubElement(details, "Section47")
        _text(group, "S47ActualStartDate", enquiry.started_on)
        _text(group, "InitialCPCtarget", working_days().add(enquiry.started_on, 15))
        _text(group, "DateOfInitialCPC", conference.held_on if conference else None)
        _text(group, "ICPCnotRequired", _flag(not_required))
    _text(details, "ReferralNFA", _flag(referral.no_further_action))
    for plan in data.all_plans.get(child.pk, []):
        if plan.referral_id != referral.pk or not period.overlaps(plan.starts_on, plan.ends_on):
            continue
        group = ET.SubElement(details, "ChildProtectionPlans")
        _text(group, "CPPstartDate", plan.starts_on)
        _text(group, "CPPendDate", plan.ends_on if plan.ends_on and plan.ends_on <= end else None)
        _text(group, "InitialCategoryOfAbuse", plan.initial_category)
        _text(group, "LatestCategoryOfAbuse", plan.latest_category)
        earlier = sum(1 for p in data.all_plans[child.pk] if p.starts_on < plan.starts_on)
        previous = (
            plan.previous_plans_recorded if plan.previous_plans_recorded is not None else earlier
        )
        _text(group, "NumberOfPreviousCPP", str(previous))
        reviews = data.reviews.get(plan.pk, [])
        if reviews:
            block = ET.SubElement(group, "Reviews")
            for review in reviews:
                _text(block, "CPPreviewDate", review.held_on)
