"""Figures that cost seconds are worked out once for every process and kept for a minute;
people asking for the same missing figures at the same moment wait for the one computation;
and a person may start only a few new computations a minute (a 429 page says how long to
wait), while figures already worked out still open."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connections
from django.test import RequestFactory
from django.utils import timezone

from harbour.access.roles import Role
from harbour.access.tests.world import build
from harbour.insight import performance, shared
from harbour.insight.indicators.inputs import Inputs
from harbour.insight.views import dashboards


def _at_once(count: int, ask) -> list:
    """`ask()` in `count` threads started together; their answers."""
    answers, start = [], threading.Barrier(count)

    def run():
        try:
            start.wait()
            answers.append(ask())
        finally:
            connections.close_all()  # each thread's own connection

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def _counting(monkeypatch, owner, name) -> list:
    calls, guard, original = [], threading.Lock(), getattr(owner, name)

    def counted(*args, **kwargs):
        with guard:
            calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


@pytest.mark.django_db(transaction=True)
def test_concurrent_askers_wait_for_the_one_computation():
    made = []

    def make():
        made.append(1)
        time.sleep(0.5)
        return {"value": 42}

    answers = _at_once(6, lambda: shared.figures(("test", "once"), make))
    assert made == [1]
    assert answers == [{"value": 42}] * 6


@pytest.mark.django_db(transaction=True)
def test_a_computation_that_died_is_taken_over_when_its_lock_expires():
    caches["insight"].add(shared.key_of(("test", "died")) + ":working", "gone", 1)
    began = time.monotonic()
    assert shared.figures(("test", "died"), lambda: "made again") == "made again"
    assert 0.5 < time.monotonic() - began < 10


@pytest.mark.django_db(transaction=True)
def test_twenty_people_opening_a_new_days_partnership_view_cost_one_computation(monkeypatch):
    world = build()
    reads = _counting(monkeypatch, Inputs, "read")
    pictures = _counting(monkeypatch, performance, "_picture")
    day = (timezone.localdate() - timedelta(days=3)).isoformat()
    partner = world.users[Role.PARTNER_REFERRER]

    def ask():
        request = RequestFactory().get("/insight/partnership/", {"as_of": day})
        request.user = partner
        return dashboards.partnership(request).status_code

    assert _at_once(20, ask) == [200] * 20
    assert len(reads) == 1 and len(pictures) == 1


@pytest.mark.django_db
def test_figures_are_kept_for_every_process_and_for_a_minute_only(monkeypatch):
    build()
    day = timezone.localdate()
    first = performance.Reading(day).picture("month")
    # Another process: nothing in its memory, the figures from the shared cache.
    monkeypatch.setattr(Inputs, "read", lambda *args: pytest.fail("read the county again"))
    again = performance.Reading(day).picture("month")
    assert again.rows == first.rows and again.read_at == first.read_at
    monkeypatch.undo()

    monkeypatch.setattr(shared, "FRESH_FOR", 1)
    made = []
    shared.figures(("test", "fresh"), lambda: made.append(1) or "kept")
    assert shared.figures(("test", "fresh"), lambda: made.append(1) or "kept") == "kept"
    assert made == [1]
    time.sleep(2.1)  # the cache's times are whole seconds
    shared.figures(("test", "fresh"), lambda: made.append(1) or "kept")
    assert made == [1, 1]


@pytest.mark.django_db
def test_a_person_may_start_only_a_few_new_computations_a_minute(client, settings):
    settings.HARBOUR_INSIGHT_NEW_FIGURES = "2/m"
    world = build()
    leader = world.users[Role.SENIOR_LEADER]
    client.force_login(leader)
    today = timezone.localdate()

    def behind(days: int):
        start = (today - timedelta(days=days)).isoformat()
        query = {"as_of": today, "start": start, "end": today, "part": "numerator"}
        return client.get("/insight/indicators/cp_plans/children/", query)

    assert behind(10).status_code == 200
    assert behind(20).status_code == 200
    assert behind(10).status_code == 200  # already worked out: costs nothing
    refused = behind(30)
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 1 <= wait <= 60
    page = refused.content.decode()
    assert "govuk-heading-l" in page and f"Try again in {wait} second" in page
    assert behind(20).status_code == 200  # figures someone has: still open

    client.force_login(world.users[Role.SERVICE_MANAGER])  # another person's allowance
    assert behind(30).status_code == 200


@pytest.mark.django_db
def test_every_expensive_page_is_limited(client, settings):
    settings.HARBOUR_INSIGHT_NEW_FIGURES = "0/m"
    world = build()
    client.force_login(world.users[Role.PERFORMANCE_OFFICER])
    today = timezone.localdate().isoformat()
    north = world.teams["north"].pk
    for url in (
        "/insight/partnership/",
        "/insight/director/",
        "/insight/service/",
        f"/insight/teams/{north}/",
        f"/insight/indicators/cp_plans/children/?as_of={today}&start={today}&end={today}"
        "&part=numerator",
        "/insight/report.pdf",
        "/insight/report.xlsx",
        "/insight/data-quality/",
        "/insight/data-quality/export.csv",
    ):
        assert client.get(url).status_code == 429, url
    assert client.get("/insight/").status_code == 200  # no figures worked out
