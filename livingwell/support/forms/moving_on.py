"""Forms for moving on and coming back, with messages in the NHS service manual's style."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from livingwell.access.models import UnsafeNow
from livingwell.core.forms import NHSDateField
from livingwell.support.models import MovingOnReason

_TOGETHER = [
    ("yes", "Yes, we wrote it together"),
    ("no", "No, I wrote it without them (for example, because we lost touch)"),
]


class MoveOnForm(forms.Form):
    moved_on_on = NHSDateField(
        label="Date support ended",
        past_only=True,
        help_text="For example, 15 3 2026",
        error_messages={"required": "Enter the date support ended"},
    )
    reason = forms.ChoiceField(
        label="Why is support ending?",
        choices=MovingOnReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why support is ending"},
    )
    what_helped = forms.CharField(
        label="What helped",
        help_text="In their words, as you talked about it together",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what helped, in their words if you can"},
    )
    if_things_get_hard = forms.CharField(
        label="What to do if things get hard",
        help_text="This starts with their safety plan, when they have one. Change it together.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Say what to do if things get hard"},
    )
    how_to_come_back = forms.CharField(
        label="How to come back",
        help_text="These are the standard words for this Living Well network. You can add to them.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say how to come back"},
    )
    person_words = forms.CharField(
        label="Anything they want to say",
        help_text="In their own words. They will read this.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    written_with_person = forms.ChoiceField(
        label="Did you write this together with them?",
        help_text="They will see whether it was written with them.",
        choices=_TOGETHER,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you wrote this together"},
    )

    email_copy = forms.BooleanField(
        label="Email them a copy of the farewell summary",
        help_text="You will not see their record once support has ended.",
        required=False,
    )

    def __init__(self, *args: Any, may_email: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_email:
            del self.fields["email_copy"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data.setdefault("email_copy", False)
        day = data.get("moved_on_on")
        if isinstance(day, dt.date):
            now = timezone.localtime()
            # Today means now; an earlier day means the end of that day (support went on until then).
            data["at"] = now if day == now.date() else timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))
        return data


PICK_UP = "pick_up"
FIRST_CONVERSATION = "first_conversation"


class ComeBackForm(forms.Form):
    """The person's choice when they come back: pick up where they left off, or start again."""

    choice = forms.ChoiceField(
        label="What would you like to do?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what you would like to do",
            "invalid_choice": "Select what you would like to do",
        },
    )
    in_their_words = forms.CharField(
        label="What has brought you back?",
        help_text="In your own words. Your team will read this.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    unsafe_now = forms.ChoiceField(
        label="Is anything making you feel unsafe right now?",
        choices=UnsafeNow.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args: Any, team_name: str | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(FIRST_CONVERSATION, "I would like to start again with a first conversation")]
        if team_name:
            choices.insert(0, (PICK_UP, f"Pick up where I left off, with {team_name}"))
        self.fields["choice"].choices = choices  # type: ignore[attr-defined]
        if len(choices) == 1:
            self.fields["choice"].initial = FIRST_CONVERSATION


class PickUpForm(forms.Form):
    """A Hub coordinator picks the person up: nothing to fill in, the page says what will happen."""
