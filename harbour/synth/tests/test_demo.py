"""`harbour demo` (what `make run` calls): a county on first run and a login for every role."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from harbour.access.roles import Role
from harbour.authority.models import Authority
from harbour.synth.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def run_demo():
    out = StringIO()
    call_command("demo", size="small", years=1, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_first_run_loads_a_county_and_prints_a_login_per_role(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    printed = run_demo()
    assert "First run: generating a synthetic small county" in printed
    for role in Role:
        assert f" {role.value} " in printed, role
    assert (tmp_path / "demo-truth.json").exists()
    assert f"listed in {tmp_path / 'demo-truth.json'}" in printed
    # Nothing is written into the project when the data folder is elsewhere.
    assert not (settings.PROJECT_DIR / "var" / "demo-truth.json").exists()
    # Written in bulk, yet Find a child finds every child of the county by name.
    from harbour.people.models import Child

    assert Child.objects.exists()
    assert not Child.objects.filter(name_keys__isnull=True).exists()

    again = run_demo()
    assert "First run" not in again
    assert again.count(DEMO_PASSWORD) == 1


def test_every_demo_login_signs_in_and_sees_their_role(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    run_demo()
    for role in Role:
        client = Client()
        assert client.login(username=role.value, password=DEMO_PASSWORD), role
        page = client.get("/").content.decode()
        assert role.label in page, role


def test_demo_logins_are_refused_for_a_real_authority():
    Authority.objects.create(name="A Real Council", la_code="123", region="south_west")
    with pytest.raises(CommandError, match="not a synthetic county"):
        run_demo()
