"""Measures as data, scored exactly.

Each instrument is a JSON definition in `definitions/` named `<code>-<version>.json`: its items (with
a stable *key* for each, such as DIALOG's `friendships`, so that nothing depends on the order a form
puts them in), the response scale, which items are reversed, how the total, subscales and metric
score are made, the SNOMED CT concepts that the Mental Health Services Data Set uses, and the
defaults for reliable change. Scoring is one generic routine over that data: there is no code per
instrument. See docs/adr/0007-outcomes-as-data.md.

The wording of licensed instruments (SWEMWBS, ReQoL-10) is not in the definitions: a site loads it
from its own licensed file (`manage.py load_instrument_text`, livingwell.outcomes.wording).

Contract used by pages, the API, the synthetic site and insights:

    >>> from livingwell.outcomes.instruments import get_instrument
    >>> score = get_instrument("swemwbs").score({1: 3, 2: 3, 3: 3, 4: 3, 5: 3, 6: 3, 7: 3})
    >>> score.total, score.metric
    (21, 19.25)

`answers` maps the item's position on the form (1-based) to the response value as given on the
form (before any reversal). Missing required items, positions the form does not have, and values
outside the item's scale raise InvalidAnswers, which names every bad item at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any, Literal

DEFINITIONS = Path(__file__).parent / "definitions"

CODES = ("dialog", "gbo", "swemwbs", "reqol10", "experience")


class UnknownInstrument(LookupError):
    """There is no instrument with that code (or not that version)."""


@dataclass(frozen=True)
class AnswerProblem:
    """One bad answer: which item, what kind of problem, and a sentence saying so."""

    position: int | str | None
    code: Literal["missing", "extra", "duplicate", "out_of_range", "not_a_number", "too_few"]
    message: str


class InvalidAnswers(ValueError):
    """The answers cannot be scored. `problems` names each bad item; str() lists them all."""

    def __init__(self, instrument: str, problems: list[AnswerProblem]) -> None:
        self.instrument = instrument
        self.problems = problems
        super().__init__(f"{instrument}: " + "; ".join(p.message for p in problems))

    @property
    def positions(self) -> list[int | str | None]:
        return [p.position for p in self.problems]


@dataclass(frozen=True)
class Option:
    value: int
    label: str


@dataclass(frozen=True)
class Item:
    position: int
    key: str
    text: str
    short: str
    group: str
    required: bool
    reverse: bool
    minimum: int
    maximum: int
    snomed: str | None = None
    snomed_term: str | None = None
    options: tuple[Option, ...] = ()

    def scored(self, value: int) -> int:
        """The item's score for a response: reversed items count from the other end of the scale."""
        return self.minimum + self.maximum - value if self.reverse else value


@dataclass(frozen=True)
class Subscale:
    key: str
    label: str
    method: Literal["mean", "sum"]
    items: tuple[str, ...]
    snomed: str | None = None


@dataclass(frozen=True)
class ChangeRule:
    """What reliable change is judged on, and NHS England's threshold as the default.

    `on` is "items" (each item, as DIALOG), "total", "metric" or "goals" (each goal, as GBO).
    `also` names subscales judged with the same threshold (DIALOG's two means).
    """

    on: Literal["items", "total", "metric", "goals"]
    threshold: Decimal
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cutoff:
    """A clinical cut-off on the total: totals below it are in the range where people often ask for help."""

    default: int


@dataclass(frozen=True)
class Score:
    """The result of scoring one set of answers.

    `total` is the sum where the instrument defines one; `metric` the SWEMWBS metric score from the
    conversion table; `subscales` the means or sums the instrument defines (None where none of its
    items was answered). Floats are for display and JSON; `exact` holds the same values as fractions,
    which is what reliable change is judged on.
    """

    instrument: str
    version: str
    total: int | None
    metric: float | None
    subscales: dict[str, float | None]
    items: dict[str, int]
    answered: int
    exact: dict[str, Fraction] = field(default_factory=dict, repr=False)

    @property
    def metric_decimal(self) -> Decimal | None:
        return None if self.metric is None else Decimal(str(self.metric)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Instrument:
    code: str
    version: str
    name: str
    title: str
    about: str
    licensed: bool
    licence: str
    question: str
    options: tuple[Option, ...]
    items: tuple[Item, ...]
    subscales: tuple[Subscale, ...]
    total_items: tuple[str, ...] | None
    metric_table: Mapping[int, Decimal] | None
    min_answered: int
    change: ChangeRule | None
    cutoff: Cutoff | None
    higher_is_better: bool
    snomed: str | None
    snomed_term: str | None
    total_snomed: str | None
    snomed_also: tuple[str, ...] = ()
    follow_up: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    # Looking items up -------------------------------------------------------------------------

    def item_at(self, position: int) -> Item:
        for item in self.items:
            if item.position == position:
                return item
        raise KeyError(position)

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)

    @property
    def total_range(self) -> tuple[int, int] | None:
        if self.total_items is None:
            return None
        chosen = [self.item(key) for key in self.total_items]
        return sum(i.minimum for i in chosen), sum(i.maximum for i in chosen)

    def options_for(self, item: Item) -> tuple[Option, ...]:
        """The responses offered for an item: its own, else the instrument's scale."""
        return item.options or self.options

    def option_label(self, item: Item, value: int) -> str:
        for option in self.options_for(item):
            if option.value == value:
                return option.label
        return str(value)

    # Scoring ------------------------------------------------------------------------------------

    def check(self, answers: Mapping[Any, Any]) -> dict[int, int]:
        """The answers by position, every one checked; raises InvalidAnswers naming each bad item.

        Positions may be given as ints or as strings of digits (JSON object keys are strings). An
        answer of None is no answer. True and False are not numbers here.
        """
        problems: list[AnswerProblem] = []
        given: dict[int, int] = {}
        positions = {item.position for item in self.items}
        seen: set[int] = set()
        for raw_position, value in answers.items():
            position = _position(raw_position)
            if position is None or position not in positions:
                problems.append(AnswerProblem(raw_position, "extra", f"{self.name} has no item {_shown(raw_position)}"))
                continue
            if position in seen:
                # 1 and "1" (or "01") are the same item: refuse rather than let one silently win.
                problems.append(AnswerProblem(position, "duplicate", f"Item {position} is answered more than once"))
                continue
            seen.add(position)
            if value is None:
                continue
            item = self.item_at(position)
            number = _whole_number(value)
            if number is None:
                problems.append(
                    AnswerProblem(
                        position,
                        "not_a_number",
                        f"Item {position} ({item.short}) must be a whole number from {item.minimum} to {item.maximum}, not {_shown(value)}",
                    )
                )
            elif not item.minimum <= number <= item.maximum:
                problems.append(
                    AnswerProblem(
                        position,
                        "out_of_range",
                        f"Item {position} ({item.short}) must be from {item.minimum} to {item.maximum}, not {_shown(number)}",
                    )
                )
            else:
                given[position] = number
        bad = {p.position for p in problems}
        for item in self.items:
            if item.required and item.position not in given and item.position not in bad:
                problems.append(
                    AnswerProblem(item.position, "missing", f"Item {item.position} ({item.short}) is missing")
                )
        if not problems and len(given) < self.min_answered:
            needed = "one item" if self.min_answered == 1 else f"{self.min_answered} items"
            problems.append(AnswerProblem(None, "too_few", f"Answer at least {needed} of {self.name}"))
        if problems:
            problems.sort(key=_problem_order)
            raise InvalidAnswers(self.code, problems)
        return given

    def score(self, answers: Mapping[Any, Any]) -> Score:
        """Score one form's answers (position -> response as given). See the module docstring."""
        given = self.check(answers)
        scored = {self.item_at(position).key: self.item_at(position).scored(value) for position, value in given.items()}
        exact: dict[str, Fraction] = {}
        total: int | None = None
        if self.total_items is not None:
            total = sum(scored[key] for key in self.total_items)
            exact["total"] = Fraction(total)
        metric: float | None = None
        if self.metric_table is not None and total is not None:
            converted = self.metric_table[total]
            metric = float(converted)
            exact["metric"] = Fraction(converted)
        subscales: dict[str, float | None] = {}
        for subscale in self.subscales:
            values = [scored[key] for key in subscale.items if key in scored]
            if not values:
                subscales[subscale.key] = None
                continue
            exact[subscale.key] = value = (
                Fraction(sum(values), len(values)) if subscale.method == "mean" else Fraction(sum(values))
            )
            subscales[subscale.key] = float(value)
        for key, points in scored.items():
            exact[f"item:{key}"] = Fraction(points)
        return Score(
            instrument=self.code,
            version=self.version,
            total=total,
            metric=metric,
            subscales=subscales,
            items={key: scored[key] for key in self.keys if key in scored},
            answered=len(given),
            exact=exact,
        )

    def score_by_key(self, answers: Mapping[str, Any]) -> Score:
        """Score answers stored by item key (as the database keeps them) rather than by position.

        A key the instrument does not have is an InvalidAnswers problem, like a position it does not have.
        """
        known = {item.key: item.position for item in self.items}
        unknown = [key for key in answers if key not in known]
        if unknown:
            raise InvalidAnswers(
                self.code, [AnswerProblem(key, "extra", f"{self.name} has no item {_shown(key)}") for key in unknown]
            )
        return self.score({known[key]: value for key, value in answers.items()})

    def by_key(self, answers: Mapping[Any, Any]) -> dict[str, int]:
        """Checked answers keyed by item key: what a measure stores, whatever order the form used."""
        return {self.item_at(position).key: value for position, value in self.check(answers).items()}


def _problem_order(problem: AnswerProblem) -> tuple[int, int, str]:
    """Items in form order, then anything that is not an item, then what is about the whole form."""
    if isinstance(problem.position, int):
        return (0, problem.position, "")
    if problem.position is None:
        return (2, 0, "")
    return (1, 0, str(problem.position))


# Digits a position or response given as text may have: enough for any real form, and int() stays cheap.
# Text is read as a number only when it is plain ASCII digits, short enough to print in a message.
_POSITION_TEXT = re.compile(r"[0-9]{1,12}")
_NUMBER_TEXT = re.compile(r"-?[0-9]{1,12}")


def _shown(value: Any) -> str:
    """A value as a message quotes it: short, and never failing (Python will not print a 5,000-digit number)."""
    try:
        text = repr(value)
    except ValueError:
        return "a number too long to show"
    return text if len(text) <= 40 else f"{text[:39]}…"


def _position(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and _POSITION_TEXT.fullmatch(raw.strip()):
        return int(raw.strip())
    return None


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    if isinstance(value, str) and _NUMBER_TEXT.fullmatch(value.strip()):
        return int(value.strip())
    return None


# Loading definitions ------------------------------------------------------------------------------


class DefinitionError(ValueError):
    """A definition file is not a valid instrument; raised when definitions load, never at scoring."""


def _require(condition: bool, path: Path, message: str) -> None:
    if not condition:
        raise DefinitionError(f"{path.name}: {message}")


def _parse(path: Path) -> Instrument:
    data = json.loads(path.read_text(encoding="utf-8"))
    code, version = data["code"], str(data["version"])
    _require(path.stem == f"{code}-{version}", path, "file name must be <code>-<version>.json")
    scale = data["scale"]
    low, high = int(scale["min"]), int(scale["max"])
    options = tuple(Option(int(value), label) for value, label in scale.get("labels", {}).items())
    _require(
        not options or [o.value for o in options] == list(range(low, high + 1)), path, "labels must cover the scale"
    )
    items = []
    for raw in data["items"]:
        own = tuple(Option(int(value), label) for value, label in raw.get("labels", {}).items())
        items.append(
            Item(
                position=int(raw["position"]),
                key=raw["key"],
                text=raw.get("text", ""),
                short=raw.get("short", raw["key"].replace("_", " ")),
                group=raw.get("group", ""),
                required=bool(raw.get("required", True)),
                reverse=bool(raw.get("reverse", False)),
                minimum=int(raw.get("min", low)),
                maximum=int(raw.get("max", high)),
                snomed=raw.get("snomed"),
                snomed_term=raw.get("snomed_term"),
                options=own,
            )
        )
        item = items[-1]
        _require(
            not own or [o.value for o in own] == list(range(item.minimum, item.maximum + 1)),
            path,
            f"labels of {item.key} must cover its scale",
        )
    positions = [i.position for i in items]
    _require(positions == list(range(1, len(items) + 1)), path, "positions must run 1, 2, 3 … in order")
    keys = [i.key for i in items]
    _require(len(set(keys)) == len(keys), path, "item keys must be unique")
    licensed = bool(data.get("licensed", False))
    if licensed:
        _require(all(not i.text for i in items), path, "licensed wording must not ship in the definition")
        _require(not options and all(not i.options for i in items), path, "licensed response wording must not ship")
    scoring = data.get("scoring", {})
    total_items: tuple[str, ...] | None = None
    if (total := scoring.get("total")) is not None:
        total_items = tuple(keys) if total == "all" else tuple(total)
        _require(set(total_items) <= set(keys), path, "total names an unknown item")
        _require(all(i.required for i in items if i.key in total_items), path, "items in a total must all be required")
    subscales = tuple(
        Subscale(
            key=name,
            label=raw["label"],
            method=raw["method"],
            items=tuple(raw["items"]),
            snomed=raw.get("snomed"),
        )
        for name, raw in scoring.get("subscales", {}).items()
    )
    for subscale in subscales:
        _require(set(subscale.items) <= set(keys), path, f"subscale {subscale.key} names an unknown item")
        _require(subscale.method in ("mean", "sum"), path, f"subscale {subscale.key} has an unknown method")
    metric_table: dict[int, Decimal] | None = None
    if (table := scoring.get("metric_table")) is not None:
        _require(total_items is not None, path, "a metric table needs a total")
        metric_table = {int(raw): Decimal(value) for raw, value in table.items()}
        first, last = _total_range(items, total_items or ())
        _require(sorted(metric_table) == list(range(first, last + 1)), path, "the metric table must cover every total")
        values = [metric_table[t] for t in sorted(metric_table)]
        _require(values == sorted(values) and len(set(values)) == len(values), path, "the metric table must rise")
    change = None
    if (rule := data.get("change")) is not None:
        change = ChangeRule(on=rule["on"], threshold=Decimal(str(rule["threshold"])), also=tuple(rule.get("also", ())))
        _require(change.on in ("items", "total", "metric", "goals"), path, "change.on is not known")
    cutoff = Cutoff(default=int(data["cutoff"]["default"])) if data.get("cutoff") else None
    snomed = data.get("snomed", {})
    return Instrument(
        code=code,
        version=version,
        name=data["name"],
        title=data.get("title", data["name"]),
        about=data.get("about", ""),
        licensed=licensed,
        licence=data.get("licence", ""),
        question=data.get("question", ""),
        options=options,
        items=tuple(items),
        subscales=subscales,
        total_items=total_items,
        metric_table=metric_table,
        min_answered=int(scoring.get("min_answered", 1)),
        change=change,
        cutoff=cutoff,
        higher_is_better=bool(data.get("higher_is_better", True)),
        snomed=snomed.get("instrument"),
        snomed_term=snomed.get("instrument_term"),
        total_snomed=snomed.get("total"),
        snomed_also=tuple(snomed.get("also_accepted", ())),
        follow_up=data.get("follow_up"),
        extra=data.get("extra", {}),
    )


def _total_range(items: Iterable[Item], keys: Iterable[str]) -> tuple[int, int]:
    chosen = [i for i in items if i.key in set(keys)]
    return sum(i.minimum for i in chosen), sum(i.maximum for i in chosen)


@cache
def _registry() -> dict[tuple[str, str], Instrument]:
    found: dict[tuple[str, str], Instrument] = {}
    for path in sorted(DEFINITIONS.glob("*.json")):
        instrument = _parse(path)
        found[(instrument.code, instrument.version)] = instrument
    return found


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def get_instrument(code: str, version: str | None = None) -> Instrument:
    """The instrument with this code: its latest version, or the version named (for stored measures)."""
    registry = _registry()
    if version is not None:
        try:
            return registry[(code, str(version))]
        except KeyError:
            raise UnknownInstrument(f"There is no version {version} of {code!r}") from None
    versions = [v for (c, v) in registry if c == code]
    if not versions:
        raise UnknownInstrument(f"There is no instrument {code!r}; the instruments are {', '.join(CODES)}")
    return registry[(code, max(versions, key=_version_key))]


def all_instruments() -> list[Instrument]:
    """The latest version of every instrument, in the order people meet them."""
    return [get_instrument(code) for code in CODES]


def outcome_instruments() -> list[Instrument]:
    """The instruments that measure outcomes (not the experience questions asked at moving on)."""
    return [i for i in all_instruments() if i.change is not None]
