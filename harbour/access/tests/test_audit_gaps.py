"""Every page or download that names children says in the audit log which it named (issue 12,
item 6): a worker's tray seen by the worker or their manager, its spreadsheet, and a search."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from harbour.access import audit
from harbour.access.models import AuditEvent
from harbour.access.roles import Role
from harbour.access.tests.world import build, sign_in
from harbour.web.tests.records import on_a_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build()
    # The restricted child on a plan too: in the worker's tray only for those with a grant.
    on_a_plan(world.children["restricted"], timezone.localdate() - timedelta(days=40))
    return world


def last(action: str, user) -> AuditEvent:
    return AuditEvent.objects.filter(action=action, user_id=user.pk).order_by("id").last()


def test_a_workers_own_tray_is_logged_with_the_children_it_listed(client, world):
    worker = world.staff[Role.SOCIAL_WORKER]
    sign_in(client, world.users[Role.SOCIAL_WORKER])
    client.get(reverse("my-work"))
    line = last("view", world.users[Role.SOCIAL_WORKER])
    assert (line.object_type, line.object_id) == ("workforce.Staff", str(worker.pk))
    # The restricted child is left out of the tray (no grant), so out of the line too.
    assert line.detail == {
        "what": "work tray",
        "worker": worker.name,
        "child_ids": [world.children["ours"].pk],
        "child_count": 1,
    }


def test_a_manager_seeing_a_workers_tray_is_logged_with_whose_and_which_children(client, world):
    worker = world.staff[Role.SOCIAL_WORKER]
    manager = world.users[Role.TEAM_MANAGER]
    sign_in(client, manager)
    assert client.get(reverse("worker-work", args=[worker.pk])).status_code == 200
    line = last("view", manager)
    assert (line.object_type, line.object_id) == ("workforce.Staff", str(worker.pk))
    assert line.detail["worker"] == worker.name
    # The manager holds the grant: the restricted child is shown, and logged.
    assert set(line.detail["child_ids"]) == {
        world.children["ours"].pk,
        world.children["restricted"].pk,
    }
    assert line.detail["child_count"] == 2


def test_the_tray_spreadsheet_is_logged_with_the_children_in_it(client, world):
    sign_in(client, world.users[Role.SOCIAL_WORKER])
    client.get(reverse("my-work-export"))
    line = last("export", world.users[Role.SOCIAL_WORKER])
    assert line.detail["child_ids"] == [world.children["ours"].pk]
    assert line.detail["child_count"] == 1 and line.detail["rows"] >= 1


def test_a_search_is_logged_with_the_children_it_showed(client, world):
    manager = world.users[Role.TEAM_MANAGER]
    sign_in(client, manager)
    response = client.get(reverse("search"), {"q": "Fenwick"})
    shown = [child.pk for child, _ in response.context["results"]]
    assert world.children["restricted"].pk in shown and len(shown) >= 3
    line = last("search", manager)
    assert line.detail["query"] == "Fenwick"
    assert line.detail["child_ids"] == shown
    assert line.detail["results"] == line.detail["child_count"] == len(shown)


def test_a_long_list_is_logged_up_to_the_cap_with_how_many_there_were():
    listed = audit.listed_children([*range(1, audit.LISTED_CHILDREN_CAP + 11), 3, None])
    assert listed["child_ids"] == list(range(1, audit.LISTED_CHILDREN_CAP + 1))
    assert listed["child_count"] == audit.LISTED_CHILDREN_CAP + 10
