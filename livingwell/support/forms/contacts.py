"""Forms for contacts and notes, with messages in the NHS service manual's style.

The services check everything again (livingwell.support.services.contacts); these forms give the
person filling them in a message by the field and keep their answers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from livingwell.access.forms import _WhenForm
from livingwell.accounts.models import User
from livingwell.core.forms import NHSDateField
from livingwell.support.models import ContactMode, ContactStatus, WithheldBecause
from livingwell.support.selectors.contacts import WorkerChoice
from livingwell.support.services.contacts import withholding_problems

NOTE_MAX_LENGTH = 20000
# The choice that leaves a note readable by the person (radios cannot be cleared without it).
SHOWN = "shown"


def _sentence_start(text: str) -> str:
    return text[:1].lower() + text[1:]


def _add_withhold_fields(form: forms.Form, name: str, *, required: bool) -> None:
    """The grounds, the words and the date to look again, for keeping a note from the person.

    With `required` (the page that keeps an existing note from them) all three are needed. Otherwise
    the first choice leaves the note readable and the words and date are needed only when it is not.
    """
    if required:
        choices: list[tuple[str, str]] = list(WithheldBecause.choices)
        label = f"Why must {name} not see this note?"
        hint = "The law allows keeping a note from someone only for one of these reasons."
        needed = ""
    else:
        choices = [
            (SHOWN, f"Yes, {name} can read it"),
            *((value, f"No: {_sentence_start(str(text))}") for value, text in WithheldBecause.choices),
        ]
        label = f"Can {name} read this note?"
        hint = f"{name} reads every note about them unless the law allows keeping it from them."
        needed = "Needed only if you keep the note from them. "
    form.fields["withhold_because"] = forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=hint,
        error_messages={
            "required": f"Select why {name} must not see this note"
            if required
            else f"Select whether {name} can read this note"
        },
    )
    form.fields["withheld_reason"] = forms.CharField(
        label="Why, in your words",
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            f"{needed}Only staff can read this. {name} sees that a note is kept from them, when and by whom it "
            "was written, and the reason chosen above, but not what it says or these words."
        ),
        error_messages={
            "required": f"Say why {name} must not see this note, in your own words",
            "max_length": "Why, in your words, must be 2,000 characters or fewer",
        },
    )
    form.fields["withheld_review_on"] = NHSDateField(
        label="Date to look again",
        required=required,
        help_text=(
            f"{needed}Within the next 12 months: the day to check whether {name} can now read it. "
            "For example, 15 3 2027"
        ),
        error_messages={"required": "Enter a date to look again at keeping this note from them"},
    )


class _WithholdCleaning(forms.Form):
    """Shows every problem with the withholding answers at once, by its field (the service checks them again)."""

    def clean_withhold_because(self) -> str:
        value = self.cleaned_data.get("withhold_because") or ""
        return "" if value == SHOWN else value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        answered = {"withhold_because", "withheld_reason", "withheld_review_on"}
        if answered <= set(data):  # each was valid on its own
            for problem in withholding_problems(**withhold_values(data, named="service")):
                self.add_error(problem.field, problem.message)
        return data


class ContactForm(_WithholdCleaning, _WhenForm):
    """Record a contact: when, how, whether it took place, for how long, where, who took part, and the note."""

    date_label = "Date of the contact"
    time_label = "Time of the contact"
    past_only = True

    mode = forms.ChoiceField(
        label="How were you in touch?",
        choices=ContactMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you were in touch"},
    )
    status = forms.ChoiceField(
        label="Did it take place?",
        choices=ContactStatus.choices,
        widget=forms.RadioSelect,
        help_text="For example, a phone call nobody answered, or a meeting that was missed, did not take place.",
        error_messages={"required": "Select whether it took place"},
    )
    duration_minutes = forms.IntegerField(
        label="How long it lasted, in minutes",
        required=False,
        min_value=1,
        max_value=1440,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "classes": "nhsuk-input--width-4"}),
        help_text="Leave this empty if it did not take place",
        error_messages={
            "invalid": "Enter how long it lasted as a whole number of minutes, like 45",
            "min_value": "How long it lasted must be at least 1 minute",
            "max_value": "How long it lasted must be 1,440 minutes (24 hours) or less",
        },
    )
    place = forms.CharField(
        label="Where",
        required=False,
        max_length=200,
        help_text="For example, the café at Brixton Library, or their home",
        error_messages={"max_length": "Where must be 200 characters or fewer"},
    )
    workers = forms.MultipleChoiceField(
        label="Which workers took part",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="If you choose nobody, you are recorded as taking part.",
        error_messages={"invalid_choice": "Choose workers from the list"},
    )
    others = forms.CharField(
        label="Anyone else who took part",
        required=False,
        max_length=300,
        help_text="For example, their sister Jo, or an adviser from Citizens Advice",
        error_messages={"max_length": "Anyone else who took part must be 300 characters or fewer"},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"max_length": f"The note must be {NOTE_MAX_LENGTH:,} characters or fewer"},
    )

    def __init__(self, *args: Any, name: str, workers: list[WorkerChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._workers = {str(w.user.pk): w.user for w in workers}
        self.fields["workers"].choices = [(str(w.user.pk), w.label) for w in workers]  # type: ignore[attr-defined]
        self.fields[
            "note"
        ].help_text = (
            f"What happened and what was agreed. {name} can read this note, unless you keep it from them below."
        )
        _add_withhold_fields(self, name, required=False)

    def clean_workers(self) -> list[User]:
        return [self._workers[pk] for pk in self.cleaned_data.get("workers") or [] if pk in self._workers]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("withhold_because") and not (data.get("note") or "").strip():
            self.add_error("note", "Write the note you want to keep from them")
        return data


class NoteForm(_WithholdCleaning):
    """Write a note on its own, or a correction of an earlier one."""

    text = forms.CharField(
        label="Note",
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={
            "required": "Enter the note",
            "max_length": f"The note must be {NOTE_MAX_LENGTH:,} characters or fewer",
        },
    )

    def __init__(self, *args: Any, name: str, label: str = "Note", hint: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.fields["text"].help_text = hint or f"{name} can read this note, unless you keep it from them below."
        self.fields["text"].error_messages["required"] = f"Enter the {label.lower()}"
        _add_withhold_fields(self, name, required=False)


class WithholdForm(_WithholdCleaning):
    """Keep a note from the person: the grounds, the words and the date to look again are all needed."""

    def __init__(self, *args: Any, name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _add_withhold_fields(self, name, required=True)


def withhold_values(data: dict[str, Any], *, named: str = "write") -> dict[str, Any]:
    """The withholding answers of a cleaned form, named as `contact_record` and `note_write` take them
    (or, with named="service", as `note_withhold` and `withholding_problems` take them)."""
    because: str = data.get("withhold_because") or ""
    reason: str = data.get("withheld_reason") or ""
    review_on: dt.date | None = data.get("withheld_review_on")
    if named == "service":
        return {"because": because, "reason": reason, "review_on": review_on}
    return {"withhold_because": because, "withheld_reason": reason, "withheld_review_on": review_on}
