"""The performance report's numbers as a workbook: every indicator with each comparator and
its verdict, the monthly and yearly trends with their numerators and denominators, a chart of
each monthly trend, the definitions in words, and what the workbook is.

Numbers are numbers (a percentage is 98.3 shown as 98.3%, as the report prints it), dates are
dates, and every piece of text is made safe from being run as a formula.
"""

import io
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from harbour.access.export import safe_cell
from harbour.insight.exports import reading
from harbour.insight.indicators.definitions import by_id
from harbour.insight.indicators.targets import local_targets
from harbour.insight.performance import section_of

FORMATS = {
    "percent": '0.0"%"',
    "rate_per_10k": "#,##0.0",
    "count": "#,##0",
    "mean": "#,##0.0",
    "max": "#,##0",
}
WHOLE = "#,##0"
DAY = "dd/mm/yyyy"
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
HEAD_FILL = PatternFill("solid", fgColor="F3F2F1")
VERDICT_FONTS = {"worse": Font(color="D4351C", bold=True), "better": Font(color="00703C")}
MAX_WIDTH = 60
UNIT_NAMES = {
    "count": "count",
    "percent": "percentage",
    "rate_per_10k": "rate per 10,000 children",
    "mean": "average",
    "max": "largest",
}
DIRECTIONS = {
    "higher_is_better": "higher is better",
    "lower_is_better": "lower is better",
    "neutral": "neutral",
}


def _cell(value):
    """A value as the workbook holds it: numbers and dates as they are, text made safe."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date | int | float):
        return value
    number = reading.number(value) if not isinstance(value, str) else None
    if number is not None:
        return number
    return safe_cell(value)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


class _Sheet:
    """A sheet written row by row, with a bold frozen header, a filter, and widths to fit."""

    def __init__(self, workbook, title: str, headings: list[str], freeze: str = "C2"):
        self.sheet = workbook.create_sheet(title)
        self.widths = [min(max(len(h) + 2, 8), MAX_WIDTH) for h in headings]
        self.sheet.append([safe_cell(h) for h in headings])
        for cell in self.sheet[1]:
            cell.font, cell.alignment, cell.fill = BOLD, WRAP, HEAD_FILL
        self.sheet.freeze_panes = freeze
        self.columns = len(headings)

    def append(self, values: list, formats: dict[int, str] | None = None) -> int:
        self.sheet.append([_cell(v) for v in values])
        number = self.sheet.max_row
        for n, cell in enumerate(self.sheet[number]):
            if isinstance(cell.value, date):
                cell.number_format = DAY
            elif formats and n in formats and isinstance(cell.value, int | float):
                cell.number_format = formats[n]
            if cell.value is not None:
                size = 11 if isinstance(cell.value, date) else len(str(cell.value)) + 2
                self.widths[n] = min(max(self.widths[n], size), MAX_WIDTH)
            if cell.value in VERDICT_FONTS:
                cell.font = VERDICT_FONTS[cell.value]
        return number

    def finish(self) -> None:
        for n, width in enumerate(self.widths):
            self.sheet.column_dimensions[get_column_letter(n + 1)].width = width
        last = get_column_letter(self.columns)
        self.sheet.auto_filter.ref = f"A1:{last}{max(self.sheet.max_row, 2)}"


# ----- the sheets --------------------------------------------------------------------------------


def _indicators(workbook, rows: list[dict], team: bool) -> None:
    headings = [
        "ID",
        "Indicator",
        "Section",
        "Unit",
        "Direction",
        "Period",
        "Period start",
        "Period end",
        "Figure",
        "Counted (numerator)",
        "Out of (denominator)",
        "Year earlier",
        "Versus a year earlier",
        "Local target",
        "Versus the local target",
    ]
    if team:
        headings += ["Authority", "Versus the authority"]
    else:
        headings += [
            "England",
            "Versus England",
            "Region",
            "Region's name",
            "Versus the region",
            "Statistical neighbours (median)",
            "Versus the neighbours' median",
            "Best statistical neighbour",
            "Versus the best neighbour",
            "Published year",
        ]
    sheet = _Sheet(workbook, "Indicators", headings)
    for row in rows:
        found = {c.key: c for c in reading.comparisons(row)}
        values = [
            row["id"],
            row["title"],
            section_of(row["id"]),
            UNIT_NAMES[row["unit"]],
            DIRECTIONS[row["polarity"]],
            row["period"]["kind"].replace("_", " "),
            _day(row["period"]["start"]),
            _day(row["period"]["end"]),
            row["value"],
            row["numerator"],
            row["denominator"],
        ]
        figures = [8, 11, 13]  # columns (from 0) holding a figure in the indicator's unit
        for key in ("year_earlier", "local_target"):
            values += [found[key].value, found[key].word]
        if team:
            figures.append(15)
            values += [found["authority"].value, found["authority"].word]
        else:
            published = row["comparators"].get("published") or {}
            values += [found["england"].value, found["england"].word]
            values += [found["region"].value, published.get("region_name")]
            values += [found["region"].word]
            values += [found["neighbours_median"].value, found["neighbours_median"].word]
            values += [found["neighbours_best"].value, found["neighbours_best"].word]
            year = published.get("year")
            values.append(reading.collection_year_words(int(year)) if year else "not published")
            figures += [15, 17, 20, 22]
        formats = dict.fromkeys(figures, FORMATS[row["unit"]]) | {9: WHOLE, 10: WHOLE}
        sheet.append(values, formats)
    sheet.finish()
    sheet.sheet.freeze_panes = "C2"


def _trend_sheet(workbook, title: str, rows: list[dict], kind: str, label) -> dict[str, int]:
    """Indicators by period, three lines each (figure, counted, out of); gives each
    indicator's figure line, for the charts."""
    first = rows[0]["comparators"]["trend"][kind] if rows else []
    headings = ["ID", "Indicator", "Unit", "Line", *(label(p) for p in first)]
    sheet = _Sheet(workbook, title, headings, freeze="E2")
    figure_lines = {}
    for row in rows:
        points = row["comparators"]["trend"][kind]
        unit = FORMATS[row["unit"]]
        head = [row["id"], row["title"], UNIT_NAMES[row["unit"]]]
        columns = range(4, 4 + len(points))
        figure_lines[row["id"]] = sheet.append(
            [*head, "figure", *(p["value"] for p in points)], dict.fromkeys(columns, unit)
        )
        sheet.append(
            [*head, "counted", *(p["numerator"] for p in points)], dict.fromkeys(columns, WHOLE)
        )
        sheet.append(
            [*head, "out of", *(p["denominator"] for p in points)], dict.fromkeys(columns, WHOLE)
        )
    sheet.finish()
    for n in range(5, sheet.columns + 1):
        sheet.sheet.column_dimensions[get_column_letter(n)].width = 13
    return figure_lines


def _month_heading(point: dict) -> str:
    return f"Month to {reading.day(point['period']['end'], short=True)}"


def _year_heading(point: dict) -> str:
    return reading.period_words(point["period"])


def _charts(workbook, rows: list[dict], lines: dict[str, int]) -> None:
    """A line chart of each indicator's monthly figures, two to a row, drawn from the
    Monthly trend sheet's figure lines (so the numbers are there beside them)."""
    sheet = workbook.create_sheet("Charts")
    sheet["A1"] = "Each indicator month by month (the figures are on the Monthly trend sheet)."
    sheet["A1"].font = BOLD
    source = workbook["Monthly trend"]
    months = source.max_column - 4
    if months <= 0:
        return
    categories = Reference(source, min_col=5, max_col=4 + months, min_row=1, max_row=1)
    for n, row in enumerate(rows):
        line = lines[row["id"]]
        chart = LineChart()
        chart.title = row["title"]
        chart.style = 2
        chart.height, chart.width = 6.5, 13.5
        chart.legend = None
        chart.y_axis.title = UNIT_NAMES[row["unit"]]
        chart.y_axis.number_format = FORMATS[row["unit"]]
        chart.y_axis.delete = False
        chart.x_axis.delete = False
        data = Reference(source, min_col=5, max_col=4 + months, min_row=line, max_row=line)
        chart.add_data(data, from_rows=True, titles_from_data=False)
        chart.set_categories(categories)
        chart.series[0].marker.symbol = "circle"
        anchor = f"{'A' if n % 2 == 0 else 'J'}{3 + (n // 2) * 14}"
        sheet.add_chart(chart, anchor)


def _definitions(workbook, rows: list[dict]) -> None:
    headings = [
        "ID",
        "Indicator",
        "Section",
        "Unit",
        "About",
        "Usually reported",
        "Direction",
        "Counted (numerator)",
        "Out of (denominator)",
        "Published in",
        "Published measure",
        "Published method",
        "Duties it is worked out from",
        "Notes",
        "Local target",
        "Why that target",
    ]
    sheet = _Sheet(workbook, "Definitions", headings)
    defined, targets = by_id(), local_targets()
    for row in rows:
        d = defined[row["id"]]
        target = targets.get(d.id)
        published = d.published_as
        line = sheet.append(
            [
                d.id,
                d.title,
                section_of(d.id),
                UNIT_NAMES[d.unit],
                d.about,
                d.period.replace("_", " "),
                DIRECTIONS[d.polarity],
                reading.words(d.numerator),
                reading.words(d.denominator) or "(a count: no denominator)",
                published.return_ if published else "not published",
                published.measure if published else None,
                published.method if published else None,
                ", ".join(d.duties),
                reading.words(d.notes),
                target.value if target else "no local target",
                target.why if target else None,
            ],
            {14: FORMATS[d.unit]},
        )
        for cell in sheet.sheet[line]:
            cell.alignment = WRAP
    sheet.finish()
    for column in "HIKLN":
        sheet.sheet.column_dimensions[column].width = 50


def _about(workbook, rows, *, title, scope_name, as_of, period_label, read_at) -> None:
    sheet = workbook.create_sheet("About")
    team = bool(rows) and reading.is_team(rows[0])
    published_years = sorted(
        {
            reading.collection_year_words(int(row["comparators"]["published"]["year"]))
            for row in rows
            if row["comparators"].get("published")
        }
    )
    lines = [
        ("Title", title),
        ("Scope", scope_name),
        ("Figures to", as_of),
        ("Period", period_label),
        ("Figures as read at", _read(read_at)),
        ("Made by", "Harbour, from the authority's own records"),
        ("Indicators", len(rows)),
        (
            "Comparators",
            "A year earlier (the same period a year before, counted from today's records); "
            "the local target; "
            + (
                "the authority as a whole (the Department publishes no team figures)."
                if team
                else "England, the region and the statistical neighbours (median and best): the "
                "Department for Education's published figures for "
                + (", ".join(published_years) or "no year (none loaded)")
                + "."
            ),
        ),
        (
            "Verdicts",
            "better or worse by each indicator's direction; higher or lower for a neutral one "
            "(a measure of demand); otherwise why there is no verdict (not published, no "
            "figure, not comparable).",
        ),
        (
            "Units",
            "Percentages are numbers from 0 to 100 (98.3 is 98.3%); rates are per 10,000 "
            "children aged 0 to 17.",
        ),
        ("Sheets", "Indicators, Monthly trend, Yearly trend, Charts, Definitions, About."),
    ]
    for name, value in lines:
        sheet.append([safe_cell(name), _cell(value)])
        cell = sheet.cell(sheet.max_row, 2)
        cell.alignment = WRAP
        if isinstance(value, date):
            cell.number_format = DAY
        sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 100


def _read(read_at) -> str:
    if read_at is None:
        return "not recorded"
    if isinstance(read_at, int | float):
        from harbour.insight.exports import LONDON

        read_at = datetime.fromtimestamp(read_at, LONDON)
    return f"{read_at:%H:%M} on {reading.day(read_at.date())}"


def performance_workbook(
    rows: list[dict],
    *,
    title: str,
    scope_name: str,
    as_of: date,
    period_label: str,
    read_at=None,
) -> bytes:
    """The performance report's numbers (performance.picture's rows, with year_earlier) as an
    XLSX workbook."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title
    workbook.properties.subject = f"{scope_name}: performance indicators for {period_label}"
    workbook.properties.creator = "Harbour"
    workbook.properties.language = "en-GB"
    team = bool(rows) and reading.is_team(rows[0])
    _indicators(workbook, rows, team)
    monthly = _trend_sheet(workbook, "Monthly trend", rows, "monthly", _month_heading)
    _trend_sheet(workbook, "Yearly trend", rows, "yearly", _year_heading)
    _charts(workbook, rows, monthly)
    _definitions(workbook, rows)
    _about(
        workbook,
        rows,
        title=title,
        scope_name=scope_name,
        as_of=as_of,
        period_label=period_label,
        read_at=read_at,
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
