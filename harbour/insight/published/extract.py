"""Read the Department's published CSV files into figures, by the mapping in measures.yaml.

Pure Python (no Django): the builder (build.py) makes the shipped files with it from the
Department's repository, and `harbour load_published --csv` reads a newer release with it.

The Department's files share one layout (explore-education-statistics): `time_period`,
`geographic_level` (National, Regional, Local authority), `country_code`, `region_code`,
`region_name`, `old_la_code` (the three-digit code), `new_la_code` (ONS), `la_name`, then the
figures. A suppressed or not-applicable figure is one of the Department's symbols (c, k, u, x,
z, low, ...) and is left out: no figure is better than a made-up one.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
MEASURES_FILE = HERE / "measures.yaml"

POLARITIES = ("higher_is_better", "lower_is_better", "neutral")
LEVELS = {"National": "national", "Regional": "regional", "Local authority": "local"}
# The Department's symbols for a figure that is not shown (GSS guidance on symbols).
SYMBOLS = {"c", "k", "u", "x", "z", "low", ":", "..", "-", "~", "[c]", "[x]", "[z]", "[low]"}
ENGLAND_CODE = "E92000001"
FIGURE_COLUMNS = (
    "indicator",
    "year",
    "area_level",
    "area_code",
    "ons_code",
    "area_name",
    "region",
    "value",
)


@dataclass(frozen=True)
class Measure:
    id: str
    source: str
    title: str
    polarity: str
    unit: str
    harbour: bool
    column: str | None = None
    filter: tuple[tuple[str, str], ...] = ()
    derive: str | None = None  # None, "rate_per_10k" or "complement"
    of: str | None = None
    note: str = ""

    @property
    def columns(self) -> set[str]:
        """The columns a file must have for this measure to be read from it."""
        needed = {name for name, _ in self.filter}
        if self.column:
            needed.add(self.column)
        return needed


@dataclass(frozen=True)
class Source:
    key: str
    publication: str
    path: str
    output: str
    period: str


@dataclass(frozen=True)
class Mapping:
    sources: dict[str, Source]
    measures: dict[str, Measure]
    not_published_here: tuple[str, ...]
    neighbour_groupings: dict[str, dict[str, str]]

    def polarity(self, indicator: str) -> str:
        measure = self.measures.get(indicator)
        return measure.polarity if measure else "neutral"


@cache
def mapping(path: str | Path = MEASURES_FILE) -> Mapping:
    """measures.yaml, checked: a mistake in it is a mistake for every load."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)
    sources = {key: Source(key=key, **spec) for key, spec in data["sources"].items()}
    measures = {}
    for key, spec in data["measures"].items():
        spec = dict(spec)
        spec["filter"] = tuple((str(k), str(v)) for k, v in (spec.get("filter") or {}).items())
        spec["note"] = str(spec.get("note", "")).strip()
        measure = Measure(id=key, **spec)
        if measure.source not in sources:
            raise ValueError(f"{path}: measure {key}: unknown source {measure.source!r}")
        if measure.polarity not in POLARITIES:
            raise ValueError(f"{path}: measure {key}: polarity must be one of {POLARITIES}")
        if measure.derive not in (None, "rate_per_10k", "complement"):
            raise ValueError(f"{path}: measure {key}: unknown derive {measure.derive!r}")
        if measure.derive == "rate_per_10k" and measure.of is None:
            raise ValueError(f"{path}: measure {key}: a rate needs `of`")
        if measure.derive != "rate_per_10k" and not measure.column:
            raise ValueError(f"{path}: measure {key}: needs a column")
        measures[key] = measure
    groupings = {str(k): dict(v) for k, v in (data.get("neighbour_groupings") or {}).items()}
    return Mapping(sources, measures, tuple(data.get("not_published_here", ())), groupings)


@dataclass(frozen=True)
class Figure:
    indicator: str
    year: int
    area_level: str  # national, regional, local
    area_code: str  # three-digit DfE code for an authority; ONS code for a region, England
    ons_code: str
    area_name: str
    region: str  # the authority's region as the Department names it; blank otherwise
    value: Decimal

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.indicator, self.year, self.area_code)

    def row(self) -> dict[str, str]:
        return {
            "indicator": self.indicator,
            "year": str(self.year),
            "area_level": self.area_level,
            "area_code": self.area_code,
            "ons_code": self.ons_code,
            "area_name": self.area_name,
            "region": self.region,
            "value": number_text(self.value),
        }


@dataclass(frozen=True)
class Problem:
    file: str
    where: str
    column: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.column}: {self.problem}"


@dataclass
class Extract:
    """What one file gave: its figures by key, the problems found, and what was left out."""

    file: str
    figures: dict[tuple[str, int, str], Figure] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    suppressed: int = 0
    shared: int = 0
    latest_year: int | None = None

    def problem(self, where: str, column: str, text: str) -> None:
        self.problems.append(Problem(self.file, where, column, text))


def number_text(value: Decimal) -> str:
    """A value as the shortest plain decimal: 632830, 22.6, 0.5."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def parse_number(text: str) -> Decimal | None:
    text = text.strip().replace(",", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern already excludes these
        return None


def parse_year(text: str) -> int | None:
    """`2025` for 2024-25; a financial year `202425` also gives 2025."""
    text = text.strip()
    if re.fullmatch(r"(19|20)\d\d", text):
        return int(text)
    if re.fullmatch(r"(19|20)\d{4}", text) and (int(text[2:4]) + 1) % 100 == int(text[4:]):
        return int(text[:4]) + 1
    return None


def matching_measures(header: Iterable[str], maps: Mapping, only: Iterable[str] | None = None):
    """The measures (read from a column) whose columns a file with this header has."""
    header = set(header)
    wanted = set(only) if only else None
    return [
        m
        for m in maps.measures.values()
        if m.column and m.columns <= header and (wanted is None or m.id in wanted)
    ]


def extract(
    name: str,
    lines: Iterable[str],
    maps: Mapping | None = None,
    only: Iterable[str] | None = None,
    sources: Iterable[str] | None = None,
) -> Extract:
    """Read one Department CSV (`lines`, text) into figures for every measure it holds.

    `only` limits the measures by id; `sources` to those of the named sources (the builder
    reads each file for its own source's measures). Rates are not made here (see `rates`).
    """
    maps = maps or mapping()
    out = Extract(name)
    reader = csv.DictReader(_without_bom(lines))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    if not header:
        out.problem("row 1", "(header)", "the file is empty")
        return out
    for column in ("time_period", "geographic_level"):
        if column not in header:
            out.problem("row 1", column, "column is missing: not a Department statistics file")
    if out.problems:
        return out
    candidates = matching_measures(header, maps, only)
    if sources is not None:
        allowed = set(sources)
        candidates = [m for m in candidates if m.source in allowed]
    if not candidates:
        out.problem(
            "row 1",
            "(header)",
            "no measure in the mapping is read from a file with these columns"
            + (f" (looked for {', '.join(sorted(only))})" if only else ""),
        )
        return out
    matched: set[str] = set()
    first_row: dict[tuple[str, int, str], int] = {}
    for row in reader:
        line = f"row {reader.line_num}"
        row = {k: (v or "").strip() for k, v in row.items() if k is not None}
        level = LEVELS.get(row.get("geographic_level", ""))
        if level is None:
            if not row.get("geographic_level"):
                out.problem(line, "geographic_level", "is blank")
            continue  # other levels (local authority district, ...) are not comparators
        year = parse_year(row.get("time_period", ""))
        if year is None:
            out.problem(line, "time_period", f"{row.get('time_period')!r} is not a year")
            continue
        areas = _areas(row, level, line, out)
        if not areas:
            continue
        for measure in candidates:
            if any(row.get(col) != value for col, value in measure.filter):
                continue
            matched.add(measure.id)
            text = row.get(measure.column, "")
            value = parse_number(text)
            if value is None:
                if text.lower() in SYMBOLS or text == "":
                    out.suppressed += 1
                else:
                    out.problem(
                        line,
                        measure.column,
                        f"{text!r} is not a number nor one of the Department's symbols "
                        f"({', '.join(sorted(s for s in SYMBOLS if s.isalpha()))})",
                    )
                continue
            if measure.derive == "complement":
                value = Decimal(100) - value
            if len(areas) > 1 and measure.unit == "count":
                out.shared += 1  # a shared service's count is not each authority's
                continue
            for area in areas:
                figure = Figure(measure.id, year, level, *area, value)
                earlier = out.figures.get(figure.key)
                if earlier is not None and earlier.value != figure.value:
                    out.problem(
                        line,
                        measure.column,
                        f"{measure.id} {year} for {figure.area_name} is {text} here but "
                        f"{number_text(earlier.value)} in row {first_row[figure.key]}",
                    )
                    continue
                if earlier is None:
                    out.figures[figure.key] = figure
                    first_row[figure.key] = reader.line_num
            out.latest_year = max(out.latest_year or year, year)
    out.measures = sorted(matched)
    if not matched and not out.problems:
        out.problem(
            "(every row)",
            "(filter)",
            "no row matches the filter of any measure with these columns: "
            + ", ".join(sorted(m.id for m in candidates)),
        )
    return out


def _without_bom(lines: Iterable[str]):
    first = True
    for line in lines:
        if first:
            line = line.lstrip("\ufeff")
            first = False
        yield line


def _areas(row: dict[str, str], level: str, line: str, out: Extract):
    """[(area_code, ons_code, area_name, region)] for a row, or [] with a problem.

    A service shared by authorities (the workforce of Kingston upon Thames and Richmond upon
    Thames, or of North and West Northamptonshire) is published as one row, `314 / 318`: its
    rates and averages are given to each authority, its counts to neither."""
    if level == "national":
        code = row.get("country_code") or ENGLAND_CODE
        return [(code, code, row.get("country_name") or "England", "")]
    if level == "regional":
        code, name = row.get("region_code", ""), row.get("region_name", "")
        if not re.fullmatch(r"E1[23]\d{6}", code):
            out.problem(line, "region_code", f"{code!r} is not a region's ONS code")
            return []
        if not name:
            out.problem(line, "region_name", "is blank")
            return []
        return [(code, code, name, "")]
    codes = [c.strip() for c in row.get("old_la_code", "").split(" / ")]
    names = [n.strip() for n in row.get("la_name", "").split(" / ")]
    ons = [c.strip() for c in row.get("new_la_code", "").split(" / ")]
    bad = [c for c in codes if not re.fullmatch(r"\d{3}", c)]
    if bad:
        out.problem(
            line,
            "old_la_code",
            f"{row.get('old_la_code', '')!r} is not a three-digit local authority code",
        )
        return []
    if not all(names) or len(names) != len(codes):
        out.problem(line, "la_name", "is blank" if not all(names) else "does not match the codes")
        return []
    if len(ons) != len(codes):
        ons = [""] * len(codes)
    region = row.get("region_name", "")
    return [(c, o, n, region) for c, o, n in zip(codes, ons, names, strict=True)]


def rates(
    counts: Iterable[Figure],
    population: dict[tuple[int, str], Decimal],
    maps: Mapping | None = None,
    only: Iterable[str] | None = None,
) -> list[Figure]:
    """The rate measures per 10,000 children made from their counts: each count of year Y over
    the population estimate of year Y - 1 for the same area, to one decimal place."""
    maps = maps or mapping()
    wanted = set(only) if only else None
    by_count = {
        m.of: m
        for m in maps.measures.values()
        if m.derive == "rate_per_10k" and (wanted is None or m.id in wanted)
    }
    made = []
    for figure in counts:
        measure = by_count.get(figure.indicator)
        if measure is None:
            continue
        children = population.get((figure.year - 1, figure.area_code))
        if not children:
            continue
        rate = (figure.value * 10000 / children).quantize(Decimal("0.1"), ROUND_HALF_UP)
        made.append(
            Figure(
                measure.id,
                figure.year,
                figure.area_level,
                figure.area_code,
                figure.ons_code,
                figure.area_name,
                figure.region,
                rate,
            )
        )
    return made


def read_figures(lines: Iterable[str], name: str) -> tuple[list[Figure], list[Problem]]:
    """A shipped data file (FIGURE_COLUMNS), checked as strictly as a Department file."""
    figures, problems = [], []
    reader = csv.DictReader(_without_bom(lines))
    missing = [c for c in FIGURE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return [], [Problem(name, "row 1", c, "column is missing") for c in missing]
    for row in reader:
        line = f"row {reader.line_num}"
        year = parse_year(row["year"] or "")
        value = parse_number(row["value"] or "")
        if year is None:
            problems.append(Problem(name, line, "year", f"{row['year']!r} is not a year"))
        if value is None:
            problems.append(Problem(name, line, "value", f"{row['value']!r} is not a number"))
        if row["area_level"] not in LEVELS.values():
            problems.append(
                Problem(name, line, "area_level", f"{row['area_level']!r} is not a level")
            )
        if not row["indicator"] or not row["area_code"]:
            problems.append(Problem(name, line, "indicator", "indicator or area_code is blank"))
        if year is None or value is None or not row["indicator"] or not row["area_code"]:
            continue
        figures.append(
            Figure(
                row["indicator"],
                year,
                row["area_level"],
                row["area_code"],
                row["ons_code"] or "",
                row["area_name"] or "",
                row["region"] or "",
                value,
            )
        )
    return figures, problems
