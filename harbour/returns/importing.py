"""What every import of a return shares: problems reported all at once, records saved only
where they change (so a second import of the same files changes nothing), and progress.

Each format reads its files in two steps: `read` parses and checks every file, collecting every
problem (file, row or element, field, problem) without touching the database; `load` writes
what was read. `harbour.returns.imports.import_paths` runs all the reads first, refuses the
import if any problem was found, and runs the loads in one transaction.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models


@dataclass(frozen=True)
class Problem:
    file: str
    where: str  # "row 12", "Child 3 (LAchildID 1234) / CINdetails 1", "sheet List 6, row 4"
    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.field}: {self.problem}"


class ImportRefused(Exception):
    """Raised with every problem found; the database is left as it was."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) found; nothing was imported")


class Problems:
    """The problems found in one file."""

    def __init__(self, file: str):
        self.file = file
        self.found: list[Problem] = []

    def add(self, where: str, field_: str, problem: str) -> None:
        self.found.append(Problem(self.file, where, field_, problem))

    def date(self, where: str, field_: str, text: str | None, required: bool = False):
        """An ISO date (CIN XML) or dd/mm/yyyy (SSDA903, Annex A); None where blank."""
        text = (text or "").strip()
        if not text:
            if required:
                self.add(where, field_, "is required but blank")
            return None
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        self.add(where, field_, f"{text!r} is not a date (dd/mm/yyyy or yyyy-mm-dd)")
        return None

    def code(self, where: str, field_: str, text: str | None, allowed, required=False):
        """A code from a published list; None where blank."""
        text = (text or "").strip()
        if not text:
            if required:
                self.add(where, field_, "is required but blank")
            return None
        if text not in allowed:
            self.add(where, field_, f"{text!r} is not one of the published codes")
            return None
        return text


Progress = Callable[[str, int, int], None]  # (step, done, total)


def no_progress(step: str, done: int, total: int) -> None:
    return None


@dataclass
class Outcome:
    """What an import did, by model: created, updated, unchanged."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        names = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return [
            f"{name}: {self.created[name]} created, {self.updated[name]} updated, "
            f"{self.unchanged[name]} unchanged"
            for name in names
        ]

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))


def same_value(current, wanted) -> bool:
    if isinstance(current, models.Model) or isinstance(wanted, models.Model):
        return getattr(current, "pk", current) == getattr(wanted, "pk", wanted)
    if (
        isinstance(current, datetime)
        and isinstance(wanted, date)
        and not isinstance(wanted, datetime)
    ):
        return False
    return current == wanted


def save_if_changed(model, lookup: dict, values: dict, outcome: Outcome, existing=None):
    """Create the record found by `lookup`, or update it where `values` differ; leave it (and
    its history) untouched where nothing differs. `existing` may pass a prefetched record."""
    name = model._meta.verbose_name
    record = existing if existing is not None else model.objects.filter(**lookup).first()
    if record is None:
        record = model.objects.create(**lookup, **values)
        outcome.created[name] += 1
        return record
    changed = [key for key, value in values.items() if not same_value(getattr(record, key), value)]
    if not changed:
        outcome.unchanged[name] += 1
        return record
    for key in changed:
        setattr(record, key, values[key])
    record.save()
    outcome.updated[name] += 1
    return record


def unnamed(reference: str) -> dict:
    """Returns carry no names: a child first met in a return is "Child <reference>" until
    someone records the name (the import never overwrites a name already held)."""
    return {"forename": "Child", "surname": reference}
