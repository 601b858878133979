"""Need to know in practice: restricted records stay invisible, reasons are recorded and
managers are told."""

import csv
import io

import pytest
from django.urls import reverse

from harbour.access.models import Alert, AuditEvent, ReasonedAccess
from harbour.access.roles import Role
from harbour.access.tests.world import build, sign_in

pytestmark = pytest.mark.django_db
R = Role


@pytest.fixture
def world():
    return build()


def search(client, user, query):
    sign_in(client, user)
    response = client.get(reverse("search"), {"q": query})
    return [child.reference for child, _ in response.context["results"]]


def test_search_shows_a_restricted_record_only_to_those_granted_it(client, world):
    assert search(client, world.users[R.TEAM_MANAGER], "Restricted") == ["SYN0000003"]
    for role in (
        R.SOCIAL_WORKER,
        R.SERVICE_MANAGER,
        R.INSPECTOR,
        R.ADMINISTRATOR,
        R.PERFORMANCE_OFFICER,
    ):
        client.logout()
        assert search(client, world.users[role], "Restricted") == [], role
        client.logout()
        assert search(client, world.users[role], "SYN0000003") == [], role


def test_restricted_records_are_left_out_of_lists_counts_and_exports(client, world):
    from datetime import timedelta

    from django.utils import timezone

    from harbour.web.tests.records import on_a_plan

    secret = world.children["restricted"]
    since = timezone.localdate() - timedelta(days=40)
    on_a_plan(secret, since)

    def children_listed(role, url_name, **kwargs):
        client.logout()
        sign_in(client, world.users[role])
        return client.get(reverse(url_name, kwargs=kwargs))

    # The allocated worker holds no grant: their tray and export leave the child out.
    tray = children_listed(R.SOCIAL_WORKER, "my-work")
    listed = {r["child"].reference for r in tray.context["overdue"] + tray.context["due_soon"]}
    assert "SYN0000003" not in listed and "SYN0000001" in listed
    export = children_listed(R.SOCIAL_WORKER, "my-work-export").content.decode()
    assert "SYN0000003" not in export and "SYN0000001" in export
    # Counts: the manager with a grant counts the restricted child's duties; others do not.
    team = world.teams["north"].pk
    granted = children_listed(R.TEAM_MANAGER, "team-work", team_id=team).context
    ungranted = children_listed(R.SERVICE_MANAGER, "team-work", team_id=team).context
    visits = "Visit the child on a child protection plan"
    overdue = {title: o for title, o, _ in granted["by_kind"]}
    overdue_ungranted = {title: o for title, o, _ in ungranted["by_kind"]}
    assert overdue[visits] == overdue_ungranted.get(visits, 0) + 1
    service = children_listed(R.SERVICE_MANAGER, "service-work").context
    with_grant = children_listed(R.TEAM_MANAGER, "service-work").context
    assert with_grant["overdue"] > service["overdue"]


def test_opening_another_teams_record_with_a_reason_tells_the_managers(client, world):
    sign_in(client, world.users[R.SOCIAL_WORKER])
    theirs = world.children["theirs"]
    page = reverse("child", args=[theirs.reference])
    assert client.get(page).url == reverse("open-with-reason", args=[theirs.reference])

    short = client.post(reverse("open-with-reason", args=[theirs.reference]), {"reason": "x"})
    assert "Give the reason in a sentence" in short.content.decode()
    reason = "Covering the duty desk: the school called about a bruise."
    client.post(reverse("open-with-reason", args=[theirs.reference]), {"reason": reason})
    assert client.get(page).status_code == 200

    access = ReasonedAccess.objects.get(child=theirs)
    assert (access.kind, access.reason) == ("break_glass", reason)
    alert = Alert.objects.get(recipient=world.users[R.TEAM_MANAGER])
    assert reason in alert.message and theirs.reference in alert.message
    logged = AuditEvent.objects.filter(child_id=theirs.pk).values_list("action", "reason")
    assert ("opened_with_reason", reason) in list(logged)


def test_performance_officers_open_records_with_a_recorded_reason_and_no_alert(client, world):
    sign_in(client, world.users[R.PERFORMANCE_OFFICER])
    ours = world.children["ours"]
    client.post(
        reverse("open-with-reason", args=[ours.reference]),
        {"reason": "Checking the figure for children seen alone in March."},
    )
    assert ReasonedAccess.objects.get(child=ours).kind == "recorded_reason"
    assert not Alert.objects.exists()
    assert client.get(reverse("child", args=[ours.reference])).status_code == 200


def test_managers_see_who_has_viewed_a_record(client, world):
    ours = world.children["ours"]
    sign_in(client, world.users[R.SOCIAL_WORKER])
    client.get(reverse("child", args=[ours.reference]))
    client.logout()
    sign_in(client, world.users[R.TEAM_MANAGER])
    viewers = client.get(reverse("record-viewers", args=[ours.reference]))
    assert "social_worker" in [e.username for e in viewers.context["events"]]


def test_exports_cannot_carry_a_formula_into_a_spreadsheet(client, world):
    from harbour.access.export import safe_cell

    assert safe_cell('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    assert safe_cell("+1") == "'+1" and safe_cell("@SUM(A1)") == "'@SUM(A1)"
    world.children["ours"].forename = "=cmd|' /C calc'!A0"
    world.children["ours"].save()
    sign_in(client, world.users[R.SOCIAL_WORKER])
    rows = list(csv.reader(io.StringIO(client.get(reverse("my-work-export")).content.decode())))
    names = [row[1] for row in rows[1:]]
    assert names and all(not name.startswith(("=", "+", "-", "@")) for name in names)
    assert AuditEvent.objects.filter(action="export").exists()


def test_a_conference_chair_sees_a_child_from_the_enquiry_until_the_plan(world):
    """Before a plan exists the chair prepares and records the initial conference, and the plan
    it decides: the child is in their work from a section 47 enquiry that may call one."""
    from datetime import time, timedelta

    from django.utils import timezone

    from harbour.access import scope
    from harbour.journey.services import protection

    chair = world.users[R.CONFERENCE_CHAIR]
    worker = world.users[R.SOCIAL_WORKER]
    child = world.children["theirs"]
    today = timezone.localdate()
    sees = lambda: scope.visible_children(chair, among=[child.pk]).exists()  # noqa: E731
    assert not sees()
    referral = child.referrals.order_by("pk").first() or child.referrals.create(
        received_on=today - timedelta(days=3), source="1B"
    )
    discussion = protection.record_strategy_discussion(
        by=worker,
        child=child,
        referral=referral,
        held_on=today,
        held_at=time(10),
        agencies_present=["police", "social_care"],
        chaired_by=world.staff[R.TEAM_MANAGER],
        outcome="s47",
        decisions="Section 47.",
    )
    enquiry = protection.record_section_47_enquiry(
        by=worker,
        strategy_discussion=discussion,
        started_on=today,
        lead_worker=world.staff[R.SOCIAL_WORKER],
    )
    assert sees()
    enquiry.outcome = "unsubstantiated"
    enquiry.save()
    assert not sees()
