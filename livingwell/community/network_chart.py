"""The picture of the network as a chart, drawn on the server as an accessible SVG (no JavaScript).

A two-sided picture: where people live on the left, kinds of offer on the right, and a line from a
locality to a kind for every pair with people connected. The thicker the line, the more people; a
number that is not shown (fewer than 5, or hidden to protect one) is drawn as the thinnest line,
dashed, so the chart never tells more than the table. As the measures chart (livingwell.outcomes.chart):

- the SVG is an image (`role="img"`) named by its `<title>` and described in words by its `<desc>`;
  each line has its own `<title>` with the two names and the number;
- nothing depends on colour: width and dashes carry the meaning, and a key below explains them;
- the width is set by the viewBox, narrow enough that the labels stay readable on a 320 px screen;
  long names wrap. Every piece of text is escaped, and control characters are dropped.

The page shows the same numbers in a table right after the chart.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from livingwell.people.ecomap import wrap

from .picture import FEWER_THAN, Figure

WIDTH = 360  # at 320 px wide, text is drawn at 0.89 of its size: 15 becomes 13.3 px
MARGIN = 8
LABEL_SIZE = 15
LINE = 18
HEADING_SIZE = 15
ROW_GAP = 12
MIN_ROW = 26
LEFT_NODE = 126.0
RIGHT_NODE = 234.0
NODE_GAP = 8  # between a label and its node
MIN_WIDTH = 1.5
MAX_WIDTH = 14.0
NODE_R = 5

TEXT = "#212b32"  # NHS black
SECONDARY = "#4c6272"  # NHS dark grey
LINK = "#005eb8"  # NHS blue: 5.1:1 on white
WHITE = "#ffffff"
HIDDEN_DASH = "4 3"


@dataclass(frozen=True)
class Link:
    """People connected from a locality (`left` key) to a kind of offer (`right` key)."""

    left: str
    right: str
    figure: Figure


@dataclass(frozen=True)
class DrawnLink:
    left: str
    right: str
    width: float
    title: str


@dataclass(frozen=True)
class NetworkChart:
    svg: Markup
    links: tuple[DrawnLink, ...]
    description: str
    width: float = WIDTH
    height: float = 0


def _clean(words: str) -> str:
    """Without control characters, which XML (and so SVG) cannot hold; then escaped."""
    return str(escape("".join(ch for ch in words if unicodedata.category(ch) not in ("Cc", "Cs") or ch in "\t\n")))


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _person_word(count: int) -> str:
    return "person" if count == 1 else "people"


def people_words(figure: Figure) -> str:
    """'12 people', '1 person', 'fewer than 5 people' or 'number not shown'."""
    if figure.value is not None:
        return f"{figure.value:,} {_person_word(figure.value)}"
    return f"{FEWER_THAN} people" if figure.small else "number not shown, to protect a small number"


def _text(text: str, x: float, y: float, *, size: int, anchor: str = "start", bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}"{weight} fill="{TEXT}" '
        f'text-anchor="{anchor}">{_clean(text)}</text>'
    )


def _column(names: Sequence[str], room: float) -> tuple[list[list[str]], list[float]]:
    """Each name wrapped to `room`, and the height of its row."""
    wrapped = [wrap(name, LABEL_SIZE, room) or [""] for name in names]
    heights = [float(max(MIN_ROW, LINE * len(lines)) + ROW_GAP) for lines in wrapped]
    return wrapped, heights


def _centres(heights: Sequence[float], top: float, total: float) -> list[float]:
    """The middle of each row, the rows spread evenly over `total`."""
    if not heights:
        return []
    spare = (total - sum(heights)) / len(heights)
    centres = []
    y = top
    for h in heights:
        row = h + spare
        centres.append(y + row / 2)
        y += row
    return centres


def _path(x0: float, y0: float, x1: float, y1: float) -> str:
    middle = (x0 + x1) / 2
    return f"M {_n(x0)} {_n(y0)} C {_n(middle)} {_n(y0)} {_n(middle)} {_n(y1)} {_n(x1)} {_n(y1)}"


def width_for(figure: Figure, largest: int) -> float:
    """The line's width: the thinnest for a hidden number, else in proportion to the largest."""
    if figure.value is None or largest <= 0:
        return MIN_WIDTH
    return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * figure.value / largest


def network_chart(
    *,
    title: str,
    left: Sequence[tuple[str, str]],
    right: Sequence[tuple[str, str]],
    links: Sequence[Link],
    left_heading: str = "Where people live",
    right_heading: str = "Kind of offer",
    id_prefix: str = "network",
) -> NetworkChart:
    """The chart as inline SVG. `left` and `right` are (key, name) in the order drawn; a link whose
    number is a shown zero is not drawn. Names with no link are still drawn, so the picture shows
    where nobody is connected."""
    drawn = [link for link in links if link.figure.drawn]
    if not drawn:
        return NetworkChart(Markup(""), (), "")
    left_names = dict(left)
    right_names = dict(right)
    left_room = LEFT_NODE - NODE_GAP - NODE_R - MARGIN
    right_room = WIDTH - MARGIN - (RIGHT_NODE + NODE_GAP + NODE_R)
    left_lines, left_heights = _column([name for _k, name in left], left_room)
    right_lines, right_heights = _column([name for _k, name in right], right_room)
    heading_lines = max(
        len(wrap(left_heading, HEADING_SIZE, left_room + NODE_R)),
        len(wrap(right_heading, HEADING_SIZE, right_room + NODE_R)),
    )
    top = MARGIN + HEADING_SIZE + (heading_lines - 1) * LINE + 14
    body = max(sum(left_heights), sum(right_heights))
    left_y = dict(zip([k for k, _n in left], _centres(left_heights, top, body), strict=True))
    right_y = dict(zip([k for k, _n in right], _centres(right_heights, top, body), strict=True))
    largest = max((link.figure.value or 0 for link in drawn), default=0)

    parts: list[str] = []
    # The headings over each side.
    for i, line in enumerate(wrap(left_heading, HEADING_SIZE, left_room + NODE_R)):
        parts.append(
            _text(
                line, LEFT_NODE + NODE_R, MARGIN + HEADING_SIZE + i * LINE, size=HEADING_SIZE, anchor="end", bold=True
            )
        )
    for i, line in enumerate(wrap(right_heading, HEADING_SIZE, right_room + NODE_R)):
        parts.append(_text(line, RIGHT_NODE - NODE_R, MARGIN + HEADING_SIZE + i * LINE, size=HEADING_SIZE, bold=True))

    # The lines, thickest first so that thin ones stay visible on top.
    shown_links: list[DrawnLink] = []
    line_parts: list[str] = []
    for link in sorted(drawn, key=lambda k: -width_for(k.figure, largest)):
        if link.left not in left_y or link.right not in right_y:
            continue
        width = width_for(link.figure, largest)
        words = f"{left_names[link.left]} to {right_names[link.right]}: {people_words(link.figure)}"
        dash = f' stroke-dasharray="{HIDDEN_DASH}"' if link.figure.hidden else ""
        line_parts.append(
            f'<g class="lw-link"><title>{_clean(words)}</title>'
            f'<path d="{_path(LEFT_NODE, left_y[link.left], RIGHT_NODE, right_y[link.right])}" fill="none" '
            f'stroke="{LINK}" stroke-opacity="0.7" stroke-width="{_n(width)}"{dash}/></g>'
        )
        shown_links.append(DrawnLink(link.left, link.right, width, words))
    parts.extend(line_parts)

    # The nodes and their names.
    for (key, _name), lines in zip(left, left_lines, strict=True):
        y = left_y[key]
        parts.append(f'<circle cx="{_n(LEFT_NODE)}" cy="{_n(y)}" r="{NODE_R}" fill="{TEXT}"/>')
        first = y - (len(lines) - 1) * LINE / 2 + 5
        for i, line in enumerate(lines):
            parts.append(_text(line, LEFT_NODE - NODE_R - NODE_GAP, first + i * LINE, size=LABEL_SIZE, anchor="end"))
    for (key, _name), lines in zip(right, right_lines, strict=True):
        y = right_y[key]
        parts.append(f'<circle cx="{_n(RIGHT_NODE)}" cy="{_n(y)}" r="{NODE_R}" fill="{TEXT}"/>')
        first = y - (len(lines) - 1) * LINE / 2 + 5
        for i, line in enumerate(lines):
            parts.append(_text(line, RIGHT_NODE + NODE_R + NODE_GAP, first + i * LINE, size=LABEL_SIZE))

    # The key: what the widths and the dashes mean.
    y = top + body + 24
    parts.append(_text("Key", MARGIN, y, size=HEADING_SIZE, bold=True))
    y += 10
    samples: list[tuple[float, str | None, str]] = []
    if largest > 0:
        samples.append((MAX_WIDTH, None, f"The thickest line: {largest:,} {_person_word(largest)}"))
        if largest >= 10:
            half = largest // 2
            samples.append((width_for(Figure(half), largest), None, f"Half as thick: {half:,} people"))
    samples.append((MIN_WIDTH, HIDDEN_DASH, f"Thinnest, dashed: {FEWER_THAN} people, or a number not shown"))
    text_x = MARGIN + 56
    for stroke, sample_dash, words in samples:
        wrapped = wrap(words, LABEL_SIZE, WIDTH - text_x - MARGIN)
        row = max(MIN_ROW, LINE * len(wrapped))
        middle = y + row / 2
        dash_attr = f' stroke-dasharray="{sample_dash}"' if sample_dash else ""
        parts.append(
            f'<line x1="{MARGIN}" y1="{_n(middle)}" x2="{MARGIN + 44}" y2="{_n(middle)}" stroke="{LINK}" '
            f'stroke-opacity="0.7" stroke-width="{_n(stroke)}"{dash_attr}/>'
        )
        first = middle - (len(wrapped) - 1) * LINE / 2 + 5
        for i, line in enumerate(wrapped):
            parts.append(_text(line, text_x, first + i * LINE, size=LABEL_SIZE))
        y += row + 8
    height = y + MARGIN

    description = describe(title, shown_links, drawn, left_names, right_names)
    svg = "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_n(height)}" width="100%" role="img" '
            f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" class="lw-chart lw-network" '
            'font-family="Frutiger W01, Arial, Helvetica, sans-serif" focusable="false">',
            f'<title id="{id_prefix}-title">{_clean(title)}</title>',
            f'<desc id="{id_prefix}-desc">{_clean(description)}</desc>',
            f'<rect x="0" y="0" width="{WIDTH}" height="{_n(height)}" fill="{WHITE}"/>',
            *parts,
            "</svg>",
        ]
    )
    return NetworkChart(
        svg=Markup(svg),  # noqa: S704 (every piece of text in it is escaped above)
        links=tuple(shown_links),
        description=description,
        width=WIDTH,
        height=height,
    )


def describe(
    title: str,
    shown_links: Sequence[DrawnLink],
    drawn: Sequence[Link],
    left_names: dict[str, str],
    right_names: dict[str, str],
) -> str:
    """The chart in words: what it shows, the biggest links, and how many are not shown as numbers."""
    counted = sorted(
        (link for link in drawn if link.figure.value is not None),
        key=lambda k: (-(k.figure.value or 0), left_names.get(k.left, ""), right_names.get(k.right, "")),
    )
    hidden = sum(1 for link in drawn if link.figure.hidden)
    words = [
        f"{title}. Lines join where people live, on the left, to kinds of offer, on the right; "
        "the thicker the line, the more people.",
    ]
    if counted:
        most = "; ".join(
            f"{left_names[k.left]} to {right_names[k.right]}, {people_words(k.figure)}" for k in counted[:3]
        )
        words.append(f"The most people: {most}.")
    if hidden:
        noun = "line stands" if hidden == 1 else "lines stand"
        words.append(f"{hidden} {noun} for fewer than 5 people or a number not shown.")
    words.append("The table after the chart has every number.")
    return " ".join(words)
