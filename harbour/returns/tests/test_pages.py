"""The returns page: a performance officer makes a return, sees every failed rule with a link
to the child's record, and downloads it; every download is in the audit log."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from harbour.access.models import AuditEvent
from harbour.access.roles import Role
from harbour.authority.models import Authority
from harbour.journey.models import Referral
from harbour.returns.models import ReturnRun
from harbour.web.tests.browser import accessibility_violations, sign_in
from harbour.web.tests.records import PASSWORD, make_child, make_worker
from harbour.workforce.models import Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(django_user_model, settings):
    settings.HARBOUR_RETURNS_IN_BACKGROUND = False  # made in the request, to test its outcome
    Authority.objects.create(
        name="Harbourshire (synthetic)", la_code="926", ons_code="E10000020", region="east"
    )
    team = Team.objects.create(name="Performance", kind=Team.Kind.SAFEGUARDING)
    user, staff = make_worker(django_user_model, "perf", "Priya", "Shah", team)
    staff.role = Role.PERFORMANCE_OFFICER
    staff.save()
    # Referred before she was born: a census error the validators report against her.
    child = make_child("C3001", "Ruby", "Hughes", date_of_birth=date(2025, 9, 1))
    Referral.objects.create(child=child, received_on=date(2025, 6, 2), source="6")
    return user


def test_making_the_census_lists_failures_with_links_and_downloads(client, officer):
    client.login(username="perf", password=PASSWORD)
    page = client.get("/returns/").content.decode()
    assert "Children in need census" in page and "2025 to 2026" in page

    response = client.post("/returns/", {"kind": "cin", "cin-year": "2026"})
    run = ReturnRun.objects.get()
    assert response.url == f"/returns/{run.pk}/"
    assert run.state == "done", run.error
    page = client.get(response.url).content.decode()
    assert 'href="/children/C3001/"' in page
    assert "error" in page and "to fix" in page
    assert "data-harbour-refresh" not in page

    download = client.get(f"/returns/{run.pk}/download/")
    assert download["Content-Disposition"].startswith('attachment; filename="cin-census-2025-26')
    assert b"<LAchildID>C3001</LAchildID>" in b"".join(download.streaming_content)
    exported = AuditEvent.objects.filter(action="export", user_id=officer.pk).get()
    assert exported.detail["what"].startswith("Children in need census")


def test_the_903_download_is_a_zip_of_the_tables(client, officer):
    import io
    import zipfile

    client.login(username="perf", password=PASSWORD)
    client.post("/returns/", {"kind": "903", "903-year": "2026"})
    run = ReturnRun.objects.get()
    assert run.state == "done", run.error
    content = b"".join(client.get(f"/returns/{run.pk}/download/").streaming_content)
    names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
    assert {"header.csv", "episodes.csv", "social_worker_episodes.csv"} <= names


def test_an_inspection_date_in_the_future_is_refused_by_name(client, officer):
    client.login(username="perf", password=PASSWORD)
    tomorrow = timezone.localdate() + timedelta(days=1)
    page = client.post("/returns/", {"kind": "annex-a", "annex-a-as_of": tomorrow.isoformat()})
    text = page.content.decode()
    assert "There is a problem" in text
    assert "The inspection date must be today or in the past" in text
    assert ReturnRun.objects.count() == 0


def test_a_return_being_made_shows_its_progress_and_refreshes(client, officer):
    run = ReturnRun.objects.create(
        kind="903",
        year=2026,
        requested_by=officer,
        state="running",
        progress=40,
        step="Checking the tables with the Department's rules",
    )
    client.login(username="perf", password=PASSWORD)
    page = client.get(f"/returns/{run.pk}/").content.decode()
    assert "40% done" in page and "Checking the tables" in page
    assert "data-harbour-refresh" in page  # harbour.mjs updates it in place
    assert client.get(f"/returns/{run.pk}/download/").status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_returns_pages_are_accessible(officer, page, axe_path):
    done = ReturnRun.objects.create(
        kind="cin",
        year=2026,
        requested_by=officer,
        state="done",
        output="/nonexistent",
        failures=[
            {
                "return_": "cin",
                "rule": "8525",
                "message": "Referral before birth",
                "child": "C3001",
                "table": "Header",
                "fields": "PersonBirthDate",
                "kind": "Error",
            }
        ],
    )
    running = ReturnRun.objects.create(
        kind="903", year=2026, requested_by=officer, state="running", progress=10
    )
    sign_in(page, "perf", PASSWORD)
    for url in ("/returns/", f"/returns/{done.pk}/", f"/returns/{running.pk}/"):
        page.goto(url)
        assert accessibility_violations(page, axe_path) == [], url


def test_the_census_holds_a_restricted_child_and_only_the_performance_team_downloads_it(
    client, officer, django_user_model
):
    """The Department requires every child in the census, restricted or not; the download is
    what is protected: performance officers only, logged, never kept in a browser's cache."""
    from harbour.access.models import Restriction

    ruby = Referral.objects.get().child
    Restriction.objects.create(child=ruby, reason="A child of a staff member")
    client.login(username="perf", password=PASSWORD)
    client.post("/returns/", {"kind": "cin", "cin-year": "2026"})
    run = ReturnRun.objects.get()
    download = client.get(f"/returns/{run.pk}/download/")
    assert b"<LAchildID>C3001</LAchildID>" in b"".join(download.streaming_content)
    assert "no-store" in download["Cache-Control"]
    assert AuditEvent.objects.filter(action="export", user_id=officer.pk).count() == 1
    team = Team.objects.get()
    make_worker(django_user_model, "worker", "Sam", "Lee", team)
    client.logout()
    client.login(username="worker", password=PASSWORD)
    assert client.get(f"/returns/{run.pk}/download/").status_code == 403
