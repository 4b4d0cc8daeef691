"""Forms of one person's support: asking for a different worker, and what they ask for in a worker.

The same forms serve the person ("you") and a worker asking on their behalf (by the person's name).
"""

from __future__ import annotations

from typing import Any

from django import forms

from livingwell.support.forms.team import words_field
from livingwell.support.models import WorkerKind
from livingwell.support.services.periods import WANTED_NOTE_MAX


class _WorkerWishForm(forms.Form):
    period = forms.ChoiceField(
        label="Which support is this about?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select which support this is about", "invalid_choice": "Select a team"},
    )
    wanted_kind = forms.ChoiceField(
        choices=WorkerKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the kind of worker",
            "invalid_choice": "Select the kind of worker",
        },
    )
    wanted_worker = forms.ChoiceField(
        required=False,
        widget=forms.Select,
        error_messages={"invalid_choice": "Select someone who works in the team"},
    )

    def __init__(
        self,
        *args: Any,
        name: str | None,
        periods: list[tuple[str, str]],
        workers: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        you = name is None
        if len(periods) > 1:
            self.fields["period"].choices = periods  # type: ignore[attr-defined]
        else:
            del self.fields["period"]
        self.fields["wanted_kind"].label = (
            "What kind of worker would you like?" if you else f"What kind of worker would {name} like?"
        )
        self.fields["wanted_worker"].label = (
            "Is there someone in the team you would like by name?"
            if you
            else f"Is there someone in the team {name} would like by name?"
        )
        self.fields["wanted_worker"].choices = workers  # type: ignore[attr-defined]


class AskForChangeForm(_WorkerWishForm):
    reason = words_field("Anything you want to tell us", hint="You do not have to give a reason.")

    def __init__(self, *args: Any, name: str | None, **kwargs: Any) -> None:
        super().__init__(*args, name=name, **kwargs)
        if name is not None:
            self.fields["reason"].label = f"Anything {name} wants to tell the team"
            self.fields["reason"].help_text = f"{name} does not have to give a reason. They can read what you write."


class WantedForm(_WorkerWishForm):
    wanted_note = words_field(
        "Anything else about the worker",
        rows=0,
        max_length=WANTED_NOTE_MAX,
        hint="For example, someone who speaks Portuguese, or a woman.",
    )
