"""Comparators from the Department's published figures: England, the authority's region and
its ten statistical neighbours, with the authority's own published trend.

`comparators()` and `compare()` are pure: they take figures (PublishedFigure rows, extract's
Figure, or anything with the same attributes) and return plain values. `comparators_from_db()`
reads what they need for many indicators in one query.

The neighbours' comparator is the median of the neighbours' values that are published (a
suppressed figure is left out, and `neighbours_count` says how many there were), as the
Department benchmarks against statistical neighbours; the best neighbour is the highest or the
lowest by the indicator's polarity. A neutral indicator (a count or rate of demand) has no best
and is compared as higher or lower, never better or worse.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from harbour.insight.published.extract import ENGLAND_CODE, mapping

TREND_YEARS = 5


def polarity_of(indicator_id: str) -> str:
    """higher_is_better, lower_is_better or neutral, as measures.yaml records it."""
    return mapping().polarity(indicator_id)


def unit_of(indicator_id: str) -> str:
    """count, percent, rate per 10,000, ... as measures.yaml records it ("" if not there)."""
    measure = mapping().measures.get(indicator_id)
    return measure.unit if measure else ""


def plain(value):
    """A figure as a Decimal without the database's trailing zeros: 22.6, 632830."""
    if value is None:
        return None
    value = Decimal(str(value)).normalize()
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value


def compare(value, comparator, polarity: str, tolerance=0) -> str | None:
    """How `value` stands against `comparator`: "better", "worse" or "same" by `polarity`;
    for a neutral indicator "higher", "lower" or "same". None when either is missing.

    `tolerance`: a difference no larger than this is "same" (0: only equal values are)."""
    if value is None or comparator is None:
        return None
    difference = Decimal(str(value)) - Decimal(str(comparator))
    if abs(difference) <= Decimal(str(tolerance)):
        return "same"
    if polarity == "higher_is_better":
        return "better" if difference > 0 else "worse"
    if polarity == "lower_is_better":
        return "better" if difference < 0 else "worse"
    if polarity == "neutral":
        return "higher" if difference > 0 else "lower"
    raise ValueError(f"unknown polarity {polarity!r}")


def best(values: Iterable, polarity: str):
    """The best of `values` by polarity; None for a neutral indicator or no values."""
    values = [v for v in values if v is not None]
    if not values or polarity == "neutral":
        return None
    return max(values) if polarity == "higher_is_better" else min(values)


def median(values: Iterable):
    values = [v for v in values if v is not None]
    if not values:
        return None
    middle = statistics.median(sorted(values))
    return middle if not isinstance(middle, float) else Decimal(str(middle))


def comparators(
    indicator_id: str,
    year: int,
    la_code: str,
    figures: Iterable[Any],
    neighbours: Sequence[str] = (),
    *,
    value=None,
    region: str | None = None,
    polarity: str | None = None,
) -> dict:
    """The published comparators of one indicator in one year for the authority `la_code`.

    `figures`: published figures (at least this indicator's, for England, the regions and the
    authority and its neighbours; others are ignored). `neighbours`: the neighbours' codes,
    closest first (`harbour.insight.published.loading.neighbours_of`). `value`: Harbour's own
    figure to judge; without it, the authority's published figure is judged. `region`: the
    region's name, if the authority has no published figure to say it.

    Returns a dict: indicator, year, la_code, polarity, unit, published (the authority's published
    value), value (the value judged), england, region, region_name, neighbours_median,
    neighbours_best, neighbours_count, neighbours ([(code, name, value)], closest first, None
    where not published), trend ([(year, value)] of the authority's published figures over the
    last five years to `year`), and versus ({"england": "better", ...} for each comparator, by
    `compare`; a count is compared with the neighbours only). Values are Decimals.
    """
    polarity = polarity or polarity_of(indicator_id)
    own: dict[int, Any] = {}
    england = None
    regions: dict[str, Any] = {}
    local: dict[str, Any] = {}
    for figure in figures:
        if figure.indicator != indicator_id:
            continue
        if figure.area_code == la_code and figure.area_level == "local":
            own[figure.year] = figure
        if figure.year != year:
            continue
        if figure.area_level == "national" and figure.area_code == ENGLAND_CODE:
            england = plain(figure.value)
        elif figure.area_level == "regional":
            regions[figure.area_name] = plain(figure.value)
        elif figure.area_level == "local":
            local[figure.area_code] = figure
    mine = own.get(year)
    region_name = (mine.region if mine is not None and mine.region else None) or region
    if region_name is None:
        latest = max(own.values(), key=lambda f: f.year, default=None)
        region_name = latest.region if latest is not None else None
    neighbour_rows = [
        (code, local[code].area_name if code in local else None, _value(local.get(code)))
        for code in neighbours
    ]
    present = [v for _, _, v in neighbour_rows if v is not None]
    published = _value(mine)
    judged = value if value is not None else published
    unit = unit_of(indicator_id)
    result = {
        "indicator": indicator_id,
        "year": year,
        "la_code": la_code,
        "polarity": polarity,
        "unit": unit,
        "published": published,
        "value": judged,
        "england": england,
        "region": regions.get(region_name) if region_name else None,
        "region_name": region_name,
        "neighbours_median": median(present),
        "neighbours_best": best(present, polarity),
        "neighbours_count": len(present),
        "neighbours": neighbour_rows,
        "trend": [
            (y, plain(own[y].value)) for y in range(year - TREND_YEARS + 1, year + 1) if y in own
        ],
    }
    # A count is compared with the neighbours only: England's and a region's totals are sums
    # over many authorities, not comparators of one.
    result["versus"] = {
        name: None
        if unit == "count" and name in ("england", "region")
        else compare(judged, result[name], polarity)
        for name in ("england", "region", "neighbours_median", "neighbours_best")
    }
    return result


def _value(figure):
    return plain(figure.value) if figure is not None else None


def comparators_from_db(
    indicator_ids: Iterable[str],
    year: int | None = None,
    la_code: str | None = None,
    neighbours: Sequence[str] | None = None,
    grouping: str | None = None,
    values: dict[str, Any] | None = None,
) -> dict[str, dict]:
    """`comparators()` for many indicators, from the database in one query of figures.

    `la_code` defaults to the authority Harbour serves; `neighbours` to its StatisticalNeighbour
    rows of the latest published grouping (or `grouping`), else the shipped grouping for
    `la_code`. `year` defaults, per indicator, to the latest year with a figure for England.
    `values`: Harbour's own figures by indicator, to judge instead of the published ones.
    Indicators with no published figure are left out."""
    from django.db.models import Q

    from harbour.authority.models import Authority, Region
    from harbour.insight.models import PublishedFigure
    from harbour.insight.published.loading import latest_grouping, neighbours_of

    ids = list(dict.fromkeys(indicator_ids))
    authority = Authority.current()
    region = None
    if la_code is None:
        if authority is None:
            return {}
        la_code = authority.la_code
    if authority is not None and authority.la_code == la_code:
        region = Region(authority.region).label if authority.region else None
    if neighbours is None:
        neighbours = _held_neighbours(authority, la_code, grouping) or neighbours_of(
            la_code, grouping or latest_grouping()
        )
    rows = PublishedFigure.objects.filter(indicator__in=ids).filter(
        Q(area_level__in=["national", "regional"]) | Q(area_code__in=[la_code, *neighbours])
    )
    if year is not None:
        rows = rows.filter(year__gt=year - TREND_YEARS, year__lte=year)
    by_indicator: dict[str, list] = {i: [] for i in ids}
    for row in rows.only(
        "indicator", "year", "area_level", "area_code", "area_name", "region", "value"
    ):
        by_indicator[row.indicator].append(row)
    out = {}
    for indicator in ids:
        figures = by_indicator[indicator]
        years = [f.year for f in figures if f.area_level == "national"]
        at = year if year is not None else max(years, default=None)
        if at is None or not figures:
            continue
        out[indicator] = comparators(
            indicator,
            at,
            la_code,
            figures,
            neighbours,
            value=(values or {}).get(indicator),
            region=region,
        )
    return out


def _held_neighbours(authority, la_code: str, grouping: str | None) -> list[str]:
    """The authority's StatisticalNeighbour rows: of `grouping`, else of the latest published
    grouping it holds (a year), else of any it holds."""
    if authority is None or authority.la_code != la_code:
        return []
    held: dict[str, list] = {}
    for row in authority.statistical_neighbours.order_by("grouping", "rank"):
        held.setdefault(row.grouping, []).append(row.la_code)
    if grouping is not None:
        return held.get(grouping, [])
    published = sorted((g for g in held if g.isdigit()), key=int)
    chosen = published[-1] if published else next(iter(sorted(held)), None)
    return held.get(chosen, []) if chosen else []
