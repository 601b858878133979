"""A partner agency refers a child and sees what it sent, and only that."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harbour.access.roles import Role
from harbour.access.tests.world import build, sign_in
from harbour.journey.models import Contact

pytestmark = pytest.mark.django_db


def form(**changes):
    born = date.today() - timedelta(days=3000)
    data = {
        "agency": "2A",
        "forename": "Maya",
        "surname": "Fenwick",
        "born_day": born.day,
        "born_month": born.month,
        "born_year": born.year,
        "concerns": "Arrived at school with a bruise she would not explain.",
        "consent": "yes",
    }
    data.update(changes)
    return data


@pytest.fixture
def partner(client):
    world = build()
    sign_in(client, world.users[Role.PARTNER_REFERRER])
    return world


def test_a_referral_is_recorded_and_the_referrer_sees_only_their_own(client, partner):
    response = client.post(reverse("refer"), form())
    contact = Contact.objects.get(child__forename="Maya")
    assert response.url == reverse("referral-sent", args=[contact.pk])
    assert contact.source == "2A" and contact.consent_sought
    assert contact.created_by.username == "partner_referrer"
    assert contact.child.reference.startswith("NEW-")
    listed = client.get(reverse("referrals-sent")).content.decode()
    assert "Maya Fenwick" in listed
    someone_else = Contact.objects.create(
        child=partner.children["ours"], source="6", received_at=contact.received_at
    )
    assert client.get(reverse("referral-sent", args=[someone_else.pk])).status_code == 404
    assert "Ours Fenwick" not in client.get(reverse("referrals-sent")).content.decode()


def test_an_unborn_child_and_consent_overridden(client, partner):
    due = date.today() + timedelta(days=60)
    client.post(
        reverse("refer"),
        form(
            unborn="on",
            born_day=due.day,
            born_month=due.month,
            born_year=due.year,
            consent="no_risk",
        ),
    )
    contact = Contact.objects.get(child__forename="Maya")
    assert contact.child.expected_date_of_birth == due and contact.child.date_of_birth is None
    assert contact.consent_overridden and contact.consent_override_rationale


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"forename": ""}, "Enter the child&#x27;s first name"),
        (
            {"born_day": "", "born_month": "", "born_year": ""},
            "Enter the child&#x27;s date of birth",
        ),
        ({"born_day": 31, "born_month": 2}, "The date must be a real date"),
        ({"born_year": date.today().year + 1}, "The date of birth must be in the past"),
        ({"agency": "99"}, "Select a valid choice"),
        ({"consent": ""}, "Say whether the family knows"),
    ],
)
def test_bad_answers_say_what_to_fix_and_nothing_is_saved(client, partner, changes, message):
    page = client.post(reverse("refer"), form(**changes)).content.decode()
    assert "There is a problem" in page and message in page
    assert not Contact.objects.filter(child__forename="Maya").exists()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    forename=st.text(max_size=200),
    concerns=st.text(max_size=2000),
    day=st.one_of(st.integers(), st.text(max_size=5)),
)
def test_hostile_referrals_never_break_the_page(client, partner, forename, concerns, day):
    response = client.post(
        reverse("refer"), form(forename=forename, concerns=concerns, born_day=day)
    )
    assert response.status_code in (200, 302)
    if "<script>" in forename:
        assert "<script>" not in client.get(reverse("referrals-sent")).content.decode()
