"""Small records for the web tests: workers, children and who holds them."""

from datetime import date

from harbour.access.roles import Role
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
