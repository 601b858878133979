"""The chronology page: significant events made automatically and curated through the views,
with the not significant folded away, and printed as a PDF; each audited."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from harbour.access.models import AuditEvent
from harbour.access.roles import Role
from harbour.access.tests.world import build, sign_in
from harbour.casework.tests.record_history import history
from harbour.journey.models import ChronologyEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build()


@pytest.fixture
def made(world):
    return history(world.children["ours"], world.staff[Role.SOCIAL_WORKER])


@pytest.fixture
def worker(client, world):
    sign_in(client, world.users[Role.SOCIAL_WORKER])
    return client


def _url(world, name="child-chronology", *args):
    return reverse(name, args=[world.children["ours"].reference, *args])


def test_the_chronology_shows_significant_events_oldest_first(worker, world, made):
    page = worker.get(_url(world))
    assert page.status_code == 200
    items = page.context["items"]
    assert [i.on for i in items] == sorted(i.on for i in items)
    html = page.content.decode()
    assert "Referral accepted by children&#x27;s social care." in html
    assert "Child protection plan started" in html
    assert "Add an entry" in html and "Change" in html
    assert AuditEvent.objects.filter(
        child_id=world.children["ours"].pk, detail__page="chronology"
    ).exists()


def test_a_reader_who_may_not_curate_sees_no_curation(client, world, made):
    sign_in(client, world.users[Role.INSPECTOR])
    html = client.get(_url(world)).content.decode()
    assert "Add an entry" not in html
    assert client.get(_url(world, "chronology-add")).status_code == 403


def test_add_an_entry_through_the_form(worker, world, made):
    url = _url(world, "chronology-add")
    assert worker.get(url).status_code == 200
    refused = worker.post(url, {"day": "", "month": "", "year": "", "category": "", "summary": ""})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "There is a problem" in html
    assert "Enter the date the event happened" in html and 'href="#id_day"' in html
    assert "Enter what happened" in html
    day = timezone.localdate() - timedelta(days=4)
    saved = worker.post(
        url,
        {
            "day": day.day,
            "month": day.month,
            "year": day.year,
            "category": "family",
            "summary": "Father left the family home.",
            "annotation": "The children are calmer.",
        },
    )
    assert saved.status_code == 302 and saved["Location"].endswith("/chronology/?saved=1")
    entry = ChronologyEntry.objects.get(summary="Father left the family home.")
    assert entry.significant and entry.occurred_on == day
    html = worker.get(saved["Location"]).content.decode()
    assert "The chronology has been updated" in html and "The children are calmer." in html


def test_a_future_or_impossible_date_is_refused(worker, world, made):
    url = _url(world, "chronology-add")
    future = timezone.localdate() + timedelta(days=3)
    base = {"category": "family", "summary": "Something."}
    html = worker.post(
        url, {**base, "day": future.day, "month": future.month, "year": future.year}
    ).content.decode()
    assert "must be today or in the past" in html
    html = worker.post(url, {**base, "day": 31, "month": 2, "year": 2025}).content.decode()
    assert "must be a real date" in html


def test_mark_an_automatic_event_not_significant_and_annotate_it(worker, world, made):
    ours = world.children["ours"]
    plan = made["plan"]
    key = f"cp_plan:{plan.pk}@{plan.starts_on.isoformat()}"
    url = _url(world, "chronology-entry", key)
    page = worker.get(url)
    assert page.status_code == 200 and "From the record, automatically" in page.content.decode()
    done = worker.post(url, {"significant": "no", "annotation": "Stepped down later."})
    assert done.status_code == 302
    entry = ChronologyEntry.objects.get(
        child=ours, source=f"cp_plan:{plan.pk}", occurred_on=plan.starts_on
    )
    assert not entry.significant and entry.annotation == "Stepped down later."
    page = worker.get(_url(world))
    assert all(i.source != entry.source or i.on != entry.occurred_on for i in page.context["items"])
    assert any(i.entry_id == entry.pk for i in page.context["not_significant"])
    assert "Not significant (" in page.content.decode()


def test_an_unknown_entry_is_not_found(worker, world, made):
    assert worker.get(_url(world, "chronology-entry", "entry-999999")).status_code == 404
    assert worker.get(_url(world, "chronology-entry", "referral:1@2020-01-01")).status_code == 404


def test_the_chronology_prints_as_a_pdf_and_is_logged(worker, world, made):
    ours = world.children["ours"]
    response = worker.get(_url(world, "child-chronology-pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(child_id=ours.pk, action=AuditEvent.Action.EXPORT).exists()


def test_the_chronology_costs_what_the_history_costs(
    worker, world, made, django_assert_max_num_queries
):
    worker.get(_url(world))
    with django_assert_max_num_queries(80) as few:
        worker.get(_url(world))
    history(world.children["ours"], world.staff[Role.SOCIAL_WORKER], visits=40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        worker.get(_url(world))
