"""The offer form (adding, changing and suggesting an offer), and the curators' small forms."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms

from livingwell.core.concurrency import VersionField

from .curation import COST_CHARGE, COST_FREE, COST_UNKNOWN, MAX_SLOTS, OfferAnswers, Slot
from .forms import parse_clock
from .geo import normalise_postcode
from .presenters import DAY_NAMES
from .search import CategoryChoice

_PHONE = re.compile(r"^\+?[\d\s()\-]+$")
COST_CHOICES = [
    (COST_FREE, "No, it is free"),
    (COST_CHARGE, "Yes, there is a charge"),
    (COST_UNKNOWN, "Not sure"),
]


def _text(
    label: str, *, required: bool = False, max_length: int = 200, help_text: str = "", **kwargs: Any
) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length, help_text=help_text, **kwargs)


class OfferForm(forms.Form):
    name = _text(
        "Name of the offer", required=True, max_length=300, help_text="For example, Brockwell Park walking group"
    )
    organisation = _text(
        "Who runs it",
        required=True,
        max_length=300,
        help_text="The organisation, or the name the group goes by",
    )
    informal = forms.BooleanField(
        label="This is an informal group: a group of people rather than a registered organisation", required=False
    )
    description = forms.CharField(
        label="What happens there",
        help_text="What someone going along can expect, in a few sentences",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    categories = forms.MultipleChoiceField(label="Categories", required=False, widget=forms.CheckboxSelectMultiple)
    online = forms.BooleanField(label="It happens online or by phone only, not at a place", required=False)
    venue = _text("Name of the place", max_length=300, help_text="For example, Brockwell Park or St Jude's church hall")
    address_1 = _text("Address line 1", max_length=300)
    address_2 = _text("Address line 2", max_length=300)
    town = _text("Town or city", max_length=100)
    postcode = _text("Postcode", max_length=10, help_text="We use it to put the offer on the map")
    other_times = forms.CharField(
        label="Other times",
        help_text="Times that are not every week, in words: for example, the first Saturday of the month, 2pm to 4pm",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    cost = forms.ChoiceField(label="Does it cost anything?", choices=COST_CHOICES, widget=forms.RadioSelect)
    charge = _text("What it costs", max_length=300, help_text="For example, £3 a session, or pay what you can")
    languages = _text("Languages", max_length=300, help_text="Separate them with commas: for example, English, Polish")
    accessibility = forms.CharField(
        label="Access",
        help_text="For example: step-free entrance, accessible toilet, hearing loop",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    minimum_age = forms.IntegerField(label="Minimum age", min_value=0, max_value=120, required=False)
    maximum_age = forms.IntegerField(label="Maximum age", min_value=0, max_value=120, required=False)
    phone = _text("Phone", max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    email = forms.EmailField(label="Email", max_length=254, required=False)
    website = forms.URLField(label="Website", max_length=500, required=False, assume_scheme="https")

    def __init__(
        self,
        data: Any = None,
        *,
        categories: Iterable[CategoryChoice],
        initial: dict[str, Any] | None = None,
        versioned: bool = False,
    ) -> None:
        super().__init__(data, initial=initial)
        day_choices = [("", "No day"), *[(str(i), d) for i, d in enumerate(DAY_NAMES)]]
        for number in range(1, MAX_SLOTS + 1):
            self.fields[f"slot_{number}_day"] = forms.ChoiceField(label="Day", choices=day_choices, required=False)
            self.fields[f"slot_{number}_opens"] = _text("Opens", max_length=20, help_text="For example, 10am")
            self.fields[f"slot_{number}_closes"] = _text("Closes", max_length=20, help_text="For example, 12:30pm")
        if versioned:
            self.fields["version"] = VersionField()
        self.fields["categories"].choices = [(c.id, c.name) for c in categories]  # type: ignore[attr-defined]
        required = {
            "name": "Enter the name of the offer",
            "organisation": "Enter who runs it",
            "description": "Say what happens there",
            "cost": "Say whether it costs anything",
        }
        for name, bound in self.fields.items():
            if name in required:
                bound.error_messages["required"] = required[name]
            if isinstance(bound, forms.CharField) and bound.max_length:
                bound.error_messages["max_length"] = f"{bound.label} must be {bound.max_length} characters or fewer"
        self.fields["email"].error_messages["invalid"] = "Enter an email address like name@example.org"
        self.fields["website"].error_messages["invalid"] = "Enter a web address like https://example.org"
        for name in ("minimum_age", "maximum_age"):
            self.fields[name].error_messages.update(
                {
                    "invalid": f"{self.fields[name].label} must be a whole number",
                    "min_value": f"{self.fields[name].label} must be 0 or more",
                    "max_value": f"{self.fields[name].label} must be 120 or less",
                }
            )

    def slot_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"slot_{n}_day"], self[f"slot_{n}_opens"], self[f"slot_{n}_closes"]) for n in range(1, MAX_SLOTS + 1)
        ]

    def clean_postcode(self) -> str:
        text: str = self.cleaned_data.get("postcode", "").strip()
        if text and not normalise_postcode(text):
            raise forms.ValidationError("Enter a real postcode, like SW9 8AB")
        return text

    def clean_phone(self) -> str:
        text: str = self.cleaned_data.get("phone", "").strip()
        if text and (not _PHONE.match(text) or len(re.sub(r"\D", "", text)) < 8):
            raise forms.ValidationError("Enter a phone number, like 020 7946 0000")
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("online"):
            for name, message in (
                ("address_1", "Enter the first line of the address, or say it happens online or by phone only"),
                ("town", "Enter the town or city"),
                ("postcode", "Enter the postcode"),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        if data.get("cost") == COST_CHARGE and not (data.get("charge") or "").strip() and "charge" not in self.errors:
            self.add_error("charge", "Say what it costs")
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and high < low and "maximum_age" not in self.errors:
            self.add_error("maximum_age", "The maximum age must be the same as or more than the minimum age")
        for number in range(1, MAX_SLOTS + 1):
            self._clean_slot(number, data)
        return data

    def _clean_slot(self, number: int, data: dict[str, Any]) -> None:
        day, opens_text, closes_text = (data.get(f"slot_{number}_{k}") or "" for k in ("day", "opens", "closes"))
        if not (day or opens_text or closes_text):
            return
        which = "" if number == 1 else f" for time {number}"
        if not day:
            self.add_error(f"slot_{number}_day", f"Choose the day{which}")
        opens = parse_clock(opens_text) if opens_text else None
        closes = parse_clock(closes_text) if closes_text else None
        if opens is None:
            self.add_error(f"slot_{number}_opens", f"Enter the opening time{which}, like 10am")
        if closes is None:
            self.add_error(f"slot_{number}_closes", f"Enter the closing time{which}, like 12:30pm")
        if opens is not None and closes is not None and closes <= opens:
            self.add_error(f"slot_{number}_closes", f"The closing time{which} must be after the opening time")
        data[f"slot_{number}"] = Slot(day=int(day), opens=opens, closes=closes) if day and opens and closes else None

    def answers(self) -> OfferAnswers:
        data = self.cleaned_data
        online = bool(data.get("online"))
        slots = tuple(s for n in range(1, MAX_SLOTS + 1) if (s := data.get(f"slot_{n}")) is not None)
        return OfferAnswers(
            name=data["name"],
            organisation=data["organisation"],
            informal=bool(data.get("informal")),
            description=data["description"],
            categories=tuple(data.get("categories") or ()),
            online=online,
            venue="" if online else data.get("venue", ""),
            address_1="" if online else data.get("address_1", ""),
            address_2="" if online else data.get("address_2", ""),
            town="" if online else data.get("town", ""),
            postcode="" if online else data.get("postcode", ""),
            slots=slots,
            other_times=data.get("other_times", ""),
            cost=data["cost"],
            charge=data.get("charge", "") if data["cost"] == COST_CHARGE else "",
            languages=tuple(n.strip() for n in data.get("languages", "").split(",") if n.strip()),
            accessibility=data.get("accessibility", ""),
            minimum_age=data.get("minimum_age"),
            maximum_age=data.get("maximum_age"),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            website=data.get("website", ""),
        )


class NoteForm(forms.Form):
    """Why a suggestion is not added (the person who suggested it reads this)."""

    note = forms.CharField(
        label="Why it is not being added",
        help_text="The person who suggested it will read this, so write to them: for example, it has closed, or it is already in the directory",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why it is not being added: the person who suggested it will read this"},
    )


class ReasonForm(forms.Form):
    """Why an offer is taken out of the directory."""

    reason = forms.CharField(
        label="Why it is being taken out of the directory",
        help_text="For example: it has closed, or people told us it no longer meets",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why it is being taken out of the directory"},
    )


class PublishForm(forms.Form):
    version = VersionField()
