"""The search form for community offers (a GET form: it changes nothing)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms

from .geo import normalise_postcode
from .presenters import DAY_NAMES, METRES_PER_MILE
from .search import CategoryChoice, OfferFilters

WITHIN_MILES = [("0.5", "Half a mile"), ("1", "1 mile"), ("2", "2 miles"), ("5", "5 miles")]
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


def parse_clock(text: str) -> dt.time | None:
    """'10am', '10:30am', '2pm', '14:30', 'midday', 'noon', 'midnight' -> a time, else None."""
    text = text.strip().lower().replace(" ", "")
    if text in ("midday", "noon", "12noon"):
        return dt.time(12, 0)
    if text == "midnight":
        return dt.time(0, 0)
    match = _TIME.match(text)
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match.group(2) is None:
        return None  # '10' alone: morning or evening?
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


class OfferSearchForm(forms.Form):
    q = forms.CharField(
        label="What are you looking for?",
        help_text="For example: walking, art, debt advice",
        max_length=200,
        required=False,
    )
    category = forms.MultipleChoiceField(label="Category", required=False, widget=forms.CheckboxSelectMultiple)
    near_home = forms.BooleanField(label="Near home", required=False)
    postcode = forms.CharField(label="Near a postcode", help_text="For example, SW9 8AB", max_length=20, required=False)
    within = forms.ChoiceField(label="Within", choices=[("", "Any distance"), *WITHIN_MILES], required=False)
    day = forms.ChoiceField(
        label="Open on", choices=[("", "Any day"), *[(str(i), d) for i, d in enumerate(DAY_NAMES)]], required=False
    )
    at = forms.CharField(label="At", help_text="For example, 10am or 2:30pm", max_length=20, required=False)
    free = forms.BooleanField(label="Free of charge only", required=False)
    language = forms.CharField(label="Language", help_text="For example, Polish or pl", max_length=50, required=False)
    accessibility = forms.CharField(
        label="Access needs",
        help_text="For example: wheelchair, step-free, hearing loop",
        max_length=100,
        required=False,
    )

    def __init__(
        self,
        data: Any = None,
        *,
        categories: list[CategoryChoice],
        home_label: str = "",
        home_postcode: str = "",
    ) -> None:
        super().__init__(data)
        self.home_postcode = home_postcode
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = f"{field.label} must be {field.max_length} characters or fewer"
        self.fields["category"].choices = [(c.id, f"{c.name} ({c.count})") for c in categories]  # type: ignore[attr-defined]
        if home_label:
            self.fields["near_home"].label = home_label
        else:
            del self.fields["near_home"]

    def clean_postcode(self) -> str:
        text: str = self.cleaned_data.get("postcode", "").strip()
        if text and not normalise_postcode(text):
            raise forms.ValidationError("Enter a real postcode, like SW9 8AB")
        return text

    def clean_at(self) -> dt.time | None:
        text: str = self.cleaned_data.get("at", "").strip()
        if not text:
            return None
        value = parse_clock(text)
        if value is None:
            raise forms.ValidationError("Enter a time, like 10am or 2:30pm")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("at") is not None and data.get("day") in (None, "") and "at" not in self.errors:
            self.add_error("day", "Choose the day you want it to be open at that time")
        near_home = data.get("near_home")
        if data.get("within") and not (data.get("postcode") or near_home) and "postcode" not in self.errors:
            self.add_error("postcode", "Enter a postcode to search within a distance of it")
        return data

    def filters(self) -> OfferFilters:
        data = self.cleaned_data
        postcode = self.home_postcode if data.get("near_home") and self.home_postcode else data.get("postcode", "")
        within = data.get("within")
        return OfferFilters(
            text=data.get("q", ""),
            term_ids=tuple(data.get("category") or ()),
            postcode=postcode,
            within_metres=float(within) * METRES_PER_MILE if within else None,
            day=int(data["day"]) if data.get("day") not in (None, "") else None,
            at=data.get("at"),
            free_only=bool(data.get("free")),
            language=data.get("language", ""),
            accessibility=data.get("accessibility", ""),
        )
