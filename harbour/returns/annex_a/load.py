"""Importing an Annex A workbook: `read` checks it without touching the database; `load` writes
it (`harbour.returns.imports` calls both, the loads in one transaction after the CIN census and
SSDA903, so records those made are matched and filled rather than made twice).

Children are matched by the child's ID column; a child new to Harbour is "Child <ID>" until
someone records a name. Every record is found by its natural key (child and date) and saved
only where something differs, so importing a workbook twice changes nothing. What the
workbook carries that Harbour cannot store is listed in `lists.NOT_STORED`; List 11
(adopters) is checked but not stored, as Harbour keeps no adopters.
"""

from harbour.returns.annex_a.load_care import load_adoption, load_care_leavers, load_periods
from harbour.returns.annex_a.load_journey import (
    load_assessments,
    load_contacts,
    load_early_help,
    load_enquiries,
    load_plans,
    load_referrals,
    load_visits,
)
from harbour.returns.annex_a.loader import Loader
from harbour.returns.annex_a.parse import Parsed, read
from harbour.returns.importing import Outcome, Progress, no_progress

__all__ = ["load", "read"]

STEPS = (
    ("children", Loader.load_children),
    ("referrals and child in need episodes", load_referrals),
    ("contacts", load_contacts),
    ("early help", load_early_help),
    ("assessments", load_assessments),
    ("section 47 enquiries", load_enquiries),
    ("child protection plans", load_plans),
    ("periods of care", load_periods),
    ("visits", load_visits),
    ("care leavers", load_care_leavers),
    ("adoption", load_adoption),
    ("allocated workers", Loader.load_allocations),
)


def load(parsed: Parsed, outcome: Outcome, progress: Progress = no_progress) -> None:
    loader = Loader(parsed, outcome)
    for done, (name, step) in enumerate(STEPS):
        progress(f"Annex A: {name}", done, len(STEPS))
        step(loader)
        loader.write()  # what this step made, before the next step reads what is held
    loader.log()
    progress("Annex A: done", len(STEPS), len(STEPS))
