"""Make the shipped files in data/ from the Department's published files.

    python -m harbour.insight.published.build --mirror GIT_DIR [--commit REV]
    python -m harbour.insight.published.build --folder DIR

`--mirror` reads a git copy of the Department's public repository
dfe-analytical-services/CSC_outcomes_and_enablers at REV (default HEAD); `--folder` reads the
same files from a folder (a checkout, or files downloaded by hand, under the same data-raw/
paths or side by side). Each published file is found at its `path` in measures.yaml or, for a
newer release whose name carries a later year, at the newest file whose name differs only in
its digits. Every file is checked; if any has a problem nothing is written.

Writes, in data/ (or --out): one CSV of figures per source (columns indicator, year,
area_level, area_code, ons_code, area_name, region, value), statistical_neighbours.csv, and
sources.yaml and SOURCES.md naming each file's publication, path, commit and release year.
Only published figures and groupings are read; nothing of the repository's code is used.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import yaml

from harbour.insight.published.extract import (
    FIGURE_COLUMNS,
    Figure,
    Mapping,
    extract,
    mapping,
    rates,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
NEIGHBOURS_FILE = "statistical_neighbours.csv"
NEIGHBOUR_COLUMNS = (
    "grouping",
    "la_code",
    "la_name",
    "rank",
    "neighbour_code",
    "neighbour_name",
    "closeness",
)
LEVEL_ORDER = {"national": 0, "regional": 1, "local": 2}


class Files:
    """The Department's files, from a git mirror at one commit or from a folder."""

    def __init__(self, mirror: Path | None = None, commit: str = "HEAD", folder=None):
        self.mirror, self.folder = mirror, folder
        if mirror is not None:
            self.commit = self._git("rev-parse", f"{commit}^{{commit}}").strip()
            self.paths = self._git("ls-tree", "-r", "--name-only", self.commit).splitlines()
        else:
            self.commit = ""
            self.paths = [str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()]

    def _git(self, *args: str) -> str:
        return subprocess.run(
            ["git", f"--git-dir={self.mirror}", *args],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def find(self, path: str) -> str | None:
        """`path`, or the newest file named like it but for its digits (a later release)."""
        if path in self.paths:
            return path
        name = Path(path).name
        pattern = re.compile(re.sub(r"\d+", r"\\d+", re.escape(name)) + "$", re.IGNORECASE)
        found = sorted(p for p in self.paths if pattern.search(Path(p).name))
        return found[-1] if found else None

    def text(self, path: str) -> str:
        if self.mirror is not None:
            data = subprocess.run(
                ["git", f"--git-dir={self.mirror}", "show", f"{self.commit}:{path}"],
                check=True,
                capture_output=True,
            ).stdout
        else:
            data = (self.folder / path).read_bytes()
        return data.decode("utf-8-sig")


def build(files: Files, out: Path, maps: Mapping | None = None) -> list[str]:
    """Write the shipped files; returns the lines to report. Raises SystemExit on a problem."""
    maps = maps or mapping()
    report: list[str] = []
    figures: list[Figure] = []
    found: dict[str, tuple[str, int | None]] = {}  # source key -> (path, latest year)
    problems = []
    for key, source in maps.sources.items():
        path = files.find(source.path)
        if path is None:
            problems.append(f"{source.path}: not in the repository")
            continue
        got = extract(Path(path).name, io.StringIO(files.text(path)), maps, sources=[key])
        problems.extend(str(p) for p in got.problems)
        wanted = {m.id for m in maps.measures.values() if m.source == key and m.column}
        missing = wanted - set(got.measures)
        if missing:
            problems.append(f"{path}: no figures for {', '.join(sorted(missing))}")
        figures.extend(got.figures.values())
        found[key] = (path, got.latest_year)
        report.append(
            f"{path}: {len(got.figures):,} figures for {len(got.measures)} measures "
            f"({got.suppressed:,} not published: suppressed or not applicable)"
        )
    population = {
        (f.year, f.area_code): f.value for f in figures if f.indicator == "population_0_17"
    }
    made = rates(figures, population, maps)
    report.append(f"rates per 10,000 children made from counts: {len(made):,}")
    figures.extend(made)
    neighbours, neighbour_sources = _neighbours(files, maps, figures, problems)
    if problems:
        raise SystemExit("\n".join(problems + ["nothing was written"]))

    out.mkdir(parents=True, exist_ok=True)
    by_output: dict[str, list[Figure]] = defaultdict(list)
    for figure in figures:
        by_output[maps.sources[maps.measures[figure.indicator].source].output].append(figure)
    written = {}
    for key, source in maps.sources.items():
        rows = sorted(
            by_output[source.output],
            key=lambda f: (f.indicator, f.year, LEVEL_ORDER[f.area_level], f.area_code),
        )
        with (out / source.output).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, FIGURE_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(f.row() for f in rows)
        path, latest = found[key]
        years = sorted({f.year for f in rows})
        written[source.output] = {
            "publication": source.publication,
            "repository": "dfe-analytical-services/CSC_outcomes_and_enablers",
            "path": path,
            "commit": files.commit,
            "release": latest,
            "years": f"{years[0]}-{years[-1]}",
            "period": source.period,
            "indicators": sorted({f.indicator for f in rows}),
            "rows": len(rows),
        }
        if any(
            maps.measures[i].derive == "rate_per_10k" for i in written[source.output]["indicators"]
        ):
            written[source.output]["rates_use"] = maps.sources["population"].output
    with (out / NEIGHBOURS_FILE).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, NEIGHBOUR_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(neighbours)
    written[NEIGHBOURS_FILE] = neighbour_sources
    (out / "sources.yaml").write_text(
        "# Made by `python -m harbour.insight.published.build`; do not edit by hand.\n"
        + yaml.safe_dump(
            {"files": written},
            sort_keys=False,
            allow_unicode=True,
            width=100,
        ),
        encoding="utf-8",
    )
    (out / "SOURCES.md").write_text(_sources_md(written, files.commit), encoding="utf-8")
    for name in sorted(written):
        size = (out / name).stat().st_size
        report.append(f"wrote {out / name} ({size:,} bytes)")
    return report


def _neighbours(files: Files, maps: Mapping, figures: list[Figure], problems: list[str]):
    """Every grouping as rows (grouping, la_code, la_name, rank, neighbour_code, ...)."""
    names: dict[str, str] = {}
    for figure in sorted(figures, key=lambda f: f.year):
        if figure.area_level == "local":
            names[figure.area_code] = figure.area_name
    rows, sources = [], {}
    for grouping, spec in maps.neighbour_groupings.items():
        path = files.find(spec["path"])
        if path is None:
            problems.append(f"{spec['path']}: not in the repository")
            continue
        reader = csv.reader(io.StringIO(files.text(path)))
        header = [h.strip() for h in next(reader)]
        ranks = {
            index: int(match.group(1))
            for index, name in enumerate(header)
            if (match := re.fullmatch(r"SN_?(\d+)", name))
        }
        if sorted(ranks.values()) != list(range(1, 11)):
            problems.append(f"{path}: row 1: SN1-SN10: the ten neighbour columns are not there")
            continue
        seen: dict[str, list] = {}
        for line, row in enumerate(reader, start=2):
            row = [cell.strip() for cell in row]
            if not row or not row[0]:
                continue
            code, name = row[0], row[1]
            if not re.fullmatch(r"\d{3}", code):
                problems.append(f"{path}: row {line}: la code: {code!r} is not a code")
                continue
            neighbours = []
            for index, rank in sorted(ranks.items(), key=lambda item: item[1]):
                neighbour = row[index] if index < len(row) else ""
                if not re.fullmatch(r"\d{3}", neighbour):
                    problems.append(
                        f"{path}: row {line}: {header[index]}: {neighbour!r} is not a code"
                    )
                    continue
                closeness = row[index + 1] if index + 1 < len(row) else ""
                neighbours.append((rank, neighbour, closeness))
            if code in seen:
                if seen[code] != neighbours:
                    problems.append(f"{path}: row {line}: {code} appears twice, differently")
                continue
            seen[code] = neighbours
            clean = re.sub(r"\s*\(Pre LG\)$", "", name)
            names.setdefault(code, clean)
            for rank, neighbour, closeness in neighbours:
                rows.append(
                    {
                        "grouping": grouping,
                        "la_code": code,
                        "la_name": name,
                        "rank": rank,
                        "neighbour_code": neighbour,
                        "neighbour_name": "",
                        "closeness": closeness[:1].upper() + closeness[1:].lower(),
                    }
                )
        sources[grouping] = {
            "publication": spec["publication"],
            "path": path,
            "commit": files.commit,
            "authorities": len(seen),
        }
    for row in rows:
        row["neighbour_name"] = names.get(row["neighbour_code"], "")
        if not row["neighbour_name"]:
            problems.append(f"neighbours {row['grouping']}: {row['neighbour_code']}: no name")
    return rows, {
        "repository": "dfe-analytical-services/CSC_outcomes_and_enablers",
        "groupings": sources,
    }


def _sources_md(written: dict, commit: str) -> str:
    lines = [
        "# The Department for Education's published figures shipped with Harbour",
        "",
        "Made by `python -m harbour.insight.published.build` from the published data files in",
        "the Department's public repository `dfe-analytical-services/CSC_outcomes_and_enablers`",
        f"(commit `{commit or 'not from git'}`; the repository is MIT-licensed). They are",
        "official statistics, which the Department and the ONS publish under the Open",
        "Government Licence v3.0; none of that repository's code is used. Which column and",
        "filter each indicator comes from, its polarity and where the Department's definition",
        "differs from Harbour's are in `../measures.yaml`; `sources.yaml` holds the same facts",
        "for the loader. To rebuild from a newer release: `python -m",
        "harbour.insight.published.build --mirror GIT_DIR` (or `--folder DIR`).",
        "",
        "| file | publication | path in the repository | release | years | indicators |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, info in written.items():
        if name == NEIGHBOURS_FILE:
            continue
        lines.append(
            f"| {name} | {info['publication']} | `{info['path']}` | {info['release']} | "
            f"{info['years']} | {', '.join(info['indicators'])} |"
        )
    lines += [
        "",
        "Rates per 10,000 children not published in these files (children in need, referrals,",
        "child protection plans) are made from the published counts and the ONS mid-year",
        "estimate of children aged 0 to 17 for the year before (`population.csv`), as the",
        "Department makes its own.",
        "",
        f"`{NEIGHBOURS_FILE}`: statistical neighbour groupings (ten neighbours each, ranked):",
        "",
    ]
    for grouping, info in written[NEIGHBOURS_FILE]["groupings"].items():
        lines.append(
            f"- {grouping}: {info['publication']}, `{info['path']}`, "
            f"{info['authorities']} authorities"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--mirror", type=Path, help="git directory of the Department's repository")
    where.add_argument("--folder", type=Path, help="a folder holding the published files")
    parser.add_argument("--commit", default="HEAD", help="revision of the mirror (default HEAD)")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="where to write (data/)")
    args = parser.parse_args(argv)
    files = Files(args.mirror, args.commit) if args.mirror else Files(folder=args.folder)
    for line in build(files, args.out):
        print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
