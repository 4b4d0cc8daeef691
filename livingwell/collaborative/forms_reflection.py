"""The reflection forms: opening a round, the co-production self-assessment and the balcony exercise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django import forms
from django.forms.boundfield import BoundField

from livingwell.collaborative import balcony
from livingwell.collaborative.balcony import Statement
from livingwell.collaborative.models import BalconyPlacement, Principle, PrincipleRating, PrincipleView, Session
from livingwell.collaborative.reflection import TITLE_MAX, WHY_MAX, Placement, PrincipleAnswer
from livingwell.core.forms import NHSDateField
from livingwell.core.presenters import date

SKIP = "skip"
RATHER_NOT_SAY = "I'd rather not say"
QUOTE_HINT = "We may quote what you write on the results page, without your name."


class RoundForm(forms.Form):
    title = forms.CharField(
        label="Name of the round",
        max_length=TITLE_MAX,
        help_text="For example, Renewing the juices 2026.",
        error_messages={"required": "Enter a name for the round"},
    )
    opens_on = NHSDateField(
        label="Opens on",
        help_text="Members can answer from this day. For example, 1 3 2026.",
        error_messages={"required": "Enter the date the round opens"},
    )
    closes_on = NHSDateField(
        label="Closes on",
        help_text="The last day members can answer. Results stay open to read after it closes.",
        error_messages={"required": "Enter the date the round closes"},
    )
    session = forms.ChoiceField(
        label="Held at a session of the whole Collaborative",
        required=False,
        help_text="If members will reflect together at a meeting, choose it.",
    )

    def __init__(self, *args: Any, sessions: Sequence[Session] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sessions = {str(s.pk): s for s in sessions}
        field = self.fields["session"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "None")] + [(str(s.pk), f"{s.title}, {date(s.starts_at)}") for s in sessions]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if isinstance(opens_on, dt.date) and isinstance(closes_on, dt.date) and closes_on < opens_on:
            self.add_error("closes_on", "The closing date must be on or after the opening date")
        return data

    def chosen_session(self) -> Session | None:
        return self._sessions.get(self.cleaned_data.get("session") or "")


class PrinciplesForm(forms.Form):
    """For each principle: great at, challenged by or rather not say, and why."""

    def __init__(self, *args: Any, saved: Mapping[str, PrincipleRating] | None = None, **kwargs: Any) -> None:
        initial: dict[str, Any] = {}
        for principle, rating in (saved or {}).items():
            initial[f"{principle}_view"] = rating.view
            initial[f"{principle}_why"] = rating.why
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        choices = [*PrincipleView.choices, (SKIP, RATHER_NOT_SAY)]
        for principle in Principle:
            self.fields[f"{principle.value}_view"] = forms.ChoiceField(
                label=str(principle.label),
                choices=choices,
                widget=forms.RadioSelect,
                initial=SKIP,
                error_messages={
                    "required": f"Choose an answer for {principle.label.lower()}",
                    "invalid_choice": f"Choose an answer for {principle.label.lower()}",
                },
            )
            self.fields[f"{principle.value}_why"] = forms.CharField(
                label="Why",
                required=False,
                max_length=WHY_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=QUOTE_HINT,
                error_messages={"max_length": f"Why must be {WHY_MAX} characters or fewer"},
            )

    def rows(self) -> Iterator[tuple[Principle, BoundField, BoundField]]:
        for principle in Principle:
            yield principle, self[f"{principle.value}_view"], self[f"{principle.value}_why"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for principle in Principle:
            if data.get(f"{principle.value}_view") == SKIP and (data.get(f"{principle.value}_why") or "").strip():
                self.add_error(
                    f"{principle.value}_why",
                    f"You said why for {principle.label.lower()}: choose great at or challenged by, "
                    "or clear the why box",
                )
        return data

    def answers(self) -> dict[str, PrincipleAnswer]:
        result = {}
        for principle in Principle:
            view = self.cleaned_data.get(f"{principle.value}_view")
            if view and view != SKIP:
                result[principle.value] = PrincipleAnswer(
                    view=view, why=self.cleaned_data.get(f"{principle.value}_why", "")
                )
        return result


class BalconyForm(forms.Form):
    """For each pair of statements: a place from 0 (mechanistic) to 10 (relational), or skip, and a note."""

    def __init__(self, *args: Any, saved: Mapping[str, BalconyPlacement] | None = None, **kwargs: Any) -> None:
        initial: dict[str, Any] = {}
        for key, placement in (saved or {}).items():
            initial[f"{balcony.field_prefix(key)}_position"] = str(placement.position)
            initial[f"{balcony.field_prefix(key)}_note"] = placement.note
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        choices = [(str(i), str(i)) for i in range(balcony.LOWEST, balcony.HIGHEST + 1)] + [(SKIP, RATHER_NOT_SAY)]
        for statement in balcony.STATEMENTS:
            self.fields[f"{statement.prefix}_position"] = forms.ChoiceField(
                label=statement.title,
                choices=choices,
                widget=forms.RadioSelect,
                initial=SKIP,
                error_messages={
                    "required": "Choose a number from 0 to 10, or rather not say",
                    "invalid_choice": "Choose a number from 0 to 10, or rather not say",
                },
            )
            self.fields[f"{statement.prefix}_note"] = forms.CharField(
                label="Note",
                required=False,
                max_length=WHY_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=f"Why there? {QUOTE_HINT}",
                error_messages={"max_length": f"The note must be {WHY_MAX} characters or fewer"},
            )

    def rows(self) -> Iterator[tuple[Statement, BoundField, BoundField]]:
        for statement in balcony.STATEMENTS:
            yield statement, self[f"{statement.prefix}_position"], self[f"{statement.prefix}_note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for statement in balcony.STATEMENTS:
            if (
                data.get(f"{statement.prefix}_position") == SKIP
                and (data.get(f"{statement.prefix}_note") or "").strip()
            ):
                self.add_error(
                    f"{statement.prefix}_note",
                    f"You wrote a note for {statement.title.lower()}: choose a number from 0 to 10, or clear the note",
                )
        return data

    def placements(self) -> dict[str, Placement]:
        result = {}
        for statement in balcony.STATEMENTS:
            position = self.cleaned_data.get(f"{statement.prefix}_position")
            if position and position != SKIP:
                result[statement.key] = Placement(
                    position=int(position), note=self.cleaned_data.get(f"{statement.prefix}_note", "")
                )
        return result
