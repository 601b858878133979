"""Issue 12's smaller findings: actions kept whole, alerts read one at a time, and no way to
learn from an answer whether Harbour holds a child."""

import re

import pytest
from django.urls import reverse

from harbour.access.models import Alert, AuditEvent, ReasonedAccess
from harbour.access.roles import Role
from harbour.access.tests.world import build, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build()


def test_break_glass_is_one_transaction(client, world, monkeypatch):
    """A failure after the grant leaves no access that no manager was told of."""
    sign_in(client, world.users[Role.SOCIAL_WORKER])
    theirs = world.children["theirs"]

    def fails(*args, **kwargs):
        raise RuntimeError("the alerts could not be written")

    monkeypatch.setattr(Alert.objects, "bulk_create", fails)
    with pytest.raises(RuntimeError):
        client.post(
            reverse("open-with-reason", args=[theirs.reference]),
            {"reason": "Duty call from the police"},
        )
    assert ReasonedAccess.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.OPENED_WITH_REASON).exists()
    assert Alert.objects.count() == 0


def test_break_glass_writes_the_access_its_audit_line_and_the_alerts_together(client, world):
    sign_in(client, world.users[Role.SOCIAL_WORKER])
    theirs = world.children["theirs"]
    response = client.post(
        reverse("open-with-reason", args=[theirs.reference]),
        {"reason": "Duty call from the police"},
    )
    assert response.status_code == 302
    assert ReasonedAccess.objects.get().kind == ReasonedAccess.Kind.BREAK_GLASS
    line = AuditEvent.objects.get(action=AuditEvent.Action.OPENED_WITH_REASON)
    assert line.child_id == theirs.pk and line.reason == "Duty call from the police"
    assert Alert.objects.filter(recipient=world.users[Role.TEAM_MANAGER]).count() == 1


def test_a_post_through_any_view_is_one_transaction(world):
    """`requires` runs every writing request in a transaction of its own, whatever the view."""
    from django.db import connection
    from django.http import HttpResponse
    from django.test import RequestFactory

    from harbour.access.decorators import requires

    depth = {}

    @requires("access.view_alerts")
    def view(request):
        depth[request.method] = len(connection.savepoint_ids)
        return HttpResponse()

    outside = len(connection.savepoint_ids)
    for method in ("get", "post"):
        request = getattr(RequestFactory(), method)("/")
        request.user = world.users[Role.SOCIAL_WORKER]
        view(request)
    assert depth == {"GET": outside, "POST": outside + 1}


def _alerts(world, n=2):
    manager = world.users[Role.TEAM_MANAGER]
    return [
        Alert.objects.create(recipient=manager, message=f"Alert {i}", child=world.children["ours"])
        for i in range(n)
    ]


def test_opening_the_alerts_page_marks_nothing_read(client, world):
    _alerts(world)
    sign_in(client, world.users[Role.TEAM_MANAGER])
    page = client.get(reverse("alerts"))
    assert page.status_code == 200
    assert page.content.decode().count("Mark as read") == 2
    assert Alert.objects.filter(read_at__isnull=True).count() == 2


def test_dismissing_an_alert_marks_that_one_read(client, world):
    first, second = _alerts(world)
    sign_in(client, world.users[Role.TEAM_MANAGER])
    response = client.post(reverse("alert", args=[first.pk]), {"action": "dismiss"})
    assert response.status_code == 302 and response["Location"] == reverse("alerts")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None


def test_opening_an_alert_marks_it_read_and_goes_to_its_record(client, world):
    first, second = _alerts(world)
    sign_in(client, world.users[Role.TEAM_MANAGER])
    response = client.post(reverse("alert", args=[second.pk]), {"action": "open"})
    assert response["Location"] == reverse("record-viewers", args=["SYN0000001"])
    assert list(Alert.objects.filter(read_at__isnull=True)) == [first]


def test_no_one_reads_anothers_alert(client, world):
    (theirs,) = _alerts(world, 1)
    sign_in(client, world.users[Role.SOCIAL_WORKER])
    assert client.post(reverse("alert", args=[theirs.pk]), {"action": "dismiss"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("page", ["child", "open-with-reason", "record-viewers"])
def test_a_partner_cannot_tell_a_child_harbour_holds_from_one_it_does_not(client, world, page):
    sign_in(client, world.users[Role.PARTNER_REFERRER])
    held = client.get(reverse(page, args=[world.children["theirs"].reference]))
    unknown = client.get(reverse(page, args=["SYN9999999"]))
    assert held.status_code == unknown.status_code == 404

    def shown(answer, reference):
        # The sign-out form's CSRF token is masked afresh on every page, held child or not.
        html = answer.content.decode().replace(reference, "")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert shown(held, "SYN0000002") == shown(unknown, "SYN9999999")
