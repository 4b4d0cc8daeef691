"""Forms of a team's work: choosing the worker, urgent flags, answering a request, the huddle's decisions."""

from __future__ import annotations

from typing import Any

from django import forms

from livingwell.support.models import HuddleTopic
from livingwell.support.services.huddle import DECISION_MAX
from livingwell.support.services.periods import END_REASON_MAX


def words_field(
    label: str, *, required: str = "", hint: str = "", rows: int = 4, max_length: int = 5000
) -> forms.CharField:
    """Free text; `required` is the message shown when it is missing (empty: the field is optional)."""
    messages = {"max_length": f"{label} must be {max_length} characters or fewer"}
    if required:
        messages["required"] = required
    return forms.CharField(
        label=label,
        required=bool(required),
        help_text=hint,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(),
        error_messages=messages,
    )


class AllocateForm(forms.Form):
    """Choose the person's worker from the team. The page builds each choice's hint (role, load, fit)."""

    worker = forms.ChoiceField(
        label="Who will be their worker?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select a worker", "invalid_choice": "Select a worker from the team"},
    )
    why_not_as_chosen = words_field("Why not who they asked for")
    end_reason = words_field(
        "Why the worker is changing",
        rows=0,
        max_length=END_REASON_MAX,
        hint="For example, the worker is leaving the team. The person can read this.",
    )

    def __init__(self, *args: Any, workers: list[tuple[str, str]], changing: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = workers  # type: ignore[attr-defined]
        if not changing:
            del self.fields["end_reason"]


class FlagForm(forms.Form):
    reason = words_field(
        "What is urgent?",
        required="Say what is urgent",
        hint="Say what the team needs to talk about, and why it cannot wait. The person can read this.",
    )


class FlagClearForm(forms.Form):
    note = words_field(
        "What was done about it?",
        required="Say what was done about it",
        hint="The flag stays in the history with what you write. The person can read this.",
    )


class AnswerForm(forms.Form):
    answer = words_field("Why is a change not possible yet?", required="Say why a change is not possible yet", rows=5)


class DecisionForm(forms.Form):
    topic = forms.ChoiceField(
        label="What is the decision about?",
        choices=HuddleTopic.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what the decision is about",
            "invalid_choice": "Select what the decision is about",
        },
    )
    decision = words_field(
        "What did the team decide?",
        required="Enter what the team decided",
        max_length=DECISION_MAX,
        hint="Say who will do what, and by when. The person can read this.",
        rows=5,
    )
