"""The rule sets as data: every edition's rules, and which edition judges a duty.

See rules/README.md for what a rule says. This module only reads and checks the files; the
engine does the arithmetic.
"""

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import yaml

# libyaml's loader where PyYAML has it: the rule files load several times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

RULES_DIR = Path(__file__).parent / "rules"
CLOCKS = {"working_days", "calendar_days", "weeks", "months", "school_days", "hours", "recorded"}


@dataclass(frozen=True)
class Interval:
    clock: str
    amount: int | None = None
    policy: str | None = None

    @classmethod
    def parse(cls, spec: dict, where: str) -> "Interval":
        if len(spec) != 1:
            raise ValueError(f"{where}: give exactly one clock, not {sorted(spec)}")
        ((clock, value),) = spec.items()
        if clock not in CLOCKS:
            raise ValueError(f"{where}: unknown clock {clock!r}")
        if clock == "recorded":  # the due date is on the record itself: a column of the scope
            return cls(clock, policy=str(value))
        if isinstance(value, dict):
            return cls(clock, policy=value["policy"])
        return cls(clock, amount=int(value))


@dataclass(frozen=True)
class Step:
    due: Interval
    failure: str
    before: bool = False
    variants: dict[str, Interval] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    name: str
    title: str
    scope: str
    completed_by: str
    steps: tuple[Step, ...]
    repeats: bool = False
    record: str = "completion"
    min_age: float | None = None
    edition: str = ""
    applies_from: date = date.min


@dataclass(frozen=True)
class Edition:
    title: str
    family: str
    applies_from: date
    rules: dict[str, Rule]


def _rule(name: str, spec: dict, edition: str, applies_from: date, where: str) -> Rule:
    failure = spec.get("failure")
    steps = []
    for n, step in enumerate(spec["steps"]):
        at = f"{where}: {name} step {n + 1}"
        steps.append(
            Step(
                due=Interval.parse(step["due"], at),
                failure=step.get("failure", failure),
                before=bool(step.get("before", False)),
                variants={k: Interval.parse(v, at) for k, v in step.get("variants", {}).items()},
            )
        )
        if not steps[-1].failure:
            raise ValueError(f"{at}: no failure name")
    record = spec.get("record", "completion")
    if record not in ("completion", "scope"):
        raise ValueError(f"{where}: {name}: record must be completion or scope")
    return Rule(
        name=name,
        title=spec["title"],
        scope=spec["scope"],
        completed_by=spec["completed_by"],
        steps=tuple(steps),
        repeats=bool(spec.get("repeats", False)),
        record=record,
        min_age=(spec.get("when") or {}).get("min_age"),
        edition=edition,
        applies_from=applies_from,
    )


def load_edition(path: Path) -> Edition:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    applies_from = data["applies_from"]
    rules = {
        name: _rule(name, spec, data["edition"], applies_from, path.name)
        for name, spec in data["rules"].items()
    }
    return Edition(data["edition"], data["family"], applies_from, rules)


class Rulebook:
    """Every rule's editions in date order; `editions_of(name)` for the engine."""

    def __init__(self, editions: list[Edition]):
        self.editions = sorted(editions, key=lambda e: e.applies_from)
        self._timelines: dict[str, list[Rule]] = {}
        family_of: dict[str, str] = {}
        for edition in self.editions:
            for name in edition.rules:
                if family_of.setdefault(name, edition.family) != edition.family:
                    raise ValueError(f"rule {name!r} appears in two families of rule sets")
        for name, family in family_of.items():
            self._timelines[name] = [
                edition.rules.get(name) for edition in self.editions if edition.family == family
            ]
        self._family_starts = {
            family: [e.applies_from for e in self.editions if e.family == family]
            for family in set(family_of.values())
        }
        self._family_of = family_of

    @property
    def names(self) -> list[str]:
        return sorted(self._timelines)

    def timeline(self, name: str) -> tuple[list[date], list[Rule | None]]:
        """The dates each edition of the rule's family applies from, and the rule in each
        (None where that edition has no such duty)."""
        return self._family_starts[self._family_of[name]], self._timelines[name]

    def rule_on(self, name: str, day: date) -> Rule | None:
        starts, rules = self.timeline(name)
        i = bisect_right(starts, day) - 1
        return rules[i] if i >= 0 else None

    def enums(self) -> dict:
        """Fixed categories for the duty table's repeated names: cheap to sort and join."""
        import polars as pl

        if not hasattr(self, "_enums"):
            rules = [r for timeline in self._timelines.values() for r in timeline if r]
            failures = sorted({step.failure for rule in rules for step in rule.steps})
            self._enums = {
                "rule": pl.Enum(self.names),
                "edition": pl.Enum(sorted({e.title for e in self.editions})),
                "failure": pl.Enum(failures),
                "record_kind": pl.Enum(["completion", "scope"]),
            }
        return self._enums

    def latest(self, name: str) -> Rule:
        return next(rule for rule in reversed(self._timelines[name]) if rule)


@cache
def rulebook() -> Rulebook:
    return Rulebook([load_edition(path) for path in sorted(RULES_DIR.glob("*.yaml"))])
