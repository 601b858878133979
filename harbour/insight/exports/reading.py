"""How the exports read a row of the performance picture: each comparator as a line (its
figure, when, and whether this figure is better or worse), a sentence or two of analysis, and
the summary of the whole report. A comparator Harbour does not have is a line saying why, never
left out.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from harbour.insight.charts import MONTHS
from harbour.insight.indicators.definitions import by_id

JUDGED = ("better", "worse", "same")
UNIT_WORDS = {
    "count": "a count",
    "percent": "a percentage",
    "rate_per_10k": "a rate per 10,000 children aged 0 to 17",
    "mean": "an average",
    "max": "the largest",
}
POLARITY_WORDS = {
    "higher_is_better": "higher is better",
    "lower_is_better": "lower is better",
    "neutral": "neither higher nor lower is better (a measure of demand)",
}
PUBLISHED = (
    ("england", "England"),
    ("region", "Region"),
    ("neighbours_median", "Statistical neighbours (median)"),
    ("neighbours_best", "Best statistical neighbour"),
)
# The summary's questions, in order: (comparator key, "than ..." words).
AUTHORITY_AXES = (
    ("year_earlier", "a year earlier"),
    ("england", "England"),
    ("neighbours_median", "the statistical neighbours' median"),
    ("local_target", "the local target"),
)
TEAM_AXES = (
    ("year_earlier", "a year earlier"),
    ("authority", "the authority as a whole"),
    ("local_target", "the local target"),
)


@dataclass(frozen=True)
class Comparison:
    key: str
    name: str  # "England", "Region: East of England", ...
    value: object  # None where there is no figure
    when: str  # the period the comparator's figure covers, "" if the same as the row's
    verdict: str | None  # better, worse, same, higher, lower; None: not judged (see note)
    note: str = ""  # why there is no figure or no verdict, or where it comes from

    @property
    def word(self) -> str:
        """The verdict as a reader sees it, always some words."""
        if self.verdict is not None:
            return self.verdict
        return self.note or "not compared"


# ----- numbers as words --------------------------------------------------------------------


def number(value) -> int | float | None:
    """A figure as a plain int or float (Decimals from the published figures too)."""
    if value is None:
        return None
    if isinstance(value, Decimal | float) and value == int(value):
        return int(value)
    return float(value) if isinstance(value, Decimal) else value


def plain(value, places: int = 1) -> str:
    value = number(value)
    if value is None:
        return "none"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{places}f}"


def figure(value, unit: str) -> str:
    """A figure in its unit: 98.3%, 45.6 per 10,000, 1,494."""
    if value is None:
        return "no figure"
    if unit == "percent":
        return f"{float(value):.1f}%"
    if unit == "rate_per_10k":
        return f"{float(value):,.1f} per 10,000"
    if unit == "mean":
        return f"{float(value):,.1f}"
    return plain(value)


def day(value: str | date, short: bool = False) -> str:
    value = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{value.day} {value:%b %Y}" if short else f"{value.day} {value:%B %Y}"


def period_words(period: dict, short: bool = False) -> str:
    if period["kind"] == "snapshot":
        return f"on {day(period['end'], short)}"
    if period["kind"] == "collection_year":
        end = int(period["end"][:4])
        return f"{end - 1}-{str(end)[2:]}"
    return f"{day(period['start'], short)} to {day(period['end'], short)}"


def month_label(point: dict) -> str:
    end = point["period"]["end"]
    return f"{MONTHS[int(end[5:7]) - 1]} {end[:4]}"


def collection_year_words(year: int) -> str:
    return f"{year - 1}-{str(year)[2:]}"


# ----- a row's comparators -------------------------------------------------------------------


def is_flow(row: dict) -> bool:
    """A count or rate over a period (not on a day): its size depends on the period's length."""
    if "per_period" in row:
        return bool(row["per_period"])
    definition = by_id().get(row["id"])
    snapshot = definition is not None and definition.snapshot
    return row["unit"] in ("count", "rate_per_10k") and not snapshot


def is_team(row: dict) -> bool:
    return "authority" in row["comparators"]


def comparisons(row: dict) -> list[Comparison]:
    """Every comparator of a row, in the report's order; those with no figure say why."""
    comparators = row["comparators"]
    found = [_year_earlier(row, comparators.get("year_earlier"))]
    found.append(_target(row, comparators.get("local_target")))
    if is_team(row):
        found.append(_authority(row, comparators.get("authority")))
    else:
        found.extend(_published(row, comparators.get("published")))
    return found


def _year_earlier(row, earlier) -> Comparison:
    name = "A year earlier"
    if earlier is None:
        return Comparison("year_earlier", name, None, "", None, "not worked out")
    when = period_words(earlier["period"], short=True)
    if earlier["value"] is None:
        return Comparison("year_earlier", name, None, when, None, "no figure for that period")
    verdict = earlier.get("versus") if row["value"] is not None else None
    return Comparison("year_earlier", name, earlier["value"], when, verdict, _why_not(row, verdict))


def _target(row, target) -> Comparison:
    name = "Local target"
    if target is None:
        return Comparison("local_target", name, None, "", None, "no local target set")
    met = target.get("met")
    verdict = None if met is None else ("better" if met else "worse")
    note = target.get("why") or ""
    if met is None:
        note = "no figure to judge" if row["value"] is None else "not judged (neutral)"
    return Comparison("local_target", name, target["value"], "", verdict, note)


def _authority(row, authority) -> Comparison:
    name = "The authority as a whole"
    if authority is None:
        return Comparison("authority", name, None, "", None, "no figure for the authority")
    verdict = authority.get("versus")
    note = _why_not(row, verdict)
    if verdict is None and row["unit"] == "count" and row["value"] is not None:
        note = "not compared: the team's count is part of the authority's"
    return Comparison("authority", name, authority["value"], "", verdict, note)


def _published(row, published) -> list[Comparison]:
    if not published:
        note = (
            "not published"
            if by_id()[row["id"]].published_as is not None
            else "not published (the Department publishes no such measure)"
        )
        return [Comparison(key, name, None, "", None, note) for key, name in PUBLISHED]
    when = collection_year_words(int(published["year"]))
    versus = published.get("versus") or {}
    flow_mismatch = is_flow(row) and row["period"]["kind"] not in ("year", "collection_year")
    found = []
    for key, name in PUBLISHED:
        value = published.get(key)
        if key == "region" and published.get("region_name"):
            name = f"Region: {published['region_name']}"
        if key == "neighbours_median" and published.get("neighbours_count"):
            name = f"Statistical neighbours (median of {published['neighbours_count']})"
        if key == "neighbours_best":
            holder = _best_neighbour(published)
            name = f"{name} ({holder})" if holder else name
        verdict, note = versus.get(key), ""
        if value is None:
            note = (
                "none: neither higher nor lower is better"
                if key == "neighbours_best" and row["polarity"] == "neutral"
                else "not published"
            )
        elif row["unit"] == "count" and key in ("england", "region"):
            verdict, note = None, "not compared: a total over many authorities"
        elif flow_mismatch:
            verdict = None
            note = "not compared: published for a whole year"
        elif verdict is None:
            note = _why_not(row, verdict)
        found.append(Comparison(key, name, value, when, verdict, note))
    return found


def _best_neighbour(published) -> str:
    best = published.get("neighbours_best")
    if best is None:
        return ""
    names = [name for _, name, value in published.get("neighbours") or () if value == best]
    return ", ".join(n for n in names if n)


def _why_not(row, verdict) -> str:
    if verdict is not None:
        return ""
    if row is not None and row["value"] is None:
        return "no figure to judge"
    return "not judged"


# ----- words about a row -----------------------------------------------------------------------


def counted(row: dict) -> str:
    """The numerator and denominator in numbers and words."""
    definition = by_id()[row["id"]]
    numerator, denominator = row["numerator"], row["denominator"]
    if row["unit"] == "count" or denominator is None:
        return f"{plain(numerator)}: {words(definition.numerator)}"
    return (
        f"{plain(numerator)} counted: {words(definition.numerator)} "
        f"Out of {plain(denominator)}: {words(definition.denominator)}"
    )


def words(text: str | None) -> str:
    """A definition's words without the file's code marks."""
    return (text or "").replace("`", "")


def analysis(row: dict) -> list[str]:
    """Sentences that help read the figure: the year's range, small numbers, comparisons."""
    said = []
    monthly = [p for p in row["comparators"]["trend"]["monthly"] if p["value"] is not None]
    if row["value"] is None:
        said.append("There is no figure for the period: nothing to count out of.")
    if monthly:
        low = min(monthly, key=lambda p: p["value"])
        high = max(monthly, key=lambda p: p["value"])
        said.append(
            f"Over the last 12 months it ran from {figure(low['value'], row['unit'])} "
            f"({month_label(low)}) to {figure(high['value'], row['unit'])} "
            f"({month_label(high)}), month by month."
        )
    denominator = row["denominator"]
    if row["unit"] == "percent" and denominator and denominator < 20:
        said.append(
            f"Small numbers: out of {plain(denominator)}, each one moves the figure by "
            f"{100 / denominator:.1f} points."
        )
    judged = [c for c in comparisons(row) if c.verdict in ("better", "worse")]
    worse = [_in_words(c) for c in judged if c.verdict == "worse"]
    better = [_in_words(c) for c in judged if c.verdict == "better"]
    if worse:
        said.append(f"Worse than {_listed(worse)}.")
    if better:
        said.append(f"Better than {_listed(better)}.")
    if row["polarity"] == "neutral":
        said.append("A measure of demand: it is compared as higher or lower, not better or worse.")
    return said


def _in_words(comparison: Comparison) -> str:
    """A comparator as a sentence names it: "the local target", "East of England"."""
    if comparison.key == "region":
        return comparison.name.removeprefix("Region: ")
    if comparison.key == "neighbours_median":
        return "the statistical neighbours' median"
    if comparison.key == "neighbours_best":
        return "the b" + comparison.name[1:]
    if comparison.key == "local_target":
        return "the local target"
    if comparison.key == "england":
        return "England"
    return comparison.name[0].lower() + comparison.name[1:]


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# ----- the summary -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Axis:
    key: str
    than: str  # "England", "a year earlier", ...
    worse: list  # rows
    better: list
    same: list
    not_judged: list


def summary(rows: list[dict], axes=None) -> list[Axis]:
    """For each comparator the summary counts (`axes`: (key, "than" words); by default the
    report's, for a team or the authority), the rows worse, better, the same and not judged
    (neutral, no figure, not published, not comparable)."""
    team = bool(rows) and is_team(rows[0])
    chosen = axes or (TEAM_AXES if team else AUTHORITY_AXES)
    verdicts = [{c.key: c.verdict for c in comparisons(row)} for row in rows]  # once a row
    axes = []
    for key, than in chosen:
        sorted_rows = {"worse": [], "better": [], "same": [], None: []}
        for row, theirs in zip(rows, verdicts, strict=True):
            verdict = theirs.get(key)
            sorted_rows[verdict if verdict in JUDGED else None].append(row)
        axes.append(
            Axis(
                key,
                than,
                sorted_rows["worse"],
                sorted_rows["better"],
                sorted_rows["same"],
                sorted_rows[None],
            )
        )
    return axes


def axis_sentence(axis: Axis) -> str:
    """One plain sentence: worse first, then better, the same, and how many are not judged."""
    if axis.key == "local_target":
        parts = [f"{len(axis.worse)} miss their local target", f"{len(axis.better)} meet it"]
        rest = f"{len(axis.not_judged)} have no target or no figure to judge"
    else:
        parts = [
            f"{len(axis.worse)} are worse than {axis.than}",
            f"{len(axis.better)} better",
        ]
        if axis.same:
            parts.append(f"{len(axis.same)} the same")
        rest = f"{len(axis.not_judged)} are not judged against {axis.than}"
    return f"{', '.join(parts)}; {rest}."


def verdict_of(row: dict, key: str) -> str | None:
    return next((c.verdict for c in comparisons(row) if c.key == key), None)
