"""The ideas fund's award rule: approval voting, then the greedy rule of participatory budgeting.

Pure: no database, no clock. `award` ranks the shortlisted pitches by how many members approved them
(most first). Ties are broken, in order, by: peer-led pitches first (the fund exists partly to widen who
gets money, seed 003), then the smaller amount (more ideas funded from the same pot), then the earlier
submission, then the name (so the order never depends on the database). Going down the ranking, each
pitch is funded in full if it fits in what is left of the budget; a pitch that does not fit is skipped
and the rule carries on with the next one, so a smaller idea lower down can still be funded. A pitch
that no one approved is not funded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

ZERO = Decimal("0")


@dataclass(frozen=True)
class Candidate:
    """A shortlisted pitch, as the rule sees it."""

    id: Any
    title: str
    approvals: int
    amount: Decimal
    peer_led: bool = False
    submitted_at: dt.datetime | None = None


@dataclass(frozen=True)
class Outcome:
    """What the rule does with one pitch, and why, in words a member reads."""

    candidate: Candidate
    rank: int
    funded: bool
    left_before: Decimal  # what was left of the budget when the rule reached this pitch
    left_after: Decimal
    reason: str
    tie_break: str = ""  # why it comes after the pitch above it on the same number of approvals


def pounds(amount: Decimal) -> str:
    """£1,250 or £1,250.50."""
    if amount == amount.to_integral_value():
        return f"£{int(amount):,}"
    return f"£{amount:,.2f}"


def _order_key(c: Candidate) -> tuple[int, int, Decimal, int, dt.datetime, str, str]:
    never = dt.datetime.max.replace(tzinfo=dt.UTC)
    submitted = c.submitted_at or never
    return (-c.approvals, 0 if c.peer_led else 1, c.amount, 0 if c.submitted_at else 1, submitted, c.title, str(c.id))


def rank(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Most approvals first; ties: peer-led, then the smaller amount, then the earlier submission."""
    return sorted(candidates, key=_order_key)


def why_ahead(first: Candidate, second: Candidate) -> str:
    """Why `first` comes before `second` when both have the same number of approvals."""
    if first.peer_led != second.peer_led:
        return "it is peer-led"
    if first.amount != second.amount:
        return f"it asks for less ({pounds(first.amount)} against {pounds(second.amount)})"
    if first.submitted_at != second.submitted_at:
        return "it was sent to the panel first"
    return "of the order of their names"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def award(pitches: Sequence[Candidate], budget: Decimal) -> list[Outcome]:
    """The ranking, with what the greedy rule funds from `budget` and why."""
    if budget < ZERO:
        raise ValueError("The budget cannot be negative")
    left = budget
    outcomes: list[Outcome] = []
    ranked = rank(pitches)
    for index, candidate in enumerate(ranked):
        before = left
        if candidate.approvals <= 0:
            funded = False
            reason = "Not funded: no one approved it"
        elif candidate.amount <= left:
            funded = True
            left = left - candidate.amount
            reason = f"Funded: {pounds(candidate.amount)} asked, {pounds(before)} left"
        else:
            funded = False
            reason = f"Not funded: {pounds(candidate.amount)} asked, {pounds(before)} left"
        tie = ""
        if index > 0 and ranked[index - 1].approvals == candidate.approvals:
            above = ranked[index - 1]
            tie = (
                f"Level with {above.title} on {_plural(candidate.approvals, 'approval')}: "
                f"{above.title} comes first because {why_ahead(above, candidate)}"
            )
        outcomes.append(
            Outcome(
                candidate=candidate,
                rank=index + 1,
                funded=funded,
                left_before=before,
                left_after=left,
                reason=reason,
                tie_break=tie,
            )
        )
    return outcomes


def total_funded(outcomes: Sequence[Outcome]) -> Decimal:
    return sum((o.candidate.amount for o in outcomes if o.funded), ZERO)
