"""The indicators' definitions (harbour/insight/indicators.yaml), read and checked into frozen
dataclasses. The file says what each indicator counts; the compute modules count it."""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

# libyaml's loader where PyYAML has it: the definitions load several times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

PATH = Path(__file__).resolve().parent.parent / "indicators.yaml"

UNITS = ("count", "percent", "rate_per_10k", "mean", "max")
ABOUT = ("children", "staff")
PERIODS = ("month", "quarter", "year_to_date", "collection_year", "snapshot")
POLARITIES = ("higher_is_better", "lower_is_better", "neutral")
RETURNS = ("children in need census", "SSDA903")
FIELDS = {
    "id",
    "title",
    "unit",
    "about",
    "numerator",
    "denominator",
    "period",
    "polarity",
    "published_as",
    "duties",
    "parameters",
    "notes",
}


@dataclass(frozen=True)
class Published:
    """The Department's measure an indicator follows exactly."""

    return_: str
    measure: str
    method: str


@dataclass(frozen=True)
class Definition:
    id: str
    title: str
    unit: str
    about: str
    numerator: str
    period: str
    polarity: str
    denominator: str | None = None
    published_as: Published | None = None
    duties: tuple[str, ...] = ()
    parameters: dict = field(default_factory=dict, hash=False, compare=False)
    notes: str = ""

    @property
    def snapshot(self) -> bool:
        """Counted on a day (the period's last), not over the period."""
        return self.period == "snapshot"


class DefinitionError(ValueError):
    pass


def _text(entry: dict, name: str, where: str, required: bool = True) -> str | None:
    value = entry.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise DefinitionError(f"{where}: {name} must be some words")
    return " ".join(value.split())


def _choice(entry: dict, name: str, allowed: tuple, where: str) -> str:
    value = entry.get(name)
    if value not in allowed:
        raise DefinitionError(f"{where}: {name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _published(value, where: str) -> Published | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"return", "measure", "method"}:
        raise DefinitionError(f"{where}: published_as needs return, measure and method")
    return Published(
        return_=_choice(value, "return", RETURNS, where),
        measure=_text(value, "measure", where),
        method=_text(value, "method", where),
    )


def parse(entry: dict, rules: set[str] | None = None) -> Definition:
    where = f"indicator {entry.get('id', '?')!r}"
    unknown = set(entry) - FIELDS
    if unknown:
        raise DefinitionError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    unit = _choice(entry, "unit", UNITS, where)
    denominator = _text(entry, "denominator", where, required=unit != "count")
    if unit == "count" and denominator is not None:
        raise DefinitionError(f"{where}: a count has no denominator")
    duties = tuple(entry.get("duties") or ())
    if rules is not None and set(duties) - rules:
        missing = ", ".join(sorted(set(duties) - rules))
        raise DefinitionError(f"{where}: no such duty in the rule sets: {missing}")
    parameters = entry.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise DefinitionError(f"{where}: parameters must be a mapping")
    return Definition(
        id=_text(entry, "id", where),
        title=_text(entry, "title", where),
        unit=unit,
        about=_choice(entry, "about", ABOUT, where),
        numerator=_text(entry, "numerator", where),
        denominator=denominator,
        period=_choice(entry, "period", PERIODS, where),
        polarity=_choice(entry, "polarity", POLARITIES, where),
        published_as=_published(entry.get("published_as"), where),
        duties=duties,
        parameters=dict(parameters),
        notes=_text(entry, "notes", where, required=False) or "",
    )


def load(text: str, rules: set[str] | None = None) -> tuple[Definition, ...]:
    data = yaml.load(text, Loader=SAFE_LOADER)
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise DefinitionError("the file must hold a list under `indicators`")
    found = tuple(parse(entry, rules) for entry in data["indicators"])
    seen: set[str] = set()
    for definition in found:
        if definition.id in seen:
            raise DefinitionError(f"indicator {definition.id!r} is defined twice")
        seen.add(definition.id)
    return found


@cache
def definitions() -> tuple[Definition, ...]:
    """Every indicator, in the file's order, checked against the rule sets' duties."""
    from harbour.timescales.rulebook import rulebook

    return load(PATH.read_text(encoding="utf-8"), set(rulebook().names))


def by_id() -> dict[str, Definition]:
    return {d.id: d for d in definitions()}
