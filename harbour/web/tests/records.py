"""Small records for the web tests: workers, children and who holds them."""

from datetime import date

from harbour.access.roles import Role
from harbour.journey.models import ChildProtectionPlan, Conference, Referral
from harbour.people.models import Child
from harbour.workforce.models import Allocation, Staff, Team

PASSWORD = "harbour-test-password"


def make_child(reference: str, forename: str, surname: str, **fields) -> Child:
    fields.setdefault("date_of_birth", date(2015, 3, 12))
    return Child.objects.create(
        reference=reference, forename=forename, surname=surname, sex="F", **fields
    )


def make_worker(django_user_model, username: str, forename: str, surname: str, team: Team):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD)
    staff = Staff.objects.create(
        user=user,
        forename=forename,
        surname=surname,
        role=Role.SOCIAL_WORKER,
        team=team,
        qualified=True,
        starts_on=date(2020, 1, 6),
    )
    return user, staff


def allocate(child: Child, staff: Staff, starts_on: date, ends_on: date | None = None):
    return Allocation.objects.create(
        child=child, worker=staff, team=staff.team, starts_on=starts_on, ends_on=ends_on
    )


def on_a_plan(child: Child, starts_on: date) -> ChildProtectionPlan:
    """A child protection plan from `starts_on`, with the referral and initial conference
    that led to it on the same day."""
    referral = Referral.objects.create(child=child, received_on=starts_on, source="6")
    icpc = Conference.objects.create(child=child, kind="initial", held_on=starts_on)
    return ChildProtectionPlan.objects.create(
        child=child,
        referral=referral,
        initial_conference=icpc,
        starts_on=starts_on,
        initial_category="NEG",
        latest_category="NEG",
        contingency="Legal advice.",
    )
