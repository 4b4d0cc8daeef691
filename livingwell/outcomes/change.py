"""Reliable change: first against latest, judged exactly against the site's thresholds.

A difference at least as large as the threshold is reliable (NHS England: "a change of 5 or more
points" on ReQoL-10); anything smaller is no reliable change. Differences are worked out with
fractions, so that a DIALOG mean of 14/3 against 11/3 is exactly 1 and not 0.999….

The person's change is judged on what the instrument says (`ChangeRule.on`):
- DIALOG: each item, and the two means, first answer against latest answer;
- Goal Based Outcomes: each goal, its first rating against its latest;
- ReQoL-10: the total; SWEMWBS: the metric score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from livingwell.outcomes.instruments import Instrument, get_instrument

if TYPE_CHECKING:
    import datetime as dt

    from livingwell.network.models import Site

Number = int | float | Decimal | Fraction


class Direction(StrEnum):
    IMPROVEMENT = "reliable_improvement"
    NO_CHANGE = "no_reliable_change"
    DETERIORATION = "reliable_deterioration"

    @property
    def label(self) -> str:
        return {
            Direction.IMPROVEMENT: "Reliable improvement",
            Direction.NO_CHANGE: "No reliable change",
            Direction.DETERIORATION: "Reliable deterioration",
        }[self]


def exact(value: Number) -> Fraction:
    """A number as an exact fraction; floats are read as the decimal they print as (22.35, not 22.3500000001)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


def classify(first: Number, latest: Number, threshold: Number, *, higher_is_better: bool = True) -> Direction:
    """Reliable improvement, no reliable change or reliable deterioration from `first` to `latest`.

    A change of exactly the threshold counts as reliable.
    """
    limit = exact(threshold)
    if limit <= 0:
        raise ValueError("The threshold for reliable change must be more than 0")
    difference = exact(latest) - exact(first)
    if not higher_is_better:
        difference = -difference
    if difference >= limit:
        return Direction.IMPROVEMENT
    if difference <= -limit:
        return Direction.DETERIORATION
    return Direction.NO_CHANGE


# A site's thresholds ------------------------------------------------------------------------------------


SETTING_FOR = {
    "dialog": "dialog_reliable_change",
    "gbo": "gbo_reliable_change",
    "reqol10": "reqol10_reliable_change",
    "swemwbs": "swemwbs_reliable_change",
}


def threshold_for(instrument: Instrument, site: Site | None = None) -> Decimal:
    """The site's threshold for this instrument, or NHS England's default from the definition."""
    if instrument.change is None:
        raise ValueError(f"{instrument.name} does not measure change")
    settings = _settings(site)
    if settings is not None and instrument.code in SETTING_FOR:
        return Decimal(getattr(settings, SETTING_FOR[instrument.code]))
    return instrument.change.threshold


def cutoff_for(instrument: Instrument, site: Site | None = None) -> int | None:
    if instrument.cutoff is None:
        return None
    settings = _settings(site)
    if settings is not None and instrument.code == "reqol10":
        return int(settings.reqol10_cutoff)
    return instrument.cutoff.default


def _settings(site: Site | None) -> Any:
    if site is None:
        return None
    from livingwell.outcomes.models import MeasureSettings

    try:
        return site.measure_settings
    except MeasureSettings.DoesNotExist:
        return None


# A person's change over their measures ------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One finished measure's value for one line of change (an item, a mean, a total, a goal)."""

    when: dt.datetime
    value: Fraction


@dataclass(frozen=True)
class ChangeLine:
    """First against latest for one thing measured, and how it is classified."""

    key: str
    label: str
    points: tuple[Point, ...]
    threshold: Decimal
    higher_is_better: bool = True

    @property
    def first(self) -> Point:
        return self.points[0]

    @property
    def latest(self) -> Point:
        return self.points[-1]

    @property
    def difference(self) -> Fraction:
        return self.latest.value - self.first.value

    @property
    def direction(self) -> Direction | None:
        """None until there are two measures to compare."""
        if len(self.points) < 2:
            return None
        return classify(self.first.value, self.latest.value, self.threshold, higher_is_better=self.higher_is_better)


def goal_identity(goal: Mapping[str, Any] | None, key: str) -> str:
    """Which goal a rating is for: the plan goal when it is one, else its words; the slot if neither."""
    if goal:
        if goal.get("goal_id"):
            return f"goal:{goal['goal_id']}"
        if words := " ".join(str(goal.get("words", "")).split()).casefold():
            return f"words:{words}"
    return f"slot:{key}"


def change_lines(measures: Sequence[Any], *, site: Site | None = None) -> list[ChangeLine]:
    """The lines of change for one person's finished measures of one instrument, oldest first.

    Each line starts at the first measure that has a value for it, so an item skipped the first time
    is compared from when it was first answered.
    """
    if not measures:
        return []
    ordered = sorted(measures, key=lambda m: m.completed_at)
    instrument = get_instrument(ordered[-1].instrument)
    if instrument.change is None:
        return []
    threshold = threshold_for(instrument, site)
    series: dict[str, list[Point]] = {}
    labels: dict[str, str] = {}

    def add(key: str, label: str, when: dt.datetime, value: Fraction) -> None:
        series.setdefault(key, []).append(Point(when, value))
        labels.setdefault(key, label)

    for measure in ordered:
        version = get_instrument(measure.instrument, measure.instrument_version)
        score = version.score_by_key(measure.answers)
        when = measure.completed_at
        rule = version.change
        assert rule is not None
        if rule.on == "items":
            for subscale in version.subscales:
                if subscale.key in rule.also and subscale.key in score.exact:
                    add(subscale.key, subscale.label, when, score.exact[subscale.key])
            for item in version.items:
                if item.key in score.items:
                    add(f"item:{item.key}", item.short, when, Fraction(score.items[item.key]))
        elif rule.on == "goals":
            for item in version.items:
                if item.key in score.items:
                    goal = (measure.goals or {}).get(item.key)
                    identity = goal_identity(goal, item.key)
                    words = (goal or {}).get("words") or item.short
                    # The latest words name the goal (people reword goals; the plan goal is the same).
                    labels[identity] = words
                    add(identity, words, when, Fraction(score.items[item.key]))
        elif rule.on == "total" and score.total is not None:
            add("total", "Total", when, Fraction(score.total))
        elif rule.on == "metric" and score.metric is not None:
            add("metric", "Metric score", when, score.exact["metric"])
    return [
        ChangeLine(
            key=key,
            label=labels[key],
            points=tuple(points),
            threshold=threshold,
            higher_is_better=instrument.higher_is_better,
        )
        for key, points in series.items()
    ]
