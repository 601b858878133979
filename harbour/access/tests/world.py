"""A small authority for the access tests: two teams, a person in every role, and children in
and out of each person's work, one of them restricted."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from harbour.access.models import Grant, Restriction, User
from harbour.access.roles import Role
from harbour.journey.models import Contact
from harbour.people.models import Child
from harbour.web.tests.records import on_a_plan
from harbour.workforce.models import Allocation, Staff, Team

PASSWORD = "harbour-test-password-1"
STAFF_HOME = {
    Role.SOCIAL_WORKER: "north",
    Role.FAMILY_SUPPORT_WORKER: "north",
    Role.SENIOR_PRACTITIONER: "north",
    Role.TEAM_MANAGER: "north",
    Role.SERVICE_MANAGER: "leadership",
    Role.SENIOR_LEADER: "leadership",
    Role.PERFORMANCE_OFFICER: "performance",
    Role.CONFERENCE_CHAIR: "reviewing",
    Role.IRO: "reviewing",
    Role.PERSONAL_ADVISER: "leavers",
    Role.MASH_SCREENER: "front",
}


@dataclass
class World:
    users: dict = field(default_factory=dict)
    staff: dict = field(default_factory=dict)
    teams: dict = field(default_factory=dict)
    children: dict = field(default_factory=dict)
    partner_contact: object = None


def _child(reference, forename):
    return Child.objects.create(
        reference=reference,
        forename=forename,
        surname="Fenwick",
        sex="F",
        date_of_birth=date(2014, 5, 1),
    )


def build() -> World:
    world = World()
    today = timezone.localdate()
    for name, kind in (
        ("north", "safeguarding"),
        ("south", "safeguarding"),
        ("leadership", "leadership"),
        ("performance", "performance"),
        ("reviewing", "reviewing"),
        ("leavers", "care_leavers"),
        ("front", "front_door"),
    ):
        world.teams[name] = Team.objects.create(name=f"{name.title()} team", kind=kind)
    for role, team in STAFF_HOME.items():
        user = User.objects.create_user(
            username=role.value, password=PASSWORD, first_name=role.label, last_name="Test"
        )
        world.users[role] = user
        world.staff[role] = Staff.objects.create(
            user=user,
            forename=role.label,
            surname="Test",
            role=role,
            team=world.teams[team],
            qualified=True,
            registration_number="SW900001",
            starts_on=date(2020, 1, 6),
        )
    south_worker = Staff.objects.create(
        forename="South",
        surname="Worker",
        role=Role.SOCIAL_WORKER,
        team=world.teams["south"],
        qualified=True,
        starts_on=date(2020, 1, 6),
    )
    world.users[Role.PARTNER_REFERRER] = User.objects.create_user(
        username="partner_referrer",
        password=PASSWORD,
        external_role=Role.PARTNER_REFERRER,
        organisation="Police (synthetic)",
    )
    world.users[Role.INSPECTOR] = User.objects.create_user(
        username="inspector", password=PASSWORD, external_role=Role.INSPECTOR
    )
    world.users[Role.ADMINISTRATOR] = User.objects.create_superuser(
        username="administrator", password=PASSWORD
    )
    for user in world.users.values():
        TOTPDevice.objects.create(user=user, name="Test", confirmed=True)

    sw = world.staff[Role.SOCIAL_WORKER]
    ours = world.children["ours"] = _child("SYN0000001", "Ours")
    theirs = world.children["theirs"] = _child("SYN0000002", "Theirs")
    secret = world.children["restricted"] = _child("SYN0000003", "Restricted")
    since = today - timedelta(days=60)
    Allocation.objects.create(child=ours, worker=sw, team=sw.team, starts_on=since)
    Allocation.objects.create(child=secret, worker=sw, team=sw.team, starts_on=since)
    Allocation.objects.create(
        child=theirs, worker=south_worker, team=south_worker.team, starts_on=since
    )
    on_a_plan(ours, since)
    Contact.objects.create(child=ours, source="6", received_at=timezone.now())
    # A referral the partner sent last year, about a child no one here holds now.
    world.partner_contact = Contact.objects.create(
        child=_child("SYN0000004", "Referred"),
        source="6",
        received_at=timezone.now() - timedelta(days=365),
        created_by=world.users[Role.PARTNER_REFERRER],
    )
    restriction = Restriction.objects.create(child=secret, reason="A child of a staff member")
    Grant.objects.create(
        restriction=restriction,
        user=world.users[Role.TEAM_MANAGER],
        granted_by=world.users[Role.ADMINISTRATOR],
        reason="Holds the case",
    )
    return world


def sign_in(client, user) -> None:
    """Signed in with password and second factor, as a real session would be."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
