"""The family file: every child of the household together with one merged timeline; only
what the viewer may see, each child shown audited."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from harbour.access.models import AuditEvent, Restriction
from harbour.access.roles import Role
from harbour.access.tests.world import build, sign_in
from harbour.casework.family import household, siblings_of
from harbour.casework.tests.record_history import family, history
from harbour.people.models import Child, FamilyMember, Relationship
from harbour.workforce.models import Allocation

pytestmark = pytest.mark.django_db


def _child(reference, forename, born=date(2017, 6, 1)):
    return Child.objects.create(
        reference=reference, forename=forename, surname="Fenwick", sex="M", date_of_birth=born
    )


@pytest.fixture
def household_world():
    world = build()
    ours = world.children["ours"]
    sw = world.staff[Role.SOCIAL_WORKER]
    brother = _child("SYN0000020", "Brother")
    Allocation.objects.create(
        child=brother, worker=sw, team=sw.team, starts_on=timezone.localdate() - timedelta(days=9)
    )
    half = _child("SYN0000021", "Half")  # shares the mother; nobody in this team holds him
    secret = _child("SYN0000022", "Secret")
    Restriction.objects.create(child=secret, reason="Adoption")
    people = family(ours, brother, half_sibling=half)
    Relationship.objects.create(child=secret, family_member=people["mother"], kind="mother")
    history(ours, sw)
    history(brother, sw, visits=2)
    history(half)
    world.children.update(brother=brother, half=half, secret=secret)
    return world


def test_siblings_share_a_parent_or_are_linked(household_world):
    w = household_world
    ours = w.children["ours"]
    found = {s.child.pk: s for s in siblings_of([ours.pk])[ours.pk]}
    assert set(found) == {w.children[k].pk for k in ("brother", "half", "secret")}
    assert found[w.children["brother"].pk].how == ["same mother and father"]
    assert found[w.children["half"].pk].how == ["shares their mother, Jane Fenwick"]
    cousin = _child("SYN0000030", "Linked")
    member = FamilyMember.objects.create(forename="Linked", surname="Fenwick", child_record=cousin)
    Relationship.objects.create(child=ours, family_member=member, kind="sibling")
    assert cousin.pk in household(ours)
    # Either way round.
    assert ours.pk in household(cousin)


def test_the_family_file_shows_the_children_the_viewer_may_see_with_one_timeline(
    client, household_world
):
    w = household_world
    ours, brother, half = w.children["ours"], w.children["brother"], w.children["half"]
    sign_in(client, w.users[Role.SOCIAL_WORKER])
    page = client.get(reverse("family-file", args=[ours.reference]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Brother Fenwick" in html and "Half Fenwick" in html
    assert "Secret" not in html  # restricted: not shown at all
    assert "Not in your work" in html  # the half-brother: named, his events not shown
    assert {e.child_id for e, _, _ in page.context["events"]} <= {ours.pk, brother.pk}
    everything = list(page.context["page"].paginator.object_list)
    assert {e.child_id for e in everything} == {ours.pk, brother.pk}
    keys = [e.sort_key for e in everything]
    assert keys == sorted(keys, reverse=True)  # one timeline, merged
    assert "Jane Fenwick" in html and "Iris Old" in html
    for child in (ours, brother):
        assert AuditEvent.objects.filter(child_id=child.pk, detail__page="family file").exists()
    assert not AuditEvent.objects.filter(child_id=half.pk, detail__page="family file").exists()


def test_a_service_manager_sees_every_child_but_the_restricted(client, household_world):
    w = household_world
    sign_in(client, w.users[Role.SERVICE_MANAGER])
    page = client.get(reverse("family-file", args=[w.children["ours"].reference]))
    # The service manager sees children allocated anywhere: the half-brother is allocated
    # nowhere, so he is named without his events.
    shown = {m["child"].pk for m in page.context["members"] if m["visible"]}
    assert w.children["brother"].pk in shown and w.children["secret"].pk not in shown


def test_the_family_file_filters_by_kind(client, household_world):
    w = household_world
    sign_in(client, w.users[Role.SOCIAL_WORKER])
    page = client.get(
        reverse("family-file", args=[w.children["ours"].reference]), {"kind": "visit"}
    )
    assert {e.kind for e, _, _ in page.context["events"]} == {"visit"}


def test_the_family_file_costs_the_same_for_a_longer_history(
    client, household_world, django_assert_max_num_queries
):
    w = household_world
    sign_in(client, w.users[Role.SOCIAL_WORKER])
    url = reverse("family-file", args=[w.children["ours"].reference])
    client.get(url)
    with django_assert_max_num_queries(90) as few:
        client.get(url)
    history(w.children["brother"], w.staff[Role.SOCIAL_WORKER], visits=40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
