"""The introducer form for signed-in partner staff and GPs: one page, grouped, in the NHS error style.

Staff are not the public, so everything is on one page. What we know about the introducer (their
name, job, organisation and email) comes from their sign-in, not from the form.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from livingwell.access.models import (
    PARTNER_SOURCES,
    PersonAware,
    Place,
    Source,
    UnsafeNow,
    WorkerPreference,
)
from livingwell.core.forms import NHSDateField
from livingwell.people.nhs_number import normalise_nhs_number, validate_nhs_number
from livingwell.people.services import normalise_postcode

# How the person may be contacted: each choice is one of the person's `may_*` fields.
CONTACT_WAYS = (
    ("may_phone", "Phone call"),
    ("may_text", "Text message"),
    ("may_email", "Email"),
    ("may_write", "Letter"),
    ("may_leave_message", "Leaving a message"),
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _no_control_characters(value: str) -> None:
    if _CONTROL.search(value):
        raise ValidationError("Remove the control characters from the text", code="control_character")


def _text(label: str, max_length: int, *, hint: str = "", rows: int = 0, **widget_attrs: str) -> forms.CharField:
    widget: forms.Widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(attrs=widget_attrs or None)
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        help_text=hint,
        strip=not rows,  # what they wrote is stored as typed; single lines lose stray spaces
        widget=widget,
        validators=[_no_control_characters],
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
    )


class IntroducerForm(forms.Form):
    """Everything a member of staff tells us when they introduce someone."""

    # A one-time key for this copy of the form, so that a double click or a resubmit makes one introduction.
    submission = forms.UUIDField(widget=forms.HiddenInput)

    # Where they introduce from (asked only when they work for more than one organisation).
    organisation = forms.ChoiceField(
        label="Which organisation are you introducing them from?",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select the organisation you are introducing them from"},
    )
    source = forms.ChoiceField(
        label="What kind of service are you?",
        choices=[(s.value, "Another kind of service" if s == Source.OTHER else s.label) for s in PARTNER_SOURCES],
        widget=forms.Select,
        error_messages={
            "required": "Select what kind of service you are",
            "invalid_choice": "Select what kind of service you are",
        },
    )
    introducer_phone = forms.CharField(
        label="Your phone number",
        max_length=30,
        required=False,
        help_text="So that the Hub can talk to you about the introduction",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "classes": "nhsuk-input--width-20"}),
    )

    # The person.
    given_name = forms.CharField(
        label="First name",
        max_length=100,
        validators=[_no_control_characters],
        error_messages={
            "required": "Enter the person's first name",
            "max_length": "First name must be 100 characters or fewer",
        },
    )
    family_name = _text("Last name", 100)
    date_of_birth = NHSDateField(
        label="Date of birth", past_only=True, required=False, help_text="For example, 15 3 1984"
    )
    nhs_number = forms.CharField(
        label="NHS number",
        max_length=14,
        required=False,
        help_text="This is a 10 digit number, like 999 123 4567",
        error_messages={"max_length": "NHS number must be 10 digits long"},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "spellcheck": "false", "classes": "nhsuk-input--width-10"}
        ),
    )

    # How to reach them.
    phone = forms.CharField(
        label="Phone number",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "classes": "nhsuk-input--width-20"}),
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address in the right format, like name@example.com"},
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    address_line_1 = _text("Address line 1", 120)
    town = _text("Town or city", 80, classes="nhsuk-u-width-two-thirds")
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        required=False,
        error_messages={"max_length": "Enter a full UK postcode, like SW9 8AB"},
        widget=forms.TextInput(attrs={"classes": "nhsuk-input--width-10"}),
    )
    contact_ways = forms.MultipleChoiceField(
        label="How may we contact them?",
        choices=CONTACT_WAYS,
        required=False,
        help_text="Select all that they are happy with",
        widget=forms.CheckboxSelectMultiple,
    )
    contact_times = _text("When is it OK to contact them?", 200, hint="For example, weekday mornings")

    # What has brought them here.
    in_their_words = _text(
        "What has brought them here?",
        5000,
        hint="In the person's own words if you can. They will not have to tell their story again.",
        rows=6,
    )
    person_aware = forms.ChoiceField(
        label="Does the person know about this introduction?",
        choices=PersonAware.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the person knows about this introduction"},
    )
    agrees_to_share = forms.BooleanField(
        label="They agree to their information being shared within the Living Well network", required=False
    )
    unsafe_now = forms.ChoiceField(
        label="Is anything making them feel unsafe right now?",
        choices=[(UnsafeNow.YES, "Yes"), (UnsafeNow.NO, "No"), (UnsafeNow.NOT_SURE, "Not sure")],
        required=False,
        help_text="If they are in danger now, call 999. If they say yes, the Hub will contact them today.",
        widget=forms.RadioSelect,
    )
    urgent = forms.BooleanField(label="They need contact today", required=False)

    # Anything we should know.
    first_language = _text("First language", 60)
    interpreter_needed = forms.BooleanField(label="They would like an interpreter", required=False)
    access_needs = _text(
        "Access needs",
        2000,
        hint="Anything that makes it easier to meet or talk, such as step-free access or large print",
        rows=3,
    )
    preferred_places = forms.MultipleChoiceField(
        label="Where would they like to meet?",
        choices=Place.choices,
        required=False,
        help_text="Select all that they would be happy with",
        widget=forms.CheckboxSelectMultiple,
    )
    worker_preferences = forms.MultipleChoiceField(
        label="Would they like to meet someone in particular?",
        # The public journey's labels speak as the person ("my language"); here staff speak about them.
        choices=[
            (w.value, "Someone who speaks their language" if w == WorkerPreference.SAME_LANGUAGE else w.label)
            for w in WorkerPreference
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organisations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.choices = organisations  # type: ignore[attr-defined]
        if len(organisations) > 1:
            field.required = True
            field.error_messages["required"] = "Select the organisation you are introducing them from"
        else:
            del self.fields["organisation"]

    @property
    def asks_organisation(self) -> bool:
        return "organisation" in self.fields

    def clean_given_name(self) -> str:
        value: str = self.cleaned_data["given_name"]
        if not value.strip():
            raise ValidationError("Enter the person's first name", code="required")
        return value

    def clean_nhs_number(self) -> str:
        value: str = self.cleaned_data["nhs_number"].strip()
        if value:
            validate_nhs_number(value)
            return normalise_nhs_number(value)
        return value

    def clean_postcode(self) -> str:
        value: str = self.cleaned_data["postcode"]
        return normalise_postcode(value) if value.strip() else ""

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data["phone"])

    def clean_introducer_phone(self) -> str:
        return _clean_phone(self.cleaned_data["introducer_phone"])

    def person(self) -> dict[str, Any]:
        """The person's fields as the front door's service takes them."""
        data = self.cleaned_data
        ways = set(data.get("contact_ways") or ())
        return {
            "given_name": data["given_name"],
            "family_name": data["family_name"],
            "date_of_birth": data["date_of_birth"],
            "nhs_number": data["nhs_number"],
            "phone": data["phone"],
            "email": data["email"],
            "address_line_1": data["address_line_1"],
            "town": data["town"],
            "postcode": data["postcode"],
            "contact_times": data["contact_times"],
            "first_language": data["first_language"],
            "interpreter_needed": data["interpreter_needed"],
            "access_needs": data["access_needs"],
            **{name: name in ways for name, _ in CONTACT_WAYS},
        }


def _clean_phone(value: str) -> str:
    value = value.strip()
    digits = re.sub(r"[\s+()\-]", "", value)
    if value and (not (digits.isascii() and digits.isdigit()) or not 10 <= len(digits) <= 13):
        raise ValidationError("Enter a phone number, like 07700 900 982 or 020 7946 0991", code="phone")
    return value
