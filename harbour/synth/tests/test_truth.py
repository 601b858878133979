"""The truth file lists exactly the practice failures in the records, judged independently."""

from collections import Counter
from datetime import date

import pytest
from django.apps import apps

from harbour.core.models import Recorded
from harbour.synth.failures import FAILURE_TABLES, KINDS, parse_rates
from harbour.synth.load import load_county
from harbour.synth.sizes import SIZES
from harbour.synth.tests.truth_check import failures_in_database, truth_set

END = date(2026, 11, 20)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rates", [[], ["all=0.25"]], ids=["default rates", "high rates"])
def test_truth_file_is_exactly_the_failures_in_the_records(rates):
    loaded = load_county(SIZES["small"], 2, 3, END, parse_rates(rates))
    truth = truth_set(loaded.truth)
    found = failures_in_database(END)

    assert found - truth == set(), "failures in the records the truth file does not list"
    assert truth - found == set(), "failures in the truth file the records do not show"
    assert set(Counter(kind for kind, _, _ in truth)) == set(KINDS), "every kind injected"


def test_truth_records_point_at_their_tables_and_children():
    loaded = load_county(SIZES["small"], 1, 5, END, parse_rates(["all=0.2"]))
    for failure in loaded.truth:
        model = apps.get_model(FAILURE_TABLES[failure["failure"]])
        record = model.objects.get(pk=failure["record"])
        if failure["child"] is None:
            assert failure["failure"] == "supervision_gap"
        else:
            assert record.child.reference == failure["child"]


def test_no_failures_when_rates_are_zero():
    loaded = load_county(SIZES["small"], 1, 9, END, parse_rates(["all=0"]))
    assert loaded.truth == []
    assert failures_in_database(END) == set()


def test_every_record_starts_its_history():
    load_county(SIZES["small"], 1, 2, END, parse_rates([]))
    for model in apps.get_models():
        if issubclass(model, Recorded):
            assert model.history.count() == model.objects.count(), model.__name__
