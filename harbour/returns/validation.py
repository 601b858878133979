"""Checking an export with the sector's own validators before anyone downloads it.

Data to Insight publish the Department's validation rules as Python packages; they pin older
pandas and numpy than Harbour uses, so they run in their own environment
(HARBOUR_VALIDATORS_PYTHON, made by `make setup`) through dfe_validators.py.
"""

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

RUNNER = Path(__file__).with_name("dfe_validators.py")


class ValidatorsMissing(Exception):
    pass


@dataclass(frozen=True)
class Failure:
    return_: str
    rule: str
    message: str
    child: str | None
    table: str
    fields: str
    kind: str

    @property
    def is_query(self) -> bool:
        """The Department's queries ask for a check; errors must be fixed."""
        return self.rule.endswith("Q") or self.kind in ("query", "Query")


def _run(args: list[str]) -> list[Failure]:
    python = settings.HARBOUR_VALIDATORS_PYTHON
    if not Path(python).exists():
        raise ValidatorsMissing(
            f"the return validators are not installed at {python}: run `make setup`"
        )
    done = subprocess.run([python, str(RUNNER), *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the validators failed: {done.stderr.strip()[-2000:]}")
    output = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "[]"
    return [Failure(return_=f.pop("return"), **f) for f in json.loads(output)]


def validate_cin(path: Path, year: int) -> list[Failure]:
    return _run(["cin", str(path), str(year)])


def validate_903(folder: Path, year: int, ons_code: str) -> list[Failure]:
    return _run(["903", str(folder), str(year), ons_code])
