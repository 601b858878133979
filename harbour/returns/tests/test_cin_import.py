"""Importing the CIN census: a round trip through an empty database gives the same bytes, a
second import (or an import into the records the census came from) changes nothing, and a bad
file is refused with every problem listed and nothing written."""

from collections import Counter
from datetime import date, datetime

import pytest
from django.apps import apps
from django.db import transaction

from harbour.access.models import AuditEvent
from harbour.authority.models import Authority
from harbour.core.models import Recorded
from harbour.journey.models import ChildProtectionPlan, Referral, Section47Enquiry
from harbour.people.models import Child
from harbour.returns.cin.export import census_xml
from harbour.returns.importing import ImportRefused
from harbour.returns.imports import import_paths
from harbour.synth.failures import parse_rates
from harbour.synth.load import load_county
from harbour.synth.sizes import SIZES

pytestmark = pytest.mark.django_db(transaction=False)

END = date(2026, 5, 20)
MADE = datetime(2026, 4, 2, 9, 0, 0)
YEARS = (2025, 2026)


@pytest.fixture(scope="module")
def census(django_db_setup, django_db_blocker, tmp_path_factory):
    """A small county's census for two years, made inside a transaction that is then undone,
    so every test starts from an empty database."""
    folder = tmp_path_factory.mktemp("cin")
    paths = {}
    with django_db_blocker.unblock(), transaction.atomic():
        load_county(SIZES["small"], 2, 5, END, parse_rates([]))
        for year in YEARS:
            paths[year] = folder / f"cin-{year}.xml"
            paths[year].write_bytes(census_xml(year, made_at=MADE))
        transaction.set_rollback(True)
    return paths


def history_counts() -> Counter:
    counts = Counter(
        {
            m._meta.label: m.history.count()
            for m in apps.get_models()
            if issubclass(m, Recorded) and m._meta.app_label in ("people", "journey", "authority")
        }
    )
    counts["audit"] = AuditEvent.objects.count()
    return counts


def test_round_trip_through_an_empty_database_gives_the_same_bytes(census):
    assert not Child.objects.exists()
    for year in YEARS:
        outcome = import_paths([census[year]])
        assert outcome.created["child"] > 100
    for year in YEARS:
        assert census_xml(year, made_at=MADE) == census[year].read_bytes(), year
    child = Child.objects.order_by("reference").first()
    assert (child.forename, child.surname) == ("Child", child.reference)
    assert Section47Enquiry.objects.filter(lead_worker__isnull=True).exists()
    for model in (Child, Referral, ChildProtectionPlan):  # every record starts its history
        assert model.history.values("id").distinct().count() == model.objects.count()
    # Loaded in bulk, yet every child can be found by name (Find a child's keys are rebuilt).
    assert not Child.objects.filter(name_keys__isnull=True).exists()


def test_a_second_import_changes_nothing(census):
    for year in YEARS:
        import_paths([census[year]])
    before = history_counts()
    for year in YEARS:
        outcome = import_paths([census[year]])
        assert not outcome.changed, outcome.lines()
        assert outcome.unchanged["referral"] > 100
    assert history_counts() == before


def test_the_census_imported_into_its_own_records_changes_nothing(tmp_path):
    load_county(SIZES["small"], 1, 8, END, parse_rates([]))
    path = tmp_path / "cin.xml"
    path.write_bytes(census_xml(2026, made_at=MADE))
    names = dict(Child.objects.values_list("reference", "surname"))
    before = history_counts()

    outcome = import_paths([path])

    assert not outcome.changed, outcome.lines()
    assert history_counts() == before
    assert dict(Child.objects.values_list("reference", "surname")) == names


def census_of(children: str, lea: str = "926") -> str:
    return f"""<?xml version='1.0' encoding='utf-8'?>
<Message>
  <Header>
    <CollectionDetails><Collection>CIN</Collection><Year>2026</Year>
      <ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>{lea}</LEA><SoftwareCode>Test</SoftwareCode>
      <Release>1</Release><SerialNo>001</SerialNo><DateTime>2026-04-02T09:00:00</DateTime></Source>
  </Header>
  <Children>{children}</Children>
</Message>
"""


def child(
    reference="A1", born="2015-06-01", ethnicity="WBRI", source="1A", extra="", plans=""
) -> str:
    identifier = f"<LAchildID>{reference}</LAchildID>" if reference else ""
    return f"""
    <Child>
      <ChildIdentifiers>{identifier}<PersonBirthDate>{born}</PersonBirthDate><Sex>F</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>{ethnicity}</Ethnicity>
        <Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2025-05-01</CINreferralDate><ReferralSource>{source}</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>{extra}<ReferralNFA>0</ReferralNFA>{plans}
      </CINdetails>
    </Child>"""


def refused(path) -> list:
    with pytest.raises(ImportRefused) as raised:
        import_paths([path])
    return raised.value.problems


def test_a_good_hand_written_census_imports(tmp_path):
    enquiry = """<Section47><S47ActualStartDate>2025-06-02</S47ActualStartDate>
        <InitialCPCtarget>2025-06-23</InitialCPCtarget>
        <DateOfInitialCPC>2025-06-20</DateOfInitialCPC><ICPCnotRequired>0</ICPCnotRequired>
        </Section47>"""
    plan = """<ChildProtectionPlans><CPPstartDate>2025-06-20</CPPstartDate>
        <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
        <LatestCategoryOfAbuse>EMO</LatestCategoryOfAbuse>
        <NumberOfPreviousCPP>2</NumberOfPreviousCPP><Reviews><CPPreviewDate>2025-09-19</CPPreviewDate><CPPreviewDate>2026-03-13</CPPreviewDate>
        </Reviews></ChildProtectionPlans>"""
    path = tmp_path / "good.xml"
    path.write_text(census_of(child(extra=enquiry, plans=plan)))

    import_paths([path])

    assert Authority.current().la_code == "926"
    plan = ChildProtectionPlan.objects.get()
    assert plan.child.reference == "A1"
    assert (plan.initial_category, plan.latest_category) == ("NEG", "EMO")
    assert plan.previous_plans_recorded == 2
    assert plan.initial_conference.section_47_enquiry == Section47Enquiry.objects.get()
    assert list(plan.review_conferences.values_list("held_on", flat=True)) == [
        date(2025, 9, 19),
        date(2026, 3, 13),
    ]
    assert plan.child.disabilities.get().code == "NONE"


def test_a_bad_census_is_refused_with_every_problem_and_nothing_written(tmp_path):
    malformed = "<CINclosureDate><Day>1</Day></CINclosureDate>"
    path = tmp_path / "bad.xml"
    path.write_text(
        census_of(
            child("A1", born="2015-02-30")
            + child("A2", ethnicity="XXXX")
            + child(reference="")
            + child("A4", extra=malformed)
            + child("A5", source="99")
            + child("A6")  # a good child among them
        )
    )

    problems = refused(path)

    found = {(p.where, p.field) for p in problems}
    assert found == {
        ("Child 1 (LAchildID A1) / ChildIdentifiers", "PersonBirthDate"),
        ("Child 2 (LAchildID A2) / ChildCharacteristics", "Ethnicity"),
        ("Child 3 / ChildIdentifiers", "LAchildID"),
        ("Child 4 (LAchildID A4) / CINdetails 1", "CINclosureDate"),
        ("Child 5 (LAchildID A5) / CINdetails 1", "ReferralSource"),
    }
    assert all(p.file == str(path) for p in problems)
    text = {p.field: p.problem for p in problems}
    assert "not a date" in text["PersonBirthDate"]
    assert "not one of the published codes" in text["Ethnicity"]
    assert text["CINclosureDate"] == "holds elements where a value is expected"
    assert not Child.objects.exists()
    assert not Authority.objects.exists()


def test_malformed_xml_is_one_clear_problem(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text("<Message><Header></Message>")

    problems = refused(path)

    assert len(problems) == 1
    assert (problems[0].where, problems[0].field) == ("file", "XML")
    assert "not well-formed XML" in problems[0].problem
    assert "line 1" in problems[0].problem


def test_entity_expansion_is_refused(tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;">]><Message>&b;</Message>'
    )

    problems = refused(path)

    assert len(problems) == 1
    assert "refused for safety" in problems[0].problem


def test_another_authoritys_census_is_refused_and_rolled_back(tmp_path):
    Authority.objects.create(name="Elsewhere", la_code="111", region="east")
    path = tmp_path / "other.xml"
    path.write_text(census_of(child("B1"), lea="926"))

    problems = refused(path)

    assert [(p.where, p.field) for p in problems] == [("Header / Source", "LEA")]
    assert "Elsewhere" in problems[0].problem
    assert not Child.objects.exists()
