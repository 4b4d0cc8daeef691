"""A small framework for question pages: one question per page, kept in the session, no account.

It follows the GOV.UK and NHS "question pages" pattern. A `Journey` is an ordered list of `Step`s.
Each step has a slug (its address, and its key in the session), a form, and a condition on the
answers given so far (a step whose condition is false is skipped, and its answers are not used).

- Answers live in the session under the journey's name as JSON (dates as ISO 8601 strings), so a
  person can leave and come back, go back, or change an answer from the check page.
- A step can only be shown once every applicable step before it has an answer; otherwise the
  person is sent to the first unanswered one (`Journey.blocking`).
- A step may reset others when its answer changes (for example, saying "yes, I feel unsafe" again
  after saying "no" shows the page of help available now again).
- Stored answers are checked again by their page's form before they are used (`recheck`), since a
  changed answer can make a later one no longer fit; `needs_attention` finds the first such page.
- A submission key (a random UUID) is made when the journey starts and kept until it is finished,
  so that sending the same answers twice (a double click, or back and send again) is recognised.

The journey knows nothing about addresses or templates: the views decide those.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib.sessions.backends.base import SessionBase

from livingwell.core.forms import NHSDateField


class Answers(Mapping[str, Mapping[str, Any]]):
    """The answers so far, by step slug: read-only, so that conditions cannot change them."""

    def __init__(self, data: Mapping[str, Mapping[str, Any]], extra: Mapping[str, Any] | None = None) -> None:
        self._data = {slug: dict(values) for slug, values in data.items()}
        self.extra: Mapping[str, Any] = dict(extra or {})

    def __getitem__(self, slug: str) -> Mapping[str, Any]:
        return self._data[slug]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def value(self, slug: str, name: str, default: Any = None) -> Any:
        """One answer: `answers.value("name", "given_name", "")`."""
        return self._data.get(slug, {}).get(name, default)


class JourneyForm(forms.Form):
    """The form of one question page, built with the answers so far (for wording and cross-checks).

    `stored` is what this page saved before (shown again when the person comes back to it).
    `to_store()` gives the cleaned answers as JSON; `initial_from()` reads them back.
    """

    # Shorter labels for the check page, where the question on the page would read oddly.
    summary_labels: Mapping[str, str] = {}

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        answers: Answers,
        stored: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.answers = answers
        super().__init__(data, **kwargs)
        self.initial = self.initial_from(stored or {})

    def initial_from(self, stored: Mapping[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for name, value in stored.items():
            if name not in self.fields:
                continue
            if isinstance(self.fields[name], NHSDateField) and isinstance(value, str) and value:
                try:
                    initial[name] = dt.date.fromisoformat(value)
                except ValueError:
                    continue
            else:
                initial[name] = value
        return initial

    def checkbox_items(self, name: str) -> list[dict[str, Any]]:
        """The NHS.UK checkboxes' items for a field with several choices, ticked as answered."""
        bound = self[name]
        value = bound.value()
        chosen = {str(v) for v in value} if isinstance(value, list | tuple) else set()
        return [
            {"value": str(v), "text": str(text), "checked": str(v) in chosen}
            for v, text in getattr(bound.field, "choices", [])
        ]

    def as_data(self, stored: Mapping[str, Any]) -> dict[str, Any]:
        """`stored` as the form data a browser would send, to check stored answers again."""
        data: dict[str, Any] = {}
        for name, form_field in self.fields.items():
            value = stored.get(name)
            if isinstance(form_field, NHSDateField):
                day = self.initial_from({name: value}).get(name)
                parts = (day.day, day.month, day.year) if isinstance(day, dt.date) else ("", "", "")
                data.update({f"{name}_{i}": str(part) for i, part in enumerate(parts)})
            elif isinstance(value, list):
                data[name] = [str(v) for v in value]
            elif isinstance(value, bool):
                if value:
                    data[name] = "on"
            elif value is not None:
                data[name] = str(value)
        return data

    def display(self, name: str, value: Any) -> str:
        """A stored answer as the person would read it ("" when not given)."""
        form_field = self.fields[name]
        if isinstance(form_field, forms.BooleanField):
            return "Yes" if value else "No"
        if value in (None, "", []):
            return ""
        if isinstance(form_field, NHSDateField):
            day = self.initial_from({name: value}).get(name)
            return f"{day.day} {day:%B %Y}" if isinstance(day, dt.date) else str(value)
        labels = {str(k): str(v) for k, v in getattr(form_field, "choices", [])}
        if isinstance(value, list):
            return "\n".join(labels.get(str(v), str(v)) for v in value)
        return labels.get(str(value), str(value))

    def summary(self, stored: Mapping[str, Any]) -> list[tuple[str, str, str]]:
        """(field name, label, answer) for each question on the page, for the check page."""
        return [
            (name, self.summary_labels.get(name) or str(form_field.label), self.display(name, stored.get(name)))
            for name, form_field in self.fields.items()
        ]

    def to_store(self) -> dict[str, Any]:
        """The cleaned answers as JSON-serialisable values."""
        stored: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if isinstance(value, dt.date):
                stored[name] = value.isoformat()
            elif isinstance(value, list | tuple):
                stored[name] = [str(v) for v in value]
            elif value is None or isinstance(value, str | bool | int | float):
                stored[name] = value
            else:
                stored[name] = str(value)
        return stored


def _always(answers: Answers) -> bool:
    return True


@dataclass(frozen=True)
class Step:
    slug: str
    form_class: type[JourneyForm]
    template: str
    title: Callable[[Answers], str]
    applies: Callable[[Answers], bool] = _always
    # Steps whose answers are forgotten when this step's answer changes, so that they are asked again.
    resets: tuple[str, ...] = field(default_factory=tuple)


class Journey:
    """The steps of one journey and the person's answers to them, in the session."""

    def __init__(
        self, *, name: str, steps: Sequence[Step], session: SessionBase, extra: Mapping[str, Any] | None = None
    ) -> None:
        if not steps:
            raise ValueError("A journey needs at least one step")
        slugs = [s.slug for s in steps]
        if len(set(slugs)) != len(slugs):
            raise ValueError("Each step needs its own slug")
        self.name = name
        self.steps = tuple(steps)
        self.session = session
        self.extra = dict(extra or {})

    # ---- the session ------------------------------------------------------------------------

    def _state(self) -> dict[str, Any]:
        state = self.session.get(self.name)
        return state if isinstance(state, dict) else {}

    def _write(self, state: dict[str, Any]) -> None:
        self.session[self.name] = state
        self.session.modified = True

    def _stored(self) -> dict[str, dict[str, Any]]:
        stored = self._state().get("answers")
        if not isinstance(stored, dict):
            return {}
        return {k: v for k, v in stored.items() if isinstance(v, dict)}

    def answers(self) -> Answers:
        return Answers(self._stored(), self.extra)

    @property
    def submission_key(self) -> str:
        """The key of this journey's submission, made when it started (or now, if it somehow has none)."""
        state = self._state()
        key = state.get("key")
        if not isinstance(key, str) or not key:
            key = state["key"] = str(uuid.uuid4())
            self._write(state)
        return key

    @property
    def started(self) -> bool:
        return bool(self._stored())

    def save(self, step: Step, values: Mapping[str, Any]) -> None:
        """Keep the answers to `step`; start the journey (and its submission key) if it had not started."""
        state = self._state()
        stored = self._stored()
        previous = stored.get(step.slug)
        stored[step.slug] = dict(values)
        if previous is not None and previous != stored[step.slug]:
            for slug in step.resets:
                stored.pop(slug, None)
        state["answers"] = stored
        if not isinstance(state.get("key"), str):
            state["key"] = str(uuid.uuid4())
        self._write(state)

    def finish(self, outcome: Mapping[str, Any]) -> None:
        """Forget the answers and the submission key; keep `outcome` (JSON) for the confirmation page."""
        self._write({"done": dict(outcome)})

    def outcome(self) -> dict[str, Any] | None:
        done = self._state().get("done")
        return done if isinstance(done, dict) else None

    # ---- the order of the steps -------------------------------------------------------------

    def step(self, slug: str) -> Step | None:
        return next((s for s in self.steps if s.slug == slug), None)

    @property
    def first(self) -> Step:
        return self.steps[0]

    def applicable(self, answers: Answers | None = None) -> list[Step]:
        answers = answers if answers is not None else self.answers()
        return [s for s in self.steps if s.applies(answers)]

    def applies(self, step: Step, answers: Answers | None = None) -> bool:
        return step.applies(answers if answers is not None else self.answers())

    def first_unanswered(self, answers: Answers | None = None) -> Step | None:
        answers = answers if answers is not None else self.answers()
        return next((s for s in self.applicable(answers) if s.slug not in answers), None)

    def blocking(self, step: Step, answers: Answers | None = None) -> Step | None:
        """The first applicable step before `step` without an answer, if there is one."""
        answers = answers if answers is not None else self.answers()
        for candidate in self.applicable(answers):
            if candidate.slug == step.slug:
                return None
            if candidate.slug not in answers:
                return candidate
        return None

    def after(self, step: Step, answers: Answers | None = None) -> Step | None:
        """The next applicable step after `step`, or None when the next page is the check page."""
        answers = answers if answers is not None else self.answers()
        seen = False
        for candidate in self.steps:
            if seen and candidate.applies(answers):
                return candidate
            seen = seen or candidate.slug == step.slug
        return None

    def before(self, step: Step, answers: Answers | None = None) -> Step | None:
        """The applicable step before `step`, or None for the first."""
        answers = answers if answers is not None else self.answers()
        previous = None
        for candidate in self.steps:
            if candidate.slug == step.slug:
                return previous
            if candidate.applies(answers):
                previous = candidate
        return None

    def recheck(self, step: Step, answers: Answers | None = None) -> JourneyForm | None:
        """The page's form bound to its stored answers when they no longer pass its checks, else None.

        Answers can stop fitting when an earlier answer changes (a phone number taken away after
        choosing text messages); the page then shows why, with the answers as they were.
        """
        answers = answers if answers is not None else self.answers()
        stored = answers.get(step.slug)
        if stored is None:
            return None
        unbound = step.form_class(answers=answers, stored=stored)
        form = step.form_class(unbound.as_data(stored), answers=answers, stored=stored)
        return None if form.is_valid() else form

    def needs_attention(self, answers: Answers | None = None) -> Step | None:
        """The first applicable step that has no answer, or whose answer no longer fits."""
        answers = answers if answers is not None else self.answers()
        for step in self.applicable(answers):
            if step.slug not in answers or self.recheck(step, answers) is not None:
                return step
        return None

    def used_answers(self, answers: Answers | None = None) -> dict[str, Mapping[str, Any]]:
        """The answers of the steps that apply: what the journey will act on."""
        answers = answers if answers is not None else self.answers()
        return {s.slug: answers[s.slug] for s in self.applicable(answers) if s.slug in answers}
