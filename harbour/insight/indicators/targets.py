"""The authority's own targets (harbour/insight/targets.yaml, section `local_targets`)."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from harbour.insight.indicators.definitions import DefinitionError, by_id

PATH = Path(__file__).resolve().parent.parent / "targets.yaml"


@dataclass(frozen=True)
class Target:
    indicator: str
    value: float
    why: str = ""

    def met(self, value: float | None, polarity: str) -> bool | None:
        """Whether a figure meets the target: None where there is no figure or the indicator
        has no better direction."""
        if value is None or polarity == "neutral":
            return None
        return value >= self.value if polarity == "higher_is_better" else value <= self.value


def load(text: str) -> dict[str, Target]:
    data = yaml.safe_load(text) or {}
    entries = data.get("local_targets") or {}
    defined = by_id()
    targets = {}
    for indicator, entry in entries.items():
        if indicator not in defined:
            raise DefinitionError(f"local target for {indicator!r}: no such indicator")
        if not isinstance(entry, dict) or not isinstance(entry.get("value"), int | float):
            raise DefinitionError(f"local target for {indicator!r}: give a number as `value`")
        targets[indicator] = Target(indicator, float(entry["value"]), entry.get("why", ""))
    return targets


@cache
def local_targets() -> dict[str, Target]:
    return load(PATH.read_text(encoding="utf-8"))
