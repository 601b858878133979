"""The performance picture: every indicator for a period, for the authority or for one team,
with its trend and comparators. `harbour indicators`, the dashboards, the PDF report and the
workbook all show this one picture.

A team's figures count the children the team worked with in the 12 months to the day judged
from (an allocation to one of its workers) and its own staff; rates per 10,000 are left out
(the child population is the authority's). Each team figure is compared with the authority's.
"""

import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl
from dateutil.relativedelta import relativedelta

from harbour.insight.indicators import definitions
from harbour.insight.indicators.compute import compute, trend
from harbour.insight.indicators.definitions import Definition
from harbour.insight.indicators.figures import COMPUTE, Figure
from harbour.insight.indicators.inputs import Inputs
from harbour.insight.indicators.periods import Period, period_ending
from harbour.insight.indicators.targets import local_targets

# Where each compute module's indicators sit on a page.
SECTIONS = {
    "front_door": "The front door",
    "protection": "Children in need and child protection",
    "care": "Children looked after and care leavers",
    "workforce": "The workforce",
}


def section_of(indicator_id: str) -> str:
    return SECTIONS[COMPUTE[indicator_id].__module__.rsplit(".", 1)[-1]]


@dataclass(frozen=True)
class Scope:
    """The authority as a whole (team None), or one team."""

    team_id: int | None = None

    @property
    def is_team(self) -> bool:
        return self.team_id is not None

    @property
    def key(self) -> str:
        return f"team-{self.team_id}" if self.is_team else "authority"


AUTHORITY = Scope()


# ----- reading, shared between requests for a minute -----------------------------------------

_LOCK = threading.Lock()
_READ: dict = {}
FRESH_FOR = 60  # seconds: a page's figures may be this old (each page says when they were read)


def authority_inputs(as_of: date, using: str = "default", fresh: bool = False) -> Inputs:
    """The county's tables and duties as of a day, read at most once a minute per process: a
    dashboard, its click-throughs and its exports then show the same reading."""
    key = (as_of, using)
    with _LOCK:
        held = _READ.get(key)
        if held and not fresh and time.monotonic() - held[0] < FRESH_FOR:
            return held[1]
    inputs = Inputs.read(as_of, using)
    inputs.read_at = time.time()
    with _LOCK:
        _READ.clear()  # one reading at a time: a large county's tables are big
        _READ[key] = (time.monotonic(), inputs)
    return inputs


def forget_readings() -> None:
    with _LOCK:
        _READ.clear()


# ----- a team's share of the county ------------------------------------------------------------


def team_members(tables: dict, team_id: int, as_of: date) -> tuple[pl.Series, pl.Series]:
    """The children allocated to the team at any time in the 12 months to `as_of`, and the
    team's staff."""
    since = as_of + timedelta(days=1) - relativedelta(months=12)
    allocations = tables["allocations"]
    children = (
        allocations.filter(
            (pl.col("team_id") == team_id)
            & (pl.col("starts_on") <= as_of)
            & (pl.col("ends_on").is_null() | (pl.col("ends_on") >= since))
        )["child_id"]
        .unique()
        .sort()
    )
    staff = tables["staff"].filter(pl.col("team_id") == team_id)["id"].sort()
    return children, staff


def team_inputs(county: Inputs, team_id: int) -> Inputs:
    """The county's Inputs narrowed to one team: its children's records and duties, its staff
    and their supervision. Duties are the county's (a child's duties do not depend on others')."""
    children, staff = team_members(county.tables, team_id, county.as_of)
    narrowed = {}
    for name, frame in county.tables.items():
        if name == "population":
            frame = frame.clear()
        elif name == "children":
            frame = frame.filter(pl.col("id").is_in(children.implode()))
        elif name == "staff":
            frame = frame.filter(pl.col("team_id") == team_id)
        elif name == "supervisions":
            frame = frame.filter(pl.col("worker_id").is_in(staff.implode()))
        elif "child_id" in frame.columns:
            frame = frame.filter(pl.col("child_id").is_in(children.implode()))
        narrowed[name] = frame
    duties = county.duties.filter(
        pl.col("child_id").is_in(children.implode())
        | (pl.col("child_id").is_null() & pl.col("staff_id").is_in(staff.implode()))
    )
    inputs = Inputs(county.as_of, narrowed, duties)
    inputs.read_at = getattr(county, "read_at", None)
    return inputs


def inputs_for(scope: Scope, as_of: date, using: str = "default", fresh: bool = False) -> Inputs:
    county = authority_inputs(as_of, using, fresh)
    return team_inputs(county, scope.team_id) if scope.is_team else county


# ----- the picture -----------------------------------------------------------------------------


def point(figure: Figure) -> dict:
    return {
        "period": figure.period.as_dict(),
        "value": figure.value,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
    }


def own_comparators(definition: Definition, figure: Figure, trend_of) -> dict:
    """What a figure is compared with from Harbour's own records: a dict, one key a kind.

    - `trend`: the indicator over the last 12 months (month by month) and the last 5 whole
      collection years, oldest first;
    - `local_target`: the authority's own target (harbour/insight/targets.yaml) and whether
      the figure meets it, or null.
    """
    target = local_targets().get(definition.id)
    return {
        "trend": {
            "monthly": [point(f) for f in trend_of.monthly],
            "yearly": [point(f) for f in trend_of.yearly],
        },
        "local_target": None
        if target is None
        else {
            "value": target.value,
            "met": target.met(figure.value, definition.polarity),
            "why": target.why,
        },
    }


def published_comparators(figures: list[Figure]) -> dict[str, dict]:
    """England, the region and the statistical neighbours (median and best), from the
    Department's latest published figures, each judged against Harbour's own figure."""
    from harbour.insight.comparators import comparators_from_db

    values = {f.id: f.value for f in figures if f.value is not None}
    return comparators_from_db([f.id for f in figures], values=values)


def versus_authority(definition: Definition, value, authority_value) -> dict | None:
    from harbour.insight.comparators import compare

    if authority_value is None:
        return None
    # A team's count is part of the authority's, not something to be better or worse than.
    judged = definition.unit != "count"
    return {
        "value": authority_value,
        "versus": compare(value, authority_value, definition.polarity) if judged else None,
    }


PER_PERIOD_UNITS = ("count", "rate_per_10k")
YEARS = ("year", "collection_year")


def rows(
    figures: list[Figure],
    trends: dict,
    ids: bool = False,
    published: dict | None = None,
    authority: dict[str, Figure] | None = None,
) -> list[dict]:
    """Each figure as a dict with its definition's words and every comparator. `published`
    (by indicator) defaults to the Department's figures read from the database; `authority`
    gives a team's figures the authority's to be compared with."""
    if published is None:
        published = published_comparators(figures)
    found = []
    for definition, figure in zip(definitions(), figures, strict=True):
        row = {
            "id": figure.id,
            "title": definition.title,
            "unit": definition.unit,
            "polarity": definition.polarity,
        }
        row |= figure.as_dict(ids=ids)
        # A count or rate over a period can be set beside the Department's yearly figures
        # only when the period is a year; a share, a mean or a count on a day always can.
        row["per_period"] = not definition.snapshot and definition.unit in PER_PERIOD_UNITS
        row["comparable"] = not row["per_period"] or figure.period.kind in YEARS
        row["comparators"] = own_comparators(definition, figure, trends[figure.id])
        row["comparators"]["published"] = published.get(figure.id)
        if authority is not None:
            theirs = authority.get(figure.id)
            row["comparators"]["authority"] = versus_authority(
                definition, figure.value, theirs.value if theirs else None
            )
        found.append(row)
    return found


def picture(
    as_of: date,
    period="year",
    scope: Scope = AUTHORITY,
    ids: bool = False,
    using: str = "default",
    inputs: Inputs | None = None,
    year_earlier: bool = False,
) -> list[dict]:
    """Every indicator for the period ending on `as_of`, for the scope, with its comparators:
    for the authority the Department's published figures, for a team the authority's own.
    `year_earlier` adds the same period a year before as the comparator `year_earlier`.

    Kept with the reading it was computed from, so a dashboard, its exports and its
    click-throughs within the minute cost one computation: callers must not change the rows."""
    county = inputs if inputs is not None else authority_inputs(as_of, using)
    key = ("picture", scope.key, period, ids, year_earlier)
    return county.memo(key, lambda: _picture(county, as_of, period, scope, ids, year_earlier))


def _picture(county: Inputs, as_of: date, period, scope: Scope, ids: bool, year_earlier: bool):
    if not scope.is_team:
        mine = county
        figures = compute(as_of, period, ids=ids, inputs=county)
        found = rows(figures, trend(as_of, inputs=county), ids=ids)
    else:
        mine = team_inputs(county, scope.team_id)
        figures = compute(as_of, period, ids=ids, inputs=mine)
        theirs = {f.id: f for f in compute(as_of, period, ids=False, inputs=county)}
        found = rows(figures, trend(as_of, inputs=mine), ids=ids, published={}, authority=theirs)
    if year_earlier:
        add_year_earlier(found, as_of, period, mine)
    return found


def period_a_year_earlier(as_of: date, period) -> Period:
    """The year, quarter or month (or the Period given) a year before the one ending on `as_of`."""
    if isinstance(period, Period):
        year = relativedelta(years=1)
        return Period(period.start - year, period.end - year, period.kind)
    return period_ending(as_of - relativedelta(years=1), period)


def add_year_earlier(found: list[dict], as_of: date, period, inputs: Inputs) -> None:
    """Each row's figure for the same period a year earlier, from the same reading (as the
    trend is: today's records of that year), judged by polarity like every comparator."""
    from harbour.insight.comparators import compare

    earlier = compute(as_of, period_a_year_earlier(as_of, period), ids=False, inputs=inputs)
    polarity = {d.id: d.polarity for d in definitions()}
    for row, figure in zip(found, earlier, strict=True):
        row["comparators"]["year_earlier"] = point(figure) | {
            "versus": compare(row["value"], figure.value, polarity[figure.id])
        }
