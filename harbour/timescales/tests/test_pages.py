"""Work trays, the team and service views, and the child's duties, as people see them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from harbour.access.roles import Role
from harbour.journey.models import Visit
from harbour.timescales.calendar import working_days
from harbour.web.tests.browser import accessibility_violations, sign_in
from harbour.web.tests.records import PASSWORD, allocate, make_child, make_worker, on_a_plan
from harbour.workforce.models import Staff, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(django_user_model):
    """A team: a manager and a worker holding a child on a plan whose visit is overdue, and a
    child whose visit is due in a few days."""
    today = timezone.localdate()
    team = Team.objects.create(name="North Safeguarding", kind=Team.Kind.SAFEGUARDING)
    _, worker = make_worker(django_user_model, "asha", "Asha", "Patel", team)
    manager_user, manager = make_worker(django_user_model, "tm", "Tom", "Moss", team)
    manager.role = Role.TEAM_MANAGER
    manager.save()
    late = make_child("C2001", "Ruby", "Hughes")
    soon = make_child("C2002", "Leo", "Marsh")
    for child, started_working_days_ago in ((late, 15), (soon, 7)):
        allocate(child, worker, today - timedelta(days=60))
        starts = working_days().subtract(today, started_working_days_ago)
        on_a_plan(child, starts)
    Visit.objects.create(
        child=soon,
        kind="child_protection",
        child_seen=True,
        seen_alone=True,
        visited_on=working_days().subtract(today, 5),
    )
    return {"team": team, "worker": worker, "manager": manager, "late": late, "soon": soon}


def test_a_workers_tray_shows_overdue_first_then_due_soon(client, county):
    client.login(username="asha", password=PASSWORD)
    response = client.get("/work/")
    visits = "Visit the child on a child protection plan"

    def listed(rows):
        return {(r["child"].name, r["duty"].title) for r in rows}

    assert ("Ruby Hughes", visits) in listed(response.context["overdue"])
    assert ("Leo Marsh", visits) in listed(response.context["due_soon"])
    # Nor has either family had the conference report two working days before.
    assert ("Leo Marsh", "Share the conference report with the parents") in listed(
        response.context["overdue"]
    )
    page = response.content.decode()
    assert page.index("Overdue</caption>") < page.index("Due in the next 5 working days</caption>")
    assert "/children/C2001/" in page


def test_the_team_view_counts_by_kind_and_by_worker(client, county):
    client.login(username="tm", password=PASSWORD)
    response = client.get(f"/teams/{county['team'].pk}/")
    by_kind = {title: (o, s) for title, o, s in response.context["by_kind"]}
    assert by_kind["Visit the child on a child protection plan"] == (1, 1)
    by_worker = {w.name if w else None: (o, s) for w, o, s in response.context["by_worker"]}
    assert by_worker["Asha Patel"][0] >= 1


def test_the_service_view_puts_teams_side_by_side(client, county):
    client.login(username="tm", password=PASSWORD)
    response = client.get("/teams/")
    assert response.status_code == 200
    (team, overdue, soon), *_ = response.context["rows"]
    assert team == county["team"] and overdue >= 1


def test_the_childs_record_shows_its_duties(client, county):
    client.login(username="asha", password=PASSWORD)
    page = client.get("/children/C2001/").content.decode()
    assert "Visit the child on a child protection plan" in page
    assert "Overdue" in page
    assert client.get("/children/NOBODY/").status_code == 404


def test_trays_need_signing_in_and_a_staff_record(client, county, django_user_model):
    assert client.get("/work/").status_code == 302
    django_user_model.objects.create_user(
        username="inspector", password=PASSWORD, external_role="inspector"
    )
    client.login(username="inspector", password=PASSWORD)
    assert client.get("/work/").status_code == 403
    assert Staff.objects.count() == 2


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_work_pages_are_accessible(county, page, axe_path):
    sign_in(page, "tm", PASSWORD)
    for url in (
        "/work/",
        f"/work/{county['worker'].pk}/",
        f"/teams/{county['team'].pk}/",
        "/teams/",
        "/children/C2001/",
    ):
        page.goto(url)
        assert accessibility_violations(page, axe_path) == [], url
