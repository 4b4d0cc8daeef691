"""How the reflection pages show rounds, answers, results and the trend: words, tables and charts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from livingwell.collaborative import balcony
from livingwell.collaborative.charts_reflection import (
    Chart,
    Line,
    PrincipleBar,
    placements_chart,
    principles_chart,
    trend_chart,
)
from livingwell.collaborative.mix import Mix, share_text
from livingwell.collaborative.models import (
    BalconyPlacement,
    Principle,
    PrincipleRating,
    PrincipleView,
    ReflectionRound,
)
from livingwell.collaborative.selectors_reflection import (
    QUOTES_FROM,
    SCALE,
    BalconyResults,
    PrinciplesResults,
    Quote,
    RoundRow,
    StatementResult,
    Trend,
)
from livingwell.core.presenters import date

PRINCIPLES_EXPLAINED = (
    "Co-production means people who use support, carers, practitioners and commissioners designing and "
    "delivering support together, as equals. The six principles of co-production come from the New "
    "Economics Foundation and Nesta."
)
SELF_ASSESSMENT = (
    "For each of the six principles, say whether this period it was something we were great at, something we "
    "were challenged by, or that you would rather not say, and why."
)
BALCONY_SHORT = (
    "For each of six pairs of statements about purpose, power and practice, place our system between the "
    "mechanistic statement (0) and the relational one (10)."
)


# What each principle means, in a sentence (after NEF and Nesta's descriptions).
PRINCIPLE_HINTS: dict[str, str] = {
    Principle.ASSETS: "Seeing people as equal partners with skills and experience to offer, not as passive recipients.",
    Principle.CAPABILITIES: "Starting from what people can do, and helping them use and grow it.",
    Principle.MUTUALITY: "Everyone gives and everyone receives: people are offered something back for what they bring.",
    Principle.PEER_SUPPORT: "People supporting each other and sharing what they know, alongside professionals.",
    Principle.BLURRING: "People who give support and people who receive it working side by side, sharing roles.",
    Principle.FACILITATING: "Helping things happen with people, rather than doing things to or for them.",
}


def mix_rows(mix: Mix) -> list[tuple[str, str]]:
    """Who answered: each perspective with its count and share of everyone who answered."""
    return [(str(label), share_text(count, mix.total)) for label, count in mix.rows()]


def dates_text(reflection_round: ReflectionRound) -> str:
    """'1 March 2026 to 31 March 2026'."""
    return f"{date(reflection_round.opens_on)} to {date(reflection_round.closes_on)}"


def status_text(reflection_round: ReflectionRound, today: dt.date) -> str:
    if today < reflection_round.opens_on:
        return f"Opens on {date(reflection_round.opens_on)}"
    if today > reflection_round.closes_on:
        return f"Closed on {date(reflection_round.closes_on)}"
    return f"Open until {date(reflection_round.closes_on)}"


def status_tag(reflection_round: ReflectionRound, today: dt.date) -> dict[str, str]:
    if today < reflection_round.opens_on:
        return {"text": "Not open yet", "classes": "nhsuk-tag--grey"}
    if today > reflection_round.closes_on:
        return {"text": "Closed", "classes": "nhsuk-tag--white"}
    return {"text": "Open", "classes": "nhsuk-tag--green"}


def people_text(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def members_answered(count: int) -> str:
    """'No one has answered yet', '1 member answered', '6 members answered'."""
    if count == 0:
        return "No one has answered yet"
    return f"{count} {'member' if count == 1 else 'members'} answered"


def net_text(value: int | None) -> str:
    """'+25%', '-10%', '0%', or 'No answers'."""
    if value is None:
        return "No answers"
    return f"+{value}%" if value > 0 else f"{value}%"


def mean_text(value: Decimal | None) -> str:
    return "None" if value is None else str(value)


def round_rows(rows: list[RoundRow], today: dt.date) -> list[dict[str, Any]]:
    return [
        {
            "round": row.round,
            "dates": dates_text(row.round),
            "status": status_text(row.round, today),
            "tag": status_tag(row.round, today),
            "is_open": row.is_open,
            "principles": members_answered(row.principles_respondents),
            "balcony": members_answered(row.balcony_respondents),
        }
        for row in rows
    ]


def my_ratings_rows(saved: dict[str, PrincipleRating]) -> list[dict[str, str]]:
    """Each principle and what the member said, in the principles' order."""
    rows = []
    for principle in Principle:
        rating = saved.get(principle.value)
        rows.append(
            {
                "principle": str(principle.label),
                "view": rating.get_view_display() if rating else "I'd rather not say",
                "why": rating.why if rating else "",
            }
        )
    return rows


def my_placement_rows(saved: dict[str, BalconyPlacement]) -> list[dict[str, str]]:
    rows = []
    for statement in balcony.STATEMENTS:
        placement = saved.get(statement.key)
        rows.append(
            {
                "statement": statement.title,
                "position": f"{placement.position} out of 10" if placement else "I'd rather not say",
                "note": placement.note if placement else "",
            }
        )
    return rows


# ---- tables --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def principles_table(results: PrinciplesResults, title: str) -> Table:
    """Every number of the chart: great at, challenged by and neither, for each principle."""
    rows = tuple(
        (
            count.label,
            str(count.great),
            str(count.challenged),
            str(results.respondents - count.great - count.challenged),
        )
        for count in results.counts
    )
    return Table(
        caption=f"{title}: {members_answered(results.respondents).lower()}",
        headers=("Principle", "Great at", "Challenged by", "Neither, or rather not say"),
        rows=rows,
    )


def principles_results_chart(results: PrinciplesResults, title: str) -> Chart:
    bars = [PrincipleBar(name=c.label, great=c.great, challenged=c.challenged) for c in results.counts]
    return principles_chart(title=title, bars=bars, respondents=results.respondents)


def findings(results: PrinciplesResults) -> dict[str, str]:
    def names(counts: list[Any], attribute: str) -> str:
        if not counts:
            return "nobody chose any principle"
        top = getattr(counts[0], attribute)
        return f"{' and '.join(c.label.lower() for c in counts)} ({top} of {results.respondents})"

    return {
        "great": names(results.most_great, "great"),
        "challenged": names(results.most_challenged, "challenged"),
    }


def quote_groups(results: PrinciplesResults) -> list[dict[str, Any]]:
    """'We were great at … because …' and 'We were challenged by … because …', as seed 003 shows them."""
    return [
        {"heading": "What people said: we were great at…", "lead": "We were great at", "quotes": results.great_quotes},
        {
            "heading": "What people said: we were challenged by…",
            "lead": "We were challenged by",
            "quotes": results.challenged_quotes,
        },
    ]


@dataclass(frozen=True)
class StatementView:
    result: StatementResult
    chart: Chart
    table: Table

    @property
    def mean(self) -> str:
        return mean_text(self.result.mean)

    @property
    def median(self) -> str:
        return mean_text(self.result.median)

    @property
    def notes(self) -> tuple[Quote, ...]:
        return self.result.notes


def balcony_summary_table(results: BalconyResults) -> Table:
    return Table(
        caption=f"Where members placed the system: {members_answered(results.respondents).lower()}",
        headers=("Statements", "Placements", "Mean", "Median"),
        rows=tuple((s.statement.title, str(s.n), mean_text(s.mean), mean_text(s.median)) for s in results.statements),
    )


def statement_views(results: BalconyResults) -> list[StatementView]:
    views = []
    for index, result in enumerate(results.statements):
        title = f"Where members placed the system: {result.statement.title.lower()}"
        chart = placements_chart(
            title=title,
            distribution=result.distribution,
            mean=result.mean,
            median=result.median,
            id_prefix=f"balcony-{index + 1}",
        )
        table = Table(
            caption=f"{result.statement.title}: placements from 0 (mechanistic) to 10 (relational)",
            headers=("Place on the scale", "People"),
            rows=(
                *((_scale_label(i), str(count)) for i, count in zip(SCALE, result.distribution, strict=True)),
                ("All", str(result.n)),
                ("Mean", mean_text(result.mean)),
                ("Median", mean_text(result.median)),
            ),
        )
        views.append(StatementView(result=result, chart=chart, table=table))
    return views


def _scale_label(i: int) -> str:
    if i == balcony.LOWEST:
        return f"{i} (mechanistic)"
    if i == balcony.HIGHEST:
        return f"{i} (relational)"
    return str(i)


# ---- the trend -----------------------------------------------------------------------------------


def round_headers(rounds: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple(f"Round {i + 1}: {r.round.title} ({date(r.round.opens_on)})" for i, r in enumerate(rounds))


def principles_trend(trend: Trend) -> tuple[Chart, Table]:
    rounds = trend.principle_rounds
    names = [r.round.title for r in rounds]
    lines = [Line(label=str(p.label), values=tuple(r.net[p.value] for r in rounds)) for p in Principle]
    chart = trend_chart(
        title="Great at minus challenged by, as a share of the members who answered, round by round",
        rounds=names,
        lines=lines,
        low=-100,
        high=100,
        step=50,
        unit="%",
        axis_label="Net share",
        reference=0,
        id_prefix="trend-principles",
    )
    table = Table(
        caption="Net share for each principle: great at minus challenged by, as a share of those who answered",
        headers=("Principle", *round_headers(rounds)),
        rows=(
            ("Members who answered", *(str(r.principles_respondents) for r in rounds)),
            *((str(p.label), *(net_text(r.net[p.value]) for r in rounds)) for p in Principle),
        ),
    )
    return chart, table


def balcony_trend(trend: Trend) -> tuple[Chart, Table]:
    rounds = trend.balcony_rounds
    names = [r.round.title for r in rounds]
    lines = [Line(label=s.title, values=tuple(r.means[s.key] for r in rounds)) for s in balcony.STATEMENTS]
    chart = trend_chart(
        title="Mean place between mechanistic (0) and relational (10), round by round",
        rounds=names,
        lines=lines,
        low=0,
        high=10,
        step=2,
        axis_label="Mean place",
        reference=5,
        id_prefix="trend-balcony",
    )
    table = Table(
        caption="Mean place for each pair of statements, from 0 (mechanistic) to 10 (relational)",
        headers=("Statements", *round_headers(rounds)),
        rows=(
            ("Members who answered", *(str(r.balcony_respondents) for r in rounds)),
            *((s.title, *(mean_text(r.means[s.key]) for r in rounds)) for s in balcony.STATEMENTS),
        ),
    )
    return chart, table


def quotes_rule() -> str:
    return (
        f"What people wrote is shown without names, and only once at least {QUOTES_FROM} members have answered, "
        "so that nobody can be recognised by what they said."
    )


VIEW_LABELS = dict(PrincipleView.choices)
