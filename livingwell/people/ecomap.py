"""The ecomap: the person's own network drawn as an accessible SVG, with the person at the centre.

It is drawn on the server, the same way every time, with no JavaScript:

- People are ordered by kind (family, partner, friend, carer, neighbour, peer, faith or community,
  professional, someone else), then by name. The first half go clockwise down the right-hand side,
  the rest carry on up the left-hand side, with a little more space where the kind changes.
- Each person sits on a circle around the centre, at the height of their row. Rows are stacked with a
  gap, so no two labels can overlap; each label points away from the centre, so the lines (chords
  inside the circle) never cross a label. The circle grows with the number of people and the length
  of the names; names too long for one line wrap onto more.
- The line says how the connection feels: strong is thick, some is thin, strained is dashed. A filled
  marker with a tick means the person wants them involved in their support; an empty one means not.
  A key says so, and the description says it all in words, so nothing depends on colour. Text and
  lines are dark enough on white to pass WCAG AA.

The SVG is an image (`role="img"`) named by its `<title>` and described in full by its `<desc>`;
the network table beside it is the table alternative.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from livingwell.people.models import Connection, Relationship, RelationshipKind

KIND_ORDER: tuple[str, ...] = (
    RelationshipKind.FAMILY,
    RelationshipKind.PARTNER,
    RelationshipKind.FRIEND,
    RelationshipKind.CARER,
    RelationshipKind.NEIGHBOUR,
    RelationshipKind.PEER,
    RelationshipKind.FAITH_COMMUNITY,
    RelationshipKind.PROFESSIONAL,
    RelationshipKind.OTHER,
)

NAME_SIZE = 16  # px, bold
KIND_SIZE = 14
LINE_HEIGHT = 20  # of a line of a name
KIND_LINE = 18  # the line under the name that says who they are
NODE_R = 10
TEXT_GAP = 8  # between a marker and its label
ROW_GAP = 12  # between one label and the next
GROUP_GAP = 16  # more, where the kind changes
MARGIN = 24
MIN_RADIUS = 170
LABEL_WIDTH = 220  # a longer name wraps
CENTRE_WIDTH = 150
CENTRE_MIN_R = 44
SLOPE = 0.9  # markers stay within 0.9 of the radius above and below the centre, so labels point outwards
SPREAD = 0.7  # a few people are spread over this much of the radius, so the map is round rather than flat
LEGEND_ROW = 26

TEXT = "#212b32"  # NHS black: 15.9:1 on white
SECONDARY = "#4c6272"  # NHS dark grey: 6.2:1 on white
BLUE = "#005eb8"  # NHS blue: 5.8:1 on white
CENTRE_FILL = "#e8edee"  # NHS pale grey: black text on it is 13.9:1
WHITE = "#ffffff"

LINE_STYLE: dict[str, tuple[float, str | None]] = {
    Connection.STRONG: (5.0, None),
    Connection.SOME: (2.0, None),
    Connection.STRAINED: (2.5, "8 6"),
}
CONNECTION_WORDS: dict[str, str] = {
    Connection.STRONG: "strong connection",
    Connection.SOME: "some connection",
    Connection.STRAINED: "strained or stressful connection",
}


# ---- measuring text -------------------------------------------------------------------------


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


# ---- geometry -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def meets_circle(self, cx: float, cy: float, r: float) -> bool:
        nearest_x = min(max(cx, self.x0), self.x1)
        nearest_y = min(max(cy, self.y0), self.y1)
        return (nearest_x - cx) ** 2 + (nearest_y - cy) ** 2 < r * r


@dataclass(frozen=True)
class Placed:
    """One person of the network, where they are drawn."""

    name: str
    kind: str
    kind_label: str
    connection: str
    involved: bool
    x: float  # the marker's centre
    y: float
    side: str  # "right" or "left": which way the label points
    lines: tuple[str, ...]  # the name, wrapped
    text_x: float
    first_baseline: float
    kind_baseline: float
    label: Box

    @property
    def anchor(self) -> str:
        return "start" if self.side == "right" else "end"


@dataclass(frozen=True)
class Ecomap:
    width: float
    height: float
    cx: float
    cy: float
    radius: float
    centre_r: float
    centre_lines: tuple[str, ...]
    people: tuple[Placed, ...]
    legend_top: float

    def line_ends(self, person: Placed) -> tuple[float, float, float, float]:
        """The line from the edge of the centre to the edge of the person's marker."""
        dx, dy = person.x - self.cx, person.y - self.cy
        distance = math.hypot(dx, dy)
        ux, uy = dx / distance, dy / distance
        return (
            self.cx + ux * self.centre_r,
            self.cy + uy * self.centre_r,
            person.x - ux * NODE_R,
            person.y - uy * NODE_R,
        )


@dataclass
class _Row:
    relationship: Relationship
    lines: list[str]
    width: float
    height: float
    top: float = 0.0  # relative to the column's first row, then to the centre

    @property
    def node_offset(self) -> float:
        return LINE_HEIGHT / 2  # the marker sits level with the first line of the name


def _kind_rank(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def ordered(relationships: Iterable[Relationship]) -> list[Relationship]:
    return sorted(relationships, key=lambda r: (_kind_rank(r.kind), r.name.casefold(), r.name, str(r.pk)))


def _row(relationship: Relationship) -> _Row:
    lines = wrap(relationship.name, NAME_SIZE, LABEL_WIDTH, bold=True)
    width = max(
        [text_width(line, NAME_SIZE, bold=True) for line in lines]
        + [text_width(relationship.get_kind_display(), KIND_SIZE)]
    )
    return _Row(relationship, lines, width, LINE_HEIGHT * len(lines) + KIND_LINE)


def _stack(rows: list[_Row], extra: float = 0.0) -> None:
    """Set each row's top: one after another with a gap, and more where the kind changes."""
    top = 0.0
    for i, row in enumerate(rows):
        if i:
            previous = rows[i - 1]
            top += previous.height + ROW_GAP + extra
            if previous.relationship.kind != row.relationship.kind:
                top += GROUP_GAP
        row.top = top


def _span(rows: list[_Row]) -> float:
    return rows[-1].top - rows[0].top if len(rows) > 1 else 0.0


def _label_box(row: _Row, side: str, nx: float, ny: float) -> Box:
    top = ny - row.node_offset
    if side == "right":
        x0 = nx + NODE_R + TEXT_GAP
        return Box(x0, top, x0 + row.width, top + row.height)
    x1 = nx - NODE_R - TEXT_GAP
    return Box(x1 - row.width, top, x1, top + row.height)


def _place(
    right: list[_Row], left: list[_Row], radius: float
) -> tuple[list[tuple[_Row, str, float, float]], list[Box]]:
    """Each row's marker on the circle (relative to the centre) and its label's box.

    A column of a few people is spread over more of the circle, so that the map is round, not flat.
    """
    placed: list[tuple[_Row, str, float, float]] = []
    for column, side in ((right, "right"), (left, "left")):
        if not column:
            continue
        _stack(column)
        if len(column) > 1 and _span(column) < 2 * SPREAD * radius:
            _stack(column, extra=(2 * SPREAD * radius - _span(column)) / (len(column) - 1))
        middle = (column[0].top + column[-1].top) / 2
        for row in column:
            dy = row.top - middle
            dx = math.sqrt(max(radius**2 - dy**2, 0.0))
            placed.append((row, side, dx if side == "right" else -dx, dy))
    return placed, [_label_box(row, side, nx, ny) for row, side, nx, ny in placed]


def layout(relationships: Sequence[Relationship], *, centre_name: str) -> Ecomap:
    people = ordered(relationships)
    half = (len(people) + 1) // 2
    right = [_row(r) for r in people[:half]]  # clockwise: down the right-hand side...
    left = [_row(r) for r in reversed(people[half:])]  # ...and on up the left-hand side
    for column in (right, left):
        _stack(column)

    centre_lines = wrap(centre_name, NAME_SIZE, CENTRE_WIDTH, bold=True)
    block_w = max(text_width(line, NAME_SIZE, bold=True) for line in centre_lines)
    block_h = LINE_HEIGHT * len(centre_lines)
    centre_r = max(CENTRE_MIN_R, math.hypot(block_w / 2, block_h / 2) + 8)

    longest = max((_span(column) for column in (right, left) if column), default=0.0)
    radius = max(MIN_RADIUS, longest / 2 / SLOPE)
    # Grow the circle until no marker or label comes near the centre (long names there, or at the top).
    for _ in range(100):
        placed_rel, boxes = _place(right, left, radius)
        clear = centre_r + 6
        if all(
            math.hypot(nx, ny) >= centre_r + NODE_R + 24 and not box.meets_circle(0, 0, clear)
            for (_row_, _side, nx, ny), box in zip(placed_rel, boxes, strict=True)
        ):
            break
        radius *= 1.1
    extent_left = max([centre_r, *(-b.x0 for b in boxes)])
    extent_right = max([centre_r, *(b.x1 for b in boxes)])
    extent_top = max([centre_r, *(-b.y0 for b in boxes)])
    extent_bottom = max([centre_r, *(b.y1 for b in boxes)])
    cx = MARGIN + extent_left
    cy = MARGIN + extent_top
    legend_top = cy + extent_bottom + 32
    legend_width = MARGIN + 60 + text_width("You want them involved in your support", KIND_SIZE) + MARGIN
    width = max(cx + extent_right + MARGIN, legend_width)
    height = legend_top + 24 + 5 * LEGEND_ROW + MARGIN

    placed = []
    for (row, side, nx, ny), box in zip(placed_rel, boxes, strict=True):
        relationship = row.relationship
        x, y = cx + nx, cy + ny
        shifted = Box(box.x0 + cx, box.y0 + cy, box.x1 + cx, box.y1 + cy)
        first_baseline = shifted.y0 + 15
        placed.append(
            Placed(
                name=relationship.name,
                kind=relationship.kind,
                kind_label=relationship.get_kind_display(),
                connection=relationship.connection,
                involved=relationship.wants_involved,
                x=x,
                y=y,
                side=side,
                lines=tuple(row.lines),
                text_x=shifted.x0 if side == "right" else shifted.x1,
                first_baseline=first_baseline,
                kind_baseline=first_baseline + LINE_HEIGHT * (len(row.lines) - 1) + KIND_LINE,
                label=shifted,
            )
        )
    return Ecomap(
        width=width,
        height=height,
        cx=cx,
        cy=cy,
        radius=radius,
        centre_r=centre_r,
        centre_lines=tuple(centre_lines),
        people=tuple(placed),
        legend_top=legend_top,
    )


# ---- words ----------------------------------------------------------------------------------


def _involved_words(involved: bool, *, own: bool) -> str:
    if own:
        return "you want them involved in your support" if involved else "not involved in your support"
    return "wanted involved in support" if involved else "not involved in support"


def describe(relationships: Sequence[Relationship], *, centre_name: str, own: bool) -> str:
    """The whole ecomap in words: who is at the centre, and each person by kind, connection and involvement."""
    people = ordered(relationships)
    who = "You are" if own else f"{centre_name} is"
    whose = "your" if own else "their"
    if not people:
        return f"{who} at the centre. Nobody has been added to {whose} network yet."
    count = "1 person is" if len(people) == 1 else f"{len(people)} people are"
    sentences = [f"{who} at the centre. {count} in {whose} network."]
    for kind in [*KIND_ORDER, None]:
        group = [r for r in people if (r.kind == kind if kind is not None else r.kind not in KIND_ORDER)]
        if not group:
            continue
        described = "; ".join(
            f"{r.name} ({CONNECTION_WORDS.get(r.connection, 'some connection')}, "
            f"{_involved_words(r.wants_involved, own=own)})"
            for r in group
        )
        sentences.append(f"{group[0].get_kind_display()}: {described}.")
    return " ".join(sentences)


# ---- drawing --------------------------------------------------------------------------------


def _clean(words: str) -> str:
    """Without control characters, which XML (and so SVG) cannot hold; then escaped."""
    return str(escape("".join(ch for ch in words if unicodedata.category(ch) not in ("Cc", "Cs") or ch in "\t\n")))


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _marker(x: float, y: float, involved: bool) -> str:
    if involved:
        return (
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{NODE_R}" fill="{BLUE}" stroke="{BLUE}" stroke-width="2"/>'
            f'<path d="M {_n(x - 4.5)} {_n(y + 0.5)} l 3 3.5 l 6 -7.5" fill="none" stroke="{WHITE}" '
            'stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/>'
        )
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{NODE_R - 1}" fill="{WHITE}" stroke="{BLUE}" stroke-width="2.5"/>'


def _line(x1: float, y1: float, x2: float, y2: float, connection: str) -> str:
    width, dashes = LINE_STYLE.get(connection, LINE_STYLE[Connection.SOME])
    dash = f' stroke-dasharray="{dashes}"' if dashes else ""
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{SECONDARY}" '
        f'stroke-width="{_n(width)}" stroke-linecap="butt"{dash}/>'
    )


def _text(x: float, y: float, words: str, *, size: int, bold: bool = False, anchor: str = "start") -> str:
    weight = ' font-weight="bold"' if bold else ""
    colour = TEXT if bold else SECONDARY
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}"{weight} fill="{colour}" text-anchor="{anchor}">'
        f"{_clean(words)}</text>"
    )


def _legend(top: float, *, own: bool) -> list[str]:
    x = MARGIN
    parts = [_text(x, top, "Key", size=NAME_SIZE, bold=True)]
    rows: list[tuple[str, str]] = [
        (_line(x, 0, x + 48, 0, Connection.STRONG), "Strong connection"),
        (_line(x, 0, x + 48, 0, Connection.SOME), "Some connection"),
        (_line(x, 0, x + 48, 0, Connection.STRAINED), "Strained or stressful"),
        (_marker(x + 24, 0, True), "You want them involved in your support" if own else "Wanted involved in support"),
        (_marker(x + 24, 0, False), "Not involved in support"),
    ]
    for i, (sample, words) in enumerate(rows):
        y = top + 24 + i * LEGEND_ROW
        parts.append(f'<g transform="translate(0 {_n(y - 5)})">{sample}</g>')
        parts.append(_text(x + 60, y, words, size=KIND_SIZE))
    return parts


def ecomap_svg(
    relationships: Sequence[Relationship], *, centre_name: str, own: bool, id_prefix: str = "ecomap"
) -> Markup:
    """The ecomap as inline SVG (empty when nobody has been added: the page says so in words)."""
    if not relationships:
        return Markup("")
    drawn = layout(relationships, centre_name="You" if own else centre_name)
    title = "Your network" if own else f"The network of {centre_name}"
    description = describe(relationships, centre_name=centre_name, own=own)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(drawn.width)} {_n(drawn.height)}" '
        f'width="100%" role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc" class="lw-ecomap" '
        'font-family="Frutiger W01, Arial, Helvetica, sans-serif" focusable="false">',
        f'<title id="{id_prefix}-title">{_clean(title)}</title>',
        f'<desc id="{id_prefix}-desc">{_clean(description)}</desc>',
        f'<rect x="0" y="0" width="{_n(drawn.width)}" height="{_n(drawn.height)}" fill="{WHITE}"/>',
        "<g>",
        *(_line(*drawn.line_ends(p), p.connection) for p in drawn.people),
        "</g>",
    ]
    for p in drawn.people:
        connection_words = CONNECTION_WORDS.get(p.connection, "some connection")
        tooltip = f"{p.name}: {p.kind_label.lower()}, {connection_words}, {_involved_words(p.involved, own=own)}"
        out.append(f"<g><title>{_clean(tooltip)}</title>")
        out.append(_marker(p.x, p.y, p.involved))
        for i, line in enumerate(p.lines):
            out.append(
                _text(p.text_x, p.first_baseline + i * LINE_HEIGHT, line, size=NAME_SIZE, bold=True, anchor=p.anchor)
            )
        out.append(_text(p.text_x, p.kind_baseline, p.kind_label, size=KIND_SIZE, anchor=p.anchor))
        out.append("</g>")
    out.append(
        f'<circle cx="{_n(drawn.cx)}" cy="{_n(drawn.cy)}" r="{_n(drawn.centre_r)}" fill="{CENTRE_FILL}" '
        f'stroke="{BLUE}" stroke-width="3"/>'
    )
    first = drawn.cy - LINE_HEIGHT * (len(drawn.centre_lines) - 1) / 2 + 5.5
    for i, line in enumerate(drawn.centre_lines):
        out.append(_text(drawn.cx, first + i * LINE_HEIGHT, line, size=NAME_SIZE, bold=True, anchor="middle"))
    out.extend(_legend(drawn.legend_top, own=own))
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704 (every piece of text in it is escaped above)
