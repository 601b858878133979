"""The large county's volumes and flows match the targets within 10%."""

from datetime import date

import pytest

from harbour.synth.county import County
from harbour.synth.failures import DEFAULT_RATES
from harbour.synth.sink import MemorySink
from harbour.synth.sizes import SIZES, TARGETS
from harbour.synth.volumes import TABLES, measure

END = date(2026, 11, 20)


@pytest.fixture(scope="module")
def large_county():
    sink = MemorySink(keep=TABLES)
    County(SIZES["large"], 5, 1, END, sink, DEFAULT_RATES).generate()
    return sink


def test_headline_volumes_of_the_large_county(large_county):
    year = measure(large_county.rows, date(2026, 3, 31), SIZES["large"].children)
    per_year = {
        name: year[name] * 17.5
        for name in (
            "contacts_per_10k",
            "referrals_per_10k",
            "cp_plans_started_per_10k",
            "cla_per_10k",
        )
    }
    assert per_year["contacts_per_10k"] == pytest.approx(40_000, rel=0.1)
    assert per_year["referrals_per_10k"] == pytest.approx(10_000, rel=0.1)
    assert per_year["cp_plans_started_per_10k"] == pytest.approx(650, rel=0.1)
    assert per_year["cla_per_10k"] == pytest.approx(1_100, rel=0.1)


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_each_rate_within_ten_percent_of_its_target(large_county, name):
    # Averaged over the last two whole collection years, to steady the smaller counts.
    years = [
        measure(large_county.rows, date(y, 3, 31), SIZES["large"].children) for y in (2025, 2026)
    ]
    value = sum(year[name] for year in years) / len(years)
    assert value == pytest.approx(TARGETS[name], rel=0.1), f"{name}: {value:.3f}"
