"""Trend charts, drawn by matplotlib: an indicator month by month, with its comparators as
lines across (local target, England, the statistical neighbours' median, the authority's
figure for a team). The same chart goes into a page as SVG and into the PDF report as PNG;
every chart has a data table beside it, so nothing is only in the picture."""

import io
import re
from functools import lru_cache


@lru_cache(maxsize=1)
def _pyplot():
    """matplotlib, imported when the first chart is drawn: a third of a second that every
    process loading Harbour's pages would otherwise pay at start-up."""
    import matplotlib

    matplotlib.use("Agg")  # no screen: draw to files only
    import matplotlib.pyplot

    return matplotlib.pyplot


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
    # The Department's figures are for a year: they sit beside a monthly line only where the
    # figure is a share, a mean or a count on a day. England's count is a sum, never a line.
    published = comparators.get("published") or {}
    if not row.get("per_period", True):
        for key in ("england", "neighbours_median"):
            if published.get(key) is not None and (key != "england" or row["unit"] != "count"):
                lines[key] = float(published[key])
    authority = comparators.get("authority")
    if authority and authority.get("versus") is not None:
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
    from matplotlib.ticker import MaxNLocator

    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(5.6, 2.6), dpi=100 if format == "svg" else 160)
    try:
        xs = range(len(labels))
        ys = [float("nan") if v is None else v for v in values]
        axes.plot(xs, ys, color=LINE, linewidth=2.2, marker="o", markersize=3.5)
        for key, value in lines:
            colour, dash = COMPARATOR_STYLES[key]
            axes.axhline(value, color=colour, linestyle=dash, linewidth=1.4)
        shown = [i for i in xs if (len(labels) - 1 - i) % 2 == 0 or len(labels) <= 6]
        axes.set_xticks(shown, [labels[i] for i in shown], fontsize=8)
        axes.tick_params(axis="y", labelsize=8, colors=INK)
        axes.tick_params(axis="x", colors=INK)
        axes.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=unit in ("count", "max")))
        axes.set_ylim(*_y_range(ys, lines, unit))
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


def _y_range(ys, lines, unit) -> tuple[float, float]:
    """Counts from nought; a share from a little under its lowest point (a share near 95% on
    an axis from nought is a flat line), never outside 0 to 100."""
    known = [y for y in ys if y == y] + [value for _, value in lines]
    if not known:
        return 0, 1
    low, high = min(known), max(known)
    if unit != "percent":
        return 0, (high * 1.1) or 1
    spread = max(high - low, 5)
    top = min(101, high + spread * 0.15) if high <= 100 else high * 1.02  # room for a dot at 100
    return max(0, low - spread * 0.3), top


_HEAD = re.compile(r"^.*?(<svg\b)", re.S)
_SIZE = re.compile(r'\s(width|height)="[^"]*"')
_IDS = re.compile(r'\bid="([^"]+)"')


_METADATA = re.compile(r"<metadata>.*?</metadata>", re.S)
_GROUP_IDS = re.compile(r'<g id="[^"]+"')
_DIGITS = re.compile(r"(\d\.\d)\d+")
_SPACE = re.compile(r"\s*\n\s*")


_STYLE_ELEMENT = re.compile(r"<defs> <style[^>]*>.*?</style> </defs>", re.S)
_STYLE = re.compile(r'style="([^"]*)"')
FONT = "Arial, sans-serif"  # the page's own


def _attributes(match) -> str:
    found = []
    for declaration in match.group(1).split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if not name:
            continue
        if name == "font-family":
            value = FONT
        found.append(f'{name}="{value}"')
    return " ".join(found)


def _inline(svg: str, prefix: str) -> str:
    """An SVG fit to sit in a page: no XML prologue, metadata or fixed size (it scales to its
    box), coordinates to a tenth of a point (a third of the size), and the ids left (those
    references use) prefixed so that many charts on one page never share one."""
    svg = _HEAD.sub(r"\1", svg, count=1)
    svg = _METADATA.sub("", svg)
    svg = _GROUP_IDS.sub("<g", svg)
    svg = _DIGITS.sub(r"\1", svg)
    svg = _SPACE.sub(" ", svg)
    # The page's content security policy refuses style attributes and elements: say the same
    # in presentation attributes, which it allows.
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = _STYLE.sub(_attributes, svg)
    head, rest = svg.split(">", 1)
    head = _SIZE.sub("", head)
    svg = head + ' aria-hidden="true" focusable="false" class="harbour-chart__svg">' + rest
    ids = set(_IDS.findall(svg))
    for found in sorted(ids, key=len, reverse=True):
        svg = svg.replace(f'id="{found}"', f'id="{prefix}-{found}"')
        svg = svg.replace(f"#{found})", f"#{prefix}-{found})")
        svg = svg.replace(f'"#{found}"', f'"#{prefix}-{found}"')
    return svg
