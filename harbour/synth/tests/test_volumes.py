"""The large county's volumes and flows match the targets within 10%."""

from datetime import date

import pytest

from harbour.synth.county import County
from harbour.synth.failures import DEFAULT_RATES
from harbour.synth.sink import MemorySink
from harbour.synth.sizes import SIZES, TARGETS
from harbour.synth.volumes import TABLES, measure

END = date(2026, 11, 20)
LARGE = SIZES["large"]


@pytest.fixture(scope="module")
def two_years():
    """The last two whole collection years averaged, to steady the smaller counts."""
    sink = MemorySink(keep=TABLES)
    County(LARGE, 5, 1, END, sink, DEFAULT_RATES).generate()
    years = [measure(sink.rows, date(y, 3, 31), LARGE.children) for y in (2025, 2026)]
    return {name: sum(year[name] for year in years) / len(years) for name in years[0]}


@pytest.mark.parametrize(
    "name, a_year",
    [
        ("contacts_per_10k", 40_000),
        ("referrals_per_10k", 10_000),
        ("cp_plans_started_per_10k", 650),
        ("cla_per_10k", 1_100),
    ],
)
def test_headline_volumes_of_the_large_county(two_years, name, a_year):
    assert two_years[name] * LARGE.children / 10_000 == pytest.approx(a_year, rel=0.1)


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_each_rate_within_ten_percent_of_its_target(two_years, name):
    assert two_years[name] == pytest.approx(TARGETS[name], rel=0.1), name
