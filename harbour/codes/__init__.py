"""The Department's code lists (CIN census, SSDA903) and Harbour's few local ones, as data.

Records store the Department's codes exactly, so the statutory returns need no mapping.
The lists live in YAML files beside this module; `choices` holds the callables that
model fields use, so a new code is a data change, not a migration.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

_FILES = ("cin_census.yaml", "ssda903.yaml", "local.yaml")


@dataclass(frozen=True)
class CodeList:
    name: str
    title: str
    source: str
    codes: dict[str, str]

    def choices(self) -> list[tuple[str, str]]:
        return [(code, f"{code}: {label}") for code, label in self.codes.items()]

    def label(self, code: str) -> str:
        return self.codes.get(code, code)

    def __contains__(self, code: object) -> bool:
        return code in self.codes


@cache
def all_lists() -> dict[str, CodeList]:
    found: dict[str, CodeList] = {}
    for filename in _FILES:
        data = yaml.safe_load((Path(__file__).parent / filename).read_text(encoding="utf-8"))
        for name, entry in data["lists"].items():
            if name in found:
                raise ValueError(f"code list {name!r} is defined twice")
            codes = {str(code): str(label) for code, label in entry["codes"].items()}
            found[name] = CodeList(name, entry["title"], data["source"], codes)
    return found


def code_list(name: str) -> CodeList:
    return all_lists()[name]
