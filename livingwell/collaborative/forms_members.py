"""Forms for asking to join, joining, changing your membership and handling requests to join."""

from __future__ import annotations

from typing import Any

from django import forms

from livingwell.network.models import Sector

from .members import JoinAnswers, Profile
from .models import Member, Perspective

PERSPECTIVE_HINT = "Select all that apply. Many members bring more than one."
NAME_HINT = (
    "It need not be your full name: a first name or a nickname is fine. It is the only name other members "
    "see, and it is kept apart from any other Living Well record."
)


def _perspectives_field(label: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        help_text=PERSPECTIVE_HINT,
        choices=Perspective.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one thing you bring to the Collaborative"},
    )


def _text_area(label: str, max_length: int, help_text: str = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
    )


def _chosen(values: list[str]) -> frozenset[Perspective]:
    return frozenset(Perspective(v) for v in values)


class JoinRequestForm(forms.Form):
    """For someone without a sign-in: a steward reads it and welcomes them."""

    known_as = forms.CharField(
        label="Your name",
        max_length=80,
        help_text="The name you would like us to call you. It need not be your full name.",
        error_messages={
            "required": "Enter your name",
            "max_length": "Your name must be 80 characters or fewer",
        },
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will use it only to welcome you and to send you a link to sign in.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address like name@example.org",
        },
    )
    perspectives = _perspectives_field("What do you bring to the Collaborative?")
    about = _text_area("What would you like to bring or work on?", 2000)
    access_needs = _text_area(
        "What would help you take part?",
        1000,
        "For example step-free access, a hearing loop, large print, someone to meet you, or meeting online.",
    )

    def answers(self) -> JoinAnswers:
        data = self.cleaned_data
        return JoinAnswers(
            known_as=data["known_as"],
            email=data["email"],
            perspectives=_chosen(data["perspectives"]),
            about=data["about"],
            access_needs=data["access_needs"],
        )


class ProfileForm(forms.Form):
    """Joining while signed in, and changing what you told the Collaborative."""

    known_as = forms.CharField(
        label="The name you want to be known by here",
        max_length=80,
        help_text=NAME_HINT,
        error_messages={
            "required": "Enter the name you want to be known by",
            "max_length": "The name must be 80 characters or fewer",
        },
    )
    perspectives = _perspectives_field("What do you bring to the Collaborative?")
    sector = forms.ChoiceField(
        label="If you work in the network or commission: which sector?",
        choices=Sector.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    organisation_name = forms.CharField(
        label="Organisation or group",
        max_length=200,
        required=False,
        help_text="Where you work, or a community group you belong to.",
        error_messages={"max_length": "The organisation must be 200 characters or fewer"},
    )
    about = _text_area("What you would like to bring or work on", 2000)
    access_needs = _text_area(
        "What helps you take part",
        1000,
        "For example step-free access, a hearing loop, large print, papers in advance, or meeting online. "
        "Only you and the Collaborative's chairs and coordinators see this.",
    )
    listed = forms.BooleanField(
        label="Show me in the list of members, so other members can find me", required=False, initial=True
    )
    public_name = forms.BooleanField(
        label="Show my name on public pages, such as the decisions log. If you leave this unticked, "
        'public pages describe you only by what you bring, for example "a carer".',
        required=False,
        initial=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = set(data.get("perspectives") or [])
        if chosen & {Perspective.STAFF.value, Perspective.COMMISSIONER.value} and not data.get("sector"):
            self.add_error("sector", "Select the sector you work in or commission for")
        return data

    def profile(self) -> Profile:
        data = self.cleaned_data
        return Profile(
            known_as=data["known_as"],
            perspectives=_chosen(data["perspectives"]),
            sector=data["sector"],
            organisation_name=data["organisation_name"],
            about=data["about"],
            access_needs=data["access_needs"],
            listed=data["listed"],
            public_name=data["public_name"],
        )

    @staticmethod
    def initial_from(member: Member) -> dict[str, Any]:
        return {
            "known_as": member.known_as,
            "perspectives": [p.value for p in member.perspectives],
            "sector": member.sector,
            # A member linked to a partner organisation (say, by the synthetic site) keeps it when saving.
            "organisation_name": member.organisation_name or (member.organisation.name if member.organisation else ""),
            "about": member.about,
            "access_needs": member.access_needs,
            "listed": member.listed,
            "public_name": member.public_name,
        }


def chosen_perspective(value: str | None) -> Perspective | None:
    """The perspective to filter the list of members by (`?perspective=`), ignoring anything unknown."""
    return Perspective(value) if value in Perspective.values else None


class DeclineForm(forms.Form):
    note = forms.CharField(
        label="Why you are not taking it forward",
        max_length=2000,
        help_text="We put this in a kind email to them. They are told they are still welcome at open events.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Say why, in words the person will read in the email",
            "max_length": "The note must be 2000 characters or fewer",
        },
    )
