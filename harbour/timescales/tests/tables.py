"""Building the rules' input tables by hand, for tests of the pure functions."""

from datetime import date, datetime
from itertools import count
from zoneinfo import ZoneInfo

import polars as pl

from harbour.timescales.sources import QUERIES, VISIT_KINDS

LONDON = ZoneInfo("Europe/London")


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


class Tables:
    """Rows by table name; `frames()` gives what `sources.read_tables` would."""

    def __init__(self):
        self.rows = {name: [] for name in QUERIES}
        self._ids = count(1)

    def add(self, table: str, **row) -> int:
        columns = QUERIES[table][1]
        unknown = set(row) - set(columns)
        if unknown:
            raise KeyError(f"{table} has no {sorted(unknown)}")
        if "id" in columns and "id" not in row:
            row["id"] = next(self._ids)
        self.rows[table].append({name: row.get(name) for name in columns})
        return row.get("id")

    def child(self, born=date(2015, 1, 1)) -> int:
        return self.add("children", date_of_birth=born)

    def visit(self, child_id, kind, on, seen=True, alone=True, reason=False) -> int:
        return self.add(
            "visits",
            child_id=child_id,
            kind=VISIT_KINDS[kind],
            visited_on=on,
            child_seen=seen,
            seen_alone=alone,
            has_reason=reason,
        )

    def frames(self) -> dict[str, pl.DataFrame]:
        frames = {}
        for name, rows in self.rows.items():
            schema = QUERIES[name][1]
            frames[name] = pl.DataFrame(rows, schema=schema, orient="row")
        return frames
