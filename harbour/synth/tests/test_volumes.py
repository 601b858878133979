"""The large county's volumes and flows match the targets within 10%, and its sibling groups
go through the service together at the rates sizes.SIBLING_TARGETS sets."""

from datetime import date

import pytest

from harbour.synth.county import County
from harbour.synth.failures import DEFAULT_RATES
from harbour.synth.sink import MemorySink
from harbour.synth.sizes import SIBLING_TARGETS, SIZES, TARGETS
from harbour.synth.volumes import SIBLING_TABLES, TABLES, measure, siblings

END = date(2026, 11, 20)
LARGE = SIZES["large"]
YEARS = (2025, 2026)
pytestmark = pytest.mark.slow  # generates a large county in memory


@pytest.fixture(scope="module")
def large_county():
    sink = MemorySink(keep=TABLES | SIBLING_TABLES)
    County(LARGE, 5, 1, END, sink, DEFAULT_RATES).generate()
    return sink.rows


def average(measured: list[dict]) -> dict:
    return {name: sum(year[name] for year in measured) / len(measured) for name in measured[0]}


@pytest.fixture(scope="module")
def two_years(large_county):
    """The last two whole collection years averaged, to steady the smaller counts."""
    return average([measure(large_county, date(y, 3, 31), LARGE.children) for y in YEARS])


@pytest.fixture(scope="module")
def sibling_rates(large_county):
    return average([siblings(large_county, date(y, 3, 31)) for y in YEARS])


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


@pytest.mark.parametrize("name", sorted(SIBLING_TARGETS))
def test_sibling_groups_go_through_the_service_together(sibling_rates, name):
    assert sibling_rates[name] == pytest.approx(SIBLING_TARGETS[name], abs=0.08), name
