from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from harbour.access.roles import Role
from harbour.web.tests.records import PASSWORD, allocate, make_child, make_worker

pytestmark = pytest.mark.django_db


def test_home_needs_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_login_page_renders(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Sign in to Harbour" in response.content
    assert b"govuk-error-summary" not in response.content


def test_sign_in_goes_home(client, worker):
    response = client.post(reverse("login"), {"username": "asha", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_wrong_password_shows_error_summary_and_field_error(client, worker):
    response = client.post(reverse("login"), {"username": "asha", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Sign in – Harbour</title>" in html
    assert "There is a problem" in html
    assert '<a href="#id_username">Enter a correct username and password' in html
    assert 'id="id_username-error"' in html
    assert 'aria-describedby="id_username-error"' in html
    assert "govuk-input--error" in html
    assert "wrong" not in html


def test_empty_form_names_each_missing_field(client):
    html = client.post(reverse("login"), {}).content.decode()
    assert '<a href="#id_username">Enter your username</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html


def test_sign_out_is_a_post_back_to_login(client, worker):
    client.force_login(worker)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_home_shows_worker_team_and_current_allocations(client, worker):
    client.force_login(worker)
    html = client.get(reverse("home")).content.decode()
    assert "Asha Patel" in html
    assert Role.SOCIAL_WORKER.label in html
    assert "North Safeguarding" in html
    assert "Ruby Hughes" in html
    assert "C1001" in html
    assert "12 March 2015" in html
    assert "2 September 2024" in html
    assert "Unborn, due 15 January 2099" in html
    assert 'action="/logout/"' in html
    assert "/admin/" not in html


def test_home_leaves_out_ended_future_and_other_workers_allocations(
    client, worker, team, django_user_model
):
    today = timezone.localdate()
    staff = worker.staff
    allocate(make_child("C2001", "Ended", "Before"), staff, date(2023, 1, 2), today - timedelta(1))
    allocate(make_child("C2002", "Ends", "Today"), staff, date(2023, 1, 2), today)
    allocate(make_child("C2003", "Starts", "Tomorrow"), staff, today + timedelta(1))
    _, other = make_worker(django_user_model, "ben", "Ben", "Okafor", team)
    allocate(make_child("C3001", "Other", "Workers"), other, date(2024, 1, 8))

    client.force_login(worker)
    html = client.get(reverse("home")).content.decode()
    assert "C2002" in html
    for reference in ("C2001", "C2003", "C3001"):
        assert reference not in html


def test_home_empty_state(client, django_user_model, team):
    user, _ = make_worker(django_user_model, "cara", "Cara", "Lewis", team)
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert "No children are allocated to you at the moment." in html
    assert "govuk-table" not in html


def test_inspector_sees_role_without_caseload(client, django_user_model):
    user = django_user_model.objects.create_user(
        username="inspector",
        password=PASSWORD,
        first_name="Dana",
        last_name="Hill",
        external_role=Role.INSPECTOR,
        organisation="Ofsted",
    )
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert "Dana Hill" in html
    assert "Inspector" in html
    assert "Ofsted" in html
    assert "no children are allocated to this account" in html
    assert "/admin/" not in html


def test_administrator_gets_admin_link(client, django_user_model):
    admin = django_user_model.objects.create_superuser(username="admin", password=PASSWORD)
    client.force_login(admin)
    html = client.get(reverse("home")).content.decode()
    assert "Administrator" in html
    assert 'href="/admin/"' in html
