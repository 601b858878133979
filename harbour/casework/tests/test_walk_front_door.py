"""The front door walked end to end in Chromium (issue 13's walk): a partner refers a child
Harbour already holds; the screener opens the queue, picks the held child from the suggested
matches and decides "referral to children's social care"; the referrer sees the outcome; the
allocated worker opens the child's record and the family file."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from harbour.access.roles import Role
from harbour.access.tests.world import PASSWORD, build
from harbour.journey.models import Contact, Referral
from harbour.people.models import Address, Child, FamilyMember, Relationship
from harbour.web.tests.browser import (  # noqa: F401 (fixtures)
    accessibility_violations,
    axe_path,
    browser,
    page,
    sign_in,
)
from harbour.workforce.models import Allocation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BORN = date(2015, 3, 12)


def _family(world):
    """Amy and her brother Ben, held by the north team's social worker, with their mother."""
    worker = world.staff[Role.SOCIAL_WORKER]
    mother = FamilyMember.objects.create(forename="Carla", surname="Brackby", sex="F")
    children = []
    for n, (forename, born, sex) in enumerate([("Amy", BORN, "F"), ("Ben", date(2018, 6, 1), "M")]):
        child = Child.objects.create(
            reference=f"SYN00005{n:02d}",
            forename=forename,
            surname="Brackby",
            sex=sex,
            date_of_birth=born,
        )
        Address.objects.create(
            child=child,
            line_1="3 Harbour Road",
            town="Harbourton",
            postcode="NE1 4AB",
            starts_on=date(2020, 1, 1),
        )
        Relationship.objects.create(child=child, family_member=mother, kind="mother")
        Allocation.objects.create(
            child=child,
            worker=worker,
            team=worker.team,
            starts_on=timezone.localdate() - timedelta(days=30),
        )
        children.append(child)
    return children


def test_a_partner_refers_a_held_child_and_the_worker_reads_the_outcome(
    page,  # noqa: F811
    axe_path,  # noqa: F811
):
    world = build()
    amy, ben = _family(world)

    # The partner refers Amy, spelling her surname as they heard it.
    sign_in(page, "partner_referrer", PASSWORD)
    page.goto("/refer/")
    page.get_by_label("School", exact=True).check()
    page.get_by_label("Child's first name").fill("Amy")
    page.get_by_label("Child's last name").fill("Brackbi")
    page.locator("#id_born_day").fill(str(BORN.day))
    page.locator("#id_born_month").fill(str(BORN.month))
    page.locator("#id_born_year").fill(str(BORN.year))
    page.get_by_label("What are you worried about?").fill("Amy came to school hungry again.")
    page.get_by_label("Yes, and they agree").check()
    page.get_by_role("button", name="Send the referral").click()
    page.get_by_role("heading", name="Referral sent").wait_for()
    contact = Contact.objects.get(concerns="Amy came to school hungry again.")
    page.get_by_role("button", name="Sign out").click()

    # The screener finds Amy among the suggested matches and refers her to social care.
    sign_in(page, "mash_screener", PASSWORD)
    page.get_by_role("link", name="Front door").first.click()
    page.get_by_role("link", name="Amy Brackbi").click()
    page.get_by_role("heading", name="Which child is this?").wait_for()
    page.locator(f"form:has(input[value='{amy.reference}'])").get_by_role("button").click()
    page.get_by_role("heading", name="Contact about Amy Brackby").wait_for()
    contact.refresh_from_db()
    assert contact.child == amy
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_label("Referral to children's social care").check()
    page.get_by_label("Why does this meet").fill("Repeated neglect: level 3 of the threshold.")
    page.get_by_label("Sought, and the family agreed").check()
    page.get_by_label("What are you telling the referrer?").fill(
        "Amy has been referred to her social worker's team, who will contact you."
    )
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Child in need episode opened").wait_for()
    assert Referral.objects.filter(contact=contact, child=amy).exists()
    assert accessibility_violations(page, axe_path) == []
    page.get_by_role("button", name="Sign out").click()

    # The referrer sees the outcome, and nothing of the record it was matched to.
    sign_in(page, "partner_referrer", PASSWORD)
    page.goto("/refer/sent/")
    page.get_by_text("Amy has been referred to her social worker's team").wait_for()
    text = page.locator("main").inner_text()
    assert "Decided" in text and "Repeated neglect" not in text and amy.reference not in text
    page.get_by_role("button", name="Sign out").click()

    # The allocated worker opens Amy's record and the family file, with Ben in it.
    sign_in(page, "social_worker", PASSWORD)
    page.goto(f"/children/{amy.reference}/")
    page.get_by_role("heading", name="Amy Brackby").first.wait_for()
    page.goto(f"/children/{amy.reference}/family/")
    page.get_by_text("Ben Brackby").first.wait_for()
    assert accessibility_violations(page, axe_path) == []
    assert ben.reference
