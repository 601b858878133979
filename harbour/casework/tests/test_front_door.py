"""The front door's screens, through the views: the queue, a contact's page and its likely
matches, choosing the child, the decision, the referrer told, a typed contact, the partner's
view of the outcome, and what each costs."""

from datetime import date, datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from harbour.access.models import AuditEvent, Grant, Restriction
from harbour.access.roles import Role
from harbour.access.tests.world import build, sign_in
from harbour.journey.models import Contact, Referral
from harbour.journey.services import front_door as services
from harbour.people.models import Child
from harbour.timescales.calendar import working_days
from harbour.timescales.selectors import child_duties

pytestmark = pytest.mark.django_db

BORN = date(2016, 4, 9)


@pytest.fixture
def world():
    return build()


@pytest.fixture
def screener(client, world):
    sign_in(client, world.users[Role.MASH_SCREENER])
    return world.users[Role.MASH_SCREENER]


def partner_refers(world, forename="Amy", surname="Brackbi", **changes) -> Contact:
    fields = {
        "agency": "2A",
        "forename": forename,
        "surname": surname,
        "born": BORN,
        "concerns": "Came to school hungry three days running.",
        "consent": "yes",
    }
    fields.update(changes)
    return services.receive_referral(by=world.users[Role.PARTNER_REFERRER], **fields)


def held_child(**fields) -> Child:
    values = {
        "reference": "SYN0000100",
        "forename": "Amy",
        "surname": "Brackby",
        "sex": "F",
        "date_of_birth": BORN,
    }
    values.update(fields)
    return Child.objects.create(**values)


def received(contact, working_days_ago: int) -> None:
    day = working_days().subtract(timezone.localdate(), working_days_ago)
    at = timezone.make_aware(datetime.combine(day, time(10)))
    Contact.objects.filter(pk=contact.pk).update(received_at=at)


DECISION = {
    "decision": "referral",
    "threshold_reason": "Neglect at level 3 of the threshold document.",
    "consent": "given",
    "consent_override_rationale": "",
    "outcome_for_referrer": "Passed to the assessment team, who will be in touch this week.",
}


def test_the_queue_lists_contacts_awaiting_a_decision_oldest_first(client, world, screener):
    late = partner_refers(world, forename="Late")
    received(late, 3)
    fresh = partner_refers(world, forename="Fresh")
    decided = partner_refers(world, forename="Done")
    services.confirm_new_child(contact=decided, by=screener)
    services.decide_contact(
        contact=decided,
        by=screener,
        decision="advice",
        threshold_reason="Below threshold.",
        consent_sought=True,
        consent_given=True,
        outcome_for_referrer="Advice given.",
    )
    page = client.get(reverse("front-door")).content.decode()
    assert page.index("Late Brackbi") < page.index("Fresh Brackbi")
    assert "Done Brackbi" not in page
    # The world holds a referral left undecided since last year, and ours from today.
    assert "Overdue" in page and "2 overdue" in page
    assert "New record from the referral" in page
    assert "3 working days" in page
    assert reverse("front-door-contact", args=[fresh.pk]) in page
    assert 'aria-current="page"' in page and ">Front door<" in page
    line = AuditEvent.objects.filter(detail__page="screening queue").last()
    assert late.child_id in line.detail["child_ids"]


def test_the_queue_is_paged_and_costs_the_same_for_more_contacts(
    client, world, screener, django_assert_max_num_queries
):
    for n in range(30):
        partner_refers(world, forename=f"Child{n:02d}")
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("front-door"))
    for n in range(30, 80):
        partner_refers(world, forename=f"Child{n:02d}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("front-door")).content.decode()
    assert "1 to 25 of 82" in page and "Page 1 of 4" in page
    last = client.get(reverse("front-door") + "?page=4").content.decode()
    assert "Child79" in last
    assert client.get(reverse("front-door") + "?page=banana").status_code == 200


def test_a_restricted_childs_contact_is_shown_only_to_those_granted(client, world, screener):
    secret = world.children["restricted"]
    contact = Contact.objects.create(child=secret, source="6", received_at=timezone.now())
    assert "Restricted Fenwick" not in client.get(reverse("front-door")).content.decode()
    assert client.get(reverse("front-door-contact", args=[contact.pk])).status_code == 404
    Grant.objects.create(
        restriction=Restriction.objects.get(child=secret),
        user=screener,
        granted_by=world.users[Role.ADMINISTRATOR],
        reason="Screening",
    )
    assert "Restricted Fenwick" in client.get(reverse("front-door")).content.decode()


def test_a_contact_shows_what_was_sent_and_the_likely_matches(client, world, screener):
    held = held_child()
    contact = partner_refers(world)
    page = client.get(reverse("front-door-contact", args=[contact.pk])).content.decode()
    assert "Came to school hungry three days running." in page
    assert "Online referral from a partner agency" in page and "Police (synthetic)" in page
    assert "Amy Brackbi, born 9 April 2016" in page
    assert "Sought, and the family agreed" in page
    assert held.reference in page and "This is the same child" in page
    assert "None of these: it is a new child" in page
    assert "Say which child this is first" in page
    views = AuditEvent.objects.filter(action="view", object_id=str(contact.pk))
    assert {v.child_id for v in views} == {contact.child_id, held.pk}


def test_the_screener_picks_the_held_child_decides_and_the_partner_sees_the_outcome(
    client, world, screener
):
    held = held_child()
    contact = partner_refers(world)
    received(contact, 2)
    provisional = contact.child
    url = reverse("front-door-choose-child", args=[contact.pk])
    assert client.post(url, {"child": held.reference}).status_code == 302
    contact.refresh_from_db()
    provisional.refresh_from_db()
    assert contact.child == held and provisional.merged_into == held
    today = timezone.localdate()
    duty = [d for d in child_duties(held.pk, today) if d.rule == "contact_decision"]
    assert duty[0].status == "overdue"

    page = client.get(reverse("front-door-decide", args=[contact.pk])).content.decode()
    assert "What is the decision?" in page and "Strategy discussion" in page
    response = client.post(reverse("front-door-decide", args=[contact.pk]), DECISION)
    assert response.status_code == 302
    referral = Referral.objects.get(contact=contact)
    assert referral.child == held
    duty = [d for d in child_duties(held.pk, today) if d.rule == "contact_decision"]
    assert duty[0].status == "done_late" and duty[0].completed == today
    page = client.get(reverse("front-door-contact", args=[contact.pk])).content.decode()
    assert "Referral to children&#x27;s social care" in page
    assert "Child in need episode opened" in page and DECISION["threshold_reason"] in page

    client.logout()
    sign_in(client, world.users[Role.PARTNER_REFERRER])
    for url in (reverse("referrals-sent"), reverse("referral-sent", args=[contact.pk])):
        page = client.get(url).content.decode()
        assert "Amy Brackbi" in page and "Decided" in page
        assert DECISION["outcome_for_referrer"] in page
        assert DECISION["threshold_reason"] not in page
        assert held.reference not in page and "Brackby" not in page


def test_a_new_child_then_the_decision(client, world, screener):
    contact = partner_refers(world, forename="Zed", surname="Quarry")
    client.post(reverse("front-door-choose-child", args=[contact.pk]), {"child": "new"})
    contact.refresh_from_db()
    assert contact.child.reference.startswith("HB")
    response = client.post(
        reverse("front-door-decide", args=[contact.pk]), {**DECISION, "decision": "early_help"}
    )
    assert response.status_code == 302
    assert contact.early_help.count() == 1


def test_choosing_a_child_the_screener_may_not_find_is_refused(client, world, screener):
    contact = partner_refers(world)
    url = reverse("front-door-choose-child", args=[contact.pk])
    response = client.post(url, {"child": world.children["restricted"].reference})
    assert (
        response.status_code == 400
        and "Choose one of the children shown" in response.content.decode()
    )
    assert client.post(url, {"child": "<script>"}).status_code == 400
    contact.refresh_from_db()
    assert services.is_provisional(contact.child)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"decision": ""}, "Select the decision"),
        ({"threshold_reason": ""}, "Enter why the decision meets"),
        ({"consent": "overridden"}, "Enter why consent is overridden"),
        ({"outcome_for_referrer": ""}, "Enter what the referrer is told"),
        ({"decision": "open_case"}, "has no open case"),
        ({"consent": "nonsense"}, "Select a valid choice"),
    ],
)
def test_a_decision_form_says_what_to_fix(client, world, screener, changes, message):
    contact = partner_refers(world)
    services.confirm_new_child(contact=contact, by=screener)
    response = client.post(reverse("front-door-decide", args=[contact.pk]), {**DECISION, **changes})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and message in page
    assert "<title>Error:" in page
    contact.refresh_from_db()
    assert contact.decision == ""


def test_a_phone_contact_about_a_child_held_is_recorded_after_the_matches(client, world, screener):
    held = held_child()
    form = {
        "channel": "phone",
        "source": "3B",
        "referrer_name": "Jo Hale",
        "referrer_organisation": "Health visiting (synthetic)",
        "referrer_contact": "01234 567890",
        "forename": "Amy",
        "surname": "Brakby",
        "born_day": BORN.day,
        "born_month": BORN.month,
        "born_year": BORN.year,
        "sex": "F",
        "concerns": "Mother low in mood.",
        "consent": "given",
    }
    page = client.post(reverse("front-door-new-contact"), form).content.decode()
    assert "Is it one of these children?" in page and held.reference in page
    assert not Contact.objects.filter(concerns="Mother low in mood.").exists()
    response = client.post(reverse("front-door-new-contact"), {**form, "match": held.reference})
    contact = Contact.objects.get(concerns="Mother low in mood.")
    assert response.url == reverse("front-door-contact", args=[contact.pk])
    assert contact.child == held and contact.channel == "phone"
    assert contact.referrer_contact == "01234 567890" and contact.consent_given
    assert contact.child_as_referred["surname"] == "Brakby"
    # It joins the queue.
    assert (
        reverse("front-door-contact", args=[contact.pk])
        in client.get(reverse("front-door")).content.decode()
    )


def test_a_contact_about_a_new_child(client, world, screener):
    form = {
        "channel": "police",
        "source": "6",
        "referrer_name": "PC Ward",
        "forename": "Xanthe",
        "surname": "Oddlyname",
        "born_day": 2,
        "born_month": 1,
        "born_year": 2019,
        "sex": "F",
        "concerns": "Domestic abuse; child present.",
        "consent": "not_sought",
        "received_day": timezone.localdate().day,
        "received_month": timezone.localdate().month,
        "received_year": timezone.localdate().year,
        "received_time": "00:05",
    }
    response = client.post(reverse("front-door-new-contact"), form)
    contact = Contact.objects.get(concerns="Domestic abuse; child present.")
    assert response.status_code == 302 and contact.child.reference.startswith("HB")
    assert timezone.localtime(contact.received_at).time() == time(0, 5)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"channel": ""}, "Select how the contact came"),
        ({"referrer_name": ""}, "Enter the referrer&#x27;s name"),
        ({"born_day": ""}, "The date must include a day, month and year"),
        ({"born_year": date.today().year + 1}, "The date of birth must be in the past"),
        ({"received_year": date.today().year + 1}, "must not be in the future"),
        ({"received_time": "25:99"}, "Enter the time like 14:30"),
        ({"source": "ZZ"}, "Select a valid choice"),
    ],
)
def test_a_typed_contact_says_what_to_fix(client, world, screener, changes, message):
    form = {
        "channel": "phone",
        "source": "1A",
        "referrer_name": "A neighbour",
        "forename": "Zed",
        "surname": "Quarry",
        "born_day": 2,
        "born_month": 1,
        "born_year": 2019,
        "sex": "M",
        "concerns": "Children left alone at night.",
        "consent": "not_sought",
        "received_day": 1,
        "received_month": 1,
        "received_year": 2026,
    }
    form.update(changes)
    page = client.post(reverse("front-door-new-contact"), form).content.decode()
    assert "There is a problem" in page and message in page
    assert not Contact.objects.filter(concerns="Children left alone at night.").exists()


def test_telling_the_referrer_later(client, world, screener):
    contact = Contact.objects.get(child=world.children["ours"])
    url = reverse("front-door-tell-referrer", args=[contact.pk])
    assert client.get(url).status_code == 302  # not decided yet
    services.decide_contact(
        contact=contact,
        by=screener,
        decision="open_case",
        threshold_reason="Open to the north team.",
        consent_sought=False,
    )
    page = client.post(url, {"outcome": ""}).content.decode()
    assert "Enter what the referrer was told" in page
    assert client.post(url, {"outcome": "Passed to the social worker."}).status_code == 302
    contact.refresh_from_db()
    assert contact.outcome_for_referrer == "Passed to the social worker."


def test_a_contact_page_costs_what_it_shows(client, world, screener, django_assert_max_num_queries):
    for n in range(4):
        held_child(reference=f"SYN00002{n:02d}", forename="Amy", surname="Brackby")
    contact = partner_refers(world)
    with django_assert_max_num_queries(60):
        page = client.get(reverse("front-door-contact", args=[contact.pk])).content.decode()
    assert page.count("This is the same child") >= 4


def test_the_navigation_offers_the_front_door_to_screeners_only(client, world):
    for role, offered in (
        (Role.MASH_SCREENER, True),
        (Role.TEAM_MANAGER, True),
        (Role.SERVICE_MANAGER, True),
        (Role.SOCIAL_WORKER, False),
        (Role.PARTNER_REFERRER, False),
    ):
        client.logout()
        sign_in(client, world.users[role])
        page = client.get(reverse("home")).content.decode()
        assert (reverse("front-door") in page) is offered, role


def test_hostile_input_never_breaks_the_pages(client, world, screener):
    contact = partner_refers(world, forename="<script>alert(1)</script>")
    for url in (reverse("front-door"), reverse("front-door-contact", args=[contact.pk])):
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page
    response = client.post(
        reverse("front-door-new-contact"), {"channel": "x" * 500, "born_day": "\x00", "match": "'"}
    )
    assert response.status_code == 200
    assert client.get(reverse("front-door-contact", args=[999999])).status_code == 404
    assert client.get(reverse("front-door") + "?page=-1").status_code == 200
