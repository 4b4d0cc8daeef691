"""Forms for sessions, replies, attendance, notes, actions and the rota of open events."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django import forms

from livingwell.collaborative import rota
from livingwell.collaborative.models import ActionStatus, Member, Reply
from livingwell.collaborative.sessions import OPEN_EVENT_TITLE, RotaPlan, SessionAnswers
from livingwell.community.forms import parse_clock
from livingwell.community.geo import normalise_postcode
from livingwell.core.concurrency import VersionField
from livingwell.core.forms import NHSDateField
from livingwell.network.models import Organisation


def _lengths(form: forms.BaseForm) -> None:
    for bound in form.fields.values():
        if isinstance(bound, forms.CharField) and bound.max_length:
            bound.error_messages["max_length"] = f"{bound.label} must be {bound.max_length} characters or fewer"


class ClockField(forms.CharField):
    """A time of day typed as people write it: 6pm, 6:30pm, 18:30, midday."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> dt.time | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        parsed = parse_clock(text)
        if parsed is None:
            raise forms.ValidationError(f"Enter {str(self.label).lower()} like 6pm or 18:30")
        return parsed


def _member_choices(members: Iterable[Member]) -> list[tuple[str, str]]:
    return [(str(m.pk), m.known_as) for m in members]


class SessionForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Design Team: the front door",
        error_messages={"required": "Enter a title"},
    )
    date = NHSDateField(
        label="Date",
        help_text="For example, 10 3 2027. You can also add a session that already happened, to record who came",
        error_messages={"required": "Enter the date"},
    )
    starts = ClockField(
        label="Start time", help_text="For example, 6pm or 18:00", error_messages={"required": "Enter the start time"}
    )
    ends = ClockField(
        label="End time", help_text="For example, 8pm or 20:00", error_messages={"required": "Enter the end time"}
    )
    place = forms.CharField(
        label="Where",
        max_length=300,
        required=False,
        help_text="The name and address of the place. Leave it empty if the session is only online.",
    )
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    online_link = forms.URLField(
        label="Link to join online",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address like https://meet.example.org/abc"},
    )
    how_to_get_there = forms.CharField(
        label="Getting there and access",
        max_length=2000,
        required=False,
        help_text="Step-free access, hearing loop, buses, what to expect when you arrive.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    agenda = forms.CharField(label="Agenda", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 6}))
    is_open_event = forms.BooleanField(
        label="Open event: anyone may come. It is listed on the public pages.", required=False
    )
    host_organisation = forms.ChoiceField(label="Host organisation", required=False)
    host_member = forms.ChoiceField(
        label="Host", required=False, help_text="A member of the group who welcomes people."
    )

    def __init__(
        self,
        data: Any = None,
        *,
        organisations: Iterable[Organisation],
        members: Iterable[Member],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        organisation_choices = [("", "No host organisation"), *[(str(o.pk), o.name) for o in organisations]]
        self.fields["host_organisation"].choices = organisation_choices  # type: ignore[attr-defined]
        self.fields["host_member"].choices = [("", "No host"), *_member_choices(members)]  # type: ignore[attr-defined]
        _lengths(self)

    def clean_postcode(self) -> str:
        text: str = self.cleaned_data.get("postcode", "").strip()
        if text and not normalise_postcode(text):
            raise forms.ValidationError("Enter a real postcode, like SW9 8AB")
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and ends <= starts and "ends" not in self.errors:
            self.add_error("ends", "The end time must be after the start time")
        if not (data.get("place") or "").strip() and not data.get("online_link") and "place" not in self.errors:
            self.add_error("place", "Say where the session is, or give a link to join online")
        return data

    def answers(self) -> SessionAnswers:
        data = self.cleaned_data
        return SessionAnswers(
            title=data["title"],
            date=data["date"],
            starts=data["starts"],
            ends=data["ends"],
            place=data.get("place", ""),
            postcode=data.get("postcode", ""),
            online_link=data.get("online_link", ""),
            how_to_get_there=data.get("how_to_get_there", ""),
            agenda=data.get("agenda", ""),
            is_open_event=bool(data.get("is_open_event")),
            host_organisation_id=uuid.UUID(data["host_organisation"]) if data.get("host_organisation") else None,
            host_member_id=uuid.UUID(data["host_member"]) if data.get("host_member") else None,
        )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is it cancelled?",
        help_text="Members will read this. For example: the room is not available; we will meet next month instead.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the session is cancelled: members will read this"},
    )


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(
        label="Are you coming?",
        choices=[(Reply.COMING, "Yes, I am coming"), (Reply.NOT_COMING, "No, I send my apologies")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you are coming"},
    )


class AttendanceForm(forms.Form):
    attended = forms.MultipleChoiceField(label="Who came", required=False, widget=forms.CheckboxSelectMultiple)
    also = forms.ChoiceField(
        label="Someone else who came",
        required=False,
        help_text="A member of the Collaborative who is not in the list above.",
    )
    guests = forms.IntegerField(
        label="People who came who are not members",
        min_value=0,
        max_value=10000,
        initial=0,
        help_text="Guests count in the total, not in the mix of perspectives: we do not ask them.",
        error_messages={
            "required": "Enter the number of guests, or 0",
            "invalid": "The number of guests must be a whole number, like 3",
            "min_value": "The number of guests must be 0 or more",
            "max_value": "The number of guests must be 10000 or fewer",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        listed: Iterable[Member],
        others: Iterable[Member],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        self.fields["attended"].choices = _member_choices(listed)  # type: ignore[attr-defined]
        self.fields["also"].choices = [("", "No one else"), *_member_choices(others)]  # type: ignore[attr-defined]

    def attended_ids(self) -> set[uuid.UUID]:
        ids = {uuid.UUID(v) for v in self.cleaned_data.get("attended") or []}
        if self.cleaned_data.get("also"):
            ids.add(uuid.UUID(self.cleaned_data["also"]))
        return ids


class NotesForm(forms.Form):
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=20000,
        help_text="What was talked about and agreed. Members of the group read these. Do not write anything about someone's health or support.",
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _lengths(self)


class ActionForm(forms.Form):
    description = forms.CharField(
        label="What will be done",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what will be done"},
    )
    owner = forms.ChoiceField(label="Who will do it", error_messages={"required": "Choose who will do it"})
    due_on = NHSDateField(
        label="By when", help_text="For example, 27 3 2027", error_messages={"required": "Enter the date it is due"}
    )

    def __init__(self, data: Any = None, *, members: Iterable[Member]) -> None:
        super().__init__(data)
        self.fields["owner"].choices = _member_choices(members)  # type: ignore[attr-defined]
        _lengths(self)

    def owner_id(self) -> uuid.UUID:
        return uuid.UUID(self.cleaned_data["owner"])


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="What happened",
        choices=[
            (ActionStatus.DONE, "It is done"),
            (ActionStatus.DROPPED, "It is dropped: it will not be done"),
            (ActionStatus.OPEN, "It is not done yet: open it again"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened"},
    )
    outcome = forms.CharField(
        label="What happened, or why it is dropped",
        required=False,
        max_length=2000,
        help_text="Optional when it is done. If it is dropped, say why.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, data: Any = None, *, current: str) -> None:
        super().__init__(data)
        field = self.fields["status"]
        field.choices = [c for c in field.choices if c[0] != current]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == ActionStatus.DROPPED and not (data.get("outcome") or "").strip():
            self.add_error("outcome", "Say why the action is dropped")
        return data


NTH_CHOICES = [(str(n), label) for n, label in ((1, "First"), (2, "Second"), (3, "Third"), (4, "Fourth"), (-1, "Last"))]


class RotaForm(forms.Form):
    months = forms.IntegerField(
        label="How many months ahead",
        min_value=1,
        max_value=12,
        initial=6,
        help_text="From 1 to 12. Months that already have an open event keep it.",
        error_messages={
            "required": "Enter how many months ahead to plan",
            "invalid": "Months must be a whole number from 1 to 12",
            "min_value": "Plan at least 1 month ahead",
            "max_value": "Plan 12 months ahead or fewer",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    nth = forms.ChoiceField(
        label="Which week of the month",
        choices=NTH_CHOICES,
        initial="2",
        error_messages={"required": "Choose which week of the month"},
    )
    weekday = forms.ChoiceField(
        label="Day of the week",
        choices=[(str(i), d) for i, d in enumerate(rota.WEEKDAYS)],
        initial="1",
        error_messages={"required": "Choose the day of the week"},
    )
    starts = ClockField(label="Start time", initial="8am", error_messages={"required": "Enter the start time"})
    ends = ClockField(label="End time", initial="9:30am", error_messages={"required": "Enter the end time"})
    title = forms.CharField(
        label="Title", max_length=200, initial=OPEN_EVENT_TITLE, error_messages={"required": "Enter a title"}
    )
    place = forms.CharField(
        label="Where",
        max_length=300,
        help_text="The name and address of the usual place. You can change each event later.",
        error_messages={"required": "Say where the open events are"},
    )
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    how_to_get_there = forms.CharField(
        label="Getting there and access",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _lengths(self)

    def clean_postcode(self) -> str:
        text: str = self.cleaned_data.get("postcode", "").strip()
        if text and not normalise_postcode(text):
            raise forms.ValidationError("Enter a real postcode, like SW9 8AB")
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and ends <= starts and "ends" not in self.errors:
            self.add_error("ends", "The end time must be after the start time")
        return data

    def plan(self) -> RotaPlan:
        data = self.cleaned_data
        return RotaPlan(
            months=data["months"],
            weekday=int(data["weekday"]),
            nth=int(data["nth"]),
            starts=data["starts"],
            ends=data["ends"],
            place=data["place"],
            postcode=data.get("postcode", ""),
            how_to_get_there=data.get("how_to_get_there", ""),
            title=data["title"],
        )
