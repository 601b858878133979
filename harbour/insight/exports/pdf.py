"""The performance report as a PDF: a summary on page 1 counting what is better and worse than
a year earlier, England, the statistical neighbours and the local target (worse first), every
indicator at a glance, then each indicator with its numerator and denominator in numbers and
words, every comparator (a missing one says why), a few sentences of analysis, and its
12-month trend chart with the figures beside it.

reportlab cannot write a tagged (structure-tree) PDF; the report does what it can: title,
author, subject and language set, the title shown by viewers, bookmarks for every section
and indicator, text as real text in an embedded Unicode font, and every chart's numbers
beside it as text.
"""

import io
from datetime import date, datetime
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from harbour.insight import charts
from harbour.insight.exports import reading
from harbour.insight.performance import section_of

# Binary streams: ASCII85 (the default, pure Python here) doubles the time to write the charts
# and makes the file a quarter bigger, for nothing a file or a download needs.
rl_config.useA85 = 0

FONT = "HarbourSans"
INK = colors.HexColor("#0b0c0c")
QUIET = colors.HexColor("#505a5f")
RULE = colors.HexColor("#b1b4b6")
ACCENT = colors.HexColor("#1d70b8")
SHADE = colors.HexColor("#f3f2f1")
VERDICT_COLOURS = {"worse": "#d4351c", "better": "#00703c"}
MARGIN = 1.8 * cm
WIDTH = A4[0] - 2 * MARGIN


@cache
def _fonts() -> str:
    """DejaVu Sans, as the charts use, embedded (subset) so every character shows and copies."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    faces = {
        FONT: "DejaVuSans.ttf",
        f"{FONT}-Bold": "DejaVuSans-Bold.ttf",
        f"{FONT}-Italic": "DejaVuSans-Oblique.ttf",
        f"{FONT}-BoldItalic": "DejaVuSans-BoldOblique.ttf",
    }
    for name, file in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(
        FONT,
        normal=FONT,
        bold=f"{FONT}-Bold",
        italic=f"{FONT}-Italic",
        boldItalic=f"{FONT}-BoldItalic",
    )
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    font = _fonts()
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12.5, textColor=INK)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=6.8, leading=8),
        "small_right": ParagraphStyle(
            "small_right", parent=body, fontSize=6.8, leading=8, alignment=TA_RIGHT
        ),
        "quiet": ParagraphStyle("quiet", parent=body, fontSize=8, leading=11, textColor=QUIET),
        "cell": ParagraphStyle("cell", parent=body, fontSize=7.8, leading=9.4),
        "cell_right": ParagraphStyle(
            "cell_right", parent=body, fontSize=7.8, leading=9.4, alignment=TA_RIGHT
        ),
        "brand": ParagraphStyle(
            "brand", parent=body, fontName=f"{font}-Bold", fontSize=11, textColor=ACCENT
        ),
        "title": ParagraphStyle(
            "title", parent=body, fontName=f"{font}-Bold", fontSize=22, leading=27, spaceAfter=4
        ),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=14, leading=18, spaceAfter=6),
        "H1": ParagraphStyle(
            "H1",
            parent=body,
            fontName=f"{font}-Bold",
            fontSize=15,
            leading=19,
            spaceBefore=4,
            spaceAfter=8,
        ),
        "H2": ParagraphStyle(
            "H2",
            parent=body,
            fontName=f"{font}-Bold",
            fontSize=11.5,
            leading=14,
            spaceBefore=6,
            spaceAfter=3,
        ),
        "figure": ParagraphStyle(
            "figure", parent=body, fontName=f"{font}-Bold", fontSize=16, leading=20
        ),
    }


def _text(value) -> str:
    return escape(str(value))


def _verdict(word: str, judged: bool) -> str:
    """A verdict in words (the colour only repeats what the words say)."""
    colour = VERDICT_COLOURS.get(word) if judged else None
    if colour:
        return f'<font color="{colour}"><b>{_text(word)}</b></font>'
    if not judged:
        return f'<font color="#505a5f">{_text(word)}</font>'
    return _text(word)


def _when(read_at) -> str:
    if read_at is None:
        return "not recorded"
    if isinstance(read_at, int | float):
        read_at = datetime.fromtimestamp(read_at, reading_zone())
    return f"{read_at:%H:%M} on {reading.day(read_at.date())}"


def reading_zone():
    from harbour.insight.exports import LONDON

    return LONDON


# ----- pages -------------------------------------------------------------------------------------


class _Document(SimpleDocTemplate):
    """Bookmarks every section and indicator heading, for a reader's outline."""

    def afterFlowable(self, flowable):
        if isinstance(flowable, Paragraph) and flowable.style.name in ("H1", "H2"):
            key = getattr(flowable, "_bookmark", None)
            if key:
                level = 0 if flowable.style.name == "H1" else 1
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=True)


def _numbered_canvas(header: str, footer: str):
    """A canvas that writes "Page n of N" once it knows N."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._furniture(total)
                super().showPage()
            super().save()

        def _furniture(self, total):
            font = _fonts()
            self.saveState()
            self.setFillColor(QUIET)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            top = A4[1] - MARGIN + 0.6 * cm
            if self._pageNumber > 1:
                self.setFont(f"{font}-Bold", 8)
                self.setFillColor(ACCENT)
                self.drawString(MARGIN, top, "Harbour")
                self.setFillColor(QUIET)
                self.setFont(font, 8)
                self.drawString(MARGIN + 1.35 * cm, top, header)
                self.line(MARGIN, top - 0.2 * cm, A4[0] - MARGIN, top - 0.2 * cm)
            bottom = MARGIN - 0.8 * cm
            self.line(MARGIN, bottom + 0.35 * cm, A4[0] - MARGIN, bottom + 0.35 * cm)
            self.setFont(font, 7.5)
            self.drawString(MARGIN, bottom, footer)
            self.drawRightString(A4[0] - MARGIN, bottom, f"Page {self._pageNumber} of {total}")
            self.restoreState()

    return NumberedCanvas


# ----- the summary -----------------------------------------------------------------------------


def _summary(rows: list[dict], styles) -> list:
    axes = reading.summary(rows)
    team = bool(rows) and reading.is_team(rows[0])
    neutral = sum(row["polarity"] == "neutral" for row in rows)
    story = [Paragraph("Summary", styles["H1"])]
    story.append(
        Paragraph(
            f"This report has {len(rows)} indicators. {len(rows) - neutral} of them have a "
            f"better direction (higher or lower is better) and are judged better or worse; "
            f"the other {neutral} measure demand, where more is neither better nor worse, and "
            "are only compared as higher or lower.",
            styles["body"],
        )
    )
    story.append(Spacer(1, 4))
    head = ["Compared with", "Worse", "Better", "The same", "Not judged"]
    table = [
        [
            Paragraph(f"<b>{h}</b>", styles["cell" if n == 0 else "cell_right"])
            for n, h in enumerate(head)
        ]
    ]
    for axis in axes:
        table.append(
            [
                Paragraph(_text(axis.than[0].upper() + axis.than[1:]), styles["cell"]),
                Paragraph("0", styles["cell_right"])
                if not axis.worse
                else Paragraph(
                    f'<font color="{VERDICT_COLOURS["worse"]}"><b>{len(axis.worse)}</b></font>',
                    styles["cell_right"],
                ),
                Paragraph(str(len(axis.better)), styles["cell_right"]),
                Paragraph(str(len(axis.same)), styles["cell_right"]),
                Paragraph(str(len(axis.not_judged)), styles["cell_right"]),
            ]
        )
    story.append(_table(table, [6.4 * cm, 2.6 * cm, 2.6 * cm, 2.6 * cm, 2.6 * cm]))
    story.append(Spacer(1, 6))
    for axis in axes:
        story.append(
            Paragraph(
                f"<b>Against {_text(axis.than)}:</b> {_text(reading.axis_sentence(axis))}",
                styles["body"],
            )
        )
        if axis.worse:
            named = "; ".join(_named(row, axis.key) for row in axis.worse)
            story.append(
                Paragraph(
                    f'<font color="{VERDICT_COLOURS["worse"]}"><b>Worse:</b></font> {named}.',
                    styles["body"],
                )
            )
        if axis.better:
            named = "; ".join(_text(row["title"]) for row in axis.better)
            story.append(Paragraph(f"<b>Better:</b> {named}.", styles["body"]))
        story.append(Spacer(1, 3))
    how = (
        "Better or worse is judged by each indicator's direction. "
        + (
            "A team's figures are compared with the authority's own; the Department publishes "
            "no figures for teams, so England, the region and the statistical neighbours are in "
            "the authority's report. "
            if team
            else "England, the region and the statistical neighbours are the Department's latest "
            "published figures, for the collection year shown beside each. "
        )
        + "A year earlier is the same period a year before, counted from today's records, as "
        "the trend is. Where a comparator has no figure the report says so."
    )
    story.append(Paragraph(how, styles["quiet"]))
    return story


def _named(row: dict, key: str) -> str:
    """An indicator in a list of worse ones: its title, its figure and the comparator's."""
    found = next(c for c in reading.comparisons(row) if c.key == key)
    return (
        f"{_text(row['title'])} ({_text(reading.figure(row['value'], row['unit']))}; "
        f"{_text(found.name.lower() if key != 'england' else found.name)} "
        f"{_text(reading.figure(found.value, row['unit']))})"
    )


def _glance(rows: list[dict], styles) -> list:
    """Every indicator on one table, each title linked to its page."""
    team = bool(rows) and reading.is_team(rows[0])
    keys = ["year_earlier", "authority" if team else "england"]
    keys += [] if team else ["neighbours_median"]
    keys += ["local_target"]
    names = {
        "year_earlier": "Year earlier",
        "authority": "Authority",
        "england": "England",
        "neighbours_median": "Neighbours",
        "local_target": "Target",
    }
    head = ["Indicator", "Figure", *(names[k] for k in keys)]
    table = [[Paragraph(f"<b>{h}</b>", styles["cell"]) for h in head]]
    section = None
    spans = []
    for row in rows:
        if section_of(row["id"]) != section:
            section = section_of(row["id"])
            table.append(
                [Paragraph(f"<b>{_text(section)}</b>", styles["cell"])] + [""] * (len(head) - 1)
            )
            spans.append(len(table) - 1)
        found = {c.key: c for c in reading.comparisons(row)}
        cells = [
            Paragraph(
                f'<a href="#{row["id"]}" color="#1d70b8">{_text(row["title"])}</a>', styles["cell"]
            ),
            Paragraph(_text(reading.figure(row["value"], row["unit"])), styles["cell_right"]),
        ]
        for key in keys:
            c = found[key]
            cells.append(
                Paragraph(
                    _verdict(c.verdict, True) if c.verdict else _verdict("–", False),
                    styles["cell"],
                )
            )
        table.append(cells)
    fixed = 2.3 * cm * (len(head) - 2)
    widths = [WIDTH - 2.9 * cm - fixed, 2.9 * cm] + [2.3 * cm] * (len(head) - 2)
    story = [
        Paragraph("Every indicator at a glance", styles["H1"]),
        Paragraph(
            "How each figure stands against each comparator; a dash where it is not judged "
            "(a neutral measure, no figure, or not published: each indicator's page says which). "
            "Select a title to go to its page.",
            styles["quiet"],
        ),
        Spacer(1, 4),
    ]
    extra = [("SPAN", (0, n), (-1, n)) for n in spans]
    extra += [("BACKGROUND", (0, n), (-1, n), SHADE) for n in spans]
    story.append(_table(table, widths, extra, repeat=1))
    return story


def _table(data, widths, extra=(), repeat=1, pad=2.5) -> Table:
    table = Table(data, colWidths=widths, repeatRows=repeat, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), pad),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                *extra,
            ]
        )
    )
    return table


# ----- an indicator ----------------------------------------------------------------------------


def _chart_row(row: dict) -> dict:
    """The row as its chart should draw it: a count or rate over a period is charted month by
    month, so a published figure (a whole year's) is no line across it."""
    if not reading.is_flow(row):
        return row | {"per_period": False}
    return row | {"per_period": True, "comparators": row["comparators"] | {"published": None}}


def _rows_of_comparisons(row: dict) -> list:
    """The comparisons a table lists: the Department's four as one line where none is
    published for the same reason, so an unpublished measure takes one line, not four."""
    found = reading.comparisons(row)
    published = [c for c in found if c.key in dict(reading.PUBLISHED)]
    unpublished = all(c.value is None for c in published)
    if len(published) == 4 and unpublished and len({c.note for c in published}) == 1:
        merged = reading.Comparison(
            "published",
            "England, region and statistical neighbours",
            None,
            "",
            None,
            published[0].note,
        )
        found = [c for c in found if c not in published] + [merged]
    return found


def _indicator(row: dict, styles) -> list:
    unit = row["unit"]
    heading = Paragraph(f'<a name="{row["id"]}"/>{_text(row["title"])}', styles["H2"])
    heading._bookmark = row["id"]
    period = reading.period_words(row["period"])
    parts = [
        heading,
        Paragraph(_text(reading.figure(row["value"], unit)), styles["figure"]),
        Paragraph(
            f"{_text(period[0].upper() + period[1:])} · "
            f"{_text(reading.POLARITY_WORDS[row['polarity']])}",
            styles["quiet"],
        ),
        Paragraph(_text(reading.counted(row)), styles["body"]),
        Spacer(1, 3),
    ]
    head = ["Compared with", _figure_heading(unit), "Period", "This figure is"]
    table = [[Paragraph(f"<b>{h}</b>", styles["cell"]) for h in head]]
    for c in _rows_of_comparisons(row):
        note = ""
        if c.verdict and c.note:
            note = f' <font color="#505a5f">({_text(c.note)})</font>'
        table.append(
            [
                Paragraph(_text(c.name), styles["cell"]),
                Paragraph(
                    _text(_short(reading.figure(c.value, unit))) if c.value is not None else "–",
                    styles["cell_right"],
                ),
                Paragraph(_text(c.when), styles["cell"]),
                Paragraph(_verdict(c.word, c.verdict is not None) + note, styles["cell"]),
            ]
        )
    parts.append(_table(table, [4.9 * cm, 1.8 * cm, 4.3 * cm, WIDTH - 11.0 * cm], pad=1.2))
    parts.append(Spacer(1, 3))
    parts.append(Paragraph(_text(" ".join(reading.analysis(row))), styles["body"]))
    parts.append(Spacer(1, 2))
    parts.extend(_trend(row, styles))
    return [KeepTogether(parts), Spacer(1, 9)]


def _trend(row: dict, styles) -> list:
    monthly = row["comparators"]["trend"]["monthly"]
    if not monthly:
        return [Paragraph("No monthly trend.", styles["quiet"])]
    drawn = _chart_row(row)
    chart_width = 9.2 * cm
    image = Image(io.BytesIO(charts.chart(drawn, "png")), chart_width, chart_width * 2.6 / 5.6)
    data = [
        [
            Paragraph("<b>Month to</b>", styles["small"]),
            Paragraph(f"<b>{_figure_heading(row['unit'])}</b>", styles["small_right"]),
            Paragraph("<b>Counted</b>", styles["small_right"]),
            Paragraph("<b>Out of</b>", styles["small_right"]),
        ]
    ]
    for p in monthly:
        data.append(
            [
                Paragraph(_text(reading.day(p["period"]["end"], short=True)), styles["small"]),
                Paragraph(
                    _text(reading.figure(p["value"], row["unit"]).replace(" per 10,000", "")),
                    styles["small_right"],
                ),
                Paragraph(_text(reading.plain(p["numerator"])), styles["small_right"]),
                Paragraph(
                    _text("" if p["denominator"] is None else reading.plain(p["denominator"])),
                    styles["small_right"],
                ),
            ]
        )
    rest = WIDTH - chart_width - 0.3 * cm
    numbers = Table(
        data,
        colWidths=[
            1.9 * cm,
            (rest - 1.9 * cm) / 3 + 0.1 * cm,
            (rest - 1.9 * cm) / 3 - 0.05 * cm,
            (rest - 1.9 * cm) / 3 - 0.05 * cm,
        ],
    )
    numbers.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, INK),
                ("TOPPADDING", (0, 0), (-1, -1), 0.1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.1),
                ("LEFTPADDING", (0, 0), (-1, -1), 1.5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    side = Table([[image, numbers]], colWidths=[chart_width + 0.3 * cm, rest])
    side.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    lines = charts.comparator_lines(drawn)
    key = "The blue line is the figure month by month"
    if lines:
        across = "; ".join(
            f"{charts.COMPARATOR_NAMES[k]} {reading.figure(v, row['unit'])} "
            f"({_colour_word(charts.COMPARATOR_STYLES[k][0])} dashes)"
            for k, v in sorted(lines.items())
        )
        key += f"; the lines across: {across}"
    if reading.is_flow(row) and row["comparators"].get("published"):
        key += ". The Department's figures count a whole year, so are not drawn across months"
    return [side, Paragraph(_text(key + "."), styles["quiet"])]


def _short(text: str) -> str:
    """A figure in a column headed with its unit."""
    return text.removesuffix(" per 10,000")


def _figure_heading(unit: str) -> str:
    return "Per 10,000" if unit == "rate_per_10k" else "Figure"


def _colour_word(colour: str) -> str:
    return {
        "#00703c": "green",
        "#d4351c": "red",
        "#4c2c92": "purple",
        "#505a5f": "grey",
    }.get(colour, "coloured")


# ----- the report --------------------------------------------------------------------------------


def performance_pdf(
    rows: list[dict],
    *,
    title: str,
    scope_name: str,
    as_of: date,
    period_label: str,
    read_at=None,
) -> bytes:
    """The performance report for `rows` (performance.picture's, with year_earlier) as PDF."""
    styles = _styles()
    read = _when(read_at)
    buffer = io.BytesIO()
    document = _Document(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 0.3 * cm,
        bottomMargin=MARGIN,
        title=title,
        author="Harbour",
        subject=f"{scope_name}: performance indicators for {period_label}",
        creator="Harbour",
        producer="Harbour",
        keywords=["performance", "children's services", scope_name],
        lang="en-GB",
        displayDocTitle=True,
        invariant=True,
    )
    story = [
        Paragraph("Harbour", styles["brand"]),
        Paragraph("Children's services performance", styles["quiet"]),
        Spacer(1, 14),
        Paragraph("Performance report", styles["title"]),
        Paragraph(_text(scope_name), styles["subtitle"]),
        Paragraph(f"Figures for {_text(period_label)}.", styles["body"]),
        Paragraph(f"Figures as read at {_text(read)}.", styles["body"]),
        Spacer(1, 10),
    ]
    story += _summary(rows, styles)
    story += [Spacer(1, 10)] + _glance(rows, styles)
    section = None
    for row in rows:
        if section_of(row["id"]) != section:
            section = section_of(row["id"])
            heading = Paragraph(_text(section), styles["H1"])
            heading._bookmark = f"section-{len(story)}"
            story += [PageBreak(), heading]
        story += _indicator(row, styles)
    header = f"Performance report · {scope_name} · {period_label}"
    footer = f"Figures as read at {read}. Made by Harbour from the authority's own records."
    document.build(story, canvasmaker=_numbered_canvas(header, footer))
    return buffer.getvalue()
