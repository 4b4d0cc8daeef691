"""The award rule against hand-made cases: ranking, tie-breaks, skip-and-continue, exact fit, no budget."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from livingwell.collaborative.awards import Candidate, award, pounds, rank, total_funded

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def c(title: str, approvals: int, amount: str, *, peer_led: bool = False, minutes: int = 0) -> Candidate:
    return Candidate(
        id=title,
        title=title,
        approvals=approvals,
        amount=Decimal(amount),
        peer_led=peer_led,
        submitted_at=T0 + dt.timedelta(minutes=minutes),
    )


def test_ranks_by_approvals_and_funds_down_the_ranking() -> None:
    outcomes = award([c("B", 5, "1000"), c("A", 9, "2000"), c("C", 2, "500")], Decimal("5000"))
    # A (9) £2,000: 5,000 → 3,000; B (5) £1,000: 3,000 → 2,000; C (2) £500: 2,000 → 1,500.
    assert [(o.rank, o.candidate.title, o.funded) for o in outcomes] == [(1, "A", True), (2, "B", True), (3, "C", True)]
    assert [o.left_after for o in outcomes] == [Decimal("3000"), Decimal("2000"), Decimal("1500")]
    assert outcomes[0].reason == "Funded: £2,000 asked, £5,000 left"
    assert total_funded(outcomes) == Decimal("3500")


def test_skips_a_pitch_that_does_not_fit_and_carries_on() -> None:
    outcomes = award([c("A", 10, "1800"), c("B", 8, "2000"), c("C", 6, "1200"), c("D", 1, "100")], Decimal("3000"))
    # A £1,800: 3,000 → 1,200; B £2,000 > 1,200: skipped; C £1,200 = 1,200: funded → 0; D £100 > 0: not.
    assert [(o.candidate.title, o.funded) for o in outcomes] == [("A", True), ("B", False), ("C", True), ("D", False)]
    assert outcomes[1].reason == "Not funded: £2,000 asked, £1,200 left"
    assert outcomes[2].reason == "Funded: £1,200 asked, £1,200 left"  # an exact fit is funded
    assert outcomes[3].reason == "Not funded: £100 asked, £0 left"
    assert total_funded(outcomes) == Decimal("3000")


def test_ties_peer_led_first_then_smaller_amount_then_earlier_submission() -> None:
    pitches = [
        c("Late small", 4, "300", minutes=30),
        c("Big", 4, "900", minutes=0),
        c("Peer", 4, "900", peer_led=True, minutes=60),
        c("Early small", 4, "300", minutes=10),
        c("Top", 7, "5000"),
    ]
    ranked = [p.title for p in rank(pitches)]
    assert ranked == ["Top", "Peer", "Early small", "Late small", "Big"]
    outcomes = award(pitches, Decimal("1500"))
    reasons = {o.candidate.title: o.tie_break for o in outcomes}
    assert reasons["Top"] == ""
    assert reasons["Peer"] == ""  # Top has 7 approvals: not a tie
    assert reasons["Early small"] == "Level with Peer on 4 approvals: Peer comes first because it is peer-led"
    assert reasons["Late small"] == (
        "Level with Early small on 4 approvals: Early small comes first because it was sent to the panel first"
    )
    assert reasons["Big"] == (
        "Level with Late small on 4 approvals: Late small comes first because it asks for less (£300 against £900)"
    )
    # Top £5,000 > £1,500: skipped; Peer £900: 1,500 → 600; Early small £300: 600 → 300; Late small: 300 → 0; Big: no.
    assert [(o.candidate.title, o.funded) for o in outcomes] == [
        ("Top", False),
        ("Peer", True),
        ("Early small", True),
        ("Late small", True),
        ("Big", False),
    ]
    assert outcomes[-1].left_after == Decimal("0")


def test_empty_budget_funds_nothing_and_says_why() -> None:
    outcomes = award([c("A", 3, "50")], Decimal("0"))
    assert [(o.funded, o.reason) for o in outcomes] == [(False, "Not funded: £50 asked, £0 left")]
    assert award([], Decimal("1000")) == []


def test_a_pitch_no_one_approved_is_not_funded_even_if_money_is_left() -> None:
    outcomes = award([c("Liked", 2, "100"), c("Unloved", 0, "100")], Decimal("1000"))
    assert [(o.candidate.title, o.funded, o.reason) for o in outcomes] == [
        ("Liked", True, "Funded: £100 asked, £1,000 left"),
        ("Unloved", False, "Not funded: no one approved it"),
    ]


def test_pence_and_singular_wording() -> None:
    outcomes = award([c("A", 1, "250.50"), c("B", 1, "250.50", minutes=5)], Decimal("300"))
    assert outcomes[0].reason == "Funded: £250.50 asked, £300 left"
    assert outcomes[1].reason == "Not funded: £250.50 asked, £49.50 left"
    assert outcomes[1].tie_break == "Level with A on 1 approval: A comes first because it was sent to the panel first"
    assert pounds(Decimal("1234.5")) == "£1,234.50"


def test_a_negative_budget_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        award([], Decimal("-1"))
