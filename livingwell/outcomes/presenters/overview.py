"""Display of a person's measures: their latest results and change in plain words, charts over time,
the history, drafts to carry on, and one finished measure in full.

Own pages speak to the person ("your goals"); staff pages name them. Numbers are shown the way people
read them ("4.6 out of 7"); change is judged exactly (livingwell.outcomes.change) and the words say
what the judgement was, so that a shown difference never contradicts it: a difference is cut to one
decimal place, and to two where one would fall on the wrong side of the site's figure for reliable
change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.urls import reverse

from livingwell.audit.models import Part
from livingwell.core import presenters as fmt
from livingwell.outcomes import chart as charts
from livingwell.outcomes.change import ChangeLine, Direction, change_lines, cutoff_for, goal_identity, threshold_for
from livingwell.outcomes.instruments import Instrument, Item, UnknownInstrument, get_instrument, outcome_instruments
from livingwell.outcomes.models import CompletedHow, Measure, Occasion
from livingwell.outcomes.presenters.complete import next_step_url
from livingwell.outcomes.selectors.overview import MeasureDetail, MeasuresOverview
from livingwell.outcomes.wording import Worded, worded
from livingwell.people.models import Person
from livingwell.people.presenters import record_header

DIRECTION_TAGS: dict[str, str] = {
    Direction.IMPROVEMENT: "nhsuk-tag--green",
    Direction.NO_CHANGE: "nhsuk-tag--grey",
    Direction.DETERIORATION: "nhsuk-tag--orange",
}
DIRECTION_WORDS: dict[str, str] = {
    Direction.IMPROVEMENT: "a reliable improvement",
    Direction.NO_CHANGE: "no reliable change",
    Direction.DETERIORATION: "a reliable change for the worse",
}
# What each instrument is about, for the person and for staff (the heading and a sentence).
HEADINGS: dict[str, tuple[str, str]] = {
    "dialog": ("How satisfied you are with your life and support (DIALOG)", "DIALOG"),
    "gbo": ("Your goals (Goal Based Outcomes)", "Goal Based Outcomes"),
    "swemwbs": ("Your wellbeing (SWEMWBS)", "SWEMWBS"),
    "reqol10": ("Your quality of life (ReQoL-10)", "ReQoL-10"),
}
ABOUT: dict[str, tuple[str, str]] = {
    "dialog": (
        "How satisfied you are with 8 parts of your life and 3 parts of your support, each from 1 (totally dissatisfied) to 7 (totally satisfied). 4 is in the middle.",
        "Satisfaction with 8 life areas and 3 aspects of support, each from 1 (totally dissatisfied) to 7 (totally satisfied); 4 is in the middle.",
    ),
    "gbo": (
        "How close you are to each of your own goals, from 0 (not met at all) to 10 (goal reached).",
        "How close they are to each of their own goals, from 0 (not met at all) to 10 (goal reached).",
    ),
    "swemwbs": (
        "How you have been feeling over the last two weeks. The wellbeing score goes from 7 to 35: higher means better wellbeing.",
        "Mental wellbeing over the last two weeks: the metric score, from 7 to 35; higher is better.",
    ),
    "reqol10": (
        "Your quality of life over the last week. The score goes from 0 to 40: higher means a better quality of life.",
        "Recovering quality of life over the last week: the total, from 0 to 40; higher is better.",
    ),
}
AXES: dict[str, charts.Axis] = {
    "dialog": charts.Axis(1, 7, 1, "Out of 7"),
    "gbo": charts.Axis(0, 10, 2, "Out of 10"),
    "swemwbs": charts.Axis(7, 35, 7, "Wellbeing score (7 to 35)"),
    "reqol10": charts.Axis(0, 40, 5, "Out of 40"),
}


# ---- numbers in words -------------------------------------------------------------------------


def places_for(code: str) -> int:
    """Decimal places to show: the SWEMWBS metric score has two; DIALOG's means are shown to one."""
    return 2 if code == "swemwbs" else 1


def number(value: Fraction | Decimal | float | int, places: int = 1, *, rounding: str = ROUND_HALF_UP) -> str:
    """'4.6', '19.98', '22': rounded to `places`, without trailing zeros."""
    exact = (
        value if isinstance(value, Fraction) else Fraction(str(value)) if isinstance(value, float) else Fraction(value)
    )
    shown = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        Decimal(1).scaleb(-places), rounding=rounding
    )
    text = format(shown, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def size_of_change(difference: Fraction, threshold: Decimal, places: int) -> str:
    """How big a change is, cut (not rounded) so that it never looks reliable when it is not, or the other way round."""
    size = abs(difference)
    shown = number(size, places, rounding=ROUND_DOWN)
    reliable = size >= Fraction(threshold)
    if shown == "0" or (Fraction(Decimal(shown)) >= Fraction(threshold)) != reliable:
        shown = number(size, max(places, 2), rounding=ROUND_DOWN)
    if shown == "0":
        return "less than 0.01"
    return shown


def points(size: str) -> str:
    return f"{size} point" if size == "1" else f"{size} points"


def change_words(line: ChangeLine, places: int, *, since: bool = True, verdict: bool = True) -> str:
    """'Up 1.3 points since 3 March 2026: a reliable improvement' (without the date, or the verdict, when asked)."""
    direction = line.direction
    if direction is None:
        return ""
    judged = f": {DIRECTION_WORDS[direction]}" if verdict else ""
    when = f" since {fmt.date(line.first.when)}" if since else ""
    if line.difference == 0:
        same = f"The same as on {fmt.date(line.first.when)}" if since else "No change"
        return f"{same}{judged}"
    size = size_of_change(line.difference, line.threshold, places)
    way = "Up" if line.difference > 0 else "Down"
    return f"{way} {points(size)}{when}{judged}"


def reliable_words(threshold: Decimal, *, per: str = "") -> str:
    """'A change of 1 point or more (on any one area) counts as reliable.'"""
    size = number(threshold, 2)
    return f"A change of {points(size)} or more{per} counts as reliable."


# ---- names and dates ------------------------------------------------------------------------


def _instrument(measure: Measure) -> Instrument:
    try:
        return get_instrument(measure.instrument, measure.instrument_version)
    except UnknownInstrument:
        return get_instrument(measure.instrument)


def _worker_name(measure: Measure, person: Person) -> str:
    for user in (measure.completed_by, measure.started_by):
        if user is not None and user.pk != person.user_id:
            return str(user.name)
    return ""


def how_words(measure: Measure, person: Person, *, own: bool) -> str:
    """'On your own', 'Together with Team Worker'."""
    if measure.how == CompletedHow.TOGETHER:
        worker = _worker_name(measure, person)
        return (
            f"Together with {worker}" if worker else ("Together with your worker" if own else "Together with a worker")
        )
    return "On your own" if own else "On their own"


def occasion_words(measure: Measure) -> str:
    return Occasion(measure.occasion).label if measure.occasion in Occasion.values else "At another time"


def _label_and_note(label: str) -> tuple[str, str]:
    """'Quality of life (the average of the 8 life areas)' -> ('Quality of life', 'the average of the 8 life areas')."""
    if " (" in label and label.endswith(")"):
        name, _, rest = label.partition(" (")
        return name, rest[:-1]
    return label, ""


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:]


# ---- the overview -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """One line of the latest result, with its change since the first time."""

    label: str
    value: str
    note: str = ""
    change: str = ""
    direction: str = ""
    direction_label: str = ""
    direction_class: str = ""


@dataclass(frozen=True)
class ItemRow:
    area: str
    first: str
    latest: str
    change: str
    direction_label: str
    direction_class: str


@dataclass
class Card:
    code: str
    heading: str
    about: str
    last_done: str
    times: str
    first_time: bool
    results: list[Result]
    reliable: str
    items: list[ItemRow] = field(default_factory=list)
    chart: charts.Chart | None = None
    again_text: str = ""
    again_href: str = ""
    anchor: str = ""


@dataclass(frozen=True)
class DraftRow:
    text: str
    carry_on_href: str
    instrument: str


@dataclass(frozen=True)
class HistoryRow:
    date: str
    instrument: str
    occasion: str
    how: str
    href: str


@dataclass(frozen=True)
class ExperienceRow:
    question: str
    answer: str


def _result(line: ChangeLine | None, label: str, value: str, note: str, places: int) -> Result:
    if line is None or line.direction is None:
        return Result(label, value, note)
    direction = line.direction
    return Result(
        label,
        value,
        note,
        change=change_words(line, places),
        direction=direction.value,
        direction_label=direction.label,
        direction_class=DIRECTION_TAGS[direction],
    )


def _latest_note(line: ChangeLine, latest: Measure) -> str:
    """When a line's latest value is from before the latest measure (skipped this time), say when it is from."""
    if line.latest.when != latest.completed_at:
        return f"from {fmt.date(line.latest.when)}, as it was not answered the last time"
    return ""


def _dialog(
    instrument: Instrument, lines: dict[str, ChangeLine], latest: Measure
) -> tuple[list[Result], list[ItemRow]]:
    neutral = int(instrument.extra.get("neutral", 4))
    results = []
    for subscale in instrument.subscales:
        line = lines.get(subscale.key)
        name, about = _label_and_note(subscale.label)
        if line is None:
            results.append(Result(name, "Not answered", about))
            continue
        value = f"{number(line.latest.value, 1)} out of {instrument.items[0].maximum}"
        notes = [f"{neutral} is in the middle", about, _latest_note(line, latest)]
        results.append(_result(line, name, value, "; ".join(n for n in notes if n), 1))
    rows = []
    for item in instrument.items:
        line = lines.get(f"item:{item.key}")
        area = _capital(item.short)
        if line is None:
            rows.append(ItemRow(area, "Not answered", "Not answered", "", "", ""))
            continue
        if line.direction is None:
            rows.append(
                ItemRow(
                    area, number(line.first.value), number(line.latest.value), "", "Answered once", "nhsuk-tag--white"
                )
            )
            continue
        rows.append(
            ItemRow(
                area,
                number(line.first.value),
                number(line.latest.value),
                change_words(line, 1, since=False, verdict=False),
                line.direction.label,
                DIRECTION_TAGS[line.direction],
            )
        )
    return results, rows


def _gbo(instrument: Instrument, lines: dict[str, ChangeLine], latest: Measure) -> list[Result]:
    results = []
    scores = instrument.score_by_key(latest.answers or {}).items
    for item in instrument.items:
        if item.key not in scores:
            continue
        goal = (latest.goals or {}).get(item.key)
        words = (goal or {}).get("words") or _capital(item.short)
        line = lines.get(goal_identity(goal, item.key))
        value = f"{scores[item.key]} out of {item.maximum}"
        result = _result(line, words, value, "", 0)
        if line is not None and line.direction is None:
            result = Result(words, value, "", change="First rated this time, so there is nothing to compare yet")
        results.append(result)
    return results


def cutoff_words(total: int, cutoff: int) -> str:
    """Kind words about where a ReQoL-10 total sits against the site's cut-off."""
    if total < cutoff:
        return f"Below {cutoff}: in the range where people often ask for help"
    return f"{cutoff} or more: in the range where most people who are not asking for help score"


def _series(lines: Sequence[ChangeLine]) -> list[charts.Series]:
    return [charts.Series(line.label, tuple((p.when, p.value) for p in line.points)) for line in lines]


def _chart_lines(code: str, instrument: Instrument, lines: list[ChangeLine]) -> list[ChangeLine]:
    if code == "dialog":
        keys = [s.key for s in instrument.subscales]
        chosen = [line for line in lines if line.key in keys]
        return [
            ChangeLine(
                key=line.key,
                label=_label_and_note(line.label)[0],
                points=line.points,
                threshold=line.threshold,
                higher_is_better=line.higher_is_better,
            )
            for line in chosen
        ]
    if code in ("swemwbs", "reqol10"):
        label = "Wellbeing score" if code == "swemwbs" else "Score"
        return [
            ChangeLine(
                key=line.key,
                label=label,
                points=line.points,
                threshold=line.threshold,
                higher_is_better=line.higher_is_better,
            )
            for line in lines
        ]
    return lines


def _describe(lines: Sequence[ChangeLine], places: int, measures: Sequence[Measure]) -> str:
    first, last = measures[0].completed_at, measures[-1].completed_at
    count = "1 result" if len(measures) == 1 else f"{len(measures)} results"
    span = f"on {fmt.date(first)}" if len(measures) == 1 else f"from {fmt.date(first)} to {fmt.date(last)}"
    sentences = [f"{count}, {span}."]
    for line in lines:
        if line.direction is None:
            sentences.append(f"{line.label}: {number(line.latest.value, places)} on {fmt.date(line.latest.when)}.")
            continue
        sentences.append(
            f"{line.label}: {number(line.first.value, places)} on {fmt.date(line.first.when)}, "
            f"{number(line.latest.value, places)} on {fmt.date(line.latest.when)}. "
            f"{change_words(line, places, since=False)}."
        )
    return " ".join(sentences)


def _chart(
    code: str,
    instrument: Instrument,
    lines: list[ChangeLine],
    measures: list[Measure],
    *,
    own: bool,
    name: str,
    cutoff: int | None,
) -> charts.Chart:
    drawn = _chart_lines(code, instrument, lines)
    places = places_for(code)
    reference = None
    if code == "dialog":
        reference = charts.Reference(4, "In the middle", "Dotted line: 4, in the middle")
    elif code == "reqol10" and cutoff is not None:
        reference = charts.Reference(
            cutoff, "Cut-off", f"Dotted line at {cutoff}: below it is the range where people often ask for help"
        )
    heading = HEADINGS[code][1]
    title = f"Your {heading} results over time" if own else f"{heading} results of {name} over time"
    return charts.line_chart(
        title=title,
        description=_describe(drawn, places, measures),
        series=_series(drawn),
        axis=AXES[code],
        reference=reference,
        id_prefix=f"chart-{code}",
        value_format=lambda v: number(v, places),
        date_format=fmt.date,
        caption=f"{heading} results, by date",
    )


def _start_href(person: Person, code: str) -> str:
    return f"{reverse('measures:start', args=[person.pk])}?instrument={code}"


def next_step_href(measure: Measure) -> str:
    """Where to carry on a draft: the completion flow's own next step (the goals, the first question not
    answered yet, or the check page)."""
    return next_step_url(measure, _instrument(measure))


def card_for(
    instrument: Instrument, measures: list[Measure], *, person: Person, own: bool, may_change: bool, has_draft: bool
) -> Card:
    code = instrument.code
    site = person.site
    lines = change_lines(measures, site=site)
    by_key = {line.key: line for line in lines}
    latest = measures[-1]
    latest_instrument = _instrument(latest)
    threshold = threshold_for(instrument, site)
    items: list[ItemRow] = []
    cutoff = cutoff_for(instrument, site)
    if code == "dialog":
        results, items = _dialog(latest_instrument, by_key, latest)
        reliable = reliable_words(threshold, per=" on an area, or on either average,")
    elif code == "gbo":
        results = _gbo(latest_instrument, by_key, latest)
        reliable = reliable_words(threshold, per=" on a goal")
    elif code == "swemwbs":
        line = by_key.get("metric")
        value = number(line.latest.value, 2) if line else "Not scored"
        results = [_result(line, "Wellbeing score", value, "from 7 to 35", 2)]
        reliable = reliable_words(threshold)
    else:
        line = by_key.get("total")
        total_range = instrument.total_range or (0, 40)
        if line is None:
            results = [Result("Score", "Not scored")]
        else:
            total = int(line.latest.value)
            note = cutoff_words(total, cutoff) if cutoff is not None else ""
            results = [_result(line, "Score", f"{total} out of {total_range[1]}", note, 0)]
        reliable = reliable_words(threshold)
    count = len(measures)
    times = (
        f"Done once, on {fmt.date(latest.completed_at)}"
        if count == 1
        else f"Done {count} times, first on {fmt.date(measures[0].completed_at)}"
    )
    own_heading, staff_heading = HEADINGS[code]
    own_about, staff_about = ABOUT[code]
    card = Card(
        code=code,
        heading=own_heading if own else staff_heading,
        about=own_about if own else staff_about,
        last_done=fmt.date(latest.completed_at),
        times=times,
        first_time=count == 1,
        results=results,
        reliable=reliable,
        items=items,
        chart=_chart(code, instrument, lines, measures, own=own, name=person.display_name, cutoff=cutoff),
        anchor=code,
    )
    if may_change and not has_draft:
        card.again_text = f"Fill in {staff_heading} again"
        card.again_href = _start_href(person, code)
    return card


def _draft_row(measure: Measure, person: Person, *, own: bool) -> DraftRow:
    instrument = _instrument(measure)
    when = fmt.date(measure.started_at)
    if own:
        text = f"You started {instrument.name} on {when} and have not finished it."
    else:
        text = f"{instrument.name} was started on {when} and has not been finished."
    return DraftRow(text=text, carry_on_href=next_step_href(measure), instrument=instrument.name)


def _experience(measure: Measure) -> list[ExperienceRow]:
    instrument = _instrument(measure)
    words = worded(instrument)
    answers = measure.answers or {}
    rows = []
    for item in instrument.items:
        answer = answers.get(item.key)
        question = words.text(item) if words else f"Question {item.position}"
        rows.append(ExperienceRow(question, _answer_words(instrument, words, item, answer)))
    return rows


def _answer_words(instrument: Instrument, words: Worded | None, item: Item, answer: Any) -> str:
    if answer is None:
        return "Not answered"
    try:
        value = int(answer)
    except (TypeError, ValueError):
        return str(answer)
    if words is None:
        return str(value)
    for option in words.options(item):
        if option.value == value:
            return option.label
    return str(value)


def overview_context(found: MeasuresOverview) -> dict[str, Any]:
    person, own = found.person, found.own
    name = person.display_name
    title = "How things are going" if own else "Measures"
    draft_codes = {m.instrument for m in found.drafts}
    cards = [
        card_for(
            instrument,
            found.finished[instrument.code],
            person=person,
            own=own,
            may_change=found.may_change,
            has_draft=instrument.code in draft_codes,
        )
        for instrument in outcome_instruments()
        if found.finished.get(instrument.code)
    ]
    history = [
        HistoryRow(
            date=fmt.date(m.completed_at),
            instrument=_instrument(m).name,
            occasion=occasion_words(m),
            how=how_words(m, person, own=own),
            href=reverse("measures:detail", args=[person.pk, m.pk]),
        )
        for m in found.history()
    ]
    experience = found.finished.get("experience") or []
    starts = []
    if found.may_change:
        starts = [
            {"text": HEADINGS[i.code][1], "href": _start_href(person, i.code), "about": ABOUT[i.code][0 if own else 1]}
            for i in outcome_instruments()
            if i.code not in draft_codes
        ]
    return {
        "person": person,
        "own": own,
        "name": name,
        "title": title,
        "record_head": record_header(person, found.access, own=own, current="measures", title=title),
        "cards": cards,
        "drafts": [_draft_row(m, person, own=own) for m in found.drafts],
        "history": history,
        "experience": _experience(experience[-1]) if experience else [],
        "experience_date": fmt.date(experience[-1].completed_at) if experience else "",
        "starts": starts,
    }


# ---- one finished measure ---------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionRow:
    number: int
    question: str
    answer: str
    more_help: str = ""


@dataclass(frozen=True)
class CodeRow:
    """A SNOMED CT concept and the value recorded against it (named in our words: the official terms say "patient")."""

    what: str
    code: str
    value: str


@dataclass(frozen=True)
class ActionLink:
    text: str
    href: str


@dataclass(frozen=True)
class StepRow:
    heading: str
    prompt: str
    words: str


@dataclass(frozen=True)
class TopicDisplay:
    area: str
    steps: list[StepRow]
    actions: list[ActionLink]
    missing_actions: int


def _questions(instrument: Instrument, measure: Measure) -> tuple[list[QuestionRow], bool]:
    words = worded(instrument)
    answers = measure.answers or {}
    more_help = measure.more_help or {}
    goals = measure.goals or {}
    dialog_plus = instrument.follow_up is not None and bool(more_help)
    rows = []
    for item in instrument.items:
        if instrument.code == "gbo":
            goal = goals.get(item.key) or {}
            if not goal.get("words") and item.key not in answers:
                continue
            question = goal.get("words") or _capital(item.short)
        elif words is None:
            question = f"Statement {item.position}"
        else:
            question = words.text(item) or f"Statement {item.position}"
        help_words = ""
        if dialog_plus:
            wanted = more_help.get(item.key)
            help_words = "Yes" if wanted is True else "No" if wanted is False else "Not answered"
        rows.append(
            QuestionRow(
                item.position, question, _answer_words(instrument, words, item, answers.get(item.key)), help_words
            )
        )
    return rows, dialog_plus


def _scores(instrument: Instrument, measure: Measure, person: Person) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    subscales = measure.subscales or {}
    for subscale in instrument.subscales:
        name, _ = _label_and_note(subscale.label)
        value = subscales.get(subscale.key)
        maximum = max((instrument.item(k).maximum for k in subscale.items), default=0)
        rows.append((name, "Not answered" if value is None else f"{number(Fraction(str(value)), 1)} out of {maximum}"))
    if instrument.code == "gbo":
        scored = instrument.score_by_key(measure.answers or {}).items
        for item in instrument.items:
            if item.key in scored:
                goal = (measure.goals or {}).get(item.key) or {}
                rows.append((goal.get("words") or _capital(item.short), f"{scored[item.key]} out of {item.maximum}"))
    if measure.total is not None and instrument.total_range is not None:
        low, high = instrument.total_range
        rows.append((f"Total ({low} to {high})", str(measure.total)))
    if measure.metric is not None:
        rows.append(("Wellbeing score, from the conversion table (7 to 35)", number(measure.metric, 2)))
    cutoff = cutoff_for(instrument, person.site)
    if cutoff is not None and measure.total is not None:
        rows.append(("What the score means", cutoff_words(measure.total, cutoff)))
    return rows


def _codes(instrument: Instrument, measure: Measure) -> list[CodeRow]:
    rows = []
    if instrument.total_snomed and measure.total is not None:
        rows.append(CodeRow(f"{instrument.name} total", instrument.total_snomed, str(measure.total)))
    scored = instrument.score_by_key(measure.answers or {}).items
    for item in instrument.items:
        if item.snomed and item.key in scored:
            rows.append(
                CodeRow(f"{instrument.name} item {item.position}: {item.short}", item.snomed, str(scored[item.key]))
            )
    for subscale in instrument.subscales:
        value = (measure.subscales or {}).get(subscale.key)
        if subscale.snomed and value is not None:
            rows.append(CodeRow(_label_and_note(subscale.label)[0], subscale.snomed, number(Fraction(str(value)), 2)))
    return rows


def _topics(instrument: Instrument, found: MeasureDetail) -> list[TopicDisplay]:
    measure, person = found.measure, found.person
    steps: dict[str, str] = dict(instrument.extra.get("steps", {}))
    may_change_plan = found.access.can_change(Part.PLAN)
    shown = []
    for topic in measure.topics or []:
        key = str(topic.get("key", ""))
        try:
            area = _capital(instrument.item(key).short)
        except KeyError:
            area = _capital(key.replace("_", " "))
        rows = []
        for step, prompt in steps.items():
            heading, _, question = prompt.partition(":")
            rows.append(
                StepRow(heading.strip(), question.strip(), str(topic.get(step) or "").strip() or "Nothing written")
            )
        links = []
        missing = 0
        for action_id in topic.get("actions", []) or []:
            action = found.actions.get(str(action_id))
            if action is None:
                missing += 1 if found.plan_readable else 0
                continue
            href = (
                reverse("plans:action_change", args=[person.pk, action.pk])
                if may_change_plan
                else reverse("plans:view", args=[person.pk])
            )
            links.append(ActionLink(action.what, href))
        shown.append(TopicDisplay(area, rows, links, missing))
    return shown


def detail_context(found: MeasureDetail) -> dict[str, Any]:
    person, own, measure = found.person, found.own, found.measure
    instrument = _instrument(measure)
    name = person.display_name
    title = f"{instrument.name}, {fmt.date(measure.completed_at)}"
    questions, dialog_plus = _questions(instrument, measure)
    licensed_missing = instrument.licensed and worded(instrument) is None
    rows = [
        ("Finished", fmt.datetime(measure.completed_at)),
        ("When", occasion_words(measure)),
        ("How", how_words(measure, person, own=own)),
    ]
    if not own:
        rows.append(("Version", f"{instrument.name}, version {instrument.version}"))
    return {
        "person": person,
        "own": own,
        "name": name,
        "title": title,
        "record_head": record_header(person, found.access, own=own, current="measures", title=title),
        "back_href": reverse("measures:overview", args=[person.pk]),
        "overview_href": reverse("measures:overview", args=[person.pk]),
        "instrument": instrument,
        "rows": rows,
        "questions": questions,
        "dialog_plus": dialog_plus,
        "follow_up": instrument.follow_up or "",
        "licensed_missing": licensed_missing,
        "scores": _scores(instrument, measure, person) if instrument.change is not None else [],
        "codes": [] if own else _codes(instrument, measure),
        "topics": _topics(instrument, found) if instrument.extra.get("steps") else [],
        "plan_href": reverse("plans:view", args=[person.pk]) if found.plan_readable else "",
    }
