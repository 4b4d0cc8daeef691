"""The questions of the public introduction journey at /introduce/, one form per page.

Each form is worded for the person introducing themself ("your") or someone else ("their"), from
the answer to "Who are you introducing?". Messages follow the NHS service manual: specific, by the
field, and saying how to put it right. Free text is kept exactly as typed.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import TextChoices

from livingwell.access.journey import Answers, JourneyForm
from livingwell.access.models import PersonAware, Place, Source, UnsafeNow, WorkerPreference
from livingwell.access.services import IntroductionInput
from livingwell.core.forms import NHSDateField
from livingwell.network.models import Locality, Site
from livingwell.people.services import normalise_postcode

IN_THEIR_WORDS_MAX = 5000
ACCESS_NEEDS_MAX = 2000
NOT_SURE = "not_sure"


class Who(TextChoices):
    MYSELF = "myself", "Myself"
    SOMEONE_ELSE = "someone_else", "Someone else: a family member, friend or someone I know"


class YesNo(TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class Way(TextChoices):
    """Ways it is OK to contact the person, and the Person field that records each."""

    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    LEAVE_MESSAGE = "leave_message", "Leave a message"


WAY_FIELDS = {
    Way.PHONE: "may_phone",
    Way.TEXT: "may_text",
    Way.EMAIL: "may_email",
    Way.LETTER: "may_write",
    Way.LEAVE_MESSAGE: "may_leave_message",
}


def someone_else(answers: Answers) -> bool:
    return answers.value("who", "who") == Who.SOMEONE_ELSE


def words(answers: Answers) -> dict[str, str]:
    """The pronouns for the page: {"your": "your"|"their", "you": "you"|"they", ...}."""
    if someone_else(answers):
        return {"your": "their", "you": "they", "Your": "Their", "You": "They", "yourself": "themself", "me": "them"}
    return {"your": "your", "you": "you", "Your": "Your", "You": "You", "yourself": "yourself", "me": "me"}


def journey_site(answers: Answers) -> Site | None:
    """The Living Well network the introduction is for: the public site, or the one chosen."""
    site = answers.extra.get("site")
    if isinstance(site, Site):
        return site
    return site_by_id(answers.value("network", "site"))


def site_by_id(value: Any) -> Site | None:
    try:
        return Site.objects.filter(pk=uuid.UUID(str(value))).first() if value else None
    except ValueError:
        return None


def _too_long(label: str, limit: int) -> str:
    return f"{label} must be {limit} characters or fewer"


def _no_nulls(label: str) -> dict[str, str]:
    return {"null_characters_not_allowed": f"Remove the null character from {label.lower()}"}


def _text(label: str, limit: int, *, required: bool = False, missing: str = "", **kwargs: Any) -> forms.CharField:
    messages = {"max_length": _too_long(label, limit), **_no_nulls(label)}
    if missing:
        messages["required"] = missing
    return forms.CharField(label=label, max_length=limit, required=required, error_messages=messages, **kwargs)


_PHONE_PUNCTUATION = re.compile(r"[\s()+\-.]")


def clean_phone(value: str) -> str:
    """A UK or international phone number, kept as typed (less surrounding spaces)."""
    value = value.strip()
    digits = _PHONE_PUNCTUATION.sub("", value)
    if value and (not (digits.isascii() and digits.isdigit()) or not 10 <= len(digits) <= 15):
        raise ValidationError("Enter a phone number, like 07700 900 982 or 020 7946 0991", code="phone")
    return value


def _email(label: str) -> forms.EmailField:
    return forms.EmailField(
        label=label,
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the right format, like name@example.com",
            "max_length": _too_long(label, 254),
            **_no_nulls(label),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


def _phone(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=30,
        required=False,
        error_messages={"max_length": _too_long(label, 30), **_no_nulls(label)},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "classes": "nhsuk-input--width-20"}),
    )


class NetworkForm(JourneyForm):
    """Only when this installation serves several Living Well networks."""

    summary_labels = {"site": "Living Well network"}

    site = forms.ChoiceField(
        label="Which Living Well network?",
        widget=forms.RadioSelect,
        help_text="Choose the place where the person who needs support lives",
        error_messages={
            "required": "Choose the Living Well network where the person lives",
            "invalid_choice": "Choose a Living Well network from the list",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [(str(s.pk), s.name) for s in Site.objects.order_by("name")]  # type: ignore[attr-defined]


class WhoForm(JourneyForm):
    summary_labels = {"who": "Who you are introducing"}

    who = forms.ChoiceField(
        label="Who are you introducing?",
        choices=Who.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether you are introducing yourself or someone else",
            "invalid_choice": "Choose whether you are introducing yourself or someone else",
        },
    )


class AboutYouForm(JourneyForm):
    """Someone introducing someone else: who they are, and how we reach them."""

    introducer_name = _text("Your name", 150, required=True, missing="Enter your name")
    introducer_relationship = _text(
        "How do you know them?", 100, help_text="For example, I am their mother, their friend or their neighbour"
    )
    introducer_phone = _phone("Your phone number")
    introducer_email = _email("Your email address")

    summary_labels = {"introducer_relationship": "How you know them"}

    def clean_introducer_phone(self) -> str:
        return clean_phone(self.cleaned_data["introducer_phone"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            "introducer_phone" in data
            and "introducer_email" in data
            and not data["introducer_phone"]
            and not data["introducer_email"]
        ):
            self.add_error(
                "introducer_phone", "Enter your phone number or email address, so that we can get in touch with you"
            )
        return data


class PersonAwareForm(JourneyForm):
    summary_labels = {"person_aware": "Do they know about this introduction?"}

    person_aware = forms.ChoiceField(
        label="Do they know about this introduction, and agree to it?",
        choices=PersonAware.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether they know about this introduction",
            "invalid_choice": "Choose whether they know about this introduction",
        },
    )


class NameForm(JourneyForm):
    given_name = _text("First name", 100, required=True, missing="Enter your first name")
    family_name = _text("Last name", 100)
    preferred_name = _text("What would you like to be called?", 100, help_text="If it is not your first name")
    date_of_birth = NHSDateField(
        label="Date of birth",
        past_only=True,
        required=False,
        help_text="For example, 15 3 1984. It helps us find you if you have been in touch with us before.",
    )

    summary_labels = {"preferred_name": "Likes to be called"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if someone_else(self.answers):
            self.fields["given_name"].error_messages["required"] = "Enter their first name"
            self.fields["preferred_name"].label = "What do they like to be called?"
            self.fields["preferred_name"].help_text = "If it is not their first name"
            self.fields[
                "date_of_birth"
            ].help_text = "For example, 15 3 1984. It helps us find them if they have been in touch with us before."


class ContactForm(JourneyForm):
    phone = _phone("Phone number")
    email = _email("Email address")
    address_line_1 = _text("Address line 1", 120, widget=forms.TextInput(attrs={"autocomplete": "address-line1"}))
    town = _text(
        "Town or city",
        80,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2", "classes": "nhsuk-u-width-two-thirds"}),
    )
    postcode = _text(
        "Postcode",
        10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "classes": "nhsuk-input--width-10"}),
    )
    locality = forms.ChoiceField(
        label="Which area do you live in?",
        required=False,
        widget=forms.Select,
        error_messages={"invalid_choice": "Choose an area from the list, or I'm not sure"},
    )

    summary_labels = {"locality": "Area"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        w = words(self.answers)
        self.fields["locality"].label = f"Which area do {w['you']} live in?"
        site = journey_site(self.answers)
        localities = list(Locality.objects.filter(site=site).order_by("name")) if site else []
        if localities:
            self.fields["locality"].choices = [  # type: ignore[attr-defined]
                *((str(loc.pk), loc.name) for loc in localities),
                (NOT_SURE, "I'm not sure"),
            ]
        else:
            del self.fields["locality"]

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean_postcode(self) -> str:
        value: str = self.cleaned_data["postcode"]
        return normalise_postcode(value) if value.strip() else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if any(name not in data for name in ("phone", "email", "address_line_1", "postcode")):
            return data  # a field already has its own error
        if data["phone"] or data["email"]:
            return data
        if data["address_line_1"] and not data["postcode"]:
            self.add_error("postcode", "Enter the postcode, so that a letter can reach us")
        elif data["postcode"] and not data["address_line_1"]:
            self.add_error("address_line_1", "Enter the first line of the address, so that a letter can reach us")
        elif not data["address_line_1"] and not someone_else(self.answers):
            # The same rule (and words) as the service: livingwell.access.services._reachable.
            self.add_error(
                "phone", "Enter a phone number, an email address or a postal address, so that we can get in touch"
            )
        return data


def has_contact_details(answers: Answers) -> bool:
    return any(answers.value("contact", name) for name in ("phone", "email", "address_line_1"))


class ContactPreferencesForm(JourneyForm):
    ways = forms.MultipleChoiceField(
        label="How is it OK to contact you?",
        choices=Way.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={
            "required": "Choose at least one way we can contact you",
            "invalid_choice": "Choose ways to contact you from the list",
        },
    )
    contact_times = _text("When is a good time?", 200, help_text="For example, weekday mornings, or after 6pm")

    summary_labels = {"ways": "Ways to get in touch", "contact_times": "Good times"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        whom = "them" if someone_else(self.answers) else "you"
        self.fields["ways"].label = f"How is it OK to contact {whom}?"
        self.fields["ways"].error_messages["required"] = f"Choose at least one way we can contact {whom}"
        self.fields["ways"].error_messages["invalid_choice"] = f"Choose ways to contact {whom} from the list"

    def clean_ways(self) -> list[str]:
        ways: list[str] = self.cleaned_data["ways"]
        contact = {
            name: self.answers.value("contact", name) for name in ("phone", "email", "address_line_1", "postcode")
        }
        go_back = (
            "go back to their contact details" if someone_else(self.answers) else "go back to your contact details"
        )
        for way in ways:
            if way in (Way.PHONE, Way.TEXT, Way.LEAVE_MESSAGE) and not contact["phone"]:
                raise ValidationError(
                    f"You chose {Way(way).label.lower()}, but there is no phone number. "
                    f"Untick it, or {go_back} and enter a phone number",
                    code="no_phone",
                )
            if way == Way.EMAIL and not contact["email"]:
                raise ValidationError(
                    f"You chose email, but there is no email address. Untick it, or {go_back} and enter an email address",
                    code="no_email",
                )
            if way == Way.LETTER and not (contact["address_line_1"] and contact["postcode"]):
                raise ValidationError(
                    f"You chose letter, but there is no postal address. Untick it, or {go_back} and enter an address and postcode",
                    code="no_address",
                )
        return ways


class InTheirWordsForm(JourneyForm):
    in_their_words = forms.CharField(
        label="What has brought you here?",
        required=False,
        strip=False,  # kept exactly as typed
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages=_no_nulls("What has brought you here"),
    )

    summary_labels = {"in_their_words": "What has brought you here"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["in_their_words"]
        if someone_else(self.answers):
            field.label = "What has brought them here?"
            field.help_text = (
                "In your own words. You can leave this blank: they can tell us when we talk. "
                f"You can write up to {IN_THEIR_WORDS_MAX} characters."
            )
        else:
            field.help_text = (
                "In your own words, as much or as little as you like. You can leave this blank and tell us when "
                f"we talk. You can write up to {IN_THEIR_WORDS_MAX} characters."
            )

    def clean_in_their_words(self) -> str:
        value: str = self.cleaned_data["in_their_words"]
        if len(value) > IN_THEIR_WORDS_MAX:
            label = "What has brought them here" if someone_else(self.answers) else "What has brought you here"
            raise ValidationError(
                f"{label} must be {IN_THEIR_WORDS_MAX} characters or fewer. You have written {len(value)}. "
                "You can tell us the rest when we talk",
                code="max_length",
            )
        return value if value.strip() else ""


class UnsafeForm(JourneyForm):
    unsafe_now = forms.ChoiceField(
        label="Is anything making you feel unsafe right now?",
        choices=UnsafeNow.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose yes, no, or I'm not sure",
            "invalid_choice": "Choose yes, no, or I'm not sure",
        },
    )

    summary_labels = {"unsafe_now": "Feeling unsafe right now"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if someone_else(self.answers):
            self.fields["unsafe_now"].label = "Is anything making them feel unsafe right now?"


class HelpNowForm(JourneyForm):
    """The page of help available now: nothing to answer, only Continue."""


class NeedsForm(JourneyForm):
    first_language = _text("First language", 60, help_text="If it is not English")
    interpreter_needed = forms.BooleanField(label="I would like an interpreter", required=False)
    access_needs = forms.CharField(
        label="Access needs",
        required=False,
        strip=False,
        help_text="Anything that makes it easier to meet or talk, such as step-free access, large print or a quiet room",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_no_nulls("Access needs"),
    )
    preferred_places = forms.MultipleChoiceField(
        label="Where would you like to meet?",
        choices=Place.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that you would be happy with",
        error_messages={"invalid_choice": "Choose places to meet from the list"},
    )
    worker_preferences = forms.MultipleChoiceField(
        label="Who would you like to meet?",
        choices=WorkerPreference.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="We will try to find someone who fits",
        error_messages={"invalid_choice": "Choose the kind of worker from the list"},
    )
    meeting_note = _text("Anything else about meeting", 300, widget=forms.Textarea(attrs={"rows": 3}))

    summary_labels = {
        "interpreter_needed": "Interpreter",
        "preferred_places": "Places to meet",
        "worker_preferences": "Who to meet",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if someone_else(self.answers):
            self.fields["interpreter_needed"].label = "They would like an interpreter"
            self.fields["preferred_places"].label = "Where would they like to meet?"
            self.fields["worker_preferences"].label = "Who would they like to meet?"
            self.fields["worker_preferences"].choices = [  # type: ignore[attr-defined]
                (value, label.replace("my language", "their language")) for value, label in WorkerPreference.choices
            ]
        else:
            self.fields["preferred_places"].choices = [  # type: ignore[attr-defined]
                (value, label.replace("Their GP", "Your GP")) for value, label in Place.choices
            ]

    def clean_access_needs(self) -> str:
        value: str = self.cleaned_data["access_needs"]
        if len(value) > ACCESS_NEEDS_MAX:
            raise ValidationError(_too_long("Access needs", ACCESS_NEEDS_MAX), code="max_length")
        return value if value.strip() else ""


class OthersForm(JourneyForm):
    other_name = _text("Their name", 150)
    other_relationship = _text("How do they know you?", 300, help_text="For example, my sister, my GP or a friend")
    other_contact = _text("How can we reach them?", 200, help_text="A phone number or email address")

    summary_labels = {
        "other_name": "Someone else we may talk to",
        "other_relationship": "How they know you",
        "other_contact": "How to reach them",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if someone_else(self.answers):
            self.fields["other_relationship"].label = "How do they know the person?"
            self.fields["other_relationship"].help_text = "For example, their sister, their GP or a friend"
            self.summary_labels = {**self.summary_labels, "other_relationship": "How they know the person"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("other_name", "x") and (data.get("other_relationship") or data.get("other_contact")):
            self.add_error("other_name", "Enter their name, or leave this page blank")
        return data


class AgreementForm(JourneyForm):
    agrees_to_contact = forms.BooleanField(
        label="It is OK for Living Well to contact me",
        required=True,
        error_messages={"required": "Tell us that it is OK for us to contact you, so that we can arrange to meet"},
    )
    agrees_to_share = forms.ChoiceField(
        label="Do you agree that what you tell us can be shared with the people in the Living Well network who support you?",
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        help_text=(
            "If you say no, that is fine: only the Living Well Hub will see what you tell us until we have talked "
            "with you about who else should know. You can change your mind at any time."
        ),
        error_messages={
            "required": "Choose yes if what you tell us can be shared within the Living Well network, or no if not",
            "invalid_choice": "Choose yes or no",
        },
    )

    summary_labels = {"agrees_to_contact": "OK to contact", "agrees_to_share": "OK to share within the network"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if someone_else(self.answers):
            contact = self.fields["agrees_to_contact"]
            contact.label = "It is OK for Living Well to contact them"
            contact.required = False
            self.fields["agrees_to_share"].label = (
                "Do you agree that what you tell us can be shared with the people in the Living Well network who "
                "support them?"
            )
            self.fields["agrees_to_share"].help_text = (
                "If you say no, that is fine: only the Living Well Hub will see what you tell us until we have talked "
                "with them about who else should know. They can change this at any time."
            )


def _locality(site: Site, value: Any) -> Locality | None:
    if not value or value == NOT_SURE:
        return None
    try:
        return Locality.objects.filter(site=site, pk=uuid.UUID(str(value))).first()
    except ValueError:
        return None


def introduction_input(answers: Mapping[str, Mapping[str, Any]], site: Site) -> IntroductionInput:
    """The introduction that the answers describe, for `access.services.introduction_create`.

    `answers` are those of the steps that apply (`Journey.used_answers`), already checked by their forms.
    """

    def value(slug: str, name: str, default: Any = "") -> Any:
        return answers.get(slug, {}).get(name, default)

    other = value("who", "who") == Who.SOMEONE_ELSE
    ways = set(value("contact-preferences", "ways", []) or [])
    birth = value("name", "date_of_birth", None)
    person: dict[str, Any] = {
        "given_name": value("name", "given_name"),
        "family_name": value("name", "family_name"),
        "preferred_name": value("name", "preferred_name"),
        "date_of_birth": dt.date.fromisoformat(birth) if birth else None,
        "phone": value("contact", "phone"),
        "email": value("contact", "email"),
        "address_line_1": value("contact", "address_line_1"),
        "town": value("contact", "town"),
        "postcode": value("contact", "postcode"),
        "contact_times": value("contact-preferences", "contact_times"),
        "first_language": value("anything-we-should-know", "first_language"),
        "interpreter_needed": bool(value("anything-we-should-know", "interpreter_needed", False)),
        "access_needs": value("anything-we-should-know", "access_needs"),
        **{field: way in ways for way, field in WAY_FIELDS.items()},
    }
    others = []
    if value("who-else", "other_name"):
        others.append(
            {
                "name": value("who-else", "other_name"),
                "relationship": value("who-else", "other_relationship"),
                "contact": value("who-else", "other_contact"),
            }
        )
    return IntroductionInput(
        site=site,
        source=Source.FAMILY_FRIEND if other else Source.SELF,
        person=person,
        in_their_words=value("what-brought-you-here", "in_their_words"),
        unsafe_now=value("feeling-unsafe", "unsafe_now"),
        preferred_places=tuple(value("anything-we-should-know", "preferred_places", []) or ()),
        worker_preferences=tuple(value("anything-we-should-know", "worker_preferences", []) or ()),
        meeting_note=value("anything-we-should-know", "meeting_note"),
        agrees_to_contact=bool(value("agreement", "agrees_to_contact", False)),
        agrees_to_share=value("agreement", "agrees_to_share") == YesNo.YES,
        person_aware=value("person-aware", "person_aware") if other else "",
        introducer_name=value("about-you", "introducer_name") if other else "",
        introducer_relationship=value("about-you", "introducer_relationship") if other else "",
        introducer_phone=value("about-you", "introducer_phone") if other else "",
        introducer_email=value("about-you", "introducer_email") if other else "",
        locality=_locality(site, value("contact", "locality")),
        others=tuple(others),
    )


# Where to put right each field that the service may find a problem with.
FIELD_STEPS = {
    "site": "network",
    "source": "who",
    "person_aware": "person-aware",
    "given_name": "name",
    "family_name": "name",
    "preferred_name": "name",
    "date_of_birth": "name",
    "phone": "contact",
    "email": "contact",
    "address_line_1": "contact",
    "town": "contact",
    "postcode": "contact",
    "locality": "contact",
    "contact_times": "contact-preferences",
    "in_their_words": "what-brought-you-here",
    "unsafe_now": "feeling-unsafe",
    "first_language": "anything-we-should-know",
    "access_needs": "anything-we-should-know",
    "preferred_places": "anything-we-should-know",
    "worker_preferences": "anything-we-should-know",
    "meeting_note": "anything-we-should-know",
    "name": "who-else",
    "part_they_play": "who-else",
    "contact": "who-else",
    "agrees_to_contact": "agreement",
    "introducer_name": "about-you",
    "introducer_relationship": "about-you",
    "introducer_phone": "about-you",
    "introducer_email": "about-you",
}
