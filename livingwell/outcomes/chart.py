"""A line chart of measures over time, drawn on the server as an accessible SVG (no JavaScript).

The same way as the ecomap (livingwell.people.ecomap):

- x is the date each measure was finished, in proportion to time; y is the instrument's own scale
  (DIALOG 1 to 7, Goal Based Outcomes 0 to 10, the SWEMWBS metric score 7 to 35, ReQoL-10 0 to 40);
  a dotted line marks a value to read against (DIALOG's 4, in the middle; the ReQoL-10 cut-off).
- Each series has its own marker shape and its own dash pattern as well as its own colour, so that
  nothing depends on colour; a key below the chart names each one.
- Labels are placed so that none overlaps another: dates along the bottom are left out where there
  is no room (the table has every one), and long names in the key wrap.
- The SVG is an image (`role="img"`) named by its `<title>` and described in words by its `<desc>`;
  `Chart.table` is the table alternative that pages show right after it. Every piece of text is
  escaped, and control characters (which XML cannot hold) are dropped.

The width is set by the viewBox, so the chart shrinks to fit a phone.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils import timezone
from markupsafe import Markup, escape

from livingwell.people.ecomap import text_width, wrap

Number = int | float | Decimal | Fraction

WIDTH = 640
MARGIN = 16
PLOT_LEFT = 60  # room for the numbers up the side
PLOT_TOP = 44  # room for the scale's name above
PLOT_HEIGHT = 240
INSET = 20  # the first and last dates sit this far inside the plot, so markers are clear of the edges
MIN_RIGHT = 24
TICK_SIZE = 14
TITLE_SIZE = 14
KEY_SIZE = 15
KEY_LINE = 19
KEY_ROW_GAP = 10
KEY_SAMPLE = 52  # the width of the line drawn in the key
LABEL_GAP = 12  # between two dates along the bottom
MARKER_R = 5.5

TEXT = "#212b32"  # NHS black: 15.9:1 on white
SECONDARY = "#4c6272"  # NHS dark grey: 6.2:1 on white
GRID = "#d8dde0"  # NHS pale grey: the grid is decoration, the numbers are the information
WHITE = "#ffffff"
# Dark enough on white for graphics (WCAG 1.4.11, 3:1); shape and dash tell the lines apart too.
COLOURS = ("#005eb8", "#330072", "#007f3b", "#7c2855", "#212b32", "#4c6272")
SHAPES = ("circle", "square", "triangle", "diamond", "triangle_down", "cross")
DASHES: tuple[str | None, ...] = (None, "9 5", "2 4", "12 4 3 4")
SHAPE_WORDS = {
    "circle": "circles",
    "square": "squares",
    "triangle": "triangles",
    "diamond": "diamonds",
    "triangle_down": "upside-down triangles",
    "cross": "crosses",
}
DASH_WORDS = {None: "solid line", "9 5": "dashed line", "2 4": "dotted line", "12 4 3 4": "dash-dot line"}


@dataclass(frozen=True)
class Series:
    """One line on the chart: its name and its values, each at the time the measure was finished."""

    label: str
    points: tuple[tuple[dt.datetime, Number], ...]


@dataclass(frozen=True)
class Axis:
    """The scale up the side: from `low` to `high`, numbered every `step`, named by `label`."""

    low: int
    high: int
    step: int
    label: str


@dataclass(frozen=True)
class Reference:
    """A value to read the lines against, drawn as a dotted line, with a short label by it and words in the key."""

    value: Number
    label: str
    key: str


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1


@dataclass(frozen=True)
class Label:
    """A piece of text drawn on the chart, with the box it takes up (so that tests can see none overlap)."""

    text: str
    x: float
    y: float  # the baseline
    size: int
    anchor: str
    bold: bool
    box: Box


@dataclass(frozen=True)
class Table:
    """The chart's values as a table: a row for each measure, a column for each line."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    svg: Markup
    table: Table
    labels: tuple[Label, ...] = field(repr=False)
    width: float = WIDTH
    height: float = 0


@dataclass(frozen=True)
class Style:
    colour: str
    shape: str
    dash: str | None

    @property
    def words(self) -> str:
        return f"{DASH_WORDS[self.dash]} with {SHAPE_WORDS[self.shape]}"


def style_for(index: int) -> Style:
    """The look of the line at `index`: shape and dash both differ for the first 12 lines (colour too for 6)."""
    return Style(COLOURS[index % len(COLOURS)], SHAPES[index % len(SHAPES)], DASHES[index % len(DASHES)])


# ---- text -----------------------------------------------------------------------------------


def _clean(words: str) -> str:
    """Without control characters, which XML (and so SVG) cannot hold; then escaped."""
    return str(escape("".join(ch for ch in words if unicodedata.category(ch) not in ("Cc", "Cs") or ch in "\t\n")))


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _label(text: str, x: float, y: float, *, size: int, anchor: str = "start", bold: bool = False) -> Label:
    width = text_width(text, size, bold=bold)
    x0 = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
    return Label(text, x, y, size, anchor, bold, Box(x0, y - size * 0.8, x0 + width, y + size * 0.25))


def _text(label: Label, colour: str = TEXT) -> str:
    weight = ' font-weight="bold"' if label.bold else ""
    return (
        f'<text x="{_n(label.x)}" y="{_n(label.y)}" font-size="{label.size}"{weight} fill="{colour}" '
        f'text-anchor="{label.anchor}">{_clean(label.text)}</text>'
    )


def plain_number(value: Number) -> str:
    """'4.6', '19.98', '22': at most two decimal places, without trailing zeros (pages pass their own wording)."""
    shown = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return "0" if shown == "-0" else shown


def short_date(when: dt.datetime | dt.date) -> str:
    """'3 Mar 2026', for the dates along the bottom (the table has them in full)."""
    day = timezone.localtime(when).date() if isinstance(when, dt.datetime) else when
    return f"{day.day} {day:%b %Y}"


# ---- drawing pieces ---------------------------------------------------------------------------


def marker(shape: str, x: float, y: float, colour: str, r: float = MARKER_R) -> str:
    """A marker of the given shape, filled, with a white edge so that markers on top of each other stay clear."""
    edge = f'stroke="{WHITE}" stroke-width="1.5"'
    if shape == "circle":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="{colour}" {edge}/>'
    if shape == "square":
        s = r * 0.9
        return (
            f'<rect x="{_n(x - s)}" y="{_n(y - s)}" width="{_n(2 * s)}" height="{_n(2 * s)}" fill="{colour}" {edge}/>'
        )
    if shape == "triangle":
        t = r * 1.25
        d = f"M {_n(x)} {_n(y - t)} L {_n(x + t)} {_n(y + t * 0.8)} L {_n(x - t)} {_n(y + t * 0.8)} Z"
        return f'<path d="{d}" fill="{colour}" {edge}/>'
    if shape == "triangle_down":
        t = r * 1.25
        d = f"M {_n(x)} {_n(y + t)} L {_n(x + t)} {_n(y - t * 0.8)} L {_n(x - t)} {_n(y - t * 0.8)} Z"
        return f'<path d="{d}" fill="{colour}" {edge}/>'
    if shape == "diamond":
        t = r * 1.3
        d = f"M {_n(x)} {_n(y - t)} L {_n(x + t)} {_n(y)} L {_n(x)} {_n(y + t)} L {_n(x - t)} {_n(y)} Z"
        return f'<path d="{d}" fill="{colour}" {edge}/>'
    t = r * 1.1  # a cross: two strokes
    d = f"M {_n(x - t)} {_n(y - t)} L {_n(x + t)} {_n(y + t)} M {_n(x + t)} {_n(y - t)} L {_n(x - t)} {_n(y + t)}"
    return f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="3" stroke-linecap="round"/>'


def _polyline(points: Sequence[tuple[float, float]], style: Style) -> str:
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
    return (
        f'<polyline points="{coords}" fill="none" stroke="{style.colour}" stroke-width="2.5" '
        f'stroke-linejoin="round"{dash}/>'
    )


def _reference_line(x0: float, x1: float, y: float) -> str:
    return (
        f'<line x1="{_n(x0)}" y1="{_n(y)}" x2="{_n(x1)}" y2="{_n(y)}" stroke="{SECONDARY}" stroke-width="2" '
        'stroke-dasharray="1 5" stroke-linecap="round"/>'
    )


# ---- the chart --------------------------------------------------------------------------------


def _as_float(value: Number) -> float:
    return float(value)


def _x_positions(times: Sequence[dt.datetime], left: float, right: float) -> dict[dt.datetime, float]:
    """Where each time sits: in proportion to time; a single time (or all at once) in the middle."""
    first, last = min(times), max(times)
    span = (last - first).total_seconds()
    if span <= 0:
        return dict.fromkeys(times, (left + right) / 2)
    inner_left, inner_right = left + INSET, right - INSET
    return {t: inner_left + (t - first).total_seconds() / span * (inner_right - inner_left) for t in times}


def _date_labels(
    times: Sequence[dt.datetime], xs: dict[dt.datetime, float], baseline: float, width: float
) -> list[Label]:
    """A label for as many dates as fit without touching: always the first and the latest."""
    by_day: dict[str, float] = {}
    for when in sorted(times):
        by_day.setdefault(short_date(when), xs[when])  # a day with two measures is labelled once

    def placed(text: str, x: float) -> Label:
        label = _label(text, x, baseline, size=TICK_SIZE, anchor="middle")
        if label.box.x0 < MARGIN / 2:
            return _label(text, x - TICK_SIZE / 2, baseline, size=TICK_SIZE, anchor="start")
        if label.box.x1 > width - MARGIN / 2:
            return _label(text, x + TICK_SIZE / 2, baseline, size=TICK_SIZE, anchor="end")
        return label

    candidates = [placed(text, x) for text, x in by_day.items()]
    chosen: list[Label] = []
    for label in candidates:
        if not chosen or label.box.x0 >= chosen[-1].box.x1 + LABEL_GAP:
            chosen.append(label)
    last = candidates[-1]
    if chosen[-1] is not last:
        while len(chosen) > 1 and last.box.x0 < chosen[-1].box.x1 + LABEL_GAP:
            chosen.pop()
        if last.box.x0 >= chosen[-1].box.x1 + LABEL_GAP:
            chosen.append(last)
    return chosen


def line_chart(
    *,
    title: str,
    description: str,
    series: Sequence[Series],
    axis: Axis,
    reference: Reference | None = None,
    id_prefix: str = "chart",
    value_format: Callable[[Number], str] = plain_number,
    date_format: Callable[[dt.datetime], str] = short_date,
    caption: str = "",
    empty: str = "Not answered",
) -> Chart:
    """The chart as inline SVG, with its table alternative. Series with no points are left out."""
    drawn = [(s, style_for(i)) for i, s in enumerate(series) if s.points]
    times = sorted({when for s, _ in drawn for when, _v in s.points})
    if not times:
        return Chart(Markup(""), Table(caption or title, ("Date",), ()), ())

    labels: list[Label] = []
    reference_label = None
    right_margin = float(MIN_RIGHT)
    if reference is not None:
        right_margin = max(right_margin, text_width(reference.label, TICK_SIZE) + 16)
    plot_left, plot_right = float(PLOT_LEFT), WIDTH - right_margin
    plot_top, plot_bottom = float(PLOT_TOP), float(PLOT_TOP + PLOT_HEIGHT)

    def y_of(value: Number) -> float:
        share = (_as_float(value) - axis.low) / (axis.high - axis.low)
        return plot_bottom - max(0.0, min(1.0, share)) * (plot_bottom - plot_top)

    xs = _x_positions(times, plot_left, plot_right)

    grid: list[str] = []
    # The scale up the side, with a faint line across for each number.
    labels.append(_label(axis.label, MARGIN, 22, size=TITLE_SIZE, bold=True))
    for tick in range(axis.low, axis.high + 1, axis.step):
        y = y_of(tick)
        grid.append(
            f'<line x1="{_n(plot_left)}" y1="{_n(y)}" x2="{_n(plot_right)}" y2="{_n(y)}" stroke="{GRID}" stroke-width="1"/>'
        )
        labels.append(_label(str(tick), plot_left - 8, y + 5, size=TICK_SIZE, anchor="end"))
    # The axes.
    grid.append(
        f'<path d="M {_n(plot_left)} {_n(plot_top)} V {_n(plot_bottom)} H {_n(plot_right)}" fill="none" '
        f'stroke="{SECONDARY}" stroke-width="1.5"/>'
    )
    # The dates along the bottom.
    date_baseline = plot_bottom + 24
    for date_label in _date_labels(times, xs, date_baseline, WIDTH):
        tick_x = xs[next(t for t in times if short_date(t) == date_label.text)]
        grid.append(
            f'<line x1="{_n(tick_x)}" y1="{_n(plot_bottom)}" x2="{_n(tick_x)}" y2="{_n(plot_bottom + 6)}" '
            f'stroke="{SECONDARY}" stroke-width="1.5"/>'
        )
        labels.append(date_label)
    if reference is not None:
        ry = y_of(reference.value)
        grid.append(_reference_line(plot_left, plot_right, ry))
        reference_label = _label(reference.label, plot_right + 8, ry + 5, size=TICK_SIZE)
        labels.append(reference_label)

    # The lines, then the markers on top.
    lines: list[str] = []
    markers: list[str] = []
    for s, style in drawn:
        ordered = sorted(s.points, key=lambda p: p[0])
        coords = [(xs[when], y_of(amount)) for when, amount in ordered]
        if len(coords) > 1:
            lines.append(_polyline(coords, style))
        for (when, amount), (x, y) in zip(ordered, coords, strict=True):
            tooltip = f"{s.label}, {date_format(when)}: {value_format(amount)}"
            markers.append(f"<g><title>{_clean(tooltip)}</title>{marker(style.shape, x, y, style.colour)}</g>")

    # The key: a sample of each line, with its name (wrapped when long).
    key_top = date_baseline + 40
    labels.append(_label("Key", MARGIN, key_top, size=TITLE_SIZE, bold=True))
    key_parts: list[str] = []
    row_top = key_top + 14
    text_x = MARGIN + KEY_SAMPLE + 14
    text_room = WIDTH - text_x - MARGIN
    rows: list[tuple[str, str]] = [
        (
            f'<g transform="translate(0 {{y}})">{_polyline([(MARGIN, 0), (MARGIN + KEY_SAMPLE, 0)], style)}'
            f"{marker(style.shape, MARGIN + KEY_SAMPLE / 2, 0, style.colour)}</g>",
            s.label,
        )
        for s, style in drawn
    ]
    if reference is not None:
        rows.append(
            (f'<g transform="translate(0 {{y}})">{_reference_line(MARGIN, MARGIN + KEY_SAMPLE, 0)}</g>', reference.key)
        )
    for sample, words in rows:
        wrapped = wrap(words, KEY_SIZE, text_room)
        row_height = max(KEY_LINE * len(wrapped), 22)
        middle = row_top + 11
        key_parts.append(sample.replace("{y}", _n(middle)))
        for i, line in enumerate(wrapped):
            labels.append(_label(line, text_x, middle + 5 + i * KEY_LINE, size=KEY_SIZE))
        row_top += row_height + KEY_ROW_GAP
    height = row_top + MARGIN

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_n(height)}" width="100%" role="img" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" class="lw-chart" '
        'font-family="Frutiger W01, Arial, Helvetica, sans-serif" focusable="false">',
        f'<title id="{id_prefix}-title">{_clean(title)}</title>',
        f'<desc id="{id_prefix}-desc">{_clean(description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{_n(height)}" fill="{WHITE}"/>',
        "<g>",
        *grid,
        "</g><g>",
        *lines,
        "</g><g>",
        *markers,
        "</g><g>",
        *key_parts,
        "</g>",
        *(_text(label, SECONDARY if label is reference_label else TEXT) for label in labels),
        "</svg>",
    ]
    values = [dict(s.points) for s, _ in drawn]
    table = Table(
        caption=caption or title,
        headers=("Date", *(s.label for s, _ in drawn)),
        rows=tuple(
            (date_format(when), *(value_format(v[when]) if when in v else empty for v in values)) for when in times
        ),
    )
    return Chart(
        svg=Markup("".join(out)),  # noqa: S704 (every piece of text in it is escaped above)
        table=table,
        labels=tuple(labels),
        width=WIDTH,
        height=height,
    )
