"""Every indicator for a period, and its trend: the tables read once, the duties worked out
once, then each period's figures from the same frames."""

from dataclasses import dataclass
from datetime import date

import polars as pl

from harbour.insight.indicators import care, front_door, protection, workforce  # noqa: F401
from harbour.insight.indicators.definitions import Definition, definitions
from harbour.insight.indicators.figures import COMPUTE, Figure, Split
from harbour.insight.indicators.inputs import Inputs, read
from harbour.insight.indicators.periods import (
    Period,
    collection_years_to,
    months_to,
    period_ending,
)


def check() -> None:
    """Every indicator defined is computed, and everything computed is defined."""
    defined = {d.id for d in definitions()}
    missing, undefined = defined - set(COMPUTE), set(COMPUTE) - defined
    if missing or undefined:
        raise LookupError(
            f"defined but not computed: {sorted(missing)}; computed but not defined: "
            f"{sorted(undefined)}"
        )


def _ids(series: pl.Series) -> tuple[int, ...]:
    return tuple(series.to_list())


def figure(definition: Definition, inputs: Inputs, period: Period, ids: bool = True) -> Figure:
    """One indicator for one period (a snapshot on its last day)."""
    result = COMPUTE[definition.id](inputs, period)
    splits = []
    for key, title, part in getattr(result, "splits", []):
        numerator, denominator, value = part.value(definition.unit)
        who = [_ids(s) for s in part.id_sets()] if ids else [(), ()]
        splits.append(Split(key, title, value, numerator, denominator, *who))
    numerator, denominator, value = result.value(definition.unit)
    who = [_ids(s) for s in result.id_sets()] if ids else [(), ()]
    return Figure(
        definition.id,
        period.snapshot() if definition.snapshot else period,
        value,
        numerator,
        denominator,
        *who,
        breakdown=tuple(splits),
    )


def _inputs(as_of: date, tables, duties, using: str, inputs: Inputs | None) -> Inputs:
    if inputs is not None:
        return inputs
    return Inputs(as_of, read(using) if tables is None else tables, duties)


def _period(as_of: date, period) -> Period:
    chosen = period if isinstance(period, Period) else period_ending(as_of, period)
    if chosen.end > as_of:
        raise ValueError(f"the period ends ({chosen.end}) after the day judged from ({as_of})")
    return chosen


def compute(
    as_of: date,
    period: str | Period = "year",
    tables: dict | None = None,
    duties: pl.DataFrame | None = None,
    using: str = "default",
    ids: bool = True,
    inputs: Inputs | None = None,
) -> list[Figure]:
    """Every indicator for the year, quarter or month ending on `as_of` (or the Period given),
    in the definitions' order. `tables` (from inputs.read) and `duties` (as of `as_of`) may be
    given to save reading and working them out again."""
    check()
    inputs = _inputs(as_of, tables, duties, using, inputs)
    chosen = _period(as_of, period)
    return [figure(definition, inputs, chosen, ids) for definition in definitions()]


@dataclass(frozen=True)
class Trend:
    monthly: tuple[Figure, ...]
    yearly: tuple[Figure, ...]


def trend(
    as_of: date,
    tables: dict | None = None,
    duties: pl.DataFrame | None = None,
    using: str = "default",
    months: int = 12,
    years: int = 5,
    inputs: Inputs | None = None,
) -> dict[str, Trend]:
    """Each indicator over the `months` months ending on `as_of` and the last `years` whole
    collection years, oldest first, from one reading of the tables and one set of duties."""
    check()
    inputs = _inputs(as_of, tables, duties, using, inputs)
    monthly, yearly = months_to(as_of, months), collection_years_to(as_of, years)
    return {
        d.id: Trend(
            monthly=tuple(figure(d, inputs, p, ids=False) for p in monthly),
            yearly=tuple(figure(d, inputs, p, ids=False) for p in yearly),
        )
        for d in definitions()
    }


def compute_with_trend(
    as_of: date, period: str | Period = "year", using: str = "default", ids: bool = True
) -> tuple[list[Figure], dict[str, Trend]]:
    """What `harbour indicators` prints: the figures and their trend, read once."""
    inputs = Inputs.read(as_of, using)
    return compute(as_of, period, ids=ids, inputs=inputs), trend(as_of, inputs=inputs)
