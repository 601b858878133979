"""A council that loads its returns sees the same practice failures Harbour would have shown
had the casework been typed into it: for every kind of failure the returns can show, the
findings on the imported records are the findings on the records the returns came from."""

from datetime import date

import pytest
from django.db import transaction

from harbour.journey.models import Referral
from harbour.returns.cin.export import census_xml
from harbour.returns.imports import import_paths
from harbour.returns.ssda903.export import write_return
from harbour.synth.failures import parse_rates
from harbour.synth.load import load_county
from harbour.synth.sizes import SIZES
from harbour.timescales import engine
from harbour.timescales.reading import findings_in_database

pytestmark = pytest.mark.django_db

END = date(2026, 3, 31)  # the census date: the returns hold the whole picture up to it
YEARS = (2025, 2026)
# What the census and the SSDA903 return carry: referrals and their closures, assessments'
# start and authorisation dates, section 47 enquiries and their initial conferences. Strategy
# discussions, visits, core groups, supervision and sign-off are not in any return.
SHOWN_BY_THE_RETURNS = set(engine.SHOWN_BY_RETURNS)


def _by_child(found, closed_before=None) -> set[tuple[str, str]]:
    """(kind, child); leaving out episodes closed before the first return's year, which no
    return can show (the census holds what was open in its year)."""
    rows = found.to_dicts() if len(found) else []
    early = set()
    if closed_before is not None:
        early = set(
            Referral.objects.filter(
                pk__in=[r["record"] for r in rows if r["failure"] == "closed_then_rereferred"],
                closed_on__lt=closed_before,
            ).values_list("pk", flat=True)
        )
    return {
        (row["failure"], row["child"])
        for row in rows
        if not (row["failure"] == "closed_then_rereferred" and row["record"] in early)
    }


@pytest.fixture(scope="module")
def exported(django_db_setup, django_db_blocker, tmp_path_factory):
    """The county's returns and its findings, made in a transaction then undone."""
    folder = tmp_path_factory.mktemp("returns")
    with django_db_blocker.unblock(), transaction.atomic():
        load_county(SIZES["small"], 2, 6, END, parse_rates(["all=0.1"]))
        paths = []
        for year in YEARS:
            census = folder / f"cin-{year}.xml"
            census.write_bytes(census_xml(year))
            write_return(year, folder / f"903-{year}", "E10000020")
            paths += [census, folder / f"903-{year}"]
        found = _by_child(findings_in_database(END), closed_before=date(YEARS[0] - 1, 4, 1))
        transaction.set_rollback(True)
    return paths, found


def test_findings_on_imported_returns_match_the_records_they_came_from(exported):
    paths, original = exported
    import_paths(paths)
    imported = _by_child(findings_in_database(END))
    assert {kind for kind, _ in imported} <= SHOWN_BY_THE_RETURNS | {"supervision_gap"}, (
        "no failure the returns cannot show is claimed for children known only from them"
    )
    for kind in sorted(SHOWN_BY_THE_RETURNS):
        was = {child for failure, child in original if failure == kind}
        now = {child for failure, child in imported if failure == kind}
        assert was, f"the county has {kind} failures to find"
        assert now == was, f"{kind}: missing {sorted(was - now)[:5]}, extra {sorted(now - was)[:5]}"
