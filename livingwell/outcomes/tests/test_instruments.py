"""The scoring engine, exactly and as properties: `get_instrument(code).score(answers)`.

Exact tests check each instrument against its published scoring (the SWEMWBS conversion table
written out here, not read from the definition; DIALOG's two means; ReQoL-10's reversed items; Goal
Based Outcomes' goals). Property tests check that any valid answers score within the instrument's
bounds and that anything else raises InvalidAnswers, naming the bad items, and never anything else.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from livingwell.outcomes import instruments
from livingwell.outcomes.change import Direction, change_lines
from livingwell.outcomes.instruments import (
    CODES,
    DefinitionError,
    Instrument,
    InvalidAnswers,
    UnknownInstrument,
    all_instruments,
    get_instrument,
    outcome_instruments,
)

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# The published SWEMWBS raw-to-metric conversion table (Stewart-Brown et al. 2009), written out in full.
SWEMWBS_TABLE = {
    7: "7.00", 8: "9.51", 9: "11.25", 10: "12.40", 11: "13.33", 12: "14.08", 13: "14.75", 14: "15.32",
    15: "15.84", 16: "16.36", 17: "16.88", 18: "17.43", 19: "17.98", 20: "18.59", 21: "19.25", 22: "19.98",
    23: "20.73", 24: "21.54", 25: "22.35", 26: "23.21", 27: "24.11", 28: "25.03", 29: "26.02", 30: "27.03",
    31: "28.13", 32: "29.31", 33: "30.70", 34: "32.55", 35: "35.00",
}  # fmt: skip

DIALOG_LIFE = (
    "mental_health",
    "physical_health",
    "job_situation",
    "accommodation",
    "leisure_activities",
    "friendships",
    "partner_family",
    "personal_safety",
)
DIALOG_TREATMENT = ("medication", "practical_help", "meetings")


def problems_of(code: str, answers: Mapping[Any, Any]) -> list[tuple[Any, str]]:
    with pytest.raises(InvalidAnswers) as caught:
        get_instrument(code).score(answers)
    assert caught.value.instrument == code
    return [(p.position, p.code) for p in caught.value.problems]


# SWEMWBS --------------------------------------------------------------------------------------------------


def _swemwbs_answers(total: int) -> dict[int, int]:
    """Seven real answers (1 to 5 each) that add up to `total`: as even as they can be."""
    base, extra = divmod(total, 7)
    return {position: base + (1 if position <= extra else 0) for position in range(1, 8)}


@pytest.mark.parametrize(("raw", "metric"), sorted(SWEMWBS_TABLE.items()))
def test_every_swemwbs_raw_total_converts_as_the_published_table(raw: int, metric: str) -> None:
    answers = _swemwbs_answers(raw)
    assert all(1 <= value <= 5 for value in answers.values())
    score = get_instrument("swemwbs").score(answers)
    assert score.total == raw
    assert score.metric == float(metric)
    assert score.metric_decimal == Decimal(metric)
    assert score.exact["metric"] == Fraction(Decimal(metric))
    assert score.subscales == {}
    assert score.answered == 7


def test_swemwbs_metric_does_not_depend_on_which_items_make_the_total() -> None:
    swemwbs = get_instrument("swemwbs")
    lopsided = {1: 5, 2: 5, 3: 5, 4: 1, 5: 1, 6: 1, 7: 3}  # 21, as 3 each
    assert swemwbs.score(lopsided).metric == swemwbs.score(dict.fromkeys(range(1, 8), 3)).metric == 19.25
    assert swemwbs.total_range == (7, 35)


def test_swemwbs_needs_all_seven_items() -> None:
    assert problems_of("swemwbs", {1: 3, 2: 3, 3: 3, 4: 3, 5: 3, 6: 3}) == [(7, "missing")]
    assert problems_of("swemwbs", {1: 3, 2: 3, 3: 3, 4: 3, 5: 3, 6: 3, 7: None}) == [(7, "missing")]


# DIALOG ---------------------------------------------------------------------------------------------------


def test_dialog_means_of_a_whole_form() -> None:
    dialog = get_instrument("dialog")
    answers = dict(zip(range(1, 12), (5, 4, 2, 6, 3, 7, 4, 5, 6, 5, 7), strict=True))
    score = dialog.score(answers)
    assert score.exact["quality_of_life"] == Fraction(5 + 4 + 2 + 6 + 3 + 7 + 4 + 5, 8)
    assert score.subscales["quality_of_life"] == 4.5
    assert score.exact["treatment_satisfaction"] == 6
    assert score.subscales["treatment_satisfaction"] == 6.0
    assert score.total is None and score.metric is None
    assert score.answered == 11


def test_dialog_means_of_a_partly_answered_form_count_only_what_was_answered() -> None:
    dialog = get_instrument("dialog")
    score = dialog.score({1: 5, 6: 6, 7: 6})  # three life areas, no support questions
    assert score.exact["quality_of_life"] == Fraction(17, 3)
    assert score.subscales["quality_of_life"] == pytest.approx(17 / 3)
    assert score.subscales["treatment_satisfaction"] is None
    assert "treatment_satisfaction" not in score.exact
    assert score.answered == 3

    only_support = dialog.score({9: 2, 10: None, 11: 5})  # None is a question skipped
    assert only_support.subscales == {"quality_of_life": None, "treatment_satisfaction": 3.5}
    assert only_support.answered == 2


def test_dialog_items_are_keyed_by_domain_not_position() -> None:
    dialog = get_instrument("dialog")
    assert dialog.item_at(6).key == "friendships" and dialog.item_at(7).key == "partner_family"
    assert [i.key for i in dialog.items if i.group == "life"] == list(DIALOG_LIFE)
    assert [i.key for i in dialog.items if i.group == "treatment"] == list(DIALOG_TREATMENT)
    score = dialog.score({6: 2, 7: 6})
    assert score.items == {"friendships": 2, "partner_family": 6}
    assert dialog.by_key({"7": 6, "6": 2}) == {"friendships": 2, "partner_family": 6}
    assert dialog.score_by_key({"partner_family": 6, "friendships": 2}).items == score.items
    assert dialog.follow_up == "Do you need more help in this area?"
    assert dialog.extra["max_topics"] == 3 and list(dialog.extra["steps"]) == [
        "understanding",
        "looking_forward",
        "exploring_options",
        "agreeing_actions",
    ]


def test_dialog_needs_at_least_one_answer() -> None:
    assert problems_of("dialog", {}) == [(None, "too_few")]
    assert problems_of("dialog", {1: None, 2: None}) == [(None, "too_few")]


# ReQoL-10 -------------------------------------------------------------------------------------------------


def test_reqol10_reverses_items_1_3_6_and_9() -> None:
    reqol = get_instrument("reqol10")
    assert [i.position for i in reqol.items if i.reverse] == [1, 3, 6, 9]
    all_zero = reqol.score(dict.fromkeys(range(1, 11), 0))
    assert all_zero.total == 16  # the four reversed items score 4 each
    assert all_zero.items["everyday_tasks"] == 4 and all_zero.items["trusting_others"] == 0
    all_four = reqol.score(dict.fromkeys(range(1, 11), 4))
    assert all_four.total == 24  # the six others score 4 each
    assert all_four.items["lonely"] == 0 and all_four.items["confident"] == 4


def test_reqol10_bounds_are_0_and_40_and_both_are_reachable() -> None:
    reqol = get_instrument("reqol10")
    assert reqol.total_range == (0, 40)
    worst = reqol.score({p: (4 if p in (1, 3, 6, 9) else 0) for p in range(1, 11)})
    best = reqol.score({p: (0 if p in (1, 3, 6, 9) else 4) for p in range(1, 11)})
    assert (worst.total, best.total) == (0, 40)
    assert reqol.cutoff is not None and reqol.cutoff.default == 25
    assert problems_of("reqol10", dict.fromkeys(range(1, 11), 5)) == [(p, "out_of_range") for p in range(1, 11)]
    assert problems_of("reqol10", dict.fromkeys(range(1, 10), 2)) == [(10, "missing")]


# Goal Based Outcomes -------------------------------------------------------------------------------------


@pytest.mark.parametrize("goals", [1, 2, 3])
def test_gbo_rates_one_to_three_goals_from_0_to_10_with_no_total(goals: int) -> None:
    gbo = get_instrument("gbo")
    for value in (0, 5, 10):
        score = gbo.score(dict.fromkeys(range(1, goals + 1), value))
        assert score.items == {f"goal_{n}": value for n in range(1, goals + 1)}
        assert score.total is None and score.metric is None and score.subscales == {}
        assert score.answered == goals
    assert gbo.total_range is None


def test_gbo_goals_outside_0_to_10_or_a_fourth_goal_are_refused() -> None:
    assert problems_of("gbo", {1: 11, 2: -1}) == [(1, "out_of_range"), (2, "out_of_range")]
    assert problems_of("gbo", {1: 4, 4: 4}) == [(4, "extra")]
    assert problems_of("gbo", {}) == [(None, "too_few")]


def _measure(when: int, answers: dict[str, int], goals: dict[str, Any]) -> SimpleNamespace:
    return SimpleNamespace(
        instrument="gbo",
        instrument_version="1",
        completed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(weeks=when),
        answers=answers,
        goals=goals,
    )


def test_gbo_change_is_judged_per_goal_whatever_slot_it_was_in() -> None:
    sleep = {"words": "Sleep through the night", "goal_id": "6f1c0e52-0000-4000-8000-000000000001"}
    friends = {"words": "See friends every week", "goal_id": None}
    first = _measure(0, {"goal_1": 2, "goal_2": 4}, {"goal_1": sleep, "goal_2": friends})
    # Later the goals are in the other order, and one is reworded (the plan goal is the same goal).
    later = _measure(
        12,
        {"goal_1": 5, "goal_2": 5},
        {"goal_1": {"words": " see FRIENDS  every week", "goal_id": None}, "goal_2": {**sleep, "words": "Sleep well"}},
    )
    lines = {line.key: line for line in change_lines([later, first])}
    assert set(lines) == {f"goal:{sleep['goal_id']}", "words:see friends every week"}
    sleeping = lines[f"goal:{sleep['goal_id']}"]
    assert (sleeping.first.value, sleeping.latest.value, sleeping.difference) == (2, 5, 3)
    assert sleeping.direction is Direction.IMPROVEMENT and sleeping.label == "Sleep well"
    seeing = lines["words:see friends every week"]
    assert seeing.difference == 1 and seeing.direction is Direction.NO_CHANGE


# InvalidAnswers --------------------------------------------------------------------------------------------


def test_invalid_answers_name_every_bad_item_at_once() -> None:
    answers: dict[Any, Any] = {1: 0, 2: "three", 3: True, "4": 2.5, 5: 6, 9: 3, "x": 1, 6: None}
    with pytest.raises(InvalidAnswers) as caught:
        get_instrument("swemwbs").score(answers)
    found = [(p.position, p.code) for p in caught.value.problems]
    assert found == [
        (1, "out_of_range"),
        (2, "not_a_number"),
        (3, "not_a_number"),  # True is not a number here
        (4, "not_a_number"),  # "4" is position 4; 2.5 is not whole
        (5, "out_of_range"),
        (6, "missing"),  # None is no answer, and SWEMWBS needs every item
        (7, "missing"),
        (9, "extra"),
        ("x", "extra"),  # what is not a position comes after the items
    ]
    message = str(caught.value)
    assert message.startswith("swemwbs: ")
    assert "Item 1 (feeling optimistic) must be from 1 to 5, not 0" in message
    assert "Item 2 (feeling useful) must be a whole number from 1 to 5, not 'three'" in message
    assert "SWEMWBS has no item 9" in message and "SWEMWBS has no item 'x'" in message
    assert caught.value.positions == [p for p, _ in found]


def test_positions_may_be_strings_and_values_whole_numbers_in_any_form() -> None:
    dialog = get_instrument("dialog")
    assert dialog.score({"1": 4, " 2 ": "5", 3: 6.0, 4: Decimal("7")}).items == {
        "mental_health": 4,
        "physical_health": 5,
        "job_situation": 6,
        "accommodation": 7,
    }
    assert problems_of("dialog", {True: 4}) == [(True, "extra")]  # a bool is not a position
    assert problems_of("dialog", {"1.0": 4}) == [("1.0", "extra")]
    assert problems_of("dialog", {"²": 4, 1: "²"}) == [(1, "not_a_number"), ("²", "extra")]


def test_no_value_however_odd_breaks_the_engine() -> None:
    dialog = get_instrument("dialog")
    odd = (Decimal("sNaN"), Decimal("NaN"), float("nan"), float("inf"), 10**5000, "9" * 5000, [4], {"a": 4})
    for value in (*odd, "--3", "-", "1-", "+3", "٣", "²", " 4 4 "):
        with pytest.raises(InvalidAnswers):
            dialog.score({1: value})
    with pytest.raises(InvalidAnswers, match="too long to show"):
        dialog.score({10**5000: 4})


def test_the_same_item_given_twice_is_refused_rather_than_one_answer_winning() -> None:
    swemwbs = get_instrument("swemwbs")
    answers: dict[Any, Any] = dict.fromkeys(range(1, 8), 3)
    with pytest.raises(InvalidAnswers) as raised:
        swemwbs.score({**answers, "1": 5, "01": 1})
    assert [(p.position, p.code) for p in raised.value.problems] == [(1, "duplicate"), (1, "duplicate")]


def test_answers_by_key_refuse_a_key_the_instrument_does_not_have() -> None:
    with pytest.raises(InvalidAnswers) as raised:
        get_instrument("dialog").score_by_key({"mental_health": 4, "nonsense": 3})
    assert [(p.position, p.code) for p in raised.value.problems] == [("nonsense", "extra")]


def test_unknown_instruments_and_versions() -> None:
    with pytest.raises(UnknownInstrument, match="'phq9'"):
        get_instrument("phq9")
    with pytest.raises(UnknownInstrument, match="version 9"):
        get_instrument("dialog", "9")
    assert get_instrument("dialog", "1") is get_instrument("dialog")


# Properties ------------------------------------------------------------------------------------------------


@st.composite
def valid_answers(draw: st.DrawFn, instrument: Instrument) -> dict[Any, Any]:
    """Answers the instrument accepts: every required item, optional ones answered, skipped or left out,
    positions as ints or strings, at least `min_answered` answered."""
    answers: dict[Any, Any] = {}
    answered = 0
    for item in instrument.items:
        value = draw(st.integers(item.minimum, item.maximum))
        if not item.required:
            choice = draw(st.sampled_from(("answer", "skip", "leave out")))
            if choice == "leave out":
                continue
            if choice == "skip":
                value = None
        key = draw(st.sampled_from((item.position, str(item.position))))
        answers[key] = value
        answered += value is not None
    if answered < instrument.min_answered:
        item = draw(st.sampled_from(instrument.items))
        answers.pop(str(item.position), None)
        answers[item.position] = draw(st.integers(item.minimum, item.maximum))
    return answers


def _scale(instrument: Instrument, keys: tuple[str, ...]) -> tuple[int, int]:
    chosen = [instrument.item(key) for key in keys]
    return min(i.minimum for i in chosen), max(i.maximum for i in chosen)


@pytest.mark.parametrize("code", CODES)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_any_valid_answers_score_within_the_instruments_bounds(code: str, data: st.DataObject) -> None:
    instrument = get_instrument(code)
    answers = data.draw(valid_answers(instrument))
    score = instrument.score(answers)
    given_values = {int(p): v for p, v in answers.items() if v is not None}
    assert score.answered == len(given_values) >= instrument.min_answered
    assert set(score.items) == {instrument.item_at(p).key for p in given_values}
    for key, points in score.items.items():
        item = instrument.item(key)
        assert item.minimum <= points <= item.maximum
        assert points == item.scored(given_values[item.position])
    if instrument.total_range is None:
        assert score.total is None
    else:
        low, high = instrument.total_range
        assert score.total is not None and low <= score.total <= high
    if instrument.metric_table is None:
        assert score.metric is None
    else:
        assert score.metric_decimal in set(instrument.metric_table.values())
    assert set(score.subscales) == {s.key for s in instrument.subscales}
    for subscale in instrument.subscales:
        value = score.subscales[subscale.key]
        answered = [k for k in subscale.items if k in score.items]
        if not answered:
            assert value is None
            continue
        low, high = _scale(instrument, subscale.items)
        if subscale.method == "sum":
            low, high = low * len(answered), high * len(answered)
        assert value is not None and low <= value <= high
        assert float(score.exact[subscale.key]) == value
    # Answers by key score the same as answers by position.
    assert instrument.score_by_key(instrument.by_key(answers)).items == score.items


_junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.from_regex(r"\A[-+ 0-9]{0,5}\Z"),
    st.lists(st.integers(), max_size=2),
)
_keys = st.one_of(st.integers(-5, 20), st.text(max_size=4), st.booleans(), st.none())


@pytest.mark.parametrize("code", CODES)
@PROPERTY_SETTINGS
@given(answers=st.dictionaries(_keys, _junk, max_size=14))
def test_any_answers_at_all_score_or_raise_invalid_answers_and_nothing_else(code: str, answers: dict[Any, Any]) -> None:
    try:
        get_instrument(code).score(answers)
    except InvalidAnswers as error:
        problems = error.problems
    else:
        return
    assert problems and all(p.message and p.code for p in problems)


@st.composite
def broken_answers(draw: st.DrawFn, instrument: Instrument) -> tuple[dict[Any, Any], set[tuple[Any, str]]]:
    """Valid answers spoiled in one to three ways; the problems each spoiling must be reported as."""
    answers = draw(valid_answers(instrument))
    answers = {int(p): v for p, v in answers.items()}
    expected: set[tuple[Any, str]] = set()
    ways = draw(st.lists(st.sampled_from(("low", "high", "text", "bool", "extra", "drop")), min_size=1, max_size=3))
    items = list(instrument.items)
    for way in ways:
        item = draw(st.sampled_from(items))
        if way == "low":
            answers[item.position] = item.minimum - draw(st.integers(1, 100))
            expected.add((item.position, "out_of_range"))
        elif way == "high":
            answers[item.position] = item.maximum + draw(st.integers(1, 100))
            expected.add((item.position, "out_of_range"))
        elif way == "text":
            answers[item.position] = draw(st.sampled_from(("three", "", "4.5", "n/a", "½")))
            expected.add((item.position, "not_a_number"))
        elif way == "bool":
            answers[item.position] = draw(st.booleans())
            expected.add((item.position, "not_a_number"))
        elif way == "extra":
            position = len(items) + draw(st.integers(1, 50))
            answers[position] = item.minimum
            expected.add((position, "extra"))
        elif way == "drop":
            required = [i for i in items if i.required]
            if not required:
                continue
            gone = draw(st.sampled_from(required))
            answers.pop(gone.position, None)
            expected.add((gone.position, "missing"))
    # A later spoiling of the same item replaces an earlier one: only what is there now is expected.
    expected = {
        (position, kind)
        for position, kind in expected
        if (kind == "missing" and position not in answers)
        or (kind != "missing" and position in answers and _still(instrument, answers[position], kind))
    }
    return answers, expected


def _still(instrument: Instrument, value: Any, kind: str) -> bool:
    if kind == "extra":
        return True
    if kind == "out_of_range":
        return isinstance(value, int) and not isinstance(value, bool)
    return not isinstance(value, int) or isinstance(value, bool)


@pytest.mark.parametrize("code", CODES)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_spoilt_answers_always_raise_invalid_answers_naming_each_bad_item(code: str, data: st.DataObject) -> None:
    instrument = get_instrument(code)
    answers, expected = data.draw(broken_answers(instrument))
    if not expected:
        return  # every spoiling was undone by a later one (a dropped item answered again)
    with pytest.raises(InvalidAnswers) as caught:
        instrument.score(answers)
    found = {(p.position, p.code) for p in caught.value.problems}
    assert expected <= found
    assert all(code in ("missing", "extra", "out_of_range", "not_a_number") for _, code in found)


# The definitions ---------------------------------------------------------------------------------------------

_VERHOEFF_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_VERHOEFF_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)


def verhoeff_valid(number: str) -> bool:
    """SNOMED CT identifiers end in a Verhoeff check digit."""
    check = 0
    for index, digit in enumerate(reversed(number)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[index % 8][int(digit)]]
    return check == 0


def test_the_verhoeff_checker_knows_good_from_bad() -> None:
    assert verhoeff_valid("2363") and not verhoeff_valid("2364")  # the textbook example
    assert verhoeff_valid("138875005")  # SNOMED CT's root concept
    assert verhoeff_valid("404684003") and not verhoeff_valid("404684004") and not verhoeff_valid("404648003")


def _snomed_ids(instrument: Instrument) -> list[str]:
    found = [instrument.snomed, instrument.total_snomed, *instrument.snomed_also]
    found += [item.snomed for item in instrument.items]
    found += [subscale.snomed for subscale in instrument.subscales]
    return [s for s in found if s]


@pytest.mark.parametrize("instrument", all_instruments(), ids=lambda i: i.code)
def test_definitions_are_sound(instrument: Instrument) -> None:
    keys = [item.key for item in instrument.items]
    assert len(set(keys)) == len(keys)
    assert [item.position for item in instrument.items] == list(range(1, len(keys) + 1))
    for snomed in _snomed_ids(instrument):
        assert snomed.isdigit() and 6 <= len(snomed) <= 18, snomed
        assert verhoeff_valid(snomed), f"{instrument.code}: {snomed} fails the Verhoeff check"
        assert snomed[-3:-1] in ("00", "10"), f"{snomed} is not a concept identifier"
    if instrument.licensed:
        assert all(not item.text and not item.options for item in instrument.items)
        assert not instrument.options
    else:
        assert all(item.text for item in instrument.items)
    if instrument.change is not None:
        assert instrument.change.threshold > 0


def test_the_instruments_that_measure_change_carry_nhs_englands_thresholds() -> None:
    thresholds = {i.code: i.change.threshold for i in outcome_instruments() if i.change}
    assert thresholds == {"dialog": 1, "gbo": 3, "swemwbs": 3, "reqol10": 5}
    assert [i.code for i in all_instruments()] == list(CODES)
    assert get_instrument("experience").change is None


def test_licensed_definition_files_carry_no_wording() -> None:
    for code in ("swemwbs", "reqol10"):
        data = json.loads((instruments.DEFINITIONS / f"{code}-1.json").read_text(encoding="utf-8"))
        assert data["licensed"] is True
        assert "labels" not in data["scale"]
        for item in data["items"]:
            assert "text" not in item and "labels" not in item, item["key"]


def _definition(tmp_path: Path, metric_table: dict[str, str] | None = None) -> Path:
    """A copy of the SWEMWBS definition in a temporary folder, with another metric table if given."""
    data = json.loads((instruments.DEFINITIONS / "swemwbs-1.json").read_text(encoding="utf-8"))
    if metric_table is not None:
        data["scoring"]["metric_table"] = metric_table
    path = tmp_path / "swemwbs-1.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_sound_copy_of_a_definition_parses(tmp_path: Path) -> None:
    parsed = instruments._parse(_definition(tmp_path))
    assert parsed.score(dict.fromkeys(range(1, 8), 3)).metric == 19.25


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ({str(t): v for t, v in SWEMWBS_TABLE.items() if t != 20}, "must cover every total"),
        ({**{str(t): v for t, v in SWEMWBS_TABLE.items()}, "36": "36.00"}, "must cover every total"),
        ({**{str(t): v for t, v in SWEMWBS_TABLE.items()}, "21": "18.00"}, "must rise"),
        ({**{str(t): v for t, v in SWEMWBS_TABLE.items()}, "21": "18.59"}, "must rise"),
    ],
    ids=["a total missing", "a total too many", "falling", "flat"],
)
def test_a_definition_with_a_broken_metric_table_is_refused(
    tmp_path: Path, broken: dict[str, str], message: str
) -> None:
    with pytest.raises(DefinitionError, match=message):
        instruments._parse(_definition(tmp_path, metric_table=broken))


def test_other_broken_definitions_are_refused(tmp_path: Path) -> None:
    data = json.loads((instruments.DEFINITIONS / "dialog-1.json").read_text(encoding="utf-8"))
    path = tmp_path / "dialog-1.json"

    def refused(message: str, change: Any) -> None:
        copy = json.loads(json.dumps(data))
        change(copy)
        path.write_text(json.dumps(copy), encoding="utf-8")
        with pytest.raises(DefinitionError, match=message):
            instruments._parse(path)

    refused("keys must be unique", lambda d: d["items"][1].update(key="mental_health"))
    refused("positions must run", lambda d: d["items"][1].update(position=5))
    refused("unknown item", lambda d: d["scoring"]["subscales"]["quality_of_life"]["items"].append("pets"))
    refused("licensed wording must not ship", lambda d: d.update(licensed=True))
    refused("change.on is not known", lambda d: d["change"].update(on="vibes"))
    refused("file name", lambda d: d.update(version="2"))
