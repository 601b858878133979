"""A page's duties come from its own children's rows through Django's connection: no page starts
a process (on SQLite the county-wide reader is one), and a page reads what it shows."""

import subprocess

import polars as pl
import pytest
from django.urls import reverse
from django.utils import timezone

from harbour.access.roles import Role
from harbour.access.tests.world import build, sign_in
from harbour.timescales.selectors import duties_for
from harbour.timescales.sources import read_tables

pytestmark = pytest.mark.django_db(transaction=True)  # committed rows, as a live page reads


def _no_processes(monkeypatch):
    def refused(*args, **kwargs):
        raise AssertionError(f"a page started a process: {args[0] if args else kwargs}")

    monkeypatch.setattr(subprocess, "run", refused)
    monkeypatch.setattr(subprocess, "Popen", refused)


def test_the_record_the_tray_and_the_team_page_start_no_process(client, monkeypatch):
    world = build()
    _no_processes(monkeypatch)
    sign_in(client, world.users[Role.TEAM_MANAGER])
    for url in (
        reverse("child", args=[world.children["ours"].reference]),
        reverse("my-work"),
        reverse("worker-work", args=[world.staff[Role.SOCIAL_WORKER].pk]),
        reverse("team-work", args=[world.teams["north"].pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_a_pages_duties_are_those_the_county_wide_reading_gives(monkeypatch):
    from harbour.timescales.engine import Setting, compute_duties

    world = build()
    ours = world.children["ours"].pk
    today = timezone.localdate()
    page = {(d.rule, d.trigger, d.due, d.status) for d in duties_for(today, children=[ours])}
    tables = read_tables()
    county = compute_duties(tables, today, setting=Setting.from_tables(tables, today))
    mine = county.filter(pl.col("child_id") == ours).with_columns(
        pl.col("rule", "status").cast(pl.String)
    )
    theirs = {(r["rule"], r["trigger"], r["due"], r["status"]) for r in mine.iter_rows(named=True)}
    assert page and page == theirs
