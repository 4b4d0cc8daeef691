"""The reflection charts, drawn on the server as accessible SVG (no JavaScript), as the network picture
(`livingwell.community.network_chart`) and the measures chart (`livingwell.outcomes.chart`):

- each SVG is an image (`role="img"`) named by its `<title>` and described in words by its `<desc>`,
  which gives the finding, not only what is drawn;
- nothing depends on colour: the two bars of a principle differ by fill (solid or striped) and carry
  their words and numbers; the lines of a trend differ by marker shape and dash; a key explains them;
- every number drawn is in the table the page shows right after the chart;
- the width is set by the viewBox, so a chart shrinks to fit a phone; long names wrap. Every piece of
  text is escaped and control characters are dropped. Only presentation attributes are used (the
  content security policy refuses inline styles).

Three charts:
- `principles_chart`: for each of the six principles of co-production, a bar for the number who said we
  were great at it and a striped bar for the number who said we were challenged by it: the longer the
  bar, the more people (seed 003: "the larger the shaded area, the greater the number of people");
- `placements_chart`: for one pair of statements, a dot for each member's placement on the scale from 0
  (mechanistic) to 10 (relational), stacked, with the mean marked;
- `trend_chart`: a line for each principle or statement across rounds.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

TEXT = "#212b32"  # NHS black: 15.9:1 on white
SECONDARY = "#4c6272"  # NHS dark grey: 6.2:1 on white
GRID = "#d8dde0"  # NHS pale grey: decoration only
BLUE = "#005eb8"  # NHS blue: 5.8:1 on white
PURPLE = "#330072"  # NHS purple
WHITE = "#ffffff"
FONT = "Frutiger W01, Arial, Helvetica, sans-serif"
COLOURS = ("#005eb8", "#330072", "#007f3b", "#7c2855", "#212b32", "#4c6272")
SHAPES = ("circle", "square", "triangle", "diamond", "triangle_down", "cross")
DASHES: tuple[str | None, ...] = (None, "9 5", "2 4", "12 4 3 4", None, "9 5")
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
class Chart:
    svg: Markup
    title: str
    description: str


# ---- text ----------------------------------------------------------------------------------------


def clean(words: str) -> str:
    """Without control characters, which XML (and so SVG) cannot hold; then escaped."""
    return str(escape("".join(ch for ch in words if unicodedata.category(ch) not in ("Cc", "Cs"))))


def num(value: float | Decimal) -> str:
    text = f"{float(value):.1f}"
    return text[:-2] if text.endswith(".0") else text


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """A generous estimate of how wide `text` is drawn, in px, so that layout leaves room for it."""
    ems = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            ems += 1.0
        elif ch in "MWmw@%&":
            ems += 0.92
        elif ch in "iIjl.,:;'!|()[] ":
            ems += 0.36
        elif ch.isupper() or ch.isdigit():
            ems += 0.72
        else:
            ems += 0.6
    return ems * size * (1.08 if bold else 1.0)


def wrap(text: str, size: float, width: float, *, bold: bool = False) -> list[str]:
    """Break `text` into lines no wider than `width`, between words, or inside a word too long for a line."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold=bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
        while text_width(word, size, bold=bold) > width:
            cut = next((i for i in range(len(word) - 1, 0, -1) if text_width(word[:i], size, bold=bold) <= width), 1)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines or [""]


def _text(
    words: str,
    x: float,
    y: float,
    *,
    size: int = 15,
    anchor: str = "start",
    bold: bool = False,
    fill: str = TEXT,
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{num(x)}" y="{num(y)}" font-size="{size}"{weight} fill="{fill}" '
        f'text-anchor="{anchor}">{clean(words)}</text>'
    )


def _svg(*, id_prefix: str, title: str, description: str, width: float, height: float, body: list[str]) -> Markup:
    return Markup(  # noqa: S704 (every piece of text in it is escaped by `clean`)
        "".join(
            [
                f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {num(width)} {num(height)}" width="100%" '
                f'role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc" class="lw-chart" '
                f'font-family="{FONT}" focusable="false">',
                f'<title id="{id_prefix}-title">{clean(title)}</title>',
                f'<desc id="{id_prefix}-desc">{clean(description)}</desc>',
                f'<rect x="0" y="0" width="{num(width)}" height="{num(height)}" fill="{WHITE}"/>',
                *body,
                "</svg>",
            ]
        )
    )


def value_text(value: float | Decimal) -> str:
    """A value as the tables show it: a Decimal as it is ('6.0', '5.5'), a whole number plainly."""
    if isinstance(value, Decimal | int):
        return str(value)
    return num(value)


def signed(value: float | Decimal) -> str:
    """'+25', '-10' or '0'."""
    return f"+{value_text(value)}" if value > 0 else value_text(value)


def people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


# ---- the self-assessment: great at and challenged by ---------------------------------------------

BAR_WIDTH = 360
MARGIN = 8
SIZE = 15
LINE = 18
BAR_H = 16
BAR_GAP = 6
BAR_LEFT = 120  # room for "Challenged by" before the bars
NUMBER_ROOM = 30


@dataclass(frozen=True)
class PrincipleBar:
    name: str
    great: int
    challenged: int


def _hatch(id_prefix: str) -> str:
    return (
        f'<defs><pattern id="{id_prefix}-hatch" patternUnits="userSpaceOnUse" width="6" height="6" '
        'patternTransform="rotate(45)">'
        f'<rect x="0" y="0" width="6" height="6" fill="{WHITE}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{PURPLE}" stroke-width="3"/></pattern></defs>'
    )


def _bar(x: float, y: float, width: float, *, striped: bool, id_prefix: str) -> str:
    fill = f"url(#{id_prefix}-hatch)" if striped else BLUE
    stroke = f' stroke="{PURPLE}" stroke-width="1.5"' if striped else ""
    return f'<rect x="{num(x)}" y="{num(y)}" width="{num(max(width, 0))}" height="{BAR_H}" fill="{fill}"{stroke}/>'


def principles_description(title: str, bars: Sequence[PrincipleBar], respondents: int) -> str:
    if respondents == 0:
        return f"{title}. Nobody has answered yet."
    found = []
    for attribute, heading in (("great", "great at"), ("challenged", "challenged by")):
        top = max((getattr(b, attribute) for b in bars), default=0)
        names = " and ".join(b.name for b in bars if top and getattr(b, attribute) == top)
        found.append(f"most often {heading}: {names} ({top} of {respondents})" if top else f"{heading}: nobody")
    finding = "; ".join(found)
    words = [f"{title}. {people(respondents)} answered. {finding[:1].upper()}{finding[1:]}."]
    words.append(
        "Each principle has a solid bar for the people who said we were great at it and a striped bar for "
        "those who said we were challenged by it; the longer the bar, the more people. "
        "The table after the chart has every number."
    )
    return " ".join(words)


def principles_chart(
    *, title: str, bars: Sequence[PrincipleBar], respondents: int, id_prefix: str = "principles"
) -> Chart:
    """Two bars for each principle, scaled so that a full bar is everyone who answered the round."""
    description = principles_description(title, bars, respondents)
    scale = max([respondents, *(b.great for b in bars), *(b.challenged for b in bars), 1])
    room = BAR_WIDTH - BAR_LEFT - MARGIN - NUMBER_ROOM
    body = [_hatch(id_prefix)]
    y = MARGIN
    for bar in bars:
        lines = wrap(bar.name, SIZE, BAR_WIDTH - 2 * MARGIN, bold=True)
        for line in lines:
            y += LINE
            body.append(_text(line, MARGIN, y, bold=True))
        y += 8
        body.append(
            f'<line x1="{BAR_LEFT}" y1="{num(y - 3)}" x2="{BAR_LEFT}" y2="{num(y + 2 * BAR_H + BAR_GAP + 3)}" '
            f'stroke="{SECONDARY}" stroke-width="1.5"/>'
        )
        for label, count, striped in (("Great at", bar.great, False), ("Challenged by", bar.challenged, True)):
            width = room * count / scale
            body.append(
                f"<g><title>{clean(f'{bar.name}: {label.lower()}, {people(count)}')}</title>"
                + _text(label, BAR_LEFT - 8, y + BAR_H - 3, anchor="end", size=14)
                + _bar(BAR_LEFT, y, width, striped=striped, id_prefix=id_prefix)
                + _text(str(count), BAR_LEFT + width + 6, y + BAR_H - 3, size=14, bold=True)
                + "</g>"
            )
            y += BAR_H + BAR_GAP
        y += 10
    # The key.
    y += 12
    body.append(_text("Key", MARGIN, y, bold=True))
    y += 8
    for words, striped in (("Solid bar: great at", False), ("Striped bar: challenged by", True)):
        body.append(_bar(MARGIN, y, 44, striped=striped, id_prefix=id_prefix))
        body.append(_text(words, MARGIN + 56, y + BAR_H - 3))
        y += BAR_H + 10
    for line in wrap(f"A full-width bar would be all {people(scale)}.", SIZE, BAR_WIDTH - 2 * MARGIN):
        y += LINE
        body.append(_text(line, MARGIN, y))
    height = y + MARGIN + 4
    svg = _svg(id_prefix=id_prefix, title=title, description=description, width=BAR_WIDTH, height=height, body=body)
    return Chart(svg=svg, title=title, description=description)


# ---- the balcony: placements on the scale --------------------------------------------------------

DOT_WIDTH = 360
DOT_PLOT_H = 132
DOT_MAX = 11.0


def placements_description(
    title: str, distribution: Sequence[int], mean: Decimal | None, median: Decimal | None
) -> str:
    n = sum(distribution)
    if n == 0:
        return f"{title}. Nobody has placed the system on this scale yet."
    top = max(distribution)
    at = " and ".join(str(i) for i, c in enumerate(distribution) if c == top)
    lean = (
        "towards the relational statement"
        if mean is not None and mean > 5
        else "towards the mechanistic statement"
        if mean is not None and mean < 5
        else "halfway between the two"
    )
    return (
        f"{title}. {people(n)} placed the system on a scale from 0, the mechanistic statement, to 10, the "
        f"relational statement. Mean {value_text(mean or 0)}, median {value_text(median or 0)}: on average {lean}. "
        f"Most often placed at {at} ({people(top)}). The table after the chart has every number."
    )


def placements_chart(
    *,
    title: str,
    distribution: Sequence[int],
    mean: Decimal | None,
    median: Decimal | None,
    id_prefix: str,
) -> Chart:
    """A stack of dots at each point of the 0 to 10 scale, the count above it, and the mean marked."""
    description = placements_description(title, distribution, mean, median)
    left, right = MARGIN + 14, DOT_WIDTH - MARGIN - 14
    step = (right - left) / 10
    top = MARGIN + LINE + 6
    largest = max([*distribution, 1])
    # As tall as the highest stack needs (room for the mean's label above it), at most DOT_PLOT_H.
    plot_h = min(DOT_PLOT_H, max(3 * LINE, largest * DOT_MAX + LINE + 10))
    axis_y = top + plot_h
    diameter = min(DOT_MAX, (plot_h - LINE - 10) / largest, step - 4)
    body: list[str] = []
    # The mean, behind the dots.
    if mean is not None:
        mx = left + step * float(mean)
        body.append(
            f'<line x1="{num(mx)}" y1="{num(top - 4)}" x2="{num(mx)}" y2="{num(axis_y)}" stroke="{PURPLE}" '
            'stroke-width="2" stroke-dasharray="5 3"/>'
        )
        anchor = "start" if mean <= 5 else "end"
        offset = 4 if mean <= 5 else -4
        body.append(_text(f"Mean {value_text(mean)}", mx + offset, top + 8, size=14, anchor=anchor, bold=True))
    # The axis and its numbers.
    body.append(
        f'<line x1="{num(left - 8)}" y1="{num(axis_y)}" x2="{num(right + 8)}" y2="{num(axis_y)}" '
        f'stroke="{TEXT}" stroke-width="1.5"/>'
    )
    for i, count in enumerate(distribution):
        x = left + step * i
        body.append(f'<line x1="{num(x)}" y1="{num(axis_y)}" x2="{num(x)}" y2="{num(axis_y + 5)}" stroke="{TEXT}"/>')
        body.append(_text(str(i), x, axis_y + 20, size=14, anchor="middle"))
        if count:
            dots = [
                f'<circle cx="{num(x)}" cy="{num(axis_y - diameter / 2 - 1 - k * diameter)}" '
                f'r="{num(max(diameter / 2 - 0.6, 0.8))}" fill="{BLUE}"/>'
                for k in range(count)
            ]
            label_y = axis_y - 4 - count * diameter
            body.append(
                f"<g><title>{clean(f'{people(count)} at {i}')}</title>"
                + "".join(dots)
                + _text(str(count), x, label_y, size=13, anchor="middle", bold=True)
                + "</g>"
            )
    # The poles.
    y = axis_y + 42
    body.append(_text("0: mechanistic", left - 8, y, anchor="start", bold=True))
    body.append(_text("10: relational", right + 8, y, anchor="end", bold=True))
    y += LINE + 4
    body.append(_text("Key: a dot for each person; dashed line: the mean.", MARGIN, y, size=14, fill=SECONDARY))
    height = y + MARGIN + 4
    svg = _svg(id_prefix=id_prefix, title=title, description=description, width=DOT_WIDTH, height=height, body=body)
    return Chart(svg=svg, title=title, description=description)


# ---- the trend across rounds ---------------------------------------------------------------------

TREND_WIDTH = 480
PLOT_LEFT = 64
PLOT_TOP = 36
PLOT_H = 200
PLOT_RIGHT = 24
INSET = 28
MARKER_R = 5.5


@dataclass(frozen=True)
class Line:
    label: str
    values: tuple[float | Decimal | None, ...]  # one for each round, None where there is none


def marker(shape: str, x: float, y: float, colour: str) -> str:
    r = MARKER_R
    if shape == "circle":
        return f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r)}" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{num(x - r)}" y="{num(y - r)}" width="{num(2 * r)}" height="{num(2 * r)}" fill="{colour}"/>'
    points = {
        "triangle": [(x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r)],
        "triangle_down": [(x, y + r + 1), (x + r + 1, y - r), (x - r - 1, y - r)],
        "diamond": [(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)],
    }.get(shape)
    if points:
        return f'<polygon points="{" ".join(f"{num(a)},{num(b)}" for a, b in points)}" fill="{colour}"/>'
    return (
        f'<path d="M {num(x - r)} {num(y - r)} L {num(x + r)} {num(y + r)} M {num(x - r)} {num(y + r)} '
        f'L {num(x + r)} {num(y - r)}" stroke="{colour}" stroke-width="2.5" fill="none"/>'
    )


def trend_description(title: str, rounds: Sequence[str], lines: Sequence[Line], unit: str) -> str:
    if not rounds:
        return f"{title}. No round has answers yet."

    def show(value: float | Decimal) -> str:
        return f"{signed(value)}{unit}" if unit == "%" else f"{value_text(value)}{unit}"

    words = [f"{title}, across {len(rounds)} {'round' if len(rounds) == 1 else 'rounds'}: {', '.join(rounds)}."]
    for line in lines:
        known = [v for v in line.values if v is not None]
        if not known:
            continue
        if len(known) == 1:
            words.append(f"{line.label}: {show(known[0])}.")
        else:
            words.append(f"{line.label}: from {show(known[0])} to {show(known[-1])}.")
    words.append("The table after the chart has every number.")
    return " ".join(words)


def trend_chart(
    *,
    title: str,
    rounds: Sequence[str],
    lines: Sequence[Line],
    low: int,
    high: int,
    step: int,
    unit: str = "",
    axis_label: str,
    reference: int | None = None,
    id_prefix: str,
) -> Chart:
    """A line for each series across the rounds, which are spaced evenly in date order."""
    description = trend_description(title, rounds, lines, unit)
    plot_right = TREND_WIDTH - PLOT_RIGHT
    bottom = PLOT_TOP + PLOT_H
    count = len(rounds)

    def x_at(i: int) -> float:
        if count <= 1:
            return (PLOT_LEFT + plot_right) / 2
        return PLOT_LEFT + INSET + (plot_right - PLOT_LEFT - 2 * INSET) * i / (count - 1)

    def y_at(value: float | Decimal) -> float:
        return bottom - PLOT_H * (float(value) - low) / (high - low)

    body = [_text(axis_label, MARGIN, MARGIN + 14, size=14, bold=True)]
    for value in range(low, high + 1, step):
        y = y_at(value)
        body.append(f'<line x1="{PLOT_LEFT}" y1="{num(y)}" x2="{plot_right}" y2="{num(y)}" stroke="{GRID}"/>')
        label = f"+{value}{unit}" if unit == "%" and value > 0 else f"{value}{unit}"
        body.append(_text(label, PLOT_LEFT - 8, y + 5, size=14, anchor="end"))
    if reference is not None:
        y = y_at(reference)
        body.append(
            f'<line x1="{PLOT_LEFT}" y1="{num(y)}" x2="{plot_right}" y2="{num(y)}" stroke="{SECONDARY}" '
            'stroke-width="1.5" stroke-dasharray="1 3"/>'
        )
    body.append(
        f'<line x1="{PLOT_LEFT}" y1="{bottom}" x2="{plot_right}" y2="{bottom}" stroke="{TEXT}" stroke-width="1.5"/>'
    )
    # The rounds along the bottom, numbered; the table names them in full.
    for i in range(count):
        body.append(_text(f"Round {i + 1}", x_at(i), bottom + 20, size=14, anchor="middle"))
    for index, line in enumerate(lines):
        colour = COLOURS[index % len(COLOURS)]
        shape = SHAPES[index % len(SHAPES)]
        dash = DASHES[index % len(DASHES)]
        points = [(x_at(i), y_at(v), v) for i, v in enumerate(line.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{'M' if k == 0 else 'L'} {num(x)} {num(y)}" for k, (x, y, _v) in enumerate(points))
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            body.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>')
        named = [rounds[i] for i, v in enumerate(line.values) if v is not None]
        for (x, y, v), name in zip(points, named, strict=True):
            words = f"{line.label}, {name}: {signed(v) if unit == '%' else value_text(v)}{unit}"
            body.append(f"<g><title>{clean(words)}</title>{marker(shape, x, y, colour)}</g>")
    # The key.
    y = bottom + 48
    body.append(_text("Key", MARGIN, y, bold=True))
    y += 6
    for index, line in enumerate(lines):
        colour = COLOURS[index % len(COLOURS)]
        shape = SHAPES[index % len(SHAPES)]
        dash = DASHES[index % len(DASHES)]
        words = f"{line.label} ({SHAPE_WORDS[shape]}, {DASH_WORDS[dash]})"
        wrapped = wrap(words, SIZE, TREND_WIDTH - MARGIN * 2 - 64)
        row = max(24, LINE * len(wrapped))
        middle = y + row / 2
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(
            f'<line x1="{MARGIN}" y1="{num(middle)}" x2="{MARGIN + 48}" y2="{num(middle)}" stroke="{colour}" '
            f'stroke-width="2.5"{dash_attr}/>'
        )
        body.append(marker(shape, MARGIN + 24, middle, colour))
        first = middle - (len(wrapped) - 1) * LINE / 2 + 5
        for k, text in enumerate(wrapped):
            body.append(_text(text, MARGIN + 64, first + k * LINE))
        y += row + 6
    height = y + MARGIN
    svg = _svg(id_prefix=id_prefix, title=title, description=description, width=TREND_WIDTH, height=height, body=body)
    return Chart(svg=svg, title=title, description=description)
