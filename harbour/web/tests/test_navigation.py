"""The service navigation offers each role what it may use and nothing else, marks where the
person is, and counts their unread alerts in one query."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from harbour.access.models import Alert
from harbour.access.roles import Role
from harbour.access.tests.world import build, sign_in

R = Role
STAFF = [r for r in Role if r not in (R.PARTNER_REFERRER, R.INSPECTOR, R.ADMINISTRATOR)]
EXPECTED = {
    role: [
        label
        for label, roles in (
            ("Your work", STAFF),
            ("Find a child", [r for r in Role if r != R.PARTNER_REFERRER]),
            ("Front door", [R.MASH_SCREENER, R.TEAM_MANAGER, R.SERVICE_MANAGER]),
            ("Refer a child", [R.PARTNER_REFERRER]),
            ("Team", STAFF),  # their own team's page
            ("Insight", [*STAFF, R.PARTNER_REFERRER, R.INSPECTOR]),
            ("Returns", [R.PERFORMANCE_OFFICER]),
            ("Alerts", STAFF),
            ("Administration", [R.ADMINISTRATOR]),
        )
        if role in roles
    ]
    for role in Role
}


LINK = re.compile(
    r'<a class="govuk-service-navigation__link" href="([^"]+)"(?: aria-current="(\w+)")?>(.*?)</a>',
    re.DOTALL,
)


def sections(response) -> list[tuple[str, str, str | None]]:
    """(label, link, aria-current) for each entry of the page's service navigation."""
    page = response.content.decode()
    if 'class="govuk-service-navigation"' not in page:
        return []
    nav = page.split('class="govuk-service-navigation"', 1)[1].split("</nav>", 1)[0]
    return [
        (" ".join(re.sub(r"<[^>]+>", " ", text).split()), url, current or None)
        for url, current, text in LINK.findall(nav)
    ]


@pytest.fixture
def world(db):
    return build()


@pytest.mark.parametrize("role", list(Role))
def test_each_role_is_offered_what_it_may_use_and_nothing_else(client, world, role):
    sign_in(client, world.users[role])
    entries = sections(client.get(reverse("home")))
    assert [label for label, _, _ in entries] == EXPECTED[role]
    for label, url, _ in entries:
        answer = client.get(url)
        assert answer.status_code == 200, (label, url)  # every link opens for them


def test_team_is_the_persons_own_team(client, world):
    sign_in(client, world.users[R.SOCIAL_WORKER])
    links = {label: url for label, url, _ in sections(client.get(reverse("home")))}
    assert links["Team"] == reverse("team-work", args=[world.teams["north"].pk])


def test_no_navigation_before_signing_in(client, world):
    assert sections(client.get(reverse("login"))) == []


def test_the_current_section_is_marked(client, world):
    sign_in(client, world.users[R.TEAM_MANAGER])
    on_search = sections(client.get(reverse("search")))
    assert [(label, current) for label, _, current in on_search if current] == [
        ("Find a child", "page")
    ]
    record = reverse("child", args=[world.children["ours"].reference])
    within = sections(client.get(record))
    assert [(label, current) for label, _, current in within if current] == [
        ("Find a child", "true")
    ]
    assert not [current for _, _, current in sections(client.get(reverse("home"))) if current]


def test_unread_alerts_are_counted_in_one_query(client, world):
    user = world.users[R.SOCIAL_WORKER]
    for n in range(3):
        Alert.objects.create(recipient=user, message=f"Synthetic alert {n}")
    Alert.objects.create(recipient=world.users[R.TEAM_MANAGER], message="Not theirs")
    sign_in(client, user)
    with CaptureQueriesContext(connection) as queries:
        entries = sections(client.get(reverse("search")))
    assert ("Alerts 3 unread", reverse("alerts"), None) in entries
    counts = [q["sql"] for q in queries if "access_alert" in q["sql"]]
    assert len(counts) == 1 and "COUNT(" in counts[0].upper()


def test_no_count_shown_when_nothing_is_unread(client, world):
    sign_in(client, world.users[R.SOCIAL_WORKER])
    assert ("Alerts", reverse("alerts"), None) in sections(client.get(reverse("search")))
