"""Trend charts, drawn by matplotlib: an indicator month by month, with its comparators as
lines across (local target, England, the statistical neighbours' median, the authority's
figure for a team). The same chart goes into a page as SVG and into the PDF report as PNG;
every chart has a data table beside it, so nothing is only in the picture."""

import io
import re
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")  # no screen: draw to files only

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

# GOV.UK Design System colours: text, blue line, and comparators told apart by dash and colour.
INK, LINE, GRID = "#0b0c0c", "#1d70b8", "#b1b4b6"
COMPARATOR_STYLES = {
    "local_target": ("#00703c", (0, (6, 3))),
    "england": ("#d4351c", (0, (2, 2))),
    "neighbours_median": ("#4c2c92", (0, (6, 2, 2, 2))),
    "authority": ("#505a5f", (0, (4, 4))),
}
COMPARATOR_NAMES = {
    "local_target": "Local target",
    "england": "England",
    "neighbours_median": "Statistical neighbours (median)",
    "authority": "Authority",
}


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _month_label(point: dict) -> str:
    end = point["period"]["end"]  # YYYY-MM-DD
    return f"{MONTHS[int(end[5:7]) - 1]} {end[2:4]}"


def comparator_lines(row: dict) -> dict[str, float]:
    """The comparators a chart draws across, by key: those with a value."""
    comparators = row["comparators"]
    lines = {}
    target = comparators.get("local_target")
    if target:
        lines["local_target"] = float(target["value"])
    published = comparators.get("published") or {}
    if row["unit"] != "count":  # England's total is a sum over authorities, not a comparator
        for key in ("england", "neighbours_median"):
            if published.get(key) is not None:
                lines[key] = float(published[key])
    elif published.get("neighbours_median") is not None:
        lines["neighbours_median"] = float(published["neighbours_median"])
    authority = comparators.get("authority")
    if authority and authority.get("value") is not None:
        lines["authority"] = float(authority["value"])
    return lines


def _series(row: dict) -> tuple[tuple[str, ...], tuple]:
    monthly = row["comparators"]["trend"]["monthly"]
    return tuple(_month_label(p) for p in monthly), tuple(p["value"] for p in monthly)


def chart(row: dict, format: str = "svg") -> str | bytes:
    """The indicator's 12-month trend as an SVG (text) or PNG (bytes)."""
    labels, values = _series(row)
    lines = tuple(sorted(comparator_lines(row).items()))
    return _draw(row["id"], row["title"], row["unit"], labels, values, lines, format)


@lru_cache(maxsize=512)
def _draw(indicator_id, title, unit, labels, values, lines, format):
    figure, axes = plt.subplots(figsize=(5.6, 2.6), dpi=100 if format == "svg" else 160)
    try:
        xs = range(len(labels))
        ys = [float("nan") if v is None else v for v in values]
        axes.plot(xs, ys, color=LINE, linewidth=2.2, marker="o", markersize=3.5)
        for key, value in lines:
            colour, dash = COMPARATOR_STYLES[key]
            axes.axhline(value, color=colour, linestyle=dash, linewidth=1.4)
        shown = [i for i in xs if (len(labels) - 1 - i) % 2 == 0 or len(labels) <= 6]
        axes.set_xticks(shown, [labels[i] for i in shown], fontsize=7)
        axes.tick_params(axis="y", labelsize=7, colors=INK)
        axes.tick_params(axis="x", colors=INK)
        axes.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=unit in ("count", "max")))
        if unit == "percent":
            axes.set_ylim(bottom=min([0, *[y for y in ys if y == y]]), top=_top(ys, lines, 100))
        else:
            axes.set_ylim(bottom=0, top=_top(ys, lines, None))
        axes.grid(axis="y", color=GRID, linewidth=0.5)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        # Laid out by hand: tight_layout measures every label and costs more than the drawing.
        figure.subplots_adjust(left=0.09, right=0.99, top=0.97, bottom=0.11)
        buffer = io.BytesIO()
        if format == "svg":
            with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": indicator_id}):
                figure.savefig(buffer, format="svg", metadata={"Date": None})
            return _inline(buffer.getvalue().decode("utf-8"), indicator_id)
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)


def _top(ys, lines, cap):
    known = [y for y in ys if y == y] + [value for _, value in lines]
    top = max(known, default=1) or 1
    top = top * 1.1
    return min(cap, top) if cap is not None and max(known, default=0) <= cap else top


_HEAD = re.compile(r"^.*?(<svg\b)", re.S)
_SIZE = re.compile(r'\s(width|height)="[^"]*"')
_IDS = re.compile(r'\bid="([^"]+)"')


def _inline(svg: str, prefix: str) -> str:
    """An SVG fit to sit in a page: no XML prologue or fixed size (it scales to its box), and
    ids prefixed so that many charts on one page never share one."""
    svg = _HEAD.sub(r"\1", svg, count=1)
    head, rest = svg.split(">", 1)
    head = _SIZE.sub("", head)
    svg = head + ' aria-hidden="true" focusable="false" class="harbour-chart__svg">' + rest
    ids = set(_IDS.findall(svg))
    for found in sorted(ids, key=len, reverse=True):
        svg = svg.replace(f'id="{found}"', f'id="{prefix}-{found}"')
        svg = svg.replace(f"#{found})", f"#{prefix}-{found})")
        svg = svg.replace(f'"#{found}"', f'"#{prefix}-{found}"')
    return svg
