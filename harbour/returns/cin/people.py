"""A census child's identity and characteristics, as values for `people.Child`.

A new child gets the census's values and a placeholder name (returns carry no names). A held
child changes only where the census made from it would show something else: an unborn child
is always sex U, a death after the reference date does not show, Ethnicity shows NOBT where
none is held, and a UPNunknown reason that Harbour would work out itself is not stored.
"""

import copy

from harbour.people.models import Child
from harbour.returns.cin.export import upn_unknown
from harbour.returns.cin.held import until
from harbour.returns.cin.parsed import CinChild
from harbour.returns.importing import unnamed
from harbour.returns.period import CollectionYear


def new_child(c: CinChild, period: CollectionYear) -> dict:
    born = c.born_on is not None and c.born_on <= period.end
    values = {
        **unnamed(c.reference),
        "date_of_birth": c.born_on,
        "expected_date_of_birth": c.expected_on,
        "date_of_death": c.died_on,
        "sex": c.sex if born and c.sex else "U",
        "ethnicity": c.ethnicity,
        "upn": c.upn,
        "former_upn": c.former_upn,
        "upn_unknown": "",
    }
    if c.upn_unknown and upn_unknown(Child(**values), period) != c.upn_unknown:
        values["upn_unknown"] = c.upn_unknown
    return values


def child_changes(c: CinChild, held: Child, period: CollectionYear) -> dict:
    end, values = period.end, {}
    if c.born_on is not None:
        if held.date_of_birth != c.born_on:
            values["date_of_birth"] = c.born_on
        if c.expected_on and held.expected_date_of_birth != c.expected_on:
            values["expected_date_of_birth"] = c.expected_on
    else:
        born = held.date_of_birth
        if born is not None and born <= end:  # the census says not yet born
            values["date_of_birth"] = born = None
        if (held.expected_date_of_birth or born) != c.expected_on:
            values["expected_date_of_birth"] = c.expected_on
    if c.born_on is not None and c.born_on <= end:
        if c.gender_current:
            if {"M": "1", "F": "2"}.get(held.sex, "0") != c.gender_current:
                values["sex"] = c.sex
        elif held.sex != c.sex:
            values["sex"] = c.sex
    if until(held.date_of_death, end) != c.died_on:
        values["date_of_death"] = c.died_on
    if (held.ethnicity or "NOBT") != c.ethnicity:
        values["ethnicity"] = c.ethnicity
    for name, value in (("upn", c.upn), ("former_upn", c.former_upn)):
        if getattr(held, name) != value:
            values[name] = value
    probe = copy.copy(held)
    for name, value in values.items():
        setattr(probe, name, value)
    if upn_unknown(probe, period) != c.upn_unknown and (c.upn_unknown or held.upn_unknown):
        probe.upn_unknown = ""
        worked_out = upn_unknown(probe, period)
        values["upn_unknown"] = "" if worked_out == c.upn_unknown else c.upn_unknown
    return values
