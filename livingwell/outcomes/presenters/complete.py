"""What the pages for completing a measure show: the way through the questions, and their words.

Item text and response words always come through `livingwell.outcomes.wording.worded`, since a
licensed instrument's words are the site's own licensed copy, never the definition's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.forms import BoundField
from django.urls import reverse
from markupsafe import Markup, escape

from livingwell.core import presenters as fmt
from livingwell.outcomes.instruments import Instrument, Item, Option
from livingwell.outcomes.models import Measure, MeasureStatus
from livingwell.outcomes.services.measures import answerable_positions, instrument_of, not_loaded_message
from livingwell.outcomes.wording import Worded, worded

# Where each step of completing a measure is ------------------------------------------------------------


def url(name: str, measure: Measure, *args: Any) -> str:
    return reverse(f"measures:{name}", args=[measure.person_id, measure.pk, *args])


def overview_url(person_id: Any) -> str:
    return reverse("measures:overview", args=[person_id])


def start_url(person_id: Any, *, instrument: str = "", occasion: str = "") -> str:
    query = "&".join(f"{k}={v}" for k, v in (("instrument", instrument), ("occasion", occasion)) if v)
    return reverse("measures:start", args=[person_id]) + (f"?{query}" if query else "")


def question_url(measure: Measure, position: int, *, back_to_check: bool = False) -> str:
    return url("question", measure, position) + ("?change=1" if back_to_check else "")


def next_step_url(measure: Measure, instrument: Instrument | None = None) -> str:
    """Where to carry on: the goals (Goal Based Outcomes without any), the first question not answered
    yet, or the check page when every question has an answer (or was skipped)."""
    if measure.status != MeasureStatus.DRAFT:
        return url("detail", measure)
    instrument = instrument or instrument_of(measure)
    if instrument.code == "gbo" and not measure.goals:
        return url("goals", measure)
    for position in answerable_positions(measure, instrument):
        if instrument.item_at(position).key not in measure.answers:
            return question_url(measure, position)
    return url("check", measure)


def after_question_url(measure: Measure, position: int, instrument: Instrument, *, back_to_check: bool) -> str:
    """The next question in order, or the check page after the last one (or when changing an answer)."""
    positions = answerable_positions(measure, instrument)
    later = [p for p in positions if p > position]
    if back_to_check or not later:
        return url("check", measure)
    return question_url(measure, later[0])


def before_question_url(measure: Measure, position: int, instrument: Instrument, *, back_to_check: bool) -> str:
    """The Back link: the question before, the goals (Goal Based Outcomes), or the measures page."""
    if back_to_check:
        return url("check", measure)
    earlier = [p for p in answerable_positions(measure, instrument) if p < position]
    if earlier:
        return question_url(measure, earlier[-1])
    if instrument.code == "gbo":
        return url("goals", measure)
    return overview_url(measure.person_id)


# Words ---------------------------------------------------------------------------------------------------


def option_text(instrument: Instrument, option: Option) -> str:
    """How a response reads on the page: DIALOG shows its number with its words."""
    if instrument.code == "dialog":
        return f"{option.value}: {option.label}"
    return option.label


def options_for(instrument: Instrument, words: Worded, item: Item) -> list[Option]:
    return [Option(o.value, option_text(instrument, o)) for o in words.options(item)]


def answer_text(instrument: Instrument, words: Worded, item: Item, value: Any) -> str:
    for option in options_for(instrument, words, item):
        if option.value == value:
            return option.label
    return str(value)


def question_text(instrument: Instrument, words: Worded, item: Item, measure: Measure) -> str:
    """The question as asked: a goal's own words for Goal Based Outcomes, else the item's words."""
    if instrument.code == "gbo":
        return str((measure.goals or {}).get(item.key, {}).get("words", "")) or words.text(item)
    return words.text(item)


def area_name(item: Item) -> str:
    """'friendships' -> 'Friendships' (DIALOG's areas, as headings)."""
    return item.short[:1].upper() + item.short[1:]


def checked_items(bf: BoundField, hints: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """NHS.UK radios or checkboxes items for a field, ticked as answered, with a hint for some."""
    value = bf.value()
    chosen = {str(v) for v in value} if isinstance(value, list | tuple) else ({str(value)} if value else set())
    items = []
    for choice_value, text in getattr(bf.field, "choices", []):
        item: dict[str, Any] = {"value": str(choice_value), "text": str(text), "checked": str(choice_value) in chosen}
        if hints and hints.get(str(choice_value)):
            item["hint"] = {"text": hints[str(choice_value)]}
        items.append(item)
    return items


# The start page ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    instrument: Instrument
    available: bool
    hint: str


def start_choices(instruments: list[Instrument], drafts: Mapping[str, Measure], *, own: bool) -> list[Choice]:
    """The measures to choose from, with what each is and whether one was started.

    A licensed measure whose wording the site has not loaded is not shown to the person; staff see
    it, not available, with what to do.
    """
    choices = []
    for instrument in instruments:
        available = not instrument.licensed or worded(instrument) is not None
        if not available and own:
            continue
        hint = instrument.about
        if not available:
            hint = not_loaded_message(instrument)
        elif instrument.code in drafts:
            started = fmt.date(drafts[instrument.code].started_at)
            hint = f"Started on {started}. You can carry on where you left off."
        choices.append(Choice(instrument, available, hint))
    return choices


def start_items(bf: BoundField, choices: list[Choice]) -> list[dict[str, Any]]:
    items = checked_items(bf, {c.instrument.code: c.hint for c in choices})
    unavailable = {c.instrument.code for c in choices if not c.available}
    for item in items:
        if item["value"] in unavailable:
            item["disabled"] = True
            item["checked"] = False
    return items


# The check page ------------------------------------------------------------------------------------------


def lines(*texts: str) -> Markup:
    """Lines of text (each escaped) as HTML, one to a line, for a summary list's value."""
    return Markup("<br>").join(escape(line) for text in texts for line in str(text).splitlines() or [""])


def check_rows(measure: Measure, instrument: Instrument, words: Worded, *, own: bool) -> list[dict[str, Any]]:
    """Each question with its answer and a link to change it (the summary list of the check page)."""
    rows: list[dict[str, Any]] = []
    if instrument.code == "gbo":
        rows.append(
            {
                "key": {"text": "Goals" if not own else "Your goals"},
                "value": {"html": lines(*(g.get("words", "") for g in (measure.goals or {}).values()))},
                "actions": {
                    "items": [{"href": url("goals", measure), "text": "Change", "visuallyHiddenText": "the goals"}]
                },
            }
        )
    for position in answerable_positions(measure, instrument):
        item = instrument.item_at(position)
        question = question_text(instrument, words, item, measure)
        if item.key not in measure.answers:
            answer = "Not answered yet"
        elif measure.answers[item.key] is None:
            answer = "Skipped"
        else:
            answer = answer_text(instrument, words, item, measure.answers[item.key])
        said = [answer]
        more = measure.more_help.get(item.key) if instrument.follow_up else None
        if more is True:
            said.append("You would like more help with this" if own else "Would like more help with this")
        elif more is False:
            said.append("No more help needed" if own else "Does not need more help")
        row: dict[str, Any] = {
            "key": {"text": question},
            "value": {"html": lines(*said)},
            "actions": {
                "items": [
                    {
                        "href": question_url(measure, position, back_to_check=True),
                        "text": "Change",
                        "visuallyHiddenText": question,
                    }
                ]
            },
        }
        rows.append(row)
    return rows


def check_heading(instrument: Instrument, *, own: bool, name: str) -> str:
    if instrument.code == "experience":
        return "Your experience of Living Well" if own else f"{name}'s experience of Living Well"
    return "Check your answers" if own else f"Check {name}'s answers"


# DIALOG+: the areas to talk about -----------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    key: str
    name: str
    value: int | None
    rating: str
    more_help: bool


def areas(measure: Measure, instrument: Instrument, words: Worded) -> list[Area]:
    """DIALOG's areas, those the person wants more help with first, then the lowest rated."""
    found = []
    for item in instrument.items:
        value = measure.answers.get(item.key)
        rating = answer_text(instrument, words, item, value) if value is not None else "Not rated"
        found.append(Area(item.key, area_name(item), value, rating, bool(measure.more_help.get(item.key))))
    return sorted(found, key=lambda a: (not a.more_help, a.value is None, a.value or 0, instrument.keys.index(a.key)))


def area_hint(area: Area, *, own: bool) -> str:
    said = f"You rated it {area.rating}" if own else f"Rated {area.rating}"
    if area.value is None:
        said = "You did not rate it" if own else "Not rated"
    if area.more_help:
        said += ". You said you would like more help" if own else ". They said they would like more help"
    return said + "."


def actions_added_message(count: int, *, own: bool) -> str:
    if count == 0:
        return "Your answers are saved" if own else "The answers are saved"
    plan = "your Living Well plan" if own else "the Living Well plan"
    return f"1 action was added to {plan}" if count == 1 else f"{count} actions were added to {plan}"


def saved_message(instrument: Instrument, *, own: bool, name: str) -> str:
    if instrument.code == "experience":
        return "Thank you. Your answers are saved" if own else f"{name}'s answers are saved"
    return f"Your {instrument.name} answers are saved" if own else f"{name}'s {instrument.name} answers are saved"
