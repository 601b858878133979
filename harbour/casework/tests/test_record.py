"""The child's record as the hub: header, alerts, summary, timeline, record pages, family and
network, identity and duties, through the views; each audited, each bounded in queries."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from harbour.access.models import AuditEvent, Restriction
from harbour.access.roles import Role
from harbour.access.tests.world import build, sign_in
from harbour.casework.tests.record_history import family, history
from harbour.people.models import Child
from harbour.workforce.models import Allocation

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build()


@pytest.fixture
def worker(client, world):
    sign_in(client, world.users[Role.SOCIAL_WORKER])
    return client


@pytest.fixture
def ours(world):
    child = world.children["ours"]
    made = history(child, world.staff[Role.SOCIAL_WORKER])
    # The world's own plan ends, so the plan the history made is the current one.
    child.child_protection_plans.exclude(pk=made["plan"].pk).update(
        ends_on=timezone.localdate() - timedelta(days=1)
    )
    return child


def _sibling(world, reference, forename, allocated_to=None, born=date(2016, 2, 2)):
    child = Child.objects.create(
        reference=reference, forename=forename, surname="Fenwick", sex="M", date_of_birth=born
    )
    if allocated_to is not None:
        Allocation.objects.create(
            child=child,
            worker=allocated_to,
            team=allocated_to.team,
            starts_on=timezone.localdate() - timedelta(days=30),
        )
    return child


def _views(child, page=None):
    events = AuditEvent.objects.filter(child_id=child.pk, action=AuditEvent.Action.VIEW)
    if page is not None:
        events = events.filter(detail__page=page)
    return events.count()


def test_the_header_shows_name_age_statuses_worker_and_actions(worker, ours):
    page = worker.get(reverse("child", args=[ours.reference]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "harbour-record-bar" in html
    assert "Ours Fenwick" in html
    assert f"aged {ours.age_on(timezone.localdate())}" in html
    assert "Child protection plan since" in html and ": Neglect</strong>" in html  # the badge
    assert "Social worker Test" in html and "North team" in html
    assert reverse("family-file", args=[ours.reference]) in html
    assert reverse("child-chronology-pdf", args=[ours.reference]) in html
    for name in ("child-timeline", "child-chronology", "child-family", "child-identity"):
        assert reverse(name, args=[ours.reference]) in html
    assert 'aria-current="page"' in html


def test_alerts_name_what_needs_attention(worker, ours):
    html = worker.get(reverse("child", args=[ours.reference])).content.decode()
    assert "has no contingency plan" in html
    assert "Missing on" in html and "within the last 30 days" in html
    assert "is older than the latest significant event" in html


def test_the_summary_shows_the_plan_the_assessment_and_the_latest_visit(worker, ours):
    html = worker.get(reverse("child", args=[ours.reference])).content.decode()
    assert "Two children, neglect." in html
    assert "The children are fed every day." in html
    assert "Health visitor weighs the baby fortnightly." in html and "Priya Hale" in html
    assert "the father&#x27;s drinking" in html or "the father's drinking" in html
    assert "Latest visit" in html and "Child protection visit on" in html


def test_who_has_viewed_is_offered_to_those_who_may_see_it(client, world, ours):
    sign_in(client, world.users[Role.TEAM_MANAGER])
    html = client.get(reverse("child", args=[ours.reference])).content.decode()
    assert reverse("record-viewers", args=[ours.reference]) in html
    client.logout()
    sign_in(client, world.users[Role.SOCIAL_WORKER])
    html = client.get(reverse("child", args=[ours.reference])).content.decode()
    assert reverse("record-viewers", args=[ours.reference]) not in html


def test_the_timeline_has_every_kind_newest_first_each_opening_its_record(worker, ours):
    page = worker.get(reverse("child-timeline", args=[ours.reference]))
    assert page.status_code == 200
    events = list(page.context["page"].object_list)
    assert [e.on for e in events] == sorted((e.on for e in events), reverse=True)
    counts = {key: count for key, _, count, _ in page.context["kind_options"]}
    for kind in ("contact", "referral", "strategy", "enquiry", "assessment", "conference"):
        assert counts[kind] >= 1, kind
    for kind in ("plan", "core_group", "visit", "case_note", "missing", "care", "early_help"):
        assert counts[kind] >= 1, kind
    first = events[0]
    detail = worker.get(
        reverse("child-record", args=[ours.reference, first.record, first.record_id])
    )
    assert detail.status_code == 200


def test_the_timeline_filters_by_kind_and_pages(worker, world):
    child = world.children["ours"]
    history(child, world.staff[Role.SOCIAL_WORKER], visits=40)
    url = reverse("child-timeline", args=[child.reference])
    visits = worker.get(url, {"kind": "visit"})
    assert {e.kind for e in visits.context["page"].object_list} == {"visit"}
    assert visits.context["total"] == 40
    second = worker.get(url, {"kind": "visit", "page": 2})
    assert len(second.context["page"].object_list) == 15
    assert "kind=visit" in second.content.decode()  # the pages keep the filter
    everything = worker.get(url)
    assert everything.context["total"] > 40


def test_a_record_page_shows_every_field_in_words_and_is_audited(worker, ours):
    contact = ours.contacts.get(referrer_name="Dr Ola Marsh")
    url = reverse("child-record", args=[ours.reference, "contact", contact.pk])
    html = worker.get(url).content.decode()
    assert "Bruising seen on the child&#x27;s arm" in html
    assert "Dr Ola Marsh" in html and "Phone call" in html
    assert "Strategy discussion (significant harm suspected)" in html
    assert AuditEvent.objects.filter(
        child_id=ours.pk, object_type="journey.Contact", object_id=str(contact.pk)
    ).exists()
    plan = ours.child_protection_plans.get(contingency="")
    html = worker.get(
        reverse("child-record", args=[ours.reference, "child-protection-plan", plan.pk])
    ).content.decode()
    assert "The children are fed every day." in html and "Priya Hale" in html


def test_a_record_page_refuses_another_childs_record(worker, world, ours):
    theirs = world.children["theirs"]
    history(theirs)
    contact = theirs.contacts.get()
    url = reverse("child-record", args=[ours.reference, "contact", contact.pk])
    assert worker.get(url).status_code == 404
    url = reverse("child-record", args=[ours.reference, "no-such-kind", 1])
    assert worker.get(url).status_code == 404


def test_every_section_is_audited_as_a_view_of_the_child(worker, ours):
    for name, page in (
        ("child-timeline", "timeline"),
        ("child-family", "family and network"),
        ("child-identity", "identity"),
        ("child-duties", "duties"),
    ):
        before = _views(ours, page)
        assert worker.get(reverse(name, args=[ours.reference])).status_code == 200
        assert _views(ours, page) == before + 1, name


def test_sections_answer_as_the_record_does_for_those_outside_it(client, world):
    theirs = world.children["theirs"]
    sign_in(client, world.users[Role.SOCIAL_WORKER])
    for name in ("child-timeline", "child-family", "child-identity", "child-duties"):
        assert client.get(reverse(name, args=[theirs.reference])).status_code == 403
    secret = world.children["restricted"]
    client.logout()
    sign_in(client, world.users[Role.SENIOR_PRACTITIONER])
    for name in ("child-timeline", "family-file"):
        assert client.get(reverse(name, args=[secret.reference])).status_code == 404


def test_family_and_network_links_siblings_the_viewer_may_reach(worker, world, ours):
    sw = world.staff[Role.SOCIAL_WORKER]
    brother = _sibling(world, "SYN0000010", "Brother", allocated_to=sw)
    elsewhere = _sibling(world, "SYN0000011", "Elsewhere")
    hidden = _sibling(world, "SYN0000012", "Hidden")
    Restriction.objects.create(child=hidden, reason="Adoption")
    family(ours, brother, half_sibling=elsewhere)
    from harbour.people.models import Relationship

    mother = Relationship.objects.get(child=ours, kind="mother").family_member
    Relationship.objects.create(child=hidden, family_member=mother, kind="mother")
    page = worker.get(reverse("child-family", args=[ours.reference]))
    html = page.content.decode()
    assert reverse("child", args=[brother.reference]) in html
    assert "same mother and father" in html  # the brother
    assert "shares their mother, Jane Fenwick" in html  # the half-brother
    # Not in the worker's work: named, linked to ask with a reason (a social worker may).
    assert "Elsewhere Fenwick" in html and "you can ask to open the record" in html
    # Restricted: not even the name.
    assert "Hidden" not in html
    assert "Iris Old" in html and "Grandparent" in html


def test_identity_shows_characteristics_and_what_the_returns_miss(worker, ours):
    html = worker.get(reverse("child-identity", args=[ours.reference])).content.decode()
    assert "Missing for the statutory returns" in html
    assert "Ethnicity" in html and "NHS number" in html
    ours.ethnicity, ours.nhs_number = "WBRI", "9990001112"
    ours.save()
    html = worker.get(reverse("child-identity", args=[ours.reference])).content.decode()
    assert "9990001112" in html
    assert "White - British" in html and "WBRI:" not in html  # in words, not codes


def test_duties_are_grouped_by_plan_with_the_past_folded_by_kind(worker, ours):
    page = worker.get(reverse("child-duties", args=[ours.reference]))
    assert page.status_code == 200
    groups = page.context["groups"]
    labels = [g["label"] for g in groups]
    assert any(label.startswith("Child protection plan from") for label in labels)
    plan = next(g for g in groups if g["label"].startswith("Child protection plan from"))
    titles = [k["title"] for k in plan["past"]]
    assert len(titles) == len(set(titles))  # one fold a kind, not a flat list
    assert "<details" in page.content.decode()


@pytest.mark.parametrize(
    "name", ["child", "child-timeline", "child-family", "child-identity", "child-duties"]
)
def test_each_page_costs_the_same_whatever_the_history(
    worker, world, name, django_assert_max_num_queries
):
    child = world.children["ours"]
    history(child, world.staff[Role.SOCIAL_WORKER], visits=5)
    url = reverse(name, args=[child.reference])
    worker.get(url)
    with django_assert_max_num_queries(80) as small:
        worker.get(url)
    history(child, world.staff[Role.SOCIAL_WORKER], visits=60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        worker.get(url)


def test_a_merged_records_pages_redirect_to_the_record_it_was_merged_into(client, world):
    ours = world.children["ours"]
    duplicate = Child.objects.create(
        reference="SYN0000099",
        forename="Ours",
        surname="Fenwick",
        sex="F",
        date_of_birth=ours.date_of_birth,
        merged_into=ours,
    )
    sign_in(client, world.users[Role.SOCIAL_WORKER])
    page = client.get(reverse("child", args=[duplicate.reference]))
    assert page.status_code == 302 and page["Location"] == reverse("child", args=[ours.reference])
    page = client.get(reverse("child-timeline", args=[duplicate.reference]))
    assert page["Location"] == reverse("child-timeline", args=[ours.reference])
    client.logout()
    sign_in(client, world.users[Role.PARTNER_REFERRER])
    assert client.get(reverse("child", args=[duplicate.reference])).status_code == 404


def test_a_babys_age_is_given_in_months_or_weeks():
    from harbour.casework.views.record import age_words

    baby = Child(forename="B", surname="B", sex="F", date_of_birth=date(2026, 3, 18))
    assert age_words(baby, date(2026, 12, 2)) == "aged 8 months"
    assert age_words(baby, date(2026, 4, 1)) == "aged 2 weeks"
    assert age_words(baby, date(2028, 3, 18)) == "aged 2"
    assert age_words(baby, date(2026, 1, 1)) == "unborn"
