"""Local policy settings in force on a date: defaults from policy.yaml, overridden by the
authority's own PolicySetting rows from their `applies_from` date."""

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class SettingDefinition:
    name: str
    default: Any
    about: str


@cache
def definitions() -> dict[str, SettingDefinition]:
    data = yaml.safe_load((Path(__file__).parent / "policy.yaml").read_text(encoding="utf-8"))
    return {
        name: SettingDefinition(name, entry["default"], entry["about"])
        for name, entry in data["settings"].items()
    }


def setting_choices():
    return [(name, name.replace("_", " ")) for name in definitions()]


class PolicyBook:
    """Answers "what was the authority's policy on X on date D?" without touching the database."""

    def __init__(self, overrides: list[tuple[str, date, Any]] = ()):
        known = definitions()
        self._timeline: dict[str, list[tuple[date, Any]]] = {name: [] for name in known}
        for name, applies_from, value in overrides:
            if name not in known:
                raise KeyError(f"unknown policy setting {name!r}")
            self._timeline[name].append((applies_from, value))
        for changes in self._timeline.values():
            changes.sort(key=lambda change: change[0])

    def changes(self, name: str) -> list[tuple[date, Any]]:
        """The default (from the earliest day) and each dated change, in order."""
        return [(date.min, definitions()[name].default), *self._timeline[name]]

    def value(self, name: str, on: date | None = None) -> Any:
        value = definitions()[name].default
        for applies_from, changed in self._timeline[name]:
            if on is not None and applies_from > on:
                break
            value = changed
        return value

    @classmethod
    def for_authority(cls, authority) -> "PolicyBook":
        rows = authority.policy_settings.values_list("name", "applies_from", "value")
        return cls(list(rows))
