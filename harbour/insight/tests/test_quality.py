"""The data quality report: each check finds the problem it names, with the team and worker
who hold the child, and nothing in a clean record; the page shows a team manager their own
team only, links each row to the child's record, filters, and downloads its rows (logged)."""

import csv
import io
from datetime import date, timedelta

import polars as pl
import pytest
from django.utils import timezone

from harbour.access.models import AuditEvent, Restriction
from harbour.access.roles import Role
from harbour.care.models import LegalStatus, PeriodOfCare, Placement
from harbour.insight.quality import inputs
from harbour.insight.quality.report import problems
from harbour.insight.quality.scope import holders, since
from harbour.journey.models import (
    Assessment,
    ChildInNeedPlan,
    ChildProtectionPlan,
    Conference,
    Referral,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
)
from harbour.people.models import Disability
from harbour.web.tests.browser import accessibility_violations, sign_in
from harbour.web.tests.records import PASSWORD, allocate, make_child, make_worker
from harbour.workforce.models import Team

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
CLEAN = {
    "gender_identity": "GIRL",
    "ethnicity": "WBRI",
    "religion": "NONE",
    "first_language": "ENG",
    "upn": "A926123456789",
    "nhs_number": "9990000018",
}


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def child(reference: str, **fields):
    fields = {**CLEAN, "date_of_birth": ago(10 * 365), **fields}
    made = make_child(reference, "Test", reference.title(), **fields)
    if made.date_of_birth:
        Disability.objects.create(child=made, code="NONE")
    return made


def journey(record, days_ago: int = 100, **dates):
    """A referral (not yet closed) with an assessment, strategy discussion, section 47
    enquiry, initial conference and child protection plan, in order unless `dates` (days ago,
    by name) say otherwise."""
    on = {
        "referral": days_ago,
        "assessment": days_ago - 5,
        "completed": days_ago - 30,
        "authorised": days_ago - 30,
        "strategy": days_ago - 10,
        "enquiry": days_ago - 10,
        "conference": days_ago - 20,
        "plan": days_ago - 20,
        **dates,
    }
    referral = Referral.objects.create(
        child=record, received_on=ago(on["referral"]), source="6", primary_need="N1"
    )
    Assessment.objects.create(
        child=record,
        referral=referral,
        kind="single",
        started_on=ago(on["assessment"]),
        completed_on=ago(on["completed"]),
        authorised_on=ago(on["authorised"]),
    )
    discussion = StrategyDiscussion.objects.create(
        child=record,
        referral=referral,
        concern_identified_on=ago(on["strategy"]),
        held_on=ago(on["strategy"]),
    )
    enquiry = Section47Enquiry.objects.create(
        child=record,
        referral=referral,
        strategy_discussion=discussion,
        started_on=ago(on["enquiry"]),
    )
    conference = Conference.objects.create(
        child=record, kind="initial", section_47_enquiry=enquiry, held_on=ago(on["conference"])
    )
    plan = ChildProtectionPlan.objects.create(
        child=record,
        referral=referral,
        initial_conference=conference,
        starts_on=ago(on["plan"]),
        initial_category="NEG",
        latest_category="NEG",
    )
    return referral, plan


@pytest.fixture
def county(django_user_model):
    north = Team.objects.create(name="North safeguarding", kind=Team.Kind.SAFEGUARDING)
    south = Team.objects.create(name="South safeguarding", kind=Team.Kind.SAFEGUARDING)
    people = {}
    for username, team, role in (
        ("nadia", north, Role.SOCIAL_WORKER),
        ("sam", south, Role.SOCIAL_WORKER),
        ("tom", north, Role.TEAM_MANAGER),
        ("sally", south, Role.SERVICE_MANAGER),
        ("pat", south, Role.PERFORMANCE_OFFICER),
    ):
        user, staff = make_worker(django_user_model, username, username.title(), "Test", team)
        staff.role = role
        staff.save()
        people[username] = staff
    nadia, sam = people["nadia"], people["sam"]

    # A clean record: a whole journey in order, a period of care and a placement.
    clean = child("CLEAN")
    allocate(clean, nadia, ago(200))
    journey(clean)
    period = PeriodOfCare.objects.create(child=clean, starts_on=ago(60), category_of_need="N1")
    Placement.objects.create(
        period=period, child=clean, placement_type="U1", provider="PR1", starts_on=ago(60)
    )

    # Who the child is, not recorded (ethnicity not yet obtained counts as not recorded).
    unknown = make_child(
        "NOIDENTITY",
        "Test",
        "Unknown",
        date_of_birth=ago(11 * 365),
        ethnicity="NOBT",
        first_language="NOT",
    )
    unknown.sex = "U"
    unknown.save()
    allocate(unknown, nadia, ago(30))
    journey(unknown)

    # Expected a month and a half ago; still recorded as unborn.
    unborn = make_child(
        "UNBORN", "Baby", "Test", date_of_birth=None, expected_date_of_birth=ago(45)
    )
    allocate(unborn, nadia, ago(100))

    # Dates out of order, and codes missing, in the south team.
    muddled = child("MUDDLED")
    allocate(muddled, sam, ago(300))
    referral, plan = journey(
        muddled, authorised=110, strategy=80, enquiry=85, conference=70, plan=75
    )
    Referral.objects.filter(pk=referral.pk).update(primary_need="")
    ChildProtectionPlan.objects.filter(pk=plan.pk).update(latest_category="")
    ChildInNeedPlan.objects.create(
        child=muddled, referral=referral, starts_on=ago(50), ends_on=ago(60)
    )
    Visit.objects.create(
        child=muddled, kind="child_protection", visited_on=TODAY + timedelta(days=5), worker=sam
    )

    # In care before birth, and placed before the period of care began.
    baby = child("BABY", date_of_birth=ago(100), upn="")
    allocate(baby, sam, ago(150))
    care = PeriodOfCare.objects.create(child=baby, starts_on=ago(120), category_of_need="")
    Placement.objects.create(
        period=care, child=baby, placement_type="U1", provider="PR1", starts_on=ago(125)
    )

    LegalStatus.objects.create(period=care, child=baby, code="C2", starts_on=TODAY + timedelta(3))

    # Seen on a visit after the date of death recorded for him.
    died = child("DIED", date_of_death=ago(20))
    allocate(died, nadia, ago(200))
    Referral.objects.create(child=died, received_on=ago(100), source="6", primary_need="N1")
    Visit.objects.create(
        child=died, kind="child_in_need", visited_on=ago(10), worker=nadia, child_seen=True
    )

    # Open with no allocated worker: never allocated; allocation ended (the south team held).
    never = child("NEVER")
    Referral.objects.create(child=never, received_on=ago(30), source="6", primary_need="N1")
    dropped = child("DROPPED")
    allocate(dropped, sam, ago(300), ends_on=ago(10))
    journey(dropped)
    closed = child("CLOSED")
    allocate(closed, nadia, ago(300))
    Referral.objects.create(
        child=closed, received_on=ago(300), closed_on=ago(20), source="6", primary_need="N1"
    )

    # Problems in a record closed long ago: not in the report.
    old = child("OLD", ethnicity="")
    Referral.objects.create(
        child=old, received_on=ago(2000), closed_on=ago(1900), source="6", primary_need="N1"
    )

    # A restricted record: only those granted it may see it is there.
    secret = child("SECRET", ethnicity="")
    allocate(secret, nadia, ago(30))
    Restriction.objects.create(child=secret, reason="A child of a member of staff")
    return {"north": north, "south": south, **people}


def found() -> pl.DataFrame:
    return problems(inputs.read(TODAY), TODAY)


def reported(frame: pl.DataFrame) -> set[tuple]:
    return set(frame.select("reference", "kind", "what").iter_rows())


def test_each_problem_is_reported_with_its_team_and_worker(county):
    frame = found()
    holder = {
        reference: (team, worker)
        for reference, team, worker in frame.select("reference", "team_id", "worker_id").rows()
    }
    north, south = county["north"].pk, county["south"].pk
    nadia, sam = county["nadia"].pk, county["sam"].pk
    assert holder == {
        "NOIDENTITY": (north, nadia),
        "UNBORN": (north, nadia),
        "MUDDLED": (south, sam),
        "BABY": (south, sam),
        "NEVER": (None, None),
        "DROPPED": (south, None),
        "SECRET": (north, nadia),  # the page leaves it out for those without a grant
        "CLOSED": (north, nadia),
        "DIED": (north, nadia),
    }
    kinds = set(frame.select("reference", "kind").iter_rows())
    assert {k for r, k in kinds if r == "NOIDENTITY"} == {
        "sex",
        "gender",
        "ethnicity",
        "disability",
        "religion",
        "first_language",
        "upn",
        "nhs_number",
    }
    assert {k for r, k in kinds if r == "UNBORN"} == {"date_of_birth"}
    assert reported(frame.filter(pl.col("reference") == "MUDDLED")) == {
        ("MUDDLED", "before_referral", "Assessment authorised"),
        ("MUDDLED", "enquiry_before_strategy", "Section 47 enquiry started"),
        ("MUDDLED", "plan_before_conference", "Child protection plan started"),
        ("MUDDLED", "ends_before_start", "Child in need plan ended"),
        ("MUDDLED", "after_today", "Visit"),
        ("MUDDLED", "plan_category", "Latest category of abuse"),
        ("MUDDLED", "primary_need", "Primary need"),
    }
    assert reported(frame.filter(pl.col("reference") == "BABY")) == {
        ("BABY", "before_birth", "Period of care began"),
        ("BABY", "before_birth", "Placement began"),
        ("BABY", "placement_before_care", "Placement began"),
        ("BABY", "category_of_need", "Category of need"),
        ("BABY", "after_today", "Legal status began"),
    }
    assert reported(frame.filter(pl.col("reference") == "DIED")) == {
        ("DIED", "after_death", "Child seen on a visit")
    }
    assert reported(frame.filter(pl.col("kind") == "unallocated")) == {
        ("NEVER", "unallocated", "Open: child in need episode"),
        ("DROPPED", "unallocated", "Open: child in need episode, child protection plan"),
    }
    assert reported(frame.filter(pl.col("reference") == "CLOSED")) == {
        ("CLOSED", "closure_reason", "Reason for closure")
    }


def test_dates_out_of_order_say_which_dates(county):
    frame = found().filter(pl.col("kind") == "before_referral")
    row = frame.row(0, named=True)
    assert (row["on"], row["against"], row["against_on"]) == (
        ago(110),
        "Referral received",
        ago(100),
    )
    assert row["record"] == "journey.Assessment"


def test_clean_records_and_records_closed_long_ago_are_not_reported(county):
    references = set(found()["reference"])
    assert "CLEAN" not in references
    assert "OLD" not in references


def test_the_report_year_is_the_one_whose_returns_are_being_made():
    assert since(date(2026, 11, 23)) == date(2026, 4, 1)
    assert since(date(2027, 2, 1)) == date(2026, 4, 1)
    assert since(date(2027, 6, 30)) == date(2026, 4, 1)  # last year's returns still open
    assert since(date(2027, 8, 1)) == date(2027, 4, 1)


def test_a_child_is_held_by_the_current_allocation_else_the_last_team():
    allocations = pl.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "child_id": [1, 1, 2, 2],
            "worker_id": [10, 11, 20, 21],
            "team_id": [100, 101, 200, 201],
            "starts_on": [date(2025, 1, 1), date(2026, 1, 1), date(2025, 1, 1), date(2025, 6, 1)],
            "ends_on": [date(2025, 12, 31), None, date(2025, 5, 31), date(2026, 1, 31)],
        }
    )
    held = holders(allocations, date(2026, 3, 1)).sort("child_id").rows()
    assert held == [(1, 101, 11), (2, 201, None)]


# ----- the page ------------------------------------------------------------------------------


def test_a_team_manager_sees_their_own_team_only(client, county):
    client.force_login(county["tom"].user)
    page = client.get("/insight/data-quality/").content.decode()
    assert 'href="/children/NOIDENTITY/"' in page
    assert 'href="/children/UNBORN/"' in page
    assert "MUDDLED" not in page and "NEVER" not in page
    assert "By worker in North safeguarding" in page and "By team" not in page
    # The secret child is in the team but restricted: not listed, not counted.
    assert "SECRET" not in page
    asked = client.get(f"/insight/data-quality/?team={county['south'].pk}")
    assert "Choose a team from the list" in asked.content.decode()
    assert "MUDDLED" not in asked.content.decode()


def test_service_managers_see_every_team_and_filter(client, county):
    client.force_login(county["sally"].user)
    page = client.get("/insight/data-quality/").content.decode()
    assert "By team" in page
    for reference in ("NOIDENTITY", "MUDDLED", "NEVER", "DROPPED"):
        assert f'href="/children/{reference}/"' in page
    assert "SECRET" not in page

    south = client.get(f"/insight/data-quality/?team={county['south'].pk}").content.decode()
    assert "MUDDLED" in south and "NOIDENTITY" not in south
    assert "By worker in South safeguarding" in south

    unallocated = client.get("/insight/data-quality/?kind=unallocated").content.decode()
    assert "NEVER" in unallocated and "DROPPED" in unallocated
    assert "MUDDLED" not in unallocated

    no_team = client.get("/insight/data-quality/?team=none").content.decode()
    assert "NEVER" in no_team and "DROPPED" not in no_team

    sam = client.get(f"/insight/data-quality/?worker={county['sam'].pk}").content.decode()
    assert "MUDDLED" in sam and "BABY" in sam and "DROPPED" not in sam


def test_bad_filters_are_named_not_failed(client, county):
    client.force_login(county["pat"].user)
    for query, message in (
        ("team=abc", "Choose a team from the list"),
        ("team=999999", "Choose a team from the list"),
        ("worker=xyz", "Choose a worker from the list"),
        ("kind=nonsense", "Choose a problem from the list"),
        ("team=%C2%B2", "Choose a team from the list"),  # '²'.isdigit(), but no number
        ("team=-1", "Choose a team from the list"),
        ("team=99999999999999999999", "Choose a team from the list"),
        ("team=none&team=%00", "Choose a team from the list"),  # the last of repeated keys
    ):
        response = client.get(f"/insight/data-quality/?{query}")
        assert response.status_code == 200, query  # the filters that could be used still apply
        assert "There is a problem" in response.content.decode()
        assert message in response.content.decode()
        assert client.get(f"/insight/data-quality/export.csv?{query}").status_code == 400


def test_each_view_of_the_page_logs_the_children_it_listed(client, county):
    client.force_login(county["sally"].user)
    page = client.get("/insight/data-quality/?kind=unallocated").content.decode()
    assert 'href="/children/NEVER/"' in page and 'href="/children/DROPPED/"' in page
    logged = AuditEvent.objects.get(action="view", user_id=county["sally"].user_id)
    assert logged.detail == {
        "what": "data quality report",
        "children": ["DROPPED", "NEVER"],
        "rows": 2,
        "kind": "unallocated",
    }
    client.get(f"/insight/data-quality/?team={county['south'].pk}")
    south = AuditEvent.objects.filter(action="view").latest("id")
    assert "MUDDLED" in south.detail["children"] and "NOIDENTITY" not in south.detail["children"]
    assert south.detail["team"] == str(county["south"].pk)


def test_others_may_not_see_it(client, county):
    client.force_login(county["nadia"].user)
    assert client.get("/insight/data-quality/").status_code == 403
    assert client.get("/insight/data-quality/export.csv").status_code == 403


def test_the_home_page_links_to_it_for_those_who_may_see_it(client, county):
    for username, linked in (("tom", True), ("sally", True), ("pat", True), ("nadia", False)):
        client.force_login(county[username].user)
        home = client.get("/").content.decode()
        assert ('href="/insight/data-quality/"' in home) == linked, username


def test_the_rows_download_as_a_spreadsheet_and_the_download_is_logged(client, county):
    client.force_login(county["sally"].user)
    response = client.get("/insight/data-quality/export.csv?kind=unallocated")
    assert response["Content-Disposition"].startswith('attachment; filename="data-quality-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {(r["Child reference"], r["Team"], r["Worker"]) for r in rows} == {
        ("NEVER", "No team", "No worker"),
        ("DROPPED", "South safeguarding", "No worker"),
    }
    assert rows[0]["Problem"] == "Open case with no allocated worker"
    logged = AuditEvent.objects.get(action="export", user_id=county["sally"].user_id)
    assert logged.detail == {"what": "data quality report", "rows": 2, "kind": "unallocated"}
    assert client.get("/insight/data-quality/export.csv?team=abc").status_code == 400


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_data_quality_page_is_accessible(county, page, axe_path):
    for username, url in (
        ("sally", "/insight/data-quality/"),
        ("sally", f"/insight/data-quality/?team={county['south'].pk}"),
        ("sally", "/insight/data-quality/?team=abc"),
        ("tom", "/insight/data-quality/"),
    ):
        page.context.clear_cookies()
        sign_in(page, username, PASSWORD)
        page.goto(url)
        assert accessibility_violations(page, axe_path) == [], (username, url)
