from datetime import date

import pytest

from harbour.authority.policy import PolicyBook, definitions


def test_defaults_come_from_the_policy_file():
    book = PolicyBook()
    assert book.value("cp_visit_interval_working_days") == 10
    assert book.value("nqsw_supervision_interval_days") == 14
    assert all(d.about for d in definitions().values())


def test_a_change_applies_from_its_date():
    book = PolicyBook([("cp_visit_interval_working_days", date(2024, 4, 1), 20)])
    assert book.value("cp_visit_interval_working_days", date(2024, 3, 31)) == 10
    assert book.value("cp_visit_interval_working_days", date(2024, 4, 1)) == 20


def test_unknown_settings_are_refused():
    with pytest.raises(KeyError):
        PolicyBook([("visit_whenever", date(2024, 1, 1), 1)])
