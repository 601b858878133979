"""A figure and how the compute modules make one: counts, shares, rates and duties judged.

Each indicator is a function registered with `@indicator(id)`: it takes the Inputs and a
Period and returns a Count, a Share or a Rate, each holding the ids (children's or staff's)
behind its numerator and denominator, so a page can list who a figure is about.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from harbour.insight.indicators.periods import Period

IDS = pl.Int64


@dataclass(frozen=True)
class Split:
    """Part of a figure (assessments by kind, say)."""

    key: str
    title: str
    value: float | None
    numerator: float | None
    denominator: float | None
    numerator_ids: tuple[int, ...] = ()
    denominator_ids: tuple[int, ...] = ()

    def as_dict(self, ids: bool = False) -> dict:
        out = {
            "key": self.key,
            "title": self.title,
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
        }
        if ids:
            out |= {"numerator_ids": list(self.numerator_ids)}
            out |= {"denominator_ids": list(self.denominator_ids)}
        return out


@dataclass(frozen=True)
class Figure:
    """One indicator's value for one period, and who stands behind it."""

    id: str
    period: Period
    value: float | None
    numerator: float | None
    denominator: float | None
    numerator_ids: tuple[int, ...] = ()
    denominator_ids: tuple[int, ...] = ()
    breakdown: tuple[Split, ...] = ()

    def as_dict(self, ids: bool = False) -> dict:
        out = {
            "id": self.id,
            "period": self.period.as_dict(),
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
        }
        if self.breakdown:
            out["breakdown"] = [split.as_dict(ids) for split in self.breakdown]
        if ids:
            out |= {"numerator_ids": list(self.numerator_ids)}
            out |= {"denominator_ids": list(self.denominator_ids)}
        return out


# ----- what an indicator function returns ------------------------------------------------


def _ids(series: pl.Series | None) -> pl.Series:
    if series is None:
        return pl.Series([], dtype=IDS)
    return series.drop_nulls().unique().sort()


@dataclass
class Count:
    """How many rows (events or children); the ids are those rows' children or staff."""

    rows: int
    ids: pl.Series | None = None

    def value(self, unit: str):
        return self.rows, None, self.rows

    def id_sets(self):
        return _ids(self.ids), _ids(None)


@dataclass
class Share:
    """Rows of a denominator, those in the numerator flagged."""

    numerator: int
    denominator: int
    numerator_ids: pl.Series | None = None
    denominator_ids: pl.Series | None = None
    splits: list = field(default_factory=list)  # (key, title, Share)

    def value(self, unit: str):
        if unit == "mean":
            value = round(self.numerator / self.denominator, 1) if self.denominator else None
        else:
            value = round(100 * self.numerator / self.denominator, 1) if self.denominator else None
        return self.numerator, self.denominator, value

    def id_sets(self):
        return _ids(self.numerator_ids), _ids(self.denominator_ids)


@dataclass
class Rate:
    """A count per 10,000 children aged 0 to 17."""

    count: Count
    population: int | None

    def value(self, unit: str):
        if not self.population:
            return self.count.rows, self.population, None
        rate = round(10_000 * self.count.rows / self.population, 1)
        return self.count.rows, self.population, rate

    def id_sets(self):
        return _ids(self.count.ids), _ids(None)


@dataclass
class Most:
    """The largest of some values (a caseload), with who holds it and out of whom."""

    largest: int | None
    holders: pl.Series | None
    among: pl.Series | None

    def value(self, unit: str):
        among = 0 if self.among is None else self.among.n_unique()
        return self.largest, among, self.largest

    def id_sets(self):
        return _ids(self.holders), _ids(self.among)


def count(frame: pl.DataFrame, ids: str = "child_id") -> Count:
    return Count(frame.height, frame[ids])


def share(frame: pl.DataFrame, flag: str, ids: str = "child_id") -> Share:
    """`frame` is the denominator's rows; `flag` a boolean column marking the numerator's."""
    flagged = frame.filter(pl.col(flag))
    return Share(flagged.height, frame.height, flagged[ids], frame[ids])


# ----- duties judged over a period -------------------------------------------------------


def judged(duties: pl.DataFrame, period: Period, moments: bool = False) -> pl.DataFrame:
    """The duties due in the period that can be judged on its last day, with `on_time`.

    As the work trays judge them on that day: on time if done by the due date; late if done
    later or not done by then; not counted if no longer needed or (for duties due on a day,
    not at an hour) due on the last day and not yet done. The duties may have been worked out
    as of a later day: what was done after the period's end is not yet done."""
    keep = pl.col("due").is_between(period.start, period.end) & (
        pl.col("status") != "no_longer_needed"
    )
    if not moments:
        waiting = pl.col("completed").is_null() | (pl.col("completed") > period.end)
        keep = keep & ~(waiting & (pl.col("due") == period.end))
    return (
        duties.lazy()
        .filter(keep)
        .with_columns(on_time=pl.col("status") == "done_on_time")
        .collect()
    )


# ----- the registry ----------------------------------------------------------------------

COMPUTE: dict[str, Callable] = {}


def indicator(indicator_id: str):
    def register(function):
        if indicator_id in COMPUTE:
            raise ValueError(f"indicator {indicator_id!r} is computed twice")
        COMPUTE[indicator_id] = function
        return function

    return register
