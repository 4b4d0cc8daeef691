"""Forms for connecting a person to an offer, moving a connection on, and recording a need no offer met.

Staff and the person use the same forms, worded for each: staff suggest an offer or introduce the
person; the person says "I'd like to try this" or "I've been".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms

from livingwell.core.concurrency import VersionField
from livingwell.core.forms import NHSDateField

from .connections import DEFAULT_FOLLOW_UP, MAX_TEXT, Default, Stage

FOLLOW_UP_HINT = (
    "We will remind you when it is due. Leave it empty to follow up in 2 weeks while the connection is open; "
    "once someone is still going, or it did not suit, there is no follow-up unless you set one. "
    "For example, 27 3 2027"
)

STAFF_START_LABELS = {
    Stage.SUGGESTED: "Suggested: we talked about it",
    Stage.INTRODUCED: "Introduced: I have put them in touch",
}
OWN_START_LABELS = {Stage.SUGGESTED: "I’d like to try this", Stage.WENT: "I’ve been"}  # noqa: RUF001


def move_label(stage: str, *, current: str, own: bool, name: str = "") -> str:
    """How each next stage reads on the update form, from where the connection is now."""
    again = current == Stage.DID_NOT_SUIT
    if own:
        return {
            Stage.SUGGESTED: "I’d like to try it again" if again else "I’d like to try this",  # noqa: RUF001
            Stage.INTRODUCED: "Introduced",
            Stage.WENT: "I’ve been",  # noqa: RUF001
            Stage.STILL_GOING: "I’m still going",  # noqa: RUF001
            Stage.DID_NOT_SUIT: "I’ve stopped going: it did not suit me"  # noqa: RUF001
            if current == Stage.STILL_GOING
            else "It did not suit me",
        }[Stage(stage)]
    who = name or "They"
    return {
        Stage.SUGGESTED: "Try again: suggest it again" if again else "Suggested",
        Stage.INTRODUCED: "Try again: introduce them" if again else "Introduced: I have put them in touch",
        Stage.WENT: f"{who} went",
        Stage.STILL_GOING: f"{who} is still going",
        Stage.DID_NOT_SUIT: f"{who} stopped going: it did not suit"
        if current == Stage.STILL_GOING
        else "It did not suit",
    }[Stage(stage)]


def _limit(field: forms.CharField) -> None:
    field.error_messages["max_length"] = f"{field.label} must be {field.max_length} characters or fewer"


class ConnectForm(forms.Form):
    stage = forms.ChoiceField(widget=forms.RadioSelect, error_messages={"required": "Choose one"})
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=MAX_TEXT)
    follow_up_on = NHSDateField(label="Follow up on", required=False, help_text=FOLLOW_UP_HINT)

    def __init__(self, data: Any = None, *, own: bool, name: str, initial: dict[str, Any] | None = None) -> None:
        super().__init__(data, initial=initial)
        labels = OWN_START_LABELS if own else STAFF_START_LABELS
        stage = self.fields["stage"]
        stage.choices = list(labels.items())  # type: ignore[attr-defined]
        stage.label = "What would you like to do?" if own else f"How are you connecting {name}?"
        stage.error_messages["required"] = (
            "Choose what you would like to do" if own else "Choose how you are connecting them"
        )
        self.fields["note"].help_text = (
            "Anything you would like to remember about it" if own else f"For example, what {name} hopes to get from it"
        )
        _limit(self.fields["note"])  # type: ignore[arg-type]
        if own:
            del self.fields["follow_up_on"]


class MoveForm(forms.Form):
    version = VersionField()
    stage = forms.ChoiceField(widget=forms.RadioSelect)
    why_not = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=MAX_TEXT)
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=MAX_TEXT)
    follow_up_on = NHSDateField(label="Next follow-up", required=False, help_text=FOLLOW_UP_HINT)

    def __init__(
        self,
        data: Any = None,
        *,
        stages: Sequence[str],
        current: str,
        own: bool,
        name: str,
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        stage = self.fields["stage"]
        stage.choices = [(s, move_label(s, current=current, own=own, name=name)) for s in stages]  # type: ignore[attr-defined]
        stage.label = "What has happened?" if own else "What has happened since?"
        stage.error_messages["required"] = "Choose what has happened"
        self.fields["why_not"].label = "If it did not suit you, why not?" if own else "If it did not suit, why not?"
        self.fields["why_not"].help_text = (
            "This helps find something that suits you better"
            if own
            else "For example, too far, the wrong time, or not what they hoped"
        )
        self.fields["note"].help_text = "Anything else you would like to say" if own else "Anything else to remember"
        for name_ in ("why_not", "note"):
            _limit(self.fields[name_])  # type: ignore[arg-type]
        if own:
            del self.fields["follow_up_on"]
        self.show_why_not = Stage.DID_NOT_SUIT in stages

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("stage") == Stage.DID_NOT_SUIT and not (data.get("why_not") or "").strip():
            self.add_error("why_not", "Say why it did not suit")
        return data


class GapForm(forms.Form):
    need = forms.CharField(
        label="What was needed?",
        help_text="For example, a women-only swimming session in the evening, or debt advice in Portuguese",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
        error_messages={"required": "Say what was needed"},
    )
    term = forms.ChoiceField(label="Category", required=False)
    locality = forms.ChoiceField(label="Where", required=False, help_text="The area where it was needed")

    def __init__(
        self,
        data: Any = None,
        *,
        categories: Sequence[tuple[str, str]],
        localities: Sequence[tuple[str, str]],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        self.fields["term"].choices = list(categories)  # type: ignore[attr-defined]
        self.fields["locality"].choices = list(localities)  # type: ignore[attr-defined]
        _limit(self.fields["need"])  # type: ignore[arg-type]
        if not localities:
            del self.fields["locality"]
        if not categories:
            del self.fields["term"]


def date_or_default(form: forms.Form) -> dt.date | Default:
    """The follow-up date typed, or the default when it is left empty (or not asked)."""
    value = form.cleaned_data.get("follow_up_on")
    return value if isinstance(value, dt.date) else DEFAULT_FOLLOW_UP
