"""Reliable change (livingwell.outcomes.change): NHS England's figures at, just below and just above each one,
in both directions, judged exactly; the site's own figures; and the lines of change over a person's measures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace
from typing import Any

import pytest

from livingwell.network.models import Site
from livingwell.outcomes.change import Direction, change_lines, classify, cutoff_for, goal_identity, threshold_for
from livingwell.outcomes.instruments import get_instrument
from livingwell.outcomes.models import MeasureSettings
from livingwell.outcomes.tests.overview_helpers import DIALOG_KEYS, SWEMWBS_KEYS, reqol_answers

UP, SAME, DOWN = Direction.IMPROVEMENT, Direction.NO_CHANGE, Direction.DETERIORATION
DAY = dt.timedelta(days=1)
T0 = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)


def done(code: str, answers: dict[str, Any], day: int, goals: dict[str, Any] | None = None) -> SimpleNamespace:
    """A finished measure, as change_lines reads it (no database needed)."""
    return SimpleNamespace(
        instrument=code, instrument_version="1", completed_at=T0 + day * DAY, answers=answers, goals=goals or {}
    )


def dialog(values: list[int | None], day: int) -> SimpleNamespace:
    return done("dialog", dict(zip(DIALOG_KEYS, values, strict=True)), day)


def lines_by_key(measures: list[SimpleNamespace], site: Site | None = None) -> dict[str, Any]:
    return {line.key: line for line in change_lines(measures, site=site)}


# NHS England's figures, from the definitions --------------------------------------------------------------


def test_the_default_figures_are_nhs_englands() -> None:
    assert threshold_for(get_instrument("dialog")) == 1
    assert threshold_for(get_instrument("gbo")) == 3
    assert threshold_for(get_instrument("reqol10")) == 5
    assert threshold_for(get_instrument("swemwbs")) == 3
    assert cutoff_for(get_instrument("reqol10")) == 25
    assert cutoff_for(get_instrument("dialog")) is None
    with pytest.raises(ValueError, match="does not measure change"):
        threshold_for(get_instrument("experience"))


# At, just below and just above each figure, up and down --------------------------------------------------


@pytest.mark.parametrize(
    ("first", "latest", "threshold", "expected"),
    [
        # DIALOG, 1 point per item (answers are whole numbers: just below 1 is no change at all)
        (3, 4, 1, UP),
        (3, 3, 1, SAME),
        (3, 5, 1, UP),
        (4, 3, 1, DOWN),
        (5, 3, 1, DOWN),
        # DIALOG means, 1 point: fractions of 8 life areas
        (Fraction(24, 8), Fraction(32, 8), 1, UP),
        (Fraction(24, 8), Fraction(31, 8), 1, SAME),
        (Fraction(24, 8), Fraction(33, 8), 1, UP),
        (Fraction(32, 8), Fraction(25, 8), 1, SAME),
        (Fraction(32, 8), Fraction(24, 8), 1, DOWN),
        (Fraction(33, 8), Fraction(24, 8), 1, DOWN),
        # Goal Based Outcomes, 3 points per goal
        (2, 5, 3, UP),
        (2, 4, 3, SAME),
        (2, 6, 3, UP),
        (8, 5, 3, DOWN),
        (8, 6, 3, SAME),
        (8, 4, 3, DOWN),
        # ReQoL-10, 5 points on the total
        (15, 20, 5, UP),
        (15, 19, 5, SAME),
        (15, 21, 5, UP),
        (30, 25, 5, DOWN),
        (30, 26, 5, SAME),
        (30, 24, 5, DOWN),
        # SWEMWBS, 3 metric points (metric scores have two decimal places)
        (Decimal("19.25"), Decimal("22.25"), 3, UP),
        (Decimal("19.25"), Decimal("22.24"), 3, SAME),
        (Decimal("19.25"), Decimal("22.26"), 3, UP),
        (Decimal("22.35"), Decimal("19.35"), 3, DOWN),
        (Decimal("22.35"), Decimal("19.36"), 3, SAME),
        (Decimal("22.35"), Decimal("19.34"), 3, DOWN),
    ],
)
def test_classification_at_just_below_and_just_above_each_figure(
    first: Any, latest: Any, threshold: int, expected: Direction
) -> None:
    assert classify(first, latest, threshold) == expected


def test_a_dialog_mean_of_14_thirds_against_11_thirds_is_exactly_1_and_reliable() -> None:
    first, latest = Fraction(11, 3), Fraction(14, 3)
    assert classify(first, latest, 1) == UP
    assert classify(latest, first, 1) == DOWN
    # …and through the scoring of real answers: support items 4, 4, 3 then 5, 5, 4.
    lines = lines_by_key(
        [dialog([4] * 8 + [4, 4, 3], 0), dialog([4] * 8 + [5, 5, 4], 30)],
    )
    support = lines["treatment_satisfaction"]
    assert (support.first.value, support.latest.value, support.difference) == (Fraction(11, 3), Fraction(14, 3), 1)
    assert support.direction == UP
    assert lines["quality_of_life"].direction == SAME


def test_floats_are_read_as_the_decimals_they_print_as() -> None:
    # 4.1 - 3.1 in floating point is 0.9999999999999996; it is exactly 1.
    assert 4.1 - 3.1 < 1
    assert classify(3.1, 4.1, 1) == UP
    assert classify(4.1, 3.1, 1) == DOWN
    assert classify(3.1, 4.09, 1) == SAME


def test_lower_is_better_turns_the_judgement_round_and_a_figure_must_be_more_than_0() -> None:
    assert classify(10, 4, 5, higher_is_better=False) == UP
    assert classify(4, 10, 5, higher_is_better=False) == DOWN
    assert classify(4, 8, 5, higher_is_better=False) == SAME
    with pytest.raises(ValueError, match="more than 0"):
        classify(1, 2, 0)


# Each instrument through change_lines, with real scoring ----------------------------------------------


@pytest.mark.parametrize(
    ("first", "latest", "expected"),
    [(3, 4, UP), (3, 3, SAME), (3, 5, UP), (4, 3, DOWN), (6, 4, DOWN), (1, 7, UP)],
)
def test_dialog_each_item_is_judged_on_1_point(first: int, latest: int, expected: Direction) -> None:
    lines = lines_by_key([dialog([first] + [4] * 10, 0), dialog([latest] + [4] * 10, 20)])
    assert lines["item:mental_health"].direction == expected
    assert lines["item:friendships"].direction == SAME
    assert lines["item:mental_health"].threshold == 1


@pytest.mark.parametrize(
    ("first", "latest", "expected"),
    [(2, 5, UP), (2, 4, SAME), (2, 6, UP), (7, 4, DOWN), (7, 5, SAME), (7, 3, DOWN)],
)
def test_goal_based_outcomes_each_goal_is_judged_on_3_points(first: int, latest: int, expected: Direction) -> None:
    goals = {"goal_1": {"words": "Get back to swimming", "goal_id": None}}
    lines = change_lines([done("gbo", {"goal_1": first}, 0, goals), done("gbo", {"goal_1": latest}, 14, goals)])
    assert [(line.label, line.direction) for line in lines] == [("Get back to swimming", expected)]


@pytest.mark.parametrize(
    ("first", "latest", "expected"),
    [(15, 20, UP), (15, 19, SAME), (15, 21, UP), (30, 25, DOWN), (30, 26, SAME), (30, 24, DOWN)],
)
def test_reqol10_the_total_is_judged_on_5_points(first: int, latest: int, expected: Direction) -> None:
    lines = change_lines([done("reqol10", reqol_answers(first), 0), done("reqol10", reqol_answers(latest), 28)])
    assert [(line.key, line.first.value, line.latest.value, line.direction) for line in lines] == [
        ("total", first, latest, expected)
    ]


def _swemwbs(total: int) -> dict[str, int]:
    values = [1] * 7
    left = total - 7
    for i in range(7):
        step = min(4, left)
        values[i] += step
        left -= step
    return dict(zip(SWEMWBS_KEYS, values, strict=True))


@pytest.mark.parametrize(
    ("first", "latest", "expected"),
    [
        (21, 25, UP),  # 19.25 -> 22.35: 3.10
        (21, 24, SAME),  # 19.25 -> 21.54: 2.29
        (25, 21, DOWN),
        (24, 21, SAME),
        (13, 17, SAME),  # 4 raw points, but only 2.13 metric points (14.75 -> 16.88)
        (7, 9, UP),  # 2 raw points, 4.25 metric points (7.00 -> 11.25)
    ],
)
def test_swemwbs_is_judged_on_3_metric_points_not_raw_points(first: int, latest: int, expected: Direction) -> None:
    lines = change_lines([done("swemwbs", _swemwbs(first), 0), done("swemwbs", _swemwbs(latest), 30)])
    (line,) = lines
    table = get_instrument("swemwbs").metric_table
    assert table is not None
    assert (line.first.value, line.latest.value) == (Fraction(table[first]), Fraction(table[latest]))
    assert line.direction == expected


# The site's own figures --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_sites_figures_replace_nhs_englands_for_every_instrument() -> None:
    site = Site.objects.create(name="Lambeth", slug="lambeth")
    MeasureSettings.objects.create(
        site=site,
        dialog_reliable_change=Decimal("2"),
        gbo_reliable_change=Decimal("2.5"),
        reqol10_reliable_change=Decimal("8"),
        swemwbs_reliable_change=Decimal("3.10"),
        reqol10_cutoff=22,
    )
    site = Site.objects.get(pk=site.pk)
    assert threshold_for(get_instrument("dialog"), site) == 2
    assert threshold_for(get_instrument("gbo"), site) == Decimal("2.5")
    assert threshold_for(get_instrument("reqol10"), site) == 8
    assert threshold_for(get_instrument("swemwbs"), site) == Decimal("3.10")
    assert cutoff_for(get_instrument("reqol10"), site) == 22

    dialog_lines = lines_by_key([dialog([3] + [4] * 10, 0), dialog([4] + [4] * 10, 20)], site)
    assert dialog_lines["item:mental_health"].direction == SAME  # 1 point: reliable by default, not here
    assert lines_by_key([dialog([3] + [4] * 10, 0), dialog([4] + [4] * 10, 20)])["item:mental_health"].direction == UP

    goals = {"goal_1": {"words": "Swim", "goal_id": None}}
    gbo = [done("gbo", {"goal_1": 2}, 0, goals), done("gbo", {"goal_1": 4}, 9, goals)]
    assert change_lines(gbo, site=site)[0].direction == SAME  # 2 < 2.5
    gbo[1].answers = {"goal_1": 5}
    assert change_lines(gbo, site=site)[0].direction == UP  # 3 >= 2.5

    reqol = [done("reqol10", reqol_answers(20), 0), done("reqol10", reqol_answers(26), 9)]
    assert change_lines(reqol)[0].direction == UP
    assert change_lines(reqol, site=site)[0].direction == SAME

    # SWEMWBS 19.25 -> 22.35 is exactly 3.10: reliable at 3.10, not at 3.11.
    swemwbs = [done("swemwbs", _swemwbs(21), 0), done("swemwbs", _swemwbs(25), 9)]
    assert change_lines(swemwbs, site=site)[0].direction == UP
    MeasureSettings.objects.filter(site=site).update(swemwbs_reliable_change=Decimal("3.11"))
    assert change_lines(swemwbs, site=Site.objects.get(pk=site.pk))[0].direction == SAME


@pytest.mark.django_db
def test_a_site_without_settings_of_its_own_uses_nhs_englands_figures() -> None:
    site = Site.objects.create(name="Southwark", slug="southwark")
    assert threshold_for(get_instrument("dialog"), site) == 1
    assert cutoff_for(get_instrument("reqol10"), site) == 25


# Lines of change over many measures ------------------------------------------------------------------


def test_a_dialog_item_skipped_the_first_time_is_compared_from_when_it_was_first_answered() -> None:
    measures = [
        dialog([None, 3, None, 4, 4, 4, 4, 4, None, None, None], 0),
        dialog([3, 3, None, 4, 4, 4, 4, 4, 4, 4, 4], 30),
        dialog([5, 3, None, 4, 4, 4, 4, 4, 4, 4, 4], 60),
    ]
    lines = lines_by_key(measures)
    mental = lines["item:mental_health"]
    assert [p.when for p in mental.points] == [T0 + 30 * DAY, T0 + 60 * DAY]
    assert (mental.first.value, mental.latest.value, mental.direction) == (3, 5, UP)
    assert "item:job_situation" not in lines  # never answered: no line at all
    support = lines["treatment_satisfaction"]
    assert support.first.when == T0 + 30 * DAY
    assert len(lines["item:physical_health"].points) == 3


def test_first_is_compared_with_latest_whatever_happened_in_between() -> None:
    goals = {"goal_1": {"words": "Sleep better", "goal_id": None}}
    peak = [done("gbo", {"goal_1": v}, day, goals) for v, day in ((2, 0), (9, 10), (4, 20))]
    (line,) = change_lines(peak)
    assert [p.value for p in line.points] == [2, 9, 4]
    assert (line.difference, line.direction) == (2, SAME)
    dip = [dialog([v] + [4] * 10, day) for v, day in ((5, 0), (1, 10), (2, 20), (6, 30))]
    assert lines_by_key(dip)["item:mental_health"].direction == UP  # 5 -> 6, not 1 -> 6
    shuffled = [dip[2], dip[0], dip[3], dip[1]]  # measures are put in order of completion
    assert lines_by_key(shuffled)["item:mental_health"].first.value == 5


def test_a_single_measure_has_no_direction_yet() -> None:
    lines = lines_by_key([dialog([4] * 11, 0)])
    assert all(line.direction is None for line in lines.values())
    assert change_lines([]) == []


def test_goals_are_matched_by_plan_goal_when_reworded_and_reordered() -> None:
    swim, sister = "9b7a2a5e-0000-4000-8000-000000000001", "9b7a2a5e-0000-4000-8000-000000000002"
    first = done(
        "gbo",
        {"goal_1": 2, "goal_2": 3},
        0,
        {"goal_1": {"words": "Swim", "goal_id": swim}, "goal_2": {"words": "See my sister", "goal_id": sister}},
    )
    latest = done(
        "gbo",
        {"goal_1": 8, "goal_2": 4},
        30,
        {
            "goal_1": {"words": "See my sister every week", "goal_id": sister},
            "goal_2": {"words": "Swim twice a week", "goal_id": swim},
        },
    )
    lines = lines_by_key([first, latest])
    assert set(lines) == {f"goal:{swim}", f"goal:{sister}"}
    assert (lines[f"goal:{swim}"].label, lines[f"goal:{swim}"].difference) == ("Swim twice a week", 2)
    assert lines[f"goal:{swim}"].direction == SAME
    assert (lines[f"goal:{sister}"].label, lines[f"goal:{sister}"].difference) == ("See my sister every week", 5)
    assert lines[f"goal:{sister}"].direction == UP


def test_goals_without_a_plan_goal_are_matched_by_their_words_when_reordered() -> None:
    first = done(
        "gbo",
        {"goal_1": 2, "goal_2": 3},
        0,
        {"goal_1": {"words": "Swim", "goal_id": None}, "goal_2": {"words": "See my  sister", "goal_id": None}},
    )
    latest = done(
        "gbo",
        {"goal_1": 8, "goal_2": 4},
        30,
        {"goal_1": {"words": "see my sister", "goal_id": None}, "goal_2": {"words": "Swim", "goal_id": None}},
    )
    lines = lines_by_key([first, latest])
    assert set(lines) == {"words:swim", "words:see my sister"}
    assert (lines["words:see my sister"].first.value, lines["words:see my sister"].latest.value) == (3, 8)
    assert lines["words:see my sister"].direction == UP
    assert lines["words:swim"].difference == 2
    # Reworded without a plan goal, it is a new goal: nothing to compare yet.
    reworded = done("gbo", {"goal_1": 9}, 60, {"goal_1": {"words": "Swim every day", "goal_id": None}})
    lines = lines_by_key([first, latest, reworded])
    assert lines["words:swim every day"].direction is None
    assert goal_identity(None, "goal_3") == "slot:goal_3"
    assert goal_identity({"words": "  ", "goal_id": None}, "goal_2") == "slot:goal_2"
