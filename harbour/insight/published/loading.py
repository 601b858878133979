"""Load the Department's published figures into the database, and an authority's neighbours.

`load_shipped()` loads the files shipped in data/ (what a fresh install needs: `harbour demo`
and `harbour load_published` call it); `load_csv()` loads a newer release of a Department CSV
by the mapping in measures.yaml. Both are one transaction and idempotent: loading the same
figures again changes nothing. Every file is checked first; if any problem is found nothing is
loaded and `LoadRefused` lists every problem as `file: row N: column: problem`.

A figure is keyed by indicator, year and area; a figure from a later release replaces an
earlier release's (the Department revises), never the other way round.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from harbour.insight.published.extract import (
    Figure,
    Mapping,
    Problem,
    extract,
    mapping,
    rates,
    read_figures,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
NEIGHBOURS_FILE = DATA_DIR / "statistical_neighbours.csv"
SOURCES_FILE = DATA_DIR / "sources.yaml"
REPOSITORY = "dfe-analytical-services/CSC_outcomes_and_enablers"
FIELDS = ("area_level", "ons_code", "area_name", "region", "value", "source", "release")


class LoadRefused(Exception):
    """Raised with every problem found; the database is left as it was."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) found; nothing was loaded")


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_newer: int = 0
    indicators: set[str] = field(default_factory=set)
    neighbours: dict[str, int] = field(default_factory=dict)  # created, updated, removed
    files: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or any(self.neighbours.values()))

    def lines(self) -> list[str]:
        lines = [f"{name}" for name in self.files]
        lines.append(
            f"Published figures for {len(self.indicators)} indicators: {self.created:,} new, "
            f"{self.updated:,} changed, {self.unchanged:,} unchanged"
            + (f", {self.kept_newer:,} kept from a later release" if self.kept_newer else "")
            + "."
        )
        if self.neighbours:
            lines.append(
                "Statistical neighbours of the authority: "
                + ", ".join(f"{count} {what}" for what, count in self.neighbours.items())
                + "."
            )
        return lines


# ---- the shipped files ----------------------------------------------------------------------
@cache
def shipped_sources() -> dict:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(SOURCES_FILE.read_text(encoding="utf-8"), Loader=loader)["files"]


def _source_text(info: dict) -> str:
    return f"{info['publication']}: {REPOSITORY} {info['path']}"[:300]


def shipped_figures(only: set[str] | None = None):
    """[(figure, source, release)] from data/, and the problems found reading them."""
    items, problems = [], []
    maps = mapping()
    for name, info in shipped_sources().items():
        if "indicators" not in info:
            continue  # the neighbours
        if only is not None and not only & set(info["indicators"]):
            continue
        with (DATA_DIR / name).open(encoding="utf-8") as handle:
            figures, found = read_figures(handle, name)
        problems.extend(found)
        source = _source_text(info)
        for figure in figures:
            if figure.indicator not in maps.measures:
                problems.append(
                    Problem(name, "", "indicator", f"{figure.indicator!r} is not in measures.yaml")
                )
                break
            if only is None or figure.indicator in only:
                items.append((figure, source, int(info["release"])))
    return items, problems


def load_shipped(only: set[str] | None = None, neighbours: bool = True) -> Outcome:
    """Load the shipped figures (all, or the indicators in `only`) and the statistical
    neighbours of the authority Harbour serves, if there is one yet."""
    items, problems = shipped_figures(only)
    if problems:
        raise LoadRefused(problems)
    with transaction.atomic():
        outcome = save_figures(items)
        if neighbours:
            outcome.neighbours = load_neighbours()
    outcome.files = [f"Shipped figures from {REPOSITORY} ({len(items):,} figures)."]
    return outcome


# ---- a newer release ------------------------------------------------------------------------
def load_csv(
    paths: list[Path],
    only: set[str] | None = None,
    measures: Path | None = None,
    release: int | None = None,
) -> Outcome:
    """Load Department CSV files by the measures mapping (measures.yaml or `measures`)."""
    maps = mapping(measures) if measures else mapping()
    problems: list[Problem] = []
    if only:
        unknown = sorted(only - set(maps.measures))
        for indicator in unknown:
            problems.append(
                Problem("--indicator", indicator, "indicator", "is not in the measures mapping")
            )
        if unknown:
            raise LoadRefused(problems)
    wanted = set(only) if only else None
    readable = None
    if wanted:  # a rate is made from its count
        readable = wanted | {maps.measures[i].of for i in wanted if maps.measures[i].of}
    items: list[tuple[Figure, str, int]] = []
    counts: list[tuple[Figure, str, int]] = []
    population: dict[tuple[int, str], Decimal] = {}
    files = []
    for path in paths:
        name = Path(path).name
        try:
            text = Path(path).read_bytes().decode("utf-8-sig")
        except OSError as error:
            problems.append(Problem(name, "(file)", "(file)", f"cannot be read: {error.strerror}"))
            continue
        except UnicodeDecodeError:
            problems.append(Problem(name, "(file)", "(file)", "is not UTF-8 text"))
            continue
        got = extract(name, io.StringIO(text), maps, only=readable)
        problems.extend(got.problems)
        file_release = release or got.latest_year or 0
        for figure in got.figures.values():
            source = _source(maps, figure.indicator, name)
            counts.append((figure, source, file_release))
            if figure.indicator == "population_0_17":
                population[(figure.year, figure.area_code)] = figure.value
        files.append(
            f"{name}: {len(got.figures):,} figures for {', '.join(got.measures) or 'nothing'}"
            f" (release {file_release})"
        )
    if problems:
        raise LoadRefused(problems)
    items = [item for item in counts if wanted is None or item[0].indicator in wanted]
    items += _rates(maps, counts, population, wanted)
    with transaction.atomic():
        outcome = save_figures(items)
    outcome.files = files
    return outcome


def _source(maps: Mapping, indicator: str, name: str) -> str:
    publication = maps.sources[maps.measures[indicator].source].publication
    return f"{publication}: {name}"[:300]


def _rates(maps, counts, population, wanted):
    """Rates per 10,000 for the counts loaded, with the population loaded with them or held."""
    from harbour.insight.models import PublishedFigure

    rate_of = {
        m.of: m.id
        for m in maps.measures.values()
        if m.derive == "rate_per_10k" and (wanted is None or m.id in wanted)
    }
    needed = {
        (f.year - 1, f.area_code)
        for f, _, _ in counts
        if f.indicator in rate_of and (f.year - 1, f.area_code) not in population
    }
    if needed:
        held = PublishedFigure.objects.filter(
            indicator="population_0_17",
            year__in={year for year, _ in needed},
            area_code__in={code for _, code in needed},
        ).values_list("year", "area_code", "value")
        population = {**{(y, c): v for y, c, v in held}, **population}
    meta = {(f.indicator, f.year, f.area_code): (s, r) for f, s, r in counts}
    made = rates([f for f, _, _ in counts], population, maps, only=set(rate_of.values()))
    out = []
    for figure in made:
        count_id = maps.measures[figure.indicator].of
        source, release = meta[(count_id, figure.year, figure.area_code)]
        out.append((figure, f"{source}; rate with ONS population estimates"[:300], release))
    return out


# ---- saving ---------------------------------------------------------------------------------
def save_figures(items: list[tuple[Figure, str, int]]) -> Outcome:
    """Insert new figures, update changed ones, leave the rest; never replace a later
    release's figure with an earlier one's."""
    from harbour.insight.models import PublishedFigure

    outcome = Outcome(indicators={figure.indicator for figure, _, _ in items})
    held = {
        (indicator, year, code): (pk, rest)
        for indicator, year, code, pk, *rest in PublishedFigure.objects.filter(
            indicator__in=outcome.indicators
        ).values_list("indicator", "year", "area_code", "pk", *FIELDS)
    }
    now = timezone.now()
    new: dict[tuple, PublishedFigure] = {}
    changed: dict[int, PublishedFigure] = {}
    for figure, source, release in items:
        wanted = (
            figure.area_level,
            figure.ons_code,
            figure.area_name,
            figure.region,
            figure.value,
            source,
            release,
        )
        if figure.key in new or figure.key not in held:
            new[figure.key] = _row(figure, wanted, now)  # the later of two in one load
            continue
        pk, had = held[figure.key]
        if had[-1] > release:
            outcome.kept_newer += 1
        elif _facts(had) != _facts(wanted):  # the same figure read from another file is held
            changed[pk] = _row(figure, wanted, now, pk)
        else:
            outcome.unchanged += 1
    PublishedFigure.objects.bulk_create(new.values(), batch_size=2000)
    PublishedFigure.objects.bulk_update(changed.values(), [*FIELDS, "loaded_at"], batch_size=2000)
    outcome.created, outcome.updated = len(new), len(changed)
    return outcome


def _facts(fields) -> tuple:
    """What a figure says, whatever file it was read from: every field but `source`."""
    return tuple(value for name, value in zip(FIELDS, fields, strict=True) if name != "source")


def _row(figure: Figure, wanted: tuple, now, pk=None):
    from harbour.insight.models import PublishedFigure

    return PublishedFigure(
        pk=pk,
        indicator=figure.indicator,
        year=figure.year,
        area_code=figure.area_code,
        loaded_at=now,
        **dict(zip(FIELDS, wanted, strict=True)),
    )


# ---- statistical neighbours -----------------------------------------------------------------
@cache
def neighbour_groupings() -> dict[str, dict[str, tuple[tuple[int, str, str], ...]]]:
    """{grouping: {la_code: ((rank, neighbour_code, neighbour_name), ...)}} from data/."""
    groupings: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    with NEIGHBOURS_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            groupings[row["grouping"]][row["la_code"]].append(
                (int(row["rank"]), row["neighbour_code"], row["neighbour_name"])
            )
    return {
        grouping: {code: tuple(sorted(ranked)) for code, ranked in las.items()}
        for grouping, las in groupings.items()
    }


def latest_grouping() -> str:
    return max(neighbour_groupings(), key=int)


def neighbours_of(la_code: str, grouping: str | None = None) -> list[str]:
    """The ten neighbours' codes, closest first, in a published grouping (default latest)."""
    ranked = neighbour_groupings()[grouping or latest_grouping()].get(la_code, ())
    return [code for _, code, _ in ranked]


def load_neighbours(authority=None) -> dict[str, int]:
    """Each published grouping's neighbours of the authority (default the one Harbour serves)
    as its StatisticalNeighbour rows; other groupings (a local choice) are left alone."""
    from harbour.authority.models import Authority, StatisticalNeighbour

    authority = authority or Authority.current()
    counts = {"created": 0, "updated": 0, "removed": 0}
    if authority is None:
        return {}
    for grouping, las in neighbour_groupings().items():
        wanted = {code: (rank, name) for rank, code, name in las.get(authority.la_code, ())}
        held = {
            row.la_code: row
            for row in StatisticalNeighbour.objects.filter(authority=authority, grouping=grouping)
        }
        for code, row in held.items():
            if code not in wanted:
                row.delete()
                counts["removed"] += 1
        for code, (rank, name) in wanted.items():
            row = held.get(code)
            if row is None:
                StatisticalNeighbour.objects.create(
                    authority=authority, grouping=grouping, la_code=code, rank=rank, name=name
                )
                counts["created"] += 1
            elif (row.rank, row.name) != (rank, name):
                row.rank, row.name = rank, name
                row.save()
                counts["updated"] += 1
    return counts
