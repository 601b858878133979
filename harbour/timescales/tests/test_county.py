"""On synthetic counties, Harbour's findings are exactly the failures the generator injected."""

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from harbour.synth.failures import parse_rates
from harbour.synth.load import load_county
from harbour.synth.sizes import SIZES
from harbour.timescales.reading import findings_in_database
from harbour.timescales.sources import _can_read_directly

END = date(2026, 11, 20)


def as_set(found):
    return {(f["failure"], f["child"], f["record"]) for f in found}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "size, years, seed, rates",
    [("small", 3, 11, []), ("small", 2, 12, ["all=0.2"]), ("small", 2, 13, ["all=0"])],
    ids=["default rates", "high rates", "no failures"],
)
def test_findings_equal_the_truth_file(size, years, seed, rates):
    loaded = load_county(SIZES[size], years, seed, END, parse_rates(rates))
    found = findings_in_database(END).to_dicts()
    assert as_set(found) == as_set(loaded.truth)
    assert found == sorted(found, key=lambda f: (f["failure"], f["child"] or "", f["record"]))


@pytest.mark.django_db(transaction=True)
def test_findings_read_straight_from_the_database_file(tmp_path, capsys):
    """Outside a transaction Harbour reads through connectorx: the same findings."""
    with transaction.atomic():
        loaded = load_county(SIZES["small"], 1, 14, END, parse_rates(["all=0.1"]))
    assert _can_read_directly(connection)
    call_command("findings", as_of=END.isoformat())
    printed = json.loads(capsys.readouterr().out)
    assert as_set(printed) == as_set(loaded.truth)
