"""The performance picture: every indicator for a period, for the authority or for one team,
with its trend and comparators. `harbour indicators`, the dashboards, the PDF report and the
workbook all show this one picture.

A team's figures count the children the team worked with in the 12 months to the day judged
from (an allocation to one of its workers) and its own staff; rates per 10,000 are left out
(the child population is the authority's). Each team figure is compared with the authority's.
"""

import time
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl
from dateutil.relativedelta import relativedelta

from harbour.insight import shared
from harbour.insight.indicators import definitions
from harbour.insight.indicators.compute import compute, trend
from harbour.insight.indicators.compute import figure as compute_one
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


# ----- reading, and the figures shared between requests ---------------------------------------


class Reading:
    """The county's records as of a day, read when a request first needs figures that no
    process has worked out in the last minute (harbour/insight/shared.py), and kept only for
    that request: a dashboard's picture and its teams side by side read the county once.

    `starting` is called before this request starts working out new figures (the person's
    allowance of them: harbour/insight/views/limits.py)."""

    def __init__(self, as_of: date, using: str = "default", starting=None):
        self.as_of = as_of
        self.using = using
        self.starting = starting
        self._inputs: Inputs | None = None

    @property
    def inputs(self) -> Inputs:
        if self._inputs is None:
            self._inputs = Inputs.read(self.as_of, self.using)
            self._inputs.read_at = time.time()
        return self._inputs

    def shared(self, what: tuple, make):
        """Figures kept for every process: `what` names what they depend on besides the day."""
        key = (*what, self.as_of.isoformat(), self.using)
        return shared.figures(key, make, starting=self.starting)

    def picture(
        self, period="year", scope: Scope = AUTHORITY, ids: bool = False, year_earlier=False
    ) -> "Picture":
        """Every indicator for the period ending on the day, for the scope (see `picture`)."""

        def make() -> Picture:
            county = self.inputs
            rows = _picture(county, self.as_of, period, scope, ids, year_earlier)
            return Picture(rows, county.read_at)

        return self.shared(("picture", scope.key, period, ids, year_earlier), make)

    def figure(self, definition: Definition, period: Period, scope: Scope) -> "Read":
        """One indicator for one period, with the ids behind it."""

        def make() -> Read:
            county = self.inputs
            mine = team_inputs(county, scope.team_id) if scope.is_team else county
            return Read(compute_one(definition, mine, period, ids=True), county.read_at)

        return self.shared(("figure", definition.id, scope.key, period), make)


@dataclass(frozen=True)
class Picture:
    """A picture's rows (see `rows`) and when the records they count were read."""

    rows: list[dict]
    read_at: float  # time.time()


@dataclass(frozen=True)
class Read:
    """A figure and when the records it counts were read."""

    figure: Figure
    read_at: float


def forget_readings() -> None:
    """Forget every figure kept for the pages (tests: each has its own records)."""
    shared.forget()


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

    From `inputs` if given (kept with them: callers must not change the rows), else the
    picture every process shares for a minute (Reading.picture)."""
    if inputs is None:
        return Reading(as_of, using).picture(period, scope, ids, year_earlier).rows
    key = ("picture", scope.key, period, ids, year_earlier)
    return inputs.memo(key, lambda: _picture(inputs, as_of, period, scope, ids, year_earlier))


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
