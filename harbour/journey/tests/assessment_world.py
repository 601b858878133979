"""A small world for the assessment-side service tests: a social worker (and an administrator
with no staff record), a child, and a referral received some working days ago."""

from datetime import date, timedelta

from django.utils import timezone

from harbour.access.models import User
from harbour.access.roles import Role
from harbour.journey.models import Referral
from harbour.people.models import Child
from harbour.timescales.calendar import working_days
from harbour.workforce.models import Staff, Team


def worker(username="sw", role=Role.SOCIAL_WORKER) -> User:
    user = User.objects.create_user(username=username, first_name="Sam", last_name="Okafor")
    team, _ = Team.objects.get_or_create(name="North team", defaults={"kind": "safeguarding"})
    Staff.objects.create(
        user=user,
        forename="Sam",
        surname="Okafor",
        role=role,
        team=team,
        qualified=True,
        registration_number="SW900101",
        starts_on=date(2020, 1, 6),
    )
    return user


def administrator() -> User:
    return User.objects.create_superuser(username="admin")


def child(reference="SYN0000201", forename="Maya", born=date(2015, 6, 2)) -> Child:
    return Child.objects.create(
        reference=reference, forename=forename, surname="Tennant", sex="F", date_of_birth=born
    )


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def working_days_ago(n: int) -> date:
    return working_days().subtract(timezone.localdate(), n)


def referral(of: Child, received_on: date | None = None, **fields) -> Referral:
    return Referral.objects.create(
        child=of,
        received_on=received_on or working_days_ago(5),
        source=fields.pop("source", "2A"),
        concerns=fields.pop("concerns", "Maya told her teacher there is no food at home."),
        **fields,
    )


def duties(of: Child, rule: str) -> list:
    from harbour.timescales.selectors import child_duties

    return [d for d in child_duties(of.pk, timezone.localdate()) if d.rule == rule]
