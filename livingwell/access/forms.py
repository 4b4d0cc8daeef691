"""Forms for the Hub's work at the front door, with messages in the NHS service manual's style."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone

from livingwell.access.models import (
    AttemptOutcome,
    ContactMethod,
    ConversationOutcome,
    NotifyBy,
    Place,
    Source,
)
from livingwell.access.selectors import WorkerFit, queue_states
from livingwell.core.forms import NHSDateField
from livingwell.network.models import Locality, Organisation, Team
from livingwell.support.models import WorkerKind

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*(am|pm)?\s*$", re.IGNORECASE)


def _time_field(label: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=8,
        help_text="Use the 24-hour clock, for example 14:30",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "classes": "nhsuk-input--width-5"}),
        error_messages={"required": f"Enter {label.lower()}"},
    )


def parse_time(value: str) -> dt.time:
    match = _TIME.match(value or "")
    if not match:
        raise forms.ValidationError("Enter a real time, like 14:30", code="invalid_time")
    hour, minute, suffix = int(match.group(1)), int(match.group(2)), (match.group(3) or "").lower()
    if suffix == "pm" and hour < 12:
        hour += 12
    if suffix == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        raise forms.ValidationError("Enter a real time, like 14:30", code="invalid_time")
    return dt.time(hour, minute)


class _WhenForm(forms.Form):
    """A date and a time, combined into `cleaned_data['at']` in the site's time zone."""

    date_label = "Date"
    time_label = "Time"
    past_only = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"] = NHSDateField(
            label=self.date_label,
            past_only=self.past_only,
            help_text="For example, 15 3 2026",
            error_messages={"required": f"Enter the {self.date_label.lower()}"},
        )
        self.fields["time"] = _time_field(self.time_label)
        self.order_fields(["date", "time"])

    def clean_time(self) -> dt.time:
        return parse_time(self.cleaned_data.get("time", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if isinstance(data.get("date"), dt.date) and isinstance(data.get("time"), dt.time):
            data["at"] = timezone.make_aware(dt.datetime.combine(data["date"], data["time"]))
            if self.past_only and data["at"] > timezone.now() + dt.timedelta(minutes=5):
                self.add_error("time", "The time must be in the past")
        return data


def now_initial() -> dict[str, Any]:
    now = timezone.localtime()
    return {"date": now.date(), "time": f"{now:%H:%M}"}


class QueueFilterForm(forms.Form):
    locality = forms.ChoiceField(label="Area", required=False)
    source = forms.ChoiceField(label="Introduced by", required=False, choices=[("", "Anyone"), *Source.choices])
    language = forms.CharField(label="First language", required=False, max_length=60)
    state = forms.ChoiceField(label="Where it is", required=False)
    urgent = forms.BooleanField(label="Urgent only", required=False)

    def __init__(self, *args: Any, localities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["locality"].choices = [("", "All areas"), *localities]  # type: ignore[attr-defined]
        self.fields["state"].choices = [("", "Waiting (all open)"), *queue_states()]  # type: ignore[attr-defined]


class AttemptForm(_WhenForm):
    date_label = "Date of the attempt"
    time_label = "Time of the attempt"
    method = forms.ChoiceField(
        label="How did you try?",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you tried to get in touch"},
    )
    outcome = forms.ChoiceField(
        label="What happened?",
        choices=AttemptOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened"},
    )
    note = forms.CharField(label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class BookingForm(_WhenForm):
    date_label = "Date of the first conversation"
    time_label = "Start time"
    past_only = False
    place = forms.ChoiceField(
        label="Where, as the person chose",
        choices=Place.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the first conversation will be"},
    )
    place_detail = forms.CharField(
        label="Where exactly",
        required=False,
        max_length=200,
        help_text="For example, the café at Brixton Library, or the number we will call",
    )
    worker = forms.ChoiceField(
        label="Who will meet them",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who will meet them"},
    )
    notify_by = forms.ChoiceField(
        label="How shall we tell them?",
        choices=NotifyBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how we will tell them about the booking"},
    )

    def __init__(self, *args: Any, workers: list[WorkerFit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [  # type: ignore[attr-defined]
            (str(w.user_id), _worker_label(w)) for w in workers
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        at = data.get("at")
        if at is not None and at < timezone.now() - dt.timedelta(hours=12):
            self.add_error("date", "The first conversation must be today or later")
        return data


def _worker_label(w: WorkerFit) -> str:
    parts = [w.name, w.roles]
    if w.team:
        parts.append(w.team)
    label = ", ".join(parts)
    if w.fits:
        label += f" (fits: {', '.join(w.fits)})"
    return f"{label}; {w.upcoming} first conversations booked"


class CancelBookingForm(forms.Form):
    what = forms.ChoiceField(
        label="What happened to the booking?",
        choices=[("cancelled", "It is cancelled or needs a new time"), ("not_attended", "It did not happen")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened to the booking"},
    )
    note = forms.CharField(label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why does the person not want support now?",
        help_text="In their words if you can. They can come back at any time.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why, in the person's words if you can"},
    )


class NoteForm(forms.Form):
    note = forms.CharField(label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class FollowUpForm(forms.Form):
    note = forms.CharField(
        label="What did you find out?",
        help_text="Is the person getting the help they went for?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what you found out"},
    )


class MatchForm(forms.Form):
    same_person = forms.ChoiceField(
        label="Is this the same person?",
        choices=[("yes", "Yes, it is the same person: join the records"), ("no", "No, it is someone else")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether this is the same person"},
    )


class SecondContactForm(_WhenForm):
    date_label = "Date of the second contact"
    time_label = "Time of the second contact"


class FirstConversationForm(_WhenForm):
    date_label = "Date of the first conversation"
    time_label = "Time"
    place = forms.ChoiceField(
        label="Where did you meet?",
        choices=Place.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where you met"},
    )
    what_brought_me_here = forms.CharField(
        label="What brought me here", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    going_well = forms.CharField(
        label="What is going well", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    hard = forms.CharField(
        label="What is hard", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    would_like_to_achieve = forms.CharField(
        label="What I would like to achieve", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    who_can_help = forms.CharField(
        label="Who can help", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.ChoiceField(
        label="What happens next, as agreed with the person?",
        choices=ConversationOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happens next"},
    )
    team = forms.ChoiceField(label="Team that will support them (for Living Well support)", required=False)
    wanted_kind = forms.ChoiceField(
        label="What kind of worker would they like? (for Living Well support)",
        choices=WorkerKind.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose a kind of worker from the list"},
    )
    wanted_worker = forms.ChoiceField(
        label="Someone they would like by name (for Living Well support)",
        required=False,
        help_text="For example, someone they have met before",
        error_messages={"invalid_choice": "Choose someone from the list"},
    )
    wanted_note = forms.CharField(
        label="Anything else about the worker (for Living Well support)",
        required=False,
        max_length=300,
        help_text="For example, a woman, or someone who speaks Somali",
    )
    community_offers = forms.CharField(
        label="Community offers you talked about",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    handover_to = forms.CharField(label="Handed over to (for a warm handover)", required=False, max_length=200)
    handover_organisation = forms.ChoiceField(label="Organisation (for a warm handover)", required=False)
    handover_reason = forms.CharField(
        label="Why, and what the person wants from it (for a warm handover)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(
        label="What we agreed", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self,
        *args: Any,
        teams: list[Team],
        organisations: list[Organisation],
        workers: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "Choose a team"), *((str(t.pk), t.name) for t in teams)]  # type: ignore[attr-defined]
        self.fields["wanted_worker"].choices = [("", "Nobody in particular"), *(workers or [])]  # type: ignore[attr-defined]
        self.fields["handover_organisation"].choices = [  # type: ignore[attr-defined]
            ("", "Not a partner organisation"),
            *((str(o.pk), o.name) for o in organisations),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        outcome = data.get("outcome")
        if outcome == ConversationOutcome.SUPPORT and not data.get("team"):
            self.add_error("team", "Choose the team that will support the person")
        if not data.get("wanted_kind"):
            data["wanted_kind"] = WorkerKind.NO_PREFERENCE.value
        if outcome == ConversationOutcome.HANDOVER:
            if not (data.get("handover_to") or "").strip():
                self.add_error("handover_to", "Enter who the person is being handed over to")
            if not (data.get("handover_reason") or "").strip():
                self.add_error("handover_reason", "Say why, and what the person wants from it")
        return data


def localities_for(site_ids: set[Any]) -> list[tuple[str, str]]:
    return [(str(loc.pk), loc.name) for loc in Locality.objects.filter(site_id__in=site_ids).order_by("name")]
