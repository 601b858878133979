"""The administration site holds configuration only, audits every page opened, keeps history
and deletes nothing. A restricted child is not reached through it (issue 12, finding 1)."""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from harbour.access.models import AuditEvent
from harbour.access.roles import Role
from harbour.access.tests.world import build, sign_in
from harbour.workforce.models import Team

pytestmark = pytest.mark.django_db

CONFIGURATION = {
    "access.User",
    "authority.Authority",
    "authority.ChildPopulation",
    "authority.StatisticalNeighbour",
    "authority.PolicySetting",
    "authority.SchoolTerm",
    "workforce.District",
    "workforce.Team",
    "workforce.Staff",
    "insight.PublishedFigure",
    # Sign-in attempts and lockouts, for unlocking an account.
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
}
CASEWORK_APPS = ("people", "journey", "care", "oversight", "front_door", "returns")


@pytest.fixture
def world():
    return build()


@pytest.fixture
def administrator(client, world):
    sign_in(client, world.users[Role.ADMINISTRATOR])
    return client


def test_the_administration_site_holds_configuration_and_nothing_else():
    held = {model._meta.label for model in admin.site._registry}
    assert held == CONFIGURATION


def test_no_authenticator_key_is_shown_in_it():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert TOTPDevice not in admin.site._registry


def test_no_casework_record_is_in_it():
    for model in admin.site._registry:
        assert model._meta.app_label not in CASEWORK_APPS, model._meta.label
    assert "workforce.Allocation" not in {m._meta.label for m in admin.site._registry}


def test_a_restricted_childs_record_is_not_reached_through_it(administrator, world):
    secret = world.children["restricted"]
    for name, args in (
        ("admin:people_child_changelist", []),
        ("admin:people_child_change", [secret.pk]),
        ("admin:people_child_history", [secret.pk]),
    ):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=args)
    for url in (
        f"/admin/people/child/?q={secret.forename}",
        f"/admin/people/child/{secret.pk}/change/",
        f"/admin/people/child/{secret.pk}/history/",
        f"/admin/workforce/allocation/?q={secret.reference}",
    ):
        response = administrator.get(url, follow=True)
        assert secret.forename not in response.content.decode(), url
        assert secret.reference not in response.content.decode(), url


def test_every_page_opened_writes_an_audit_line(administrator, world):
    opened = 0
    for model in admin.site._registry:
        meta = model._meta
        pages = [reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")]
        first = model.objects.order_by("pk").first()
        if first is not None:
            for page in ("change", "history"):
                pages.append(
                    reverse(f"admin:{meta.app_label}_{meta.model_name}_{page}", args=[first.pk])
                )
        for url in pages:
            before = AuditEvent.objects.count()
            assert administrator.get(url).status_code == 200, url
            line = AuditEvent.objects.order_by("-id").first()
            assert AuditEvent.objects.count() == before + 1, url
            assert line.action == "view" and line.username == "administrator"
            assert line.detail["model"] == meta.label
            opened += 1
    assert opened >= 15


def test_a_team_shows_its_history_and_cannot_be_deleted(administrator, world):
    team = world.teams["north"]
    history = reverse("admin:workforce_team_history", args=[team.pk])
    assert administrator.get(history).status_code == 200
    delete = reverse("admin:workforce_team_delete", args=[team.pk])
    assert administrator.get(delete).status_code == 403


def test_an_edit_records_who_made_it(administrator, world):
    team = world.teams["south"]
    url = reverse("admin:workforce_team_change", args=[team.pk])
    form = administrator.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(name="South team (renamed)")
    response = administrator.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    team.refresh_from_db()
    assert team.name == "South team (renamed)"
    assert team.updated_by.username == "administrator"
    assert team.history.first().history_user.username == "administrator"


def test_a_concurrent_edit_is_refused(administrator, world):
    team = world.teams["south"]
    url = reverse("admin:workforce_team_change", args=[team.pk])
    form = administrator.get(url).context["adminform"].form
    data = {
        name: form[name].value() if form[name].value() is not None else "" for name in form.fields
    }
    Team.objects.filter(pk=team.pk).update(version=team.version + 1)  # someone else saved
    data["name"] = "Mine"
    page = administrator.post(url, data)
    assert page.status_code == 200
    assert "Someone else changed this record" in page.content.decode()
    assert Team.objects.get(pk=team.pk).name == "South team"
