"""The words of the overview (livingwell.outcomes.presenters.overview): numbers as people read them, and
change worded so that what is shown never disagrees with the judgement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest

from livingwell.outcomes.change import ChangeLine, Point
from livingwell.outcomes.presenters.overview import (
    change_words,
    cutoff_words,
    how_words,
    number,
    reliable_words,
    size_of_change,
)

T0 = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)


def line(first: Fraction | int, latest: Fraction | int, threshold: str = "1", *more: int) -> ChangeLine:
    values = [first, *more, latest]
    return ChangeLine(
        key="quality_of_life",
        label="Quality of life",
        points=tuple(Point(T0 + dt.timedelta(days=30 * i), Fraction(v)) for i, v in enumerate(values)),
        threshold=Decimal(threshold),
    )


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (Fraction(37, 8), 1, "4.6"),  # 4.625
        (Fraction(14, 3), 1, "4.7"),
        (Fraction(9, 2), 1, "4.5"),
        (Fraction(4), 1, "4"),
        (Decimal("19.98"), 2, "19.98"),
        (Decimal("21.50"), 2, "21.5"),
        (Decimal("7.00"), 2, "7"),
        (22, 0, "22"),
        (0.25, 1, "0.3"),  # halves round up
    ],
)
def test_numbers_are_shown_the_way_people_read_them(value: Fraction | Decimal | int, places: int, shown: str) -> None:
    assert number(value, places) == shown


@pytest.mark.parametrize(
    ("difference", "threshold", "shown"),
    [
        (Fraction(55, 56), "1", "0.9"),  # 0.982: never "1" when it is not reliable
        (Fraction(55, 56), "0.95", "0.98"),  # reliable at 0.95: shown to 2 places so that it reads as reliable
        (Fraction(3, 2), "1.5", "1.5"),
        (Fraction(-3, 2), "1", "1.5"),
        (Fraction(1, 24), "1", "0.04"),
        (Fraction(1, 1000), "1", "less than 0.01"),
        (Fraction(10), "5", "10"),
    ],
)
def test_the_size_of_a_change_is_cut_not_rounded(difference: Fraction, threshold: str, shown: str) -> None:
    assert size_of_change(difference, Decimal(threshold), 1) == shown


def test_change_is_worded_with_its_date_and_judgement() -> None:
    assert change_words(line(3, Fraction(9, 2)), 1) == "Up 1.5 points since 3 March 2026: a reliable improvement"
    assert change_words(line(Fraction(11, 3), Fraction(14, 3)), 1) == (
        "Up 1 point since 3 March 2026: a reliable improvement"
    )
    assert change_words(line(5, 4, "1.5"), 1) == "Down 1 point since 3 March 2026: no reliable change"
    assert change_words(line(5, 3), 1) == "Down 2 points since 3 March 2026: a reliable change for the worse"
    assert change_words(line(4, 4, "1", 7, 1), 1) == "The same as on 3 March 2026: no reliable change"
    assert change_words(line(3, 5), 1, since=False, verdict=False) == "Up 2 points"
    assert change_words(line(3, 3), 1, since=False, verdict=False) == "No change"
    single = ChangeLine("total", "Total", (Point(T0, Fraction(20)),), Decimal(5))
    assert change_words(single, 0) == ""


def test_the_figure_for_reliable_change_is_worded_without_jargon() -> None:
    assert (
        reliable_words(Decimal("1.00"), per=" on a goal") == "A change of 1 point or more on a goal counts as reliable."
    )
    assert reliable_words(Decimal("5")) == "A change of 5 points or more counts as reliable."
    assert reliable_words(Decimal("2.50")) == "A change of 2.5 points or more counts as reliable."


def test_the_reqol_cutoff_is_described_kindly_on_either_side() -> None:
    assert cutoff_words(24, 25) == "Below 25: in the range where people often ask for help"
    assert cutoff_words(25, 25) == "25 or more: in the range where most people who are not asking for help score"
    assert "threshold" not in cutoff_words(3, 25) + cutoff_words(30, 25)


def test_how_a_measure_was_done_names_the_worker() -> None:
    person = SimpleNamespace(user_id=7)
    worker = SimpleNamespace(pk=9, name="Team Worker")
    themself = SimpleNamespace(pk=7, name="Alex Morgan")
    together = SimpleNamespace(how="together", completed_by=themself, started_by=worker)
    assert how_words(together, person, own=True) == "Together with Team Worker"  # type: ignore[arg-type]
    nobody = SimpleNamespace(how="together", completed_by=None, started_by=None)
    assert how_words(nobody, person, own=True) == "Together with your worker"  # type: ignore[arg-type]
    assert how_words(nobody, person, own=False) == "Together with a worker"  # type: ignore[arg-type]
    alone = SimpleNamespace(how="own", completed_by=themself, started_by=themself)
    assert how_words(alone, person, own=True) == "On your own"  # type: ignore[arg-type]
    assert how_words(alone, person, own=False) == "On their own"  # type: ignore[arg-type]
