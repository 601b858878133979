from django.apps import apps
from django.db import models

from harbour.codes import all_lists, choices, code_list


def test_every_list_loads_with_string_codes_and_a_source():
    lists = all_lists()
    assert {
        "referral_source",
        "primary_need",
        "category_of_abuse",
        "closure_reason",
        "legal_status",
        "placement_type",
        "reason_episode_ceased",
        "ethnicity",
        "disability",
    } <= set(lists)
    for code_list_ in lists.values():
        assert code_list_.codes and code_list_.source
        assert all(isinstance(code, str) and code for code in code_list_.codes)


def test_department_codes_are_stored_as_sent():
    assert "RC8" in code_list("closure_reason")
    assert "N1" in code_list("primary_need")
    assert "6" in code_list("referral_source")
    assert code_list("category_of_abuse").label("NEG") == "Neglect"
    assert "E4A" in code_list("reason_episode_ceased")
    assert "U6" in code_list("placement_type")


def test_every_choices_callable_names_a_list():
    for name in dir(choices):
        function = getattr(choices, name)
        if callable(function) and getattr(function, "__module__", "") == choices.__name__:
            assert function() == code_list(name).choices()


def test_model_fields_take_their_choices_from_the_code_lists():
    coded = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField) and field.choices:
                coded.append(field)
                assert all(len(value) <= field.max_length for value, _ in field.choices), field
    assert len(coded) > 30
