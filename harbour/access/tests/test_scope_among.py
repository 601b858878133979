"""Asking about a few children (`visible_children(user, among=ids)`, `may_view`) gives the same
answer as filtering everyone the person may see: every role, every child, with a restricted
record, a grant, a reason to open and a lapsed one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from harbour.access import scope
from harbour.access.models import ReasonedAccess
from harbour.access.roles import Role
from harbour.access.tests.world import build
from harbour.people.models import Child

pytestmark = pytest.mark.django_db


def test_asking_of_some_children_answers_as_asking_of_all():
    world = build()
    theirs = world.children["theirs"]
    now = timezone.now()
    ReasonedAccess.objects.create(
        user=world.users[Role.SENIOR_PRACTITIONER],
        child=theirs,
        kind=ReasonedAccess.Kind.BREAK_GLASS,
        reason="Covering the duty desk",
        expires_at=now + timedelta(hours=2),
    )
    ReasonedAccess.objects.create(
        user=world.users[Role.FAMILY_SUPPORT_WORKER],
        child=theirs,
        kind=ReasonedAccess.Kind.BREAK_GLASS,
        reason="Long ago",
        expires_at=now - timedelta(hours=2),
    )
    children = list(Child.objects.order_by("pk"))
    ids = [c.pk for c in children]
    seen_any = set()
    for role, user in world.users.items():
        everyone = set(scope.visible_children(user).values_list("pk", flat=True))
        some = set(scope.visible_children(user, among=ids[:2]).values_list("pk", flat=True))
        assert some == everyone & set(ids[:2]), role
        assert set(scope.visible_children(user, among=ids).values_list("pk", flat=True)) == (
            everyone
        ), role
        assert not scope.visible_children(user, among=[]).exists(), role
        for child in children:
            assert scope.may_view(user, child) == (child.pk in everyone), (role, child)
        seen_any |= everyone
    # The world holds each case the test is about: seen by some, and not by everyone.
    assert world.children["restricted"].pk in seen_any
    assert scope.may_view(world.users[Role.SENIOR_PRACTITIONER], theirs)
    assert not scope.may_view(world.users[Role.SOCIAL_WORKER], theirs)
    assert not scope.may_view(world.users[Role.FAMILY_SUPPORT_WORKER], theirs)  # lapsed
    assert not scope.may_view(world.users[Role.SOCIAL_WORKER], world.children["restricted"])
    assert scope.may_view(world.users[Role.TEAM_MANAGER], world.children["restricted"])
