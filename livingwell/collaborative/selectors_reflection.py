"""What the reflection pages read: rounds, a member's own answers, and the aggregates.

Aggregates are counts and averages only; no name is ever attached to an answer. What people wrote
("why", notes) is shown as unnamed quotes, and only in rounds where at least `QUOTES_FROM` members
answered the exercise, so that a quote cannot be told apart by who was in the room. Every aggregate
reads its rows in one query, whatever the number of members.

Arithmetic (tested against hand counts):
- respondents: members who gave at least one answer to the exercise in the round;
- net: (great at - challenged by) / respondents, as a whole percentage, halves away from zero;
- mean: to one decimal place, halves up; median: the middle placement, or halfway between the two
  middle ones when there is an even number.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Count
from django.utils import timezone

from livingwell.collaborative import balcony
from livingwell.collaborative.balcony import Statement
from livingwell.collaborative.mix import Mix, mix_of, percent
from livingwell.collaborative.models import (
    BalconyPlacement,
    GroupKind,
    Member,
    Principle,
    PrincipleRating,
    PrincipleView,
    ReflectionRound,
    Session,
)
from livingwell.network.models import Site

QUOTES_FROM = 3  # members who answered, before what they wrote is shown
PUBLIC_FROM = 3  # members who answered, before a closed round's counts appear on the public page
SCALE = tuple(range(balcony.LOWEST, balcony.HIGHEST + 1))


# ---- rounds --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundRow:
    round: ReflectionRound
    is_open: bool
    not_yet_open: bool
    principles_respondents: int
    balcony_respondents: int


def rounds(site: Site, *, today: dt.date | None = None) -> list[RoundRow]:
    """The site's rounds: open ones first (closing soonest first), then those still to come, then closed
    ones (newest first), with how many members answered each exercise. One query."""
    today = today or timezone.localdate()
    rows = (
        ReflectionRound.objects.filter(site=site)
        .annotate(
            principles_n=Count("principle_ratings__member", distinct=True),
            balcony_n=Count("balcony_placements__member", distinct=True),
        )
        .select_related("session")
    )
    result = [
        RoundRow(
            round=r,
            is_open=r.opens_on <= today <= r.closes_on,
            not_yet_open=today < r.opens_on,
            principles_respondents=r.principles_n,  # type: ignore[attr-defined]
            balcony_respondents=r.balcony_n,  # type: ignore[attr-defined]
        )
        for r in rows
    ]
    open_rows = sorted((r for r in result if r.is_open), key=lambda r: (r.round.closes_on, r.round.title))
    coming = sorted((r for r in result if r.not_yet_open), key=lambda r: (r.round.opens_on, r.round.title))
    closed = sorted(
        (r for r in result if not r.is_open and not r.not_yet_open),
        key=lambda r: (r.round.opens_on, r.round.title),
        reverse=True,
    )
    return open_rows + coming + closed


def round_for(site: Site, round_id: uuid.UUID | str) -> ReflectionRound | None:
    return ReflectionRound.objects.filter(site=site, pk=round_id).select_related("session", "site").first()


def session_choices(site: Site, *, today: dt.date | None = None) -> list[Session]:
    """Sessions of the whole Collaborative a round may be held at: from a year ago to a year ahead."""
    today = today or timezone.localdate()
    start = dt.datetime.combine(today - dt.timedelta(days=366), dt.time.min, tzinfo=dt.UTC)
    end = dt.datetime.combine(today + dt.timedelta(days=366), dt.time.max, tzinfo=dt.UTC)
    return list(
        Session.objects.filter(
            group__site=site, group__kind=GroupKind.COLLABORATIVE, starts_at__gte=start, starts_at__lte=end
        )
        .select_related("group")
        .order_by("-starts_at")
    )


def my_ratings(reflection_round: ReflectionRound, member: Member) -> dict[str, PrincipleRating]:
    return {r.principle: r for r in PrincipleRating.objects.filter(round=reflection_round, member=member)}


def my_placements(reflection_round: ReflectionRound, member: Member) -> dict[str, BalconyPlacement]:
    return {p.statement: p for p in BalconyPlacement.objects.filter(round=reflection_round, member=member)}


def respondents_mix(reflection_round: ReflectionRound, *, exercise: str) -> Mix:
    """Who answered an exercise ("principles" or "balcony"), by the perspectives they bring: so that it is
    visible whose view the results are (for example how many have lived experience). One query."""
    relation = "principle_ratings__round" if exercise == "principles" else "balcony_placements__round"
    return mix_of(Member.objects.filter(**{relation: reflection_round}).distinct())


# ---- arithmetic ----------------------------------------------------------------------------------


def net_share(great: int, challenged: int, respondents: int) -> int | None:
    """(great - challenged) / respondents as a whole percentage, halves away from zero; None for nobody."""
    difference = great - challenged
    share = percent(abs(difference), respondents)
    if share is None:
        return None
    return share if difference >= 0 else -share


def mean_of(values: list[int]) -> Decimal | None:
    """The mean to one decimal place, halves up; None for no values."""
    if not values:
        return None
    exact = Fraction(sum(values), len(values))
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def median_of(values: list[int]) -> Decimal | None:
    """The middle value, or halfway between the two middle values for an even number; None for none."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle])
    return (Decimal(ordered[middle - 1]) + Decimal(ordered[middle])) / 2


# ---- the self-assessment -------------------------------------------------------------------------


@dataclass(frozen=True)
class PrincipleCount:
    principle: Principle
    great: int
    challenged: int
    respondents: int

    @property
    def label(self) -> str:
        return str(self.principle.label)

    @property
    def net(self) -> int | None:
        return net_share(self.great, self.challenged, self.respondents)


@dataclass(frozen=True)
class Quote:
    principle: str  # the principle's or statement's name
    view: str  # "great" / "challenged", or "" for a balcony note
    text: str
    position: int | None = None


@dataclass(frozen=True)
class PrinciplesResults:
    respondents: int
    counts: tuple[PrincipleCount, ...]
    quotes_shown: bool
    great_quotes: tuple[Quote, ...]
    challenged_quotes: tuple[Quote, ...]

    @property
    def most_great(self) -> list[PrincipleCount]:
        top = max((c.great for c in self.counts), default=0)
        return [c for c in self.counts if top and c.great == top]

    @property
    def most_challenged(self) -> list[PrincipleCount]:
        top = max((c.challenged for c in self.counts), default=0)
        return [c for c in self.counts if top and c.challenged == top]


def _principle_counts(rows: list[tuple[str, str, uuid.UUID]]) -> tuple[int, tuple[PrincipleCount, ...]]:
    respondents = len({member for _p, _v, member in rows})
    tally: Counter[tuple[str, str]] = Counter((p, v) for p, v, _m in rows)
    counts = tuple(
        PrincipleCount(
            principle=p,
            great=tally[(p.value, PrincipleView.GREAT.value)],
            challenged=tally[(p.value, PrincipleView.CHALLENGED.value)],
            respondents=respondents,
        )
        for p in Principle
    )
    return respondents, counts


def principles_results(reflection_round: ReflectionRound) -> PrinciplesResults:
    """Per principle, how many said great at and challenged by; the whys as unnamed quotes. One query."""
    rows = list(
        PrincipleRating.objects.filter(round=reflection_round).values_list("principle", "view", "why", "member_id")
    )
    respondents, counts = _principle_counts([(p, v, m) for p, v, _w, m in rows])
    shown = respondents >= QUOTES_FROM
    order = {p.value: i for i, p in enumerate(Principle)}
    labels = dict(Principle.choices)
    # Quotes are ordered by principle and then by their own words, never by who or when, so that their
    # order tells nothing about who wrote them.
    written = sorted(
        ((order[p], w.strip().casefold(), p, v, w.strip()) for p, v, w, _m in rows if p in labels and w.strip()),
    )
    quotes = [Quote(principle=str(labels[p]), view=v, text=w) for _o, _k, p, v, w in written] if shown else []
    return PrinciplesResults(
        respondents=respondents,
        counts=counts,
        quotes_shown=shown,
        great_quotes=tuple(q for q in quotes if q.view == PrincipleView.GREAT),
        challenged_quotes=tuple(q for q in quotes if q.view == PrincipleView.CHALLENGED),
    )


# ---- the balcony exercise ------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementResult:
    statement: Statement
    positions: tuple[int, ...]
    distribution: tuple[int, ...]  # how many placed it at 0, 1, ... 10
    notes: tuple[Quote, ...]

    @property
    def n(self) -> int:
        return len(self.positions)

    @property
    def mean(self) -> Decimal | None:
        return mean_of(list(self.positions))

    @property
    def median(self) -> Decimal | None:
        return median_of(list(self.positions))


@dataclass(frozen=True)
class BalconyResults:
    respondents: int
    statements: tuple[StatementResult, ...]
    quotes_shown: bool


def _distribution(positions: list[int]) -> tuple[int, ...]:
    tally = Counter(positions)
    return tuple(tally[i] for i in SCALE)


def balcony_results(reflection_round: ReflectionRound) -> BalconyResults:
    """Per statement: the placements, their distribution, mean and median; notes as unnamed quotes."""
    rows = list(
        BalconyPlacement.objects.filter(round=reflection_round).values_list(
            "statement", "position", "note", "member_id"
        )
    )
    respondents = len({m for _s, _p, _n, m in rows})
    shown = respondents >= QUOTES_FROM
    positions: dict[str, list[int]] = defaultdict(list)
    notes: dict[str, list[Quote]] = defaultdict(list)
    for key, position, note, _m in rows:
        positions[key].append(position)
        if shown and note.strip() and key in balcony.BY_KEY:
            notes[key].append(Quote(principle=balcony.BY_KEY[key].title, view="", text=note.strip(), position=position))
    statements = tuple(
        StatementResult(
            statement=s,
            positions=tuple(sorted(positions[s.key])),
            distribution=_distribution(positions[s.key]),
            notes=tuple(sorted(notes[s.key], key=lambda q: (q.position or 0, q.text.casefold()))),
        )
        for s in balcony.STATEMENTS
    )
    return BalconyResults(respondents=respondents, statements=statements, quotes_shown=shown)


# ---- the trend across rounds ---------------------------------------------------------------------


@dataclass(frozen=True)
class TrendRound:
    round: ReflectionRound
    principles_respondents: int
    net: dict[str, int | None]  # principle → net share (percentage)
    balcony_respondents: int
    means: dict[str, Decimal | None]  # statement key → mean position


@dataclass(frozen=True)
class Trend:
    rounds: tuple[TrendRound, ...]

    @property
    def principle_rounds(self) -> tuple[TrendRound, ...]:
        return tuple(r for r in self.rounds if r.principles_respondents)

    @property
    def balcony_rounds(self) -> tuple[TrendRound, ...]:
        return tuple(r for r in self.rounds if r.balcony_respondents)


def trend(site: Site, *, today: dt.date | None = None) -> Trend:
    """Every round that has opened, oldest first, with each principle's net share and each statement's
    mean position. Three queries, whatever the number of rounds and members."""
    today = today or timezone.localdate()
    chosen = list(ReflectionRound.objects.filter(site=site, opens_on__lte=today).order_by("opens_on", "title"))
    ids = [r.pk for r in chosen]
    ratings: dict[uuid.UUID, list[tuple[str, str, uuid.UUID]]] = defaultdict(list)
    for round_id, p, v, m in PrincipleRating.objects.filter(round_id__in=ids).values_list(
        "round_id", "principle", "view", "member_id"
    ):
        ratings[round_id].append((p, v, m))
    placements: dict[uuid.UUID, list[tuple[str, int, uuid.UUID]]] = defaultdict(list)
    for round_id, key, position, m in BalconyPlacement.objects.filter(round_id__in=ids).values_list(
        "round_id", "statement", "position", "member_id"
    ):
        placements[round_id].append((key, position, m))
    result = []
    for r in chosen:
        respondents, counts = _principle_counts(ratings[r.pk])
        by_key: dict[str, list[int]] = defaultdict(list)
        for key, position, _m in placements[r.pk]:
            by_key[key].append(position)
        result.append(
            TrendRound(
                round=r,
                principles_respondents=respondents,
                net={c.principle.value: c.net for c in counts},
                balcony_respondents=len({m for _k, _p, m in placements[r.pk]}),
                means={key: mean_of(by_key[key]) for key in balcony.KEYS},
            )
        )
    return Trend(rounds=tuple(result))


# ---- for the public page -------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundSummary:
    """Counts only: the public never sees what anyone wrote."""

    title: str
    opens_on: dt.date
    closes_on: dt.date
    respondents: int
    counts: tuple[PrincipleCount, ...]


def latest_closed_round_summary(site: Site, *, today: dt.date | None = None) -> RoundSummary | None:
    """The self-assessment counts of the most recent round that has closed and that at least
    `PUBLIC_FROM` members answered; None if there is none. Two queries."""
    today = today or timezone.localdate()
    latest = (
        ReflectionRound.objects.filter(site=site, closes_on__lt=today)
        .annotate(n=Count("principle_ratings__member", distinct=True))
        .filter(n__gte=PUBLIC_FROM)
        .order_by("-closes_on", "-opens_on")
        .first()
    )
    if latest is None:
        return None
    rows = list(PrincipleRating.objects.filter(round=latest).values_list("principle", "view", "member_id"))
    respondents, counts = _principle_counts(rows)
    return RoundSummary(
        title=latest.title,
        opens_on=latest.opens_on,
        closes_on=latest.closes_on,
        respondents=respondents,
        counts=counts,
    )


__all__ = [
    "QUOTES_FROM",
    "BalconyResults",
    "PrinciplesResults",
    "RoundSummary",
    "Trend",
    "balcony_results",
    "latest_closed_round_summary",
    "mean_of",
    "median_of",
    "net_share",
    "principles_results",
    "rounds",
    "trend",
]
