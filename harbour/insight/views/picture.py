"""What the dashboards show of the performance picture: each indicator's figure in words and
numbers, its comparators judged, its chart and data tables, and the links to the children
behind every figure. Shared by the dashboards and the children-behind page."""

from dataclasses import dataclass
from datetime import date

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import capfirst

from harbour.insight import charts
from harbour.insight.exports import reading
from harbour.insight.indicators.definitions import by_id
from harbour.insight.indicators.periods import KINDS
from harbour.insight.performance import Scope, section_of
from harbour.web.fields import DateField

PERIOD_NAMES = {"year": "12 months", "quarter": "3 months", "month": "month"}

VERSUS_TAGS = {
    "better": "govuk-tag--green",
    "worse": "govuk-tag--red",
    "same": "govuk-tag--grey",
    "higher": "govuk-tag--blue",
    "lower": "govuk-tag--blue",
}


# No council's records of this kind are older than the Children Act 1989 (in force from this
# day): an earlier day is a mistake, and year 1 would break the date arithmetic of the trend.
EARLIEST = date(1991, 10, 14)
# A period behind a trend's figure may start a few years before its day (5 collection years).
EARLIEST_START = date(1985, 1, 1)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def day_field(label: str, required: bool = False, **options) -> forms.DateField:
    """A day in a query string, as the pages' links write it (YYYY-MM-DD)."""
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}",
            "invalid": f"{label} must be a real date, written like 2026-03-31",
        },
        **options,
    )


def check_day(day: date | None, label: str, earliest: date = EARLIEST) -> None:
    """A day figures may be counted to: not to come, nor before records could exist."""
    if day is None:
        return
    if day > timezone.localdate():
        raise forms.ValidationError(f"{label} must be today or in the past")
    if day < earliest:
        raise forms.ValidationError(f"{label} must be the same as or after {_day(earliest)}")


def team_field() -> forms.ModelChoiceField:
    from harbour.workforce.models import Team

    return forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.all(),
        required=False,
        error_messages={"invalid_choice": "Choose a team that exists"},
    )


def period_field(label: str = "Over the") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[(k, f"{PERIOD_NAMES[k]} ending then") for k in KINDS],
        error_messages={"invalid_choice": "Choose 12 months, 3 months or a month"},
    )


class PictureForm(forms.Form):
    """What a dashboard shows: the day figures are counted to, and the period ending then."""

    DEFAULT_PERIOD = "month"

    as_of = DateField(
        "Figures to",
        noun="the day figures are counted to",
        hint="The last day counted, for example 31 3 2026. Leave it empty for today.",
        earliest=None,  # check_day says how early
    )
    period = period_field()

    def clean_as_of(self) -> date:
        as_of = self.cleaned_data.get("as_of") or timezone.localdate()
        check_day(as_of, "Figures to")
        return as_of

    def clean_period(self) -> str:
        return self.cleaned_data.get("period") or self.DEFAULT_PERIOD


def shown(value, unit: str) -> str:
    """A figure as a page shows it: as the reports write it (98.3%, 1,494)."""
    return capfirst(reading.figure(value, unit))


def _count(value) -> str:
    return "" if value is None else f"{int(value):,}"


@dataclass(frozen=True)
class Shown:
    """A comparator as the reports read it (exports.reading.comparisons: every one, a missing
    one saying why), in a page's words."""

    comparison: reading.Comparison
    unit: str

    @property
    def name(self) -> str:
        return self.comparison.name

    @property
    def value(self) -> str:
        value = self.comparison.value
        return "" if value is None else shown(value, self.unit)

    @property
    def note(self) -> str:
        return ", ".join(part for part in (self.comparison.when, self.comparison.note) if part)

    @property
    def versus(self) -> str | None:
        return self.comparison.verdict

    @property
    def tag(self) -> str:
        return VERSUS_TAGS.get(self.versus or "", "govuk-tag--grey")


def comparisons(row: dict) -> list[Shown]:
    return [Shown(c, row["unit"]) for c in reading.comparisons(row)]


def children_link(row: dict, scope: Scope, as_of: date, period: dict, part: str) -> str:
    """The page listing the children (or staff) behind a figure's numerator or denominator."""
    query = {
        "as_of": as_of.isoformat(),
        "start": period["start"],
        "end": period["end"],
        "part": part,
    }
    if scope.is_team:
        query["team"] = scope.team_id
    return reverse("indicator-children", args=[row["id"]]) + "?" + urlencode(query)


def _points(row, points, scope, as_of, links, label):
    out = []
    for point in points:
        period = point["period"]
        out.append(
            {
                "label": label(period),
                "value": shown(point["value"], row["unit"]),
                "numerator": _count(point["numerator"]),
                "denominator": _count(point["denominator"]),
                "numerator_link": links and children_link(row, scope, as_of, period, "numerator"),
                "denominator_link": links
                and point["denominator"] is not None
                and children_link(row, scope, as_of, period, "denominator"),
            }
        )
    return out


def _month(period: dict) -> str:
    end = date.fromisoformat(period["end"])
    start = date.fromisoformat(period["start"])
    if start.day == 1:
        return f"{end:%B %Y}"
    return f"{start.day} {start:%b} to {end.day} {end:%b %Y}"


def _year(period: dict) -> str:
    end = date.fromisoformat(period["end"])
    return f"{end.year - 1}-{str(end.year)[2:]}"


def card(row: dict, scope: Scope, as_of: date, links: bool, chart: str) -> dict:
    """One indicator as a dashboard shows it, with its chart (SVG)."""
    definition = by_id()[row["id"]]
    period = row["period"]
    return {
        "row": row,
        "definition": definition,
        "value": shown(row["value"], row["unit"]),
        "numerator": _count(row["numerator"]),
        "denominator": _count(row["denominator"]),
        "comparisons": comparisons(row),
        "chart": chart,
        "lines": [charts.COMPARATOR_NAMES[k] for k in charts.comparator_lines(row)],
        "monthly": _points(
            row, row["comparators"]["trend"]["monthly"], scope, as_of, links, _month
        ),
        "yearly": _points(row, row["comparators"]["trend"]["yearly"], scope, as_of, links, _year),
        "numerator_link": links and children_link(row, scope, as_of, period, "numerator"),
        "denominator_link": links
        and row["denominator"] is not None
        and children_link(row, scope, as_of, period, "denominator"),
        "about_staff": definition.about == "staff",
    }


def shown_rows(rows: list[dict], scope: Scope) -> list[dict]:
    """The rows a dashboard has a card for: a team has no child population of its own."""
    return [row for row in rows if not (scope.is_team and row["unit"] == "rate_per_10k")]


def drawn(rows: list[dict], scope: Scope) -> dict[str, str]:
    """Each card's chart (SVG), by indicator."""
    return {row["id"]: charts.chart(row) for row in shown_rows(rows, scope)}


def sections(
    rows: list[dict], scope: Scope, as_of: date, links: bool, charts_by_id: dict[str, str]
) -> list[dict]:
    """The cards grouped into the page's sections, in the definitions' order."""
    grouped: dict[str, list] = {}
    for row in shown_rows(rows, scope):
        shown_card = card(row, scope, as_of, links, charts_by_id[row["id"]])
        grouped.setdefault(section_of(row["id"]), []).append(shown_card)
    return [
        {"title": title, "slug": title.lower().replace(" ", "-"), "cards": cards}
        for title, cards in grouped.items()
    ]


# The at-a-glance table's comparators, in order (those no figure is judged against are left out).
SUMMARY = (
    ("year_earlier", "the same period a year earlier"),
    ("local_target", "the local target"),
    ("england", "England"),
    ("region", "the region"),
    ("neighbours_median", "the statistical neighbours' median"),
    ("authority", "the authority"),
)


def summary(rows: list[dict]) -> list[reading.Axis]:
    """How many figures are better and worse than each comparator, the worse ones named: a
    report that only counted the good news would mislead."""
    return [axis for axis in reading.summary(rows, SUMMARY) if axis.better or axis.worse]
