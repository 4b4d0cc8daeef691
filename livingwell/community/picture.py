"""The picture of the network: which community offers and organisations people are connected to, by
where they live and kind of offer, how connections went, and the needs no offer met. Aggregates only.

Who may see it: `can_see_picture(user, site)` (analysts, site administrators, Hub coordinators and team
leaders of the site, and the current members of its Collaborative). Seeing it is not a read of any
person's record, so it writes no per-person audit events; nothing in it names or identifies a person.

Where people live is the **person's** locality (`Person.locality`), which every record can have; a
need no offer met is placed by the locality recorded with it, else the person's.

Kinds of offer are the top-level categories of the directory's taxonomy: a term whose parent is one
of our terms counts under that parent (and so on up). A person connected to two offers of one kind
counts once for that kind; someone connected to offers of two kinds counts once under each, so the
kinds of a locality add up to more than its total (the total counts each person once).

Small numbers (`protect`): a count from 1 to 4 is shown as "fewer than 5" ("<5" in CSV files). So
that it cannot be worked out from the totals, more numbers are "not shown" (the smallest of 5 or more
beside it) until no hidden small number can be had by adding and taking away the shown ones (exact
elimination over each table's sums), every line with a hidden number has at least one of 5 or more
hidden, and no small number is pinned down by the ranges the others leave it. Known limit: in the
people tables a locality's total is at least each kind in it (people can be in several kinds), and in
very small tables that inequality, combined with several sums, can narrow a hidden number further
than the ranges checked here; the tests attack every table with an exhaustive search of the sums.
Choosing many overlapping periods could also be used to difference counts; the page keeps periods as
whole days and does not try to stop that.

Every aggregate is a handful of queries whatever the number of people, offers and connections.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from livingwell.audit.policy import current_memberships
from livingwell.collaborative.models import Member
from livingwell.network.models import Locality, Role, Site

from .models import Connection, ConnectionStage, ConnectionStep, Gap, TaxonomyTerm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from livingwell.accounts.models import User

SMALL = 5  # counts from 1 to SMALL - 1 are not shown
FEWER_THAN = f"fewer than {SMALL}"
FEWER_THAN_CSV = f"<{SMALL}"
NOT_SHOWN = "not shown"
TOP = 10  # organisations and offers listed
NOT_RECORDED = ""  # the key of the "not recorded" locality or kind
LOCALITY_NOT_RECORDED = "Locality not recorded"
KIND_NOT_RECORDED = "Kind not recorded"
NO_ORGANISATION = "No organisation named"
MAX_TAXONOMY_DEPTH = 6  # parents followed up from a term, at most

PICTURE_ROLES = frozenset({Role.ANALYST, Role.SITE_ADMINISTRATOR, Role.HUB_COORDINATOR, Role.TEAM_LEADER})
WENT_STAGES = (ConnectionStage.WENT, ConnectionStage.STILL_GOING)
FLOW = (ConnectionStage.SUGGESTED, ConnectionStage.INTRODUCED, ConnectionStage.WENT, ConnectionStage.STILL_GOING)


# ---- who may see it ---------------------------------------------------------------------------


def can_see_picture(user: User | AnonymousUser, site: Site) -> bool:
    """Whether `user` may see the picture of `site`'s network: analysts, site administrators, Hub
    coordinators and team leaders of the site, and the current members of its Collaborative (it is
    aggregates only, and the Collaborative steers by it)."""
    if not user.is_authenticated:
        return False
    if any(m.site_id == site.pk and m.role in PICTURE_ROLES for m in current_memberships(user)):
        return True
    return Member.objects.current().filter(user=user, site=site).exists()


def picture_sites(user: User | AnonymousUser) -> list[Site]:
    """The sites whose picture `user` may see, by name."""
    if not user.is_authenticated:
        return []
    sites = {m.site_id: m.site for m in current_memberships(user) if m.role in PICTURE_ROLES}
    for member in Member.objects.current().filter(user=user).select_related("site"):
        sites.setdefault(member.site_id, member.site)
    return sorted((s for s in sites.values() if can_see_picture(user, s)), key=lambda s: (s.name, str(s.pk)))


# ---- small numbers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A count as it may be shown: `value` is None when it is hidden (so nothing can show it by mistake)."""

    value: int | None
    small: bool = False  # hidden because it is from 1 to 4 (else hidden to protect another number)

    @property
    def hidden(self) -> bool:
        return self.value is None

    @property
    def text(self) -> str:
        if self.value is not None:
            return f"{self.value:,}"
        return FEWER_THAN if self.small else NOT_SHOWN

    @property
    def csv(self) -> str:
        if self.value is not None:
            return str(self.value)
        return FEWER_THAN_CSV if self.small else NOT_SHOWN

    @property
    def drawn(self) -> bool:
        """Whether a chart draws it: anything but a shown zero."""
        return self.value != 0


def shown(value: int) -> Figure:
    """A count on its own (with no total to protect it from): 1 to 4 is "fewer than 5"."""
    return Figure(None, small=True) if 0 < value < SMALL else Figure(value)


_TOTAL = ("total",)  # the key of a total's line in the graph below
_FREE = ("free",)  # every line that has no total to add up to


@dataclass
class _Edge:
    key: tuple[Any, ...]
    u: Hashable
    v: Hashable
    value: int
    is_total: bool


@dataclass(frozen=True)
class Protected[R: Hashable, C: Hashable]:
    """A table of counts, with totals, as it may be shown."""

    cells: dict[tuple[R, C], Figure]
    row_totals: dict[R, Figure] = field(default_factory=dict)
    col_totals: dict[C, Figure] = field(default_factory=dict)
    grand: Figure | None = None

    def cell(self, row: R, col: C) -> Figure:
        return self.cells.get((row, col), Figure(0))


def protect[R: Hashable, C: Hashable](
    cells: Mapping[tuple[R, C], int],
    *,
    row_totals: Mapping[R, int] | None = None,
    col_totals: Mapping[C, int] | None = None,
    grand: int | None = None,
    rows_add_up: bool = True,
    cols_add_up: bool = True,
) -> Protected[R, C]:
    """Hide counts from 1 to 4, and as many more as it takes so that none of them can be worked out.

    `rows_add_up`: a row's cells add up to its total, and the column totals to the grand total (each
    thing counted is in one column). `cols_add_up`: the same down the columns (each thing is in one
    row). People counted by locality and kind are in one locality but may be in several kinds: their
    rows do not add up; their totals are at least their largest cell and at most the sum of its cells.

    The table is a graph: each line that adds up to a shown or hidden total is a node, lines that do
    not are one free node, and each number is an edge between its row and its column (a row total
    joins its row to the column of totals; a column total joins the row of totals to its column; the
    grand total joins the two). A hidden number can be worked out from the others when it is a bridge
    among the hidden edges, so more are hidden until none is. At every node with hidden numbers at
    least one of them is 5 or more (else a total of two small numbers, such as 2, gives both away),
    and no small number can be pinned down by its bounds (`_pinned`). Numbers hidden to protect another
    are the smallest of 5 or more near it; zeros are never hidden (they would protect nothing).
    """
    row_nodes = row_totals is not None and rows_add_up
    col_nodes = col_totals is not None and cols_add_up
    total_row_node = grand is not None and col_totals is not None and rows_add_up
    total_col_node = grand is not None and row_totals is not None and cols_add_up

    def row_node(r: Any) -> Hashable:
        return ("row", r) if row_nodes else _FREE

    def col_node(c: Any) -> Hashable:
        return ("col", c) if col_nodes else _FREE

    total_row: Hashable = ("row", _TOTAL) if total_row_node else _FREE  # where column totals join
    total_col: Hashable = ("col", _TOTAL) if total_col_node else _FREE  # where row totals join

    edges: list[_Edge] = [_Edge(("cell", r, c), row_node(r), col_node(c), n, False) for (r, c), n in cells.items()]
    # Totals that are at most the sum of their line (rows or columns that do not add up).
    at_most: list[tuple[int, list[int]]] = []
    if row_totals is not None:
        for r, n in row_totals.items():
            edges.append(_Edge(("row_total", r), row_node(r), total_col, n, True))
            if not rows_add_up:
                members = [i for i, e in enumerate(edges) if e.key[0] == "cell" and e.key[1] == r]
                at_most.append((len(edges) - 1, members))
    if col_totals is not None:
        for c, n in col_totals.items():
            edges.append(_Edge(("col_total", c), total_row, col_node(c), n, True))
            if not cols_add_up:
                members = [i for i, e in enumerate(edges) if e.key[0] == "cell" and e.key[2] == c]
                at_most.append((len(edges) - 1, members))
    if grand is not None:
        edges.append(_Edge(("grand",), total_row, total_col, grand, True))
        grand_index = len(edges) - 1
        if row_totals is not None and not cols_add_up:
            at_most.append((grand_index, [i for i, e in enumerate(edges) if e.key[0] == "row_total"]))
        if col_totals is not None and not rows_add_up:
            at_most.append((grand_index, [i for i, e in enumerate(edges) if e.key[0] == "col_total"]))

    small = {i for i, e in enumerate(edges) if 0 < e.value < SMALL}
    hidden = set(small)
    incident: dict[Hashable, list[int]] = defaultdict(list)
    for i, e in enumerate(edges):
        incident[e.u].append(i)
        if e.v != e.u:
            incident[e.v].append(i)
    constrained = [node for node in incident if node != _FREE]
    # Each constrained node's numbers add up: its total (the edge whose line it is) with -1, the rest +1.
    equations = [[(i, _sign(edges[i], node, total_row, total_col)) for i in incident[node]] for node in constrained]
    # A total bounded by its line is equal to it when only one number in the line is not a (shown) zero.
    for total, members in at_most:
        not_zero = [m for m in members if edges[m].value]
        if len(not_zero) == 1:
            equations.append([(total, -1), (not_zero[0], 1)])

    def related(i: int) -> set[int]:
        """The numbers that share a line with number `i`: those it adds up with, or is bounded by."""
        out = {j for node in (edges[i].u, edges[i].v) if node != _FREE for j in incident[node]}
        for total, members in at_most:
            if i == total or i in members:
                out |= {total, *members}
        return out

    def choose(pool: Iterable[int], *, anywhere: bool = False) -> int | None:
        """The number to hide to protect another: from `pool` (else, when `anywhere`, from the whole
        table), not zero, 5 or more if there is one, not a total if there is one, the smallest."""
        candidates = {i for i in pool if i not in hidden and edges[i].value}
        if not candidates and anywhere:
            candidates = {i for i in range(len(edges)) if i not in hidden and edges[i].value}
        if not candidates:
            return None
        return min(candidates, key=lambda i: (edges[i].value < SMALL, edges[i].is_total, edges[i].value, i))

    def joined_without(skip: int) -> bool:
        """Whether the two ends of hidden edge `skip` are joined by other hidden edges."""
        start, goal = edges[skip].u, edges[skip].v
        seen = {start}
        todo = [start]
        while todo:
            node = todo.pop()
            for i in incident[node]:
                if i == skip or i not in hidden:
                    continue
                e = edges[i]
                other = e.v if e.u == node else e.u
                if other == goal:
                    return True
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return False

    for _ in range(len(edges) + 1):
        pick: int | None = None
        for node in constrained:
            at_node = [i for i in incident[node] if i in hidden]
            if at_node and all(i in small for i in at_node):
                pick = choose(incident[node])  # None when the line has nothing else to hide
                if pick is not None:
                    break
        if pick is None:
            for i in sorted(hidden):
                e = edges[i]
                if e.u != e.v and not joined_without(i):
                    pick = choose(related(i), anywhere=True)
                    break
        if pick is None:
            determined = _determined(hidden, equations)
            if determined is not None:
                pick = choose(related(determined), anywhere=True)
        if pick is None:
            pinned = _pinned(edges, hidden, small, equations, at_most)
            if pinned is not None:
                pick = choose(related(pinned), anywhere=True)
        if pick is None:
            break
        hidden.add(pick)

    def figure(i: int) -> Figure:
        if i in hidden:
            return Figure(None, small=i in small)
        return Figure(edges[i].value)

    out_cells: dict[tuple[R, C], Figure] = {}
    out_rows: dict[R, Figure] = {}
    out_cols: dict[C, Figure] = {}
    out_grand: Figure | None = None
    for i, e in enumerate(edges):
        kind = e.key[0]
        if kind == "cell":
            out_cells[(e.key[1], e.key[2])] = figure(i)
        elif kind == "row_total":
            out_rows[e.key[1]] = figure(i)
        elif kind == "col_total":
            out_cols[e.key[1]] = figure(i)
        else:
            out_grand = figure(i)
    return Protected(cells=out_cells, row_totals=out_rows, col_totals=out_cols, grand=out_grand)


def _sign(edge: _Edge, node: Hashable, total_row: Hashable, total_col: Hashable) -> int:
    """-1 when `edge` is the total of the line `node` stands for, else +1."""
    kind = edge.key[0]
    if kind == "row_total" and node == edge.u:
        return -1
    if kind == "col_total" and node == edge.v:
        return -1
    if kind == "grand":
        return -1
    return 1


def _determined(hidden: set[int], equations: list[list[tuple[int, int]]]) -> int | None:
    """A hidden number that the lines' sums give away on their own (by adding and taking away), or None.

    Exact elimination over the hidden numbers: one is given away when a row of the reduced equations
    has it alone."""
    order = sorted(hidden)
    column = {i: n for n, i in enumerate(order)}
    rows = []
    for equation in equations:
        row = [Fraction(0)] * len(order)
        for i, sign in equation:
            if i in column:
                row[column[i]] += sign
        if any(row):
            rows.append(row)
    pivot_row = 0
    for col in range(len(order)):
        found = next((r for r in range(pivot_row, len(rows)) if rows[r][col] != 0), None)
        if found is None:
            continue
        rows[pivot_row], rows[found] = rows[found], rows[pivot_row]
        lead = rows[pivot_row][col]
        rows[pivot_row] = [v / lead for v in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row], strict=True)]
        pivot_row += 1
    for row in rows[:pivot_row]:
        alone = [n for n, v in enumerate(row) if v != 0]
        if len(alone) == 1:
            return order[alone[0]]
    return None


def _pinned(
    edges: Sequence[_Edge],
    hidden: set[int],
    small: set[int],
    equations: list[list[tuple[int, int]]],
    at_most: Sequence[tuple[int, list[int]]] = (),
) -> int | None:
    """A hidden small number that someone could pin down by bounds alone (each hidden small number is
    from 1 to 4, every other at least 0, and each line adds up), or None. This is how one would work
    a number out by hand: it tightens each number's range from the others' until nothing changes."""
    cap = max((e.value for e in edges), default=0)
    low = {i: (1 if i in small else 0) for i in hidden}
    high = {i: (SMALL - 1 if i in small else cap) for i in hidden}

    def bounds(i: int) -> tuple[int, int]:
        return (low[i], high[i]) if i in hidden else (edges[i].value, edges[i].value)

    for _ in range(50):
        changed = False
        for equation in equations:
            for j, sign_j in equation:
                if j not in hidden:
                    continue
                rest_low = rest_high = 0
                for k, sign_k in equation:
                    if k == j:
                        continue
                    lo, hi = bounds(k)
                    rest_low += min(sign_k * lo, sign_k * hi)
                    rest_high += max(sign_k * lo, sign_k * hi)
                # sign_j * x_j = -rest, so x_j lies between these:
                a, b = -rest_high * sign_j, -rest_low * sign_j
                new_low, new_high = max(low[j], min(a, b)), min(high[j], max(a, b))
                if (new_low, new_high) != (low[j], high[j]):
                    low[j], high[j] = new_low, new_high
                    changed = True
        for total, members in at_most:
            # Each member is at most the total; the total is at least the largest and at most the sum.
            t_low, t_high = bounds(total)
            m_lows = [bounds(k)[0] for k in members]
            m_highs = [bounds(k)[1] for k in members]
            if total in hidden:
                new_low, new_high = max(low[total], max(m_lows, default=0)), min(high[total], sum(m_highs))
                if (new_low, new_high) != (low[total], high[total]):
                    low[total], high[total] = new_low, new_high
                    changed = True
            for n, k in enumerate(members):
                if k not in hidden:
                    continue
                others = sum(m_highs) - m_highs[n]
                new_low, new_high = max(low[k], t_low - others), min(high[k], t_high)
                if (new_low, new_high) != (low[k], high[k]):
                    low[k], high[k] = new_low, new_high
                    changed = True
        if not changed:
            break
    return next((i for i in sorted(small) if low[i] >= high[i]), None)


def share_text(part: int, whole: int) -> str:
    """'60%' of `whole`, unless it would let someone work out a count from 1 to 4 (of the part or the rest)."""
    if whole <= 0:
        return "none"
    if 0 < part < SMALL or 0 < whole - part < SMALL or whole < SMALL:
        return NOT_SHOWN
    return f"{round(100 * part / whole)}%"


# ---- filters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included (the day each connection or need was recorded)."""

    start: dt.date
    end: dt.date

    @property
    def words(self) -> str:
        return f"{_day(self.start)} to {_day(self.end)}"

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        zone = timezone.get_current_timezone()
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return start, end


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def default_period(today: dt.date | None = None) -> Period:
    """The last 12 months, today included."""
    today = today or timezone.localdate()
    return Period(start=today - relativedelta(years=1) + dt.timedelta(days=1), end=today)


@dataclass(frozen=True)
class PictureFilters:
    period: Period
    locality: Locality | None = None


# ---- the picture ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    """An organisation or offer, with the people connected to it and the share who went or are still going."""

    name: str
    organisation: str
    people: Figure
    went_share: str


@dataclass(frozen=True)
class StageRow:
    label: str
    connections: Figure
    on_the_way: bool = False  # a step from suggested to still going (else: did not suit)


@dataclass(frozen=True)
class Table:
    """A table as the page and the CSV file show it: the first cell of each row names the row."""

    slug: str
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    csv_rows: tuple[tuple[str, ...], ...]
    total_row: bool = False  # the last row is the totals


@dataclass(frozen=True)
class Picture:
    site: Site
    filters: PictureFilters
    localities: list[tuple[str, str]]  # (key, name)
    kinds: list[tuple[str, str]]  # (key, name)
    connected: Protected[str, str]  # distinct people, by locality and kind
    went: Protected[str, str]  # of whom went or are still going
    organisations: list[Ranked]
    offers: list[Ranked]
    stages: list[StageRow]
    connections: Figure  # connections made in the period
    gap_kinds: list[tuple[str, str]]
    gap_localities: list[tuple[str, str]]
    gaps: Protected[str, str]  # needs no offer met, by kind and locality
    months: list[tuple[dt.date, str]]
    gaps_by_month: Protected[dt.date, str]

    @property
    def people(self) -> Figure:
        return self.connected.grand or Figure(0)

    @property
    def gap_total(self) -> Figure:
        return self.gaps.grand or Figure(0)

    def tables(self) -> list[Table]:
        return tables_of(self)


def _kinds_of(term_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """For each term id: the (id, name) of its top-level category, following parents we hold."""
    wanted = {t for t in term_ids if t}
    terms: dict[str, tuple[str, str]] = {}  # id -> (name, parent id)
    asked: set[str] = set()
    todo = set(wanted)
    for _ in range(MAX_TAXONOMY_DEPTH):
        if not todo:
            break
        asked |= todo
        found = TaxonomyTerm.objects.filter(id__in=todo).values_list("id", "name", "parent_id")
        for term_id, name, parent_id in found:
            terms[term_id] = (name, parent_id)
        todo = {parent for _name, parent in terms.values() if parent} - asked
    top: dict[str, tuple[str, str]] = {}
    for term_id in wanted:
        if term_id not in terms:
            continue  # a link to a term we do not hold: counted as "kind not recorded"
        current, steps = term_id, 0
        while terms[current][1] in terms and steps < MAX_TAXONOMY_DEPTH:
            current = terms[current][1]
            steps += 1
        top[term_id] = (current, terms[current][0])
    return top


def _connections(site: Site, filters: PictureFilters) -> QuerySet[Connection]:
    start, end = filters.period.bounds()
    found = Connection.objects.filter(service__site=site, created_at__gte=start, created_at__lt=end)
    if filters.locality is not None:
        found = found.filter(person__locality=filters.locality)
    return found


def _gaps(site: Site, filters: PictureFilters) -> QuerySet[Gap]:
    start, end = filters.period.bounds()
    found = Gap.objects.filter(site=site, created_at__gte=start, created_at__lt=end)
    if filters.locality is not None:
        found = found.filter(Q(locality=filters.locality) | Q(locality__isnull=True, person__locality=filters.locality))
    return found


def _months(period: Period) -> list[dt.date]:
    first = period.start.replace(day=1)
    months = []
    while first <= period.end:
        months.append(first)
        first += relativedelta(months=1)
    return months


@dataclass(frozen=True)
class Counts[R: Hashable, C: Hashable]:
    """A table of exact counts, before small numbers are hidden: never shown as it is."""

    cells: dict[tuple[R, C], int]
    row_totals: dict[R, int] | None
    col_totals: dict[C, int] | None
    grand: int | None
    rows_add_up: bool = True  # False when one thing counted can be in several columns (see `protect`)

    def protected(self) -> Protected[R, C]:
        return protect(
            self.cells,
            row_totals=self.row_totals,
            col_totals=self.col_totals,
            grand=self.grand,
            rows_add_up=self.rows_add_up,
        )


@dataclass(frozen=True)
class RankedCount:
    name: str
    organisation: str
    people: int
    went: int


@dataclass(frozen=True)
class Counted:
    """Every exact count behind the picture (for `network_picture` and tests; never shown as it is)."""

    localities: list[tuple[str, str]]
    kinds: list[tuple[str, str]]
    people: Counts[str, str]
    went: Counts[str, str]
    organisations: list[RankedCount]
    offers: list[RankedCount]
    stages: dict[str, int]
    gap_kinds: list[tuple[str, str]]
    gap_localities: list[tuple[str, str]]
    gaps: Counts[str, str]
    months: list[dt.date]
    gaps_by_month: Counts[dt.date, str]


def count_network(*, site: Site, filters: PictureFilters, top: int = TOP) -> Counted:
    """The exact counts for `site` over `filters`, in a fixed number of queries (about eight)."""
    localities = list(Locality.objects.filter(site=site).order_by("name", "pk").values_list("pk", "name"))
    if filters.locality is not None:
        localities = [(pk, name) for pk, name in localities if pk == filters.locality.pk]
    connections = _connections(site, filters)

    # People, by locality and kind: one row for each person, locality, term and stage.
    links = list(connections.values_list("person_id", "person__locality_id", "service__terms", "stage").distinct())
    gap_rows = list(_gaps(site, filters).values_list("locality_id", "person__locality_id", "term_id", "created_at"))
    kinds_of = _kinds_of([t for _p, _l, t, _s in links if t] + [t for _l, _pl, t, _c in gap_rows if t])

    def kind_key(term_id: str | None) -> tuple[str, str]:
        return kinds_of.get(term_id or "", (NOT_RECORDED, KIND_NOT_RECORDED))

    def locality_key(locality_id: uuid.UUID | None) -> str:
        return str(locality_id) if locality_id else NOT_RECORDED

    people_in: dict[tuple[str, str], set[Any]] = defaultdict(set)
    went_in: dict[tuple[str, str], set[Any]] = defaultdict(set)
    kind_names: dict[str, str] = {}
    for person_id, locality_id, term_id, stage in links:
        kind, kind_name = kind_key(term_id)
        kind_names[kind] = kind_name
        key = (locality_key(locality_id), kind)
        people_in[key].add(person_id)
        if stage in WENT_STAGES:
            went_in[key].add(person_id)
    locality_rows = [(str(pk), name) for pk, name in localities]
    if any(loc == NOT_RECORDED for loc, _k in people_in) and filters.locality is None:
        locality_rows.append((NOT_RECORDED, LOCALITY_NOT_RECORDED))
    kinds = _ordered_kinds(kind_names)

    def distinct_counts(sets: Mapping[tuple[str, str], set[Any]]) -> Counts[str, str]:
        rows: dict[str, set[Any]] = defaultdict(set)
        cols: dict[str, set[Any]] = defaultdict(set)
        every: set[Any] = set()
        for (loc, kind), who in sets.items():
            rows[loc] |= who
            cols[kind] |= who
            every |= who
        return Counts(
            cells={(loc, kind): len(sets.get((loc, kind), ())) for loc, _n in locality_rows for kind, _k in kinds},
            row_totals={loc: len(rows.get(loc, ())) for loc, _n in locality_rows},
            col_totals={kind: len(cols.get(kind, ())) for kind, _k in kinds},
            grand=len(every),
            rows_add_up=False,  # someone connected to two kinds of offer counts under both
        )

    went_people = Count("person", distinct=True, filter=Q(stage__in=WENT_STAGES))
    organisations = [
        RankedCount(row["service__organization__name"] or NO_ORGANISATION, "", row["people"], row["went"])
        for row in connections.values("service__organization_id", "service__organization__name")
        .annotate(people=Count("person", distinct=True), went=went_people)
        .order_by("-people", "service__organization__name", "service__organization_id")[:top]
    ]
    offers = [
        RankedCount(
            row["service__name"], row["service__organization__name"] or NO_ORGANISATION, row["people"], row["went"]
        )
        for row in connections.values("service_id", "service__name", "service__organization__name")
        .annotate(people=Count("person", distinct=True), went=went_people)
        .order_by("-people", "service__name", "service_id")[:top]
    ]

    # Needs no offer met: by kind and locality (the gap's, else the person's), and by month.
    gap_cells: dict[tuple[str, str], int] = defaultdict(int)
    by_month: dict[dt.date, int] = defaultdict(int)
    gap_kind_names: dict[str, str] = {}
    for locality_id, person_locality_id, term_id, created_at in gap_rows:
        kind, kind_name = kind_key(term_id)
        gap_kind_names[kind] = kind_name
        gap_cells[(kind, locality_key(locality_id or person_locality_id))] += 1
        by_month[timezone.localtime(created_at).date().replace(day=1)] += 1
    gap_kinds = _ordered_kinds(gap_kind_names)
    gap_localities = [(str(pk), name) for pk, name in localities]
    if any(loc == NOT_RECORDED for _k, loc in gap_cells) and filters.locality is None:
        gap_localities.append((NOT_RECORDED, LOCALITY_NOT_RECORDED))
    months = _months(filters.period)
    return Counted(
        localities=locality_rows,
        kinds=kinds,
        people=distinct_counts(people_in),
        went=distinct_counts(went_in),
        organisations=organisations,
        offers=offers,
        stages=_stage_counts(connections),
        gap_kinds=gap_kinds,
        gap_localities=gap_localities,
        gaps=Counts(
            cells={(k, loc): gap_cells.get((k, loc), 0) for k, _n in gap_kinds for loc, _l in gap_localities},
            row_totals={k: sum(gap_cells.get((k, loc), 0) for loc, _l in gap_localities) for k, _n in gap_kinds},
            col_totals={loc: sum(gap_cells.get((k, loc), 0) for k, _n in gap_kinds) for loc, _l in gap_localities},
            grand=len(gap_rows),
        ),
        months=months,
        gaps_by_month=Counts(
            cells={(m, "gaps"): by_month.get(m, 0) for m in months},
            row_totals=None,
            col_totals={"gaps": len(gap_rows)},
            grand=None,
        ),
    )


def network_picture(*, site: Site, filters: PictureFilters, top: int = TOP) -> Picture:
    """Every aggregate the page shows for `site` over `filters`, with small numbers hidden."""
    counted = count_network(site=site, filters=filters, top=top)
    stages = counted.stages
    return Picture(
        site=site,
        filters=filters,
        localities=counted.localities,
        kinds=counted.kinds,
        connected=counted.people.protected(),
        went=counted.went.protected(),
        organisations=[
            Ranked(r.name, r.organisation, shown(r.people), share_text(r.went, r.people)) for r in counted.organisations
        ],
        offers=[Ranked(r.name, r.organisation, shown(r.people), share_text(r.went, r.people)) for r in counted.offers],
        stages=[
            StageRow("Suggested", shown(stages["suggested"]), on_the_way=True),
            StageRow("Introduced", shown(stages["introduced"]), on_the_way=True),
            StageRow("Went", shown(stages["went"]), on_the_way=True),
            StageRow("Still going", shown(stages["still_going"]), on_the_way=True),
            StageRow("Did not suit, before going", shown(stages["did_not_suit_before_going"])),
            StageRow("Did not suit, after going", shown(stages["did_not_suit_after_going"])),
        ],
        connections=shown(stages["suggested"]),
        gap_kinds=counted.gap_kinds,
        gap_localities=counted.gap_localities,
        gaps=counted.gaps.protected(),
        months=[(m, f"{m:%B %Y}") for m in counted.months],
        gaps_by_month=counted.gaps_by_month.protected(),
    )


def _ordered_kinds(names: Mapping[str, str]) -> list[tuple[str, str]]:
    """By name, with "kind not recorded" last."""
    return sorted(names.items(), key=lambda item: (item[0] == NOT_RECORDED, item[1].lower(), item[0]))


def _reached(stages: Sequence[ConnectionStage]) -> Q:
    """Connections that are at one of `stages` now, or were once."""
    return Q(stage__in=stages) | Q(
        Exists(ConnectionStep.objects.filter(connection_id=OuterRef("pk"), stage__in=stages))
    )


def _stage_counts(connections: QuerySet[Connection]) -> dict[str, int]:
    """How far connections got (each stage counts those that reached it, or went further), and how
    many did not suit, before and after going (one query). Why one did not suit is not counted by
    reason: it is the person's own words."""
    went_or_later = FLOW[2:]
    counts = connections.aggregate(
        suggested=Count("pk"),
        introduced=Count("pk", filter=_reached(FLOW[1:])),
        went=Count("pk", filter=_reached(went_or_later)),
        still_going=Count("pk", filter=_reached(FLOW[3:])),
        did_not_suit_after_going=Count("pk", filter=Q(stage=ConnectionStage.DID_NOT_SUIT) & _reached(went_or_later)),
        did_not_suit=Count("pk", filter=Q(stage=ConnectionStage.DID_NOT_SUIT)),
    )
    counts["did_not_suit_before_going"] = counts["did_not_suit"] - counts["did_not_suit_after_going"]
    return counts


# ---- tables, for the page and for CSV files ------------------------------------------------


def _safe_csv(text: str) -> str:
    """A name from a feed, so that a spreadsheet does not take it for a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def tables_of(picture: Picture) -> list[Table]:
    """Every table on the page, in order; each can be downloaded as a CSV file."""
    out: list[Table] = []
    kinds, localities = picture.kinds, picture.localities
    period = picture.filters.period.words

    def cross(
        slug: str, caption: str, corner: str, rows: list[tuple[Any, str]], cols: list[tuple[Any, str]], t: Protected
    ) -> Table:
        headers = (corner, *(name for _k, name in cols), "Total")
        body: list[tuple[Figure | str, ...]] = [
            (name, *(t.cell(r, c) for c, _n in cols), t.row_totals.get(r, Figure(0))) for r, name in rows
        ]
        body.append(("Total", *(t.col_totals.get(c, Figure(0)) for c, _n in cols), t.grand or Figure(0)))
        return Table(
            slug=slug,
            caption=caption,
            headers=headers,
            rows=tuple(tuple(c if isinstance(c, str) else c.text for c in row) for row in body),
            csv_rows=tuple(tuple(_safe_csv(c) if isinstance(c, str) else c.csv for c in row) for row in body),
            total_row=True,
        )

    out.append(
        cross(
            "people",
            f"People connected to community offers, by where they live and kind of offer, {period}",
            "Where people live",
            localities,
            kinds,
            picture.connected,
        )
    )
    out.append(
        cross(
            "went",
            f"People who went or are still going, by where they live and kind of offer, {period}",
            "Where people live",
            localities,
            kinds,
            picture.went,
        )
    )
    out.append(
        Table(
            slug="organisations",
            caption=f"Organisations people are connected to most, {period}",
            headers=("Organisation", "People connected", "Went or still going"),
            rows=tuple((r.name, r.people.text, r.went_share) for r in picture.organisations),
            csv_rows=tuple((_safe_csv(r.name), r.people.csv, r.went_share) for r in picture.organisations),
        )
    )
    out.append(
        Table(
            slug="offers",
            caption=f"Offers people are connected to most, {period}",
            headers=("Offer", "Run by", "People connected", "Went or still going"),
            rows=tuple((r.name, r.organisation, r.people.text, r.went_share) for r in picture.offers),
            csv_rows=tuple(
                (_safe_csv(r.name), _safe_csv(r.organisation), r.people.csv, r.went_share) for r in picture.offers
            ),
        )
    )
    out.append(
        Table(
            slug="stages",
            caption=f"How connections made {period} went",
            headers=("Stage", "Connections"),
            rows=tuple((s.label, s.connections.text) for s in picture.stages),
            csv_rows=tuple((s.label, s.connections.csv) for s in picture.stages),
        )
    )
    out.append(
        cross(
            "gaps",
            f"Needs no offer met, by kind of need and locality, {period}",
            "Kind of need",
            picture.gap_kinds,
            picture.gap_localities,
            picture.gaps,
        )
    )
    month_rows = [(label, picture.gaps_by_month.cell(m, "gaps")) for m, label in picture.months]
    total = picture.gaps_by_month.col_totals.get("gaps", Figure(0))
    out.append(
        Table(
            slug="gaps-by-month",
            caption=f"Needs no offer met, by month, {period}",
            headers=("Month", "Needs recorded"),
            rows=(*((label, f.text) for label, f in month_rows), ("Total", total.text)),
            csv_rows=(*((label, f.csv) for label, f in month_rows), ("Total", total.csv)),
            total_row=True,
        )
    )
    return out


def csv_text(table: Table) -> str:
    """The table as a CSV file (UTF-8, a header row, then a row for each line of the table)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows(table.csv_rows)
    return buffer.getvalue()


def picture_link(user: User | AnonymousUser) -> str:
    """The link to the picture of the network, for those who may see it (else empty)."""
    from django.urls import reverse

    return reverse("community:picture") if picture_sites(user) else ""
