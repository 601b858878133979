from datetime import date

from harbour.synth.county import County
from harbour.synth.failures import DEFAULT_RATES, parse_rates
from harbour.synth.sink import MemorySink
from harbour.synth.sizes import SIZES
from harbour.synth.text import postcodes

END = date(2026, 11, 20)


def generate(seed, rates=DEFAULT_RATES):
    sink = MemorySink()
    truth = County(SIZES["small"], 1, seed, END, sink, rates).generate()
    return sink.rows, truth


def test_same_seed_same_county():
    assert generate(4) == generate(4)


def test_another_seed_another_county():
    first, _ = generate(4)
    second, _ = generate(5)
    assert first["people.Child"] != second["people.Child"]


def test_names_and_addresses_are_plainly_synthetic():
    rows, _ = generate(4)
    for child in rows["people.Child"]:
        assert child["reference"].startswith("SYN")
        assert not child["nhs_number"] or child["nhs_number"].startswith("999")
    pool = {p for area in postcodes().values() for p in area}
    for address in rows["people.Address"]:
        assert address["postcode"] in pool  # real postcodes, fictional streets and towns
    for member in rows["people.FamilyMember"]:
        assert member["phone"] == "" or member["phone"].startswith("07700 900")


def test_rates_of_zero_inject_nothing_and_every_kind_can_be_raised():
    _, none = generate(4, parse_rates(["all=0"]))
    _, some = generate(4, parse_rates(["all=0", "late_icpc=1"]))
    assert none == []
    assert some and {f["failure"] for f in some} == {"late_icpc"}
