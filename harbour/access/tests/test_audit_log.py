"""The audit log: every sign-in, view, search, export and change; append-only; tamper shows."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from harbour.access import audit
from harbour.access.migrations import _append_only
from harbour.access.models import AuditEvent
from harbour.access.roles import Role
from harbour.access.tests.world import PASSWORD, build, sign_in

pytestmark = pytest.mark.django_db


def actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", "username"))


def test_sign_in_failure_view_search_and_sign_out_are_logged(client):
    world = build()
    client.post(reverse("login"), {"username": "social_worker", "password": "wrong"})
    client.post(reverse("login"), {"username": "social_worker", "password": PASSWORD})
    client.get(reverse("child", args=[world.children["ours"].reference]))
    client.get(reverse("search"), {"q": "Ours"})
    client.post(reverse("logout"))
    logged = [a for a in actions() if a[0] != "change"]
    assert logged == [
        ("login_failed", "social_worker"),
        ("login", "social_worker"),
        ("view", "social_worker"),
        ("search", "social_worker"),
        ("logout", "social_worker"),
    ]
    view = AuditEvent.objects.get(action="view")
    assert view.child_id == world.children["ours"].pk
    assert view.ip_address == "127.0.0.1"
    assert AuditEvent.objects.get(action="search").detail == {
        "query": "Ours",
        "results": 1,
        "found": 1,  # in every page of the answer; `results` are those shown on this one
        "child_ids": [world.children["ours"].pk],
        "child_count": 1,
    }


def test_changes_to_records_are_logged_with_who_made_them():
    world = build()
    child = world.children["ours"]
    child.ethnicity = "WBRI"
    child._history_user = world.users[Role.SOCIAL_WORKER]
    child.save()
    change = AuditEvent.objects.filter(action="change", child_id=child.pk).last()
    assert change.object_type == "people.Child" and change.username == "social_worker"


def test_the_chain_holds_and_shows_a_line_changed_or_removed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        build()
        for n in range(3):
            audit.record(AuditEvent.Action.SEARCH, detail={"query": f"q{n}"})
    call_command("audit", "verify")
    victim = AuditEvent.objects.filter(action="search").first()
    # Someone with database access rewrites a line (the test database has no triggers).
    AuditEvent.objects.filter(pk=victim.pk).update(detail={"query": "innocent"})
    with pytest.raises(CommandError, match=f"breaks at line {victim.sequence} \\(id {victim.pk},"):
        call_command("audit", "verify")
    AuditEvent.objects.filter(pk=victim.pk).delete()
    after = AuditEvent.objects.filter(pk__gt=victim.pk).order_by("id").first()
    found = audit.verify()
    assert not found.holds
    assert found.problems[0].startswith(f"line {victim.sequence:,} (id {after.pk},")
    assert f"says it is line {after.sequence:,}: lines before it were removed" in found.problems[0]


def test_the_database_refuses_to_change_or_remove_a_line():
    audit.record(AuditEvent.Action.SEARCH, detail={"query": "q"})
    # As in production; undone when the test's transaction rolls back.
    _append_only.run(connection, _append_only.POSTGRES, _append_only.SQLITE)
    line = AuditEvent.objects.get()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=line.pk).update(reason="edited")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=line.pk).delete()
    audit.record(AuditEvent.Action.SEARCH, detail={"query": "still appends"})
    assert AuditEvent.objects.count() == 2


def test_the_admin_cannot_edit_the_log(client):
    world = build()
    sign_in(client, world.users[Role.ADMINISTRATOR])
    from django.contrib import admin

    assert AuditEvent not in admin.site._registry or not admin.site._registry[
        AuditEvent
    ].has_change_permission(None)


def test_an_assessment_signed_off_is_logged_as_a_sign_off():
    from datetime import date

    from harbour.journey.models import Assessment, Referral

    world = build()
    child = world.children["ours"]
    referral = Referral.objects.first()
    assessment = Assessment.objects.create(
        child=child, referral=referral, kind="single", started_on=date(2025, 1, 6)
    )
    assessment.authorised_on = date(2025, 2, 3)
    assessment._history_user = world.users[Role.TEAM_MANAGER]
    assessment.save()
    signed = AuditEvent.objects.filter(action="sign_off").get()
    assert signed.username == "team_manager" and signed.child_id == child.pk
