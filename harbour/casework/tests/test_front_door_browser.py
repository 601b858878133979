"""The front door in Chromium: axe on every page and state (the queue, a contact with its
likely matches, the decision with and without errors, the decided contact, what the referrer
was told, a typed contact and its matches, the partner's referrals sent), and screenshots at
1280 and 320 pixels wide, to HARBOUR_SCREENSHOTS (or a temporary folder)."""

from datetime import date

import pytest

from harbour.access.roles import Role
from harbour.access.tests.world import PASSWORD, build
from harbour.journey.services import front_door as services
from harbour.people.models import Address, Child
from harbour.web.tests.browser import (  # noqa: F401 (fixtures)
    accessibility_violations,
    axe_path,
    browser,
    page,
    sign_in,
)
from harbour.web.tests.browser import (
    assert_accessible as _clean,
)
from harbour.web.tests.browser import (
    shoot as _shoot,
)
from harbour.web.tests.browser import (
    shots_folder as _shots,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BORN = date(2015, 3, 12)


def _world():
    world = build()
    for n, (forename, surname, born, postcode) in enumerate(
        [
            ("Amy", "Brackby", BORN, "NE1 4AB"),
            ("Amie", "Brackbie", BORN, "NE1 7XY"),
            ("Olivia", "Brackby", date(2011, 8, 2), "NE1 4AB"),
        ]
    ):
        child = Child.objects.create(
            reference=f"SYN00001{n:02d}",
            forename=forename,
            surname=surname,
            sex="F",
            date_of_birth=born,
        )
        Address.objects.create(
            child=child,
            line_1=f"{n + 3} Harbour Road",
            town="Harbourton",
            postcode=postcode,
            starts_on=date(2020, 1, 1),
        )
    contact = services.receive_referral(
        by=world.users[Role.PARTNER_REFERRER],
        agency="2A",
        forename="Amy",
        surname="Brackbi",
        born=BORN,
        concerns="Amy came to school hungry three days running and said there was no food "
        "at home. Her younger brother was not collected on Friday.",
        consent="yes",
    )
    return world, contact


def test_the_front_door_pages_pass_axe(page, axe_path, tmp_path):  # noqa: F811
    world, contact = _world()
    shots = _shots(tmp_path)
    sign_in(page, "mash_screener", PASSWORD)
    page.goto("/front-door/")
    page.get_by_role("link", name="Amy Brackbi").first.wait_for()
    _clean(page, axe_path)
    _shoot(page, shots, "front-door")

    page.get_by_role("link", name="Amy Brackbi").click()
    page.get_by_text("Came to school hungry", exact=False).first.wait_for()
    _clean(page, axe_path)
    _shoot(page, shots, "front-door-contact")

    page.locator("form:has(input[value='SYN0000100'])").get_by_role("button").click()
    page.get_by_role("button", name="Record the decision").wait_for()
    _clean(page, axe_path)
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_label("Why does this meet").wait_for()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("There is a problem").first.wait_for()
    _clean(page, axe_path)
    _shoot(page, shots, "front-door-decision-errors")
    page.get_by_label("Referral to children's social care").check()
    page.get_by_label("Why does this meet").fill("Neglect at level 3.")
    page.get_by_label("Sought, and the family agreed").check()
    page.get_by_label("What are you telling the referrer?").fill(
        "Passed to the assessment team, who will contact you this week."
    )
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Child in need episode opened").first.wait_for()
    _clean(page, axe_path)
    _shoot(page, shots, "front-door-decided")
    page.get_by_role("link", name="Change what the referrer was told").click()
    _clean(page, axe_path)

    page.goto("/front-door/new/")
    _clean(page, axe_path)
    _shoot(page, shots, "front-door-new-contact")
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("There is a problem").first.wait_for()
    _clean(page, axe_path)
    page.get_by_label("Phone call").check()
    page.get_by_label("Who is the referrer?").select_option("3B")
    page.get_by_label("Referrer's name").fill("Jo Hale")
    page.get_by_label("Child's first name").fill("Olivia")
    page.get_by_label("Child's last name").fill("Brakby")
    page.locator("#id_born_day").fill("2")
    page.locator("#id_born_month").fill("8")
    page.locator("#id_born_year").fill("2011")
    page.get_by_label("Female").check()
    page.get_by_label("What is the referrer worried about?").fill("Missing from home overnight.")
    page.get_by_label("No, or the referrer does not know").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Is it one of these children?").first.wait_for()
    _clean(page, axe_path)
    _shoot(page, shots, "front-door-new-contact-matches")
    page.locator("form:has(input[name='match'][value='SYN0000102'])").get_by_role("button").click()
    page.get_by_role("heading", name="Contact about Olivia Brackby").first.wait_for()

    partner = page.context.browser.new_context(base_url=page.url.split("/front-door")[0])
    tab = partner.new_page()
    sign_in(tab, "partner_referrer", PASSWORD)
    tab.goto("/refer/sent/")
    tab.get_by_text("Passed to the assessment team", exact=False).first.wait_for()
    _clean(tab, axe_path)
    _shoot(tab, shots, "front-door-referrals-sent")
    tab.get_by_role("link", name="Amy Brackbi").click()
    _clean(tab, axe_path)
    partner.close()
