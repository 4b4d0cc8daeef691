"""The ideas fund's forms: a round, its panel, a pitch, the panel's shortlist, the vote, the awards,
the report-back and the offer a funded idea puts into the community directory."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from livingwell.collaborative.fund import PitchAnswers, ReportAnswers, RoundAnswers
from livingwell.collaborative.models import FundStage, Member, Pitch
from livingwell.collaborative.presenters import perspectives_text
from livingwell.community.curation import COST_FREE, COST_UNKNOWN, OfferAnswers
from livingwell.community.geo import normalise_postcode
from livingwell.core.concurrency import VersionField
from livingwell.core.forms import NHSDateField

_PHONE = re.compile(r"^\+?[\d\s()\-]+$")


class MoneyField(forms.DecimalField):
    """Pounds, typed as 1500, 1,500 or £1,500.50."""

    def __init__(self, *, label: str, required: bool = True, help_text: str = "") -> None:
        super().__init__(
            label=label,
            required=required,
            help_text=help_text,
            max_digits=12,
            decimal_places=2,
            min_value=Decimal("0"),
            widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
            error_messages={
                "invalid": f"{label} must be an amount in pounds, like 1500",
                "min_value": f"{label} must be £0 or more",
                "max_decimal_places": f"{label} must have no more than 2 numbers after the point",
                "max_digits": f"{label} is too large",
                "max_whole_digits": f"{label} is too large",
                "required": f"Enter {label[:1].lower() + label[1:]}",
            },
        )

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.replace("£", "").replace(",", "").strip()
        return super().to_python(value)  # type: ignore[no-any-return]


def _text(label: str, *, max_length: int, required: bool = True, help_text: str = "", rows: int = 0) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    field = forms.CharField(
        label=label, max_length=max_length, required=required, help_text=help_text, widget=widget, strip=True
    )
    field.error_messages["max_length"] = f"{label} must be {max_length} characters or fewer"
    return field


def _member_label(member: Member) -> str:
    text = perspectives_text(member)
    return f"{member.known_as} ({text})" if text else member.known_as


# ---- rounds -------------------------------------------------------------------------------------


class RoundForm(forms.Form):
    name = _text("Name of the round", max_length=150, help_text="For example, Ideas fund spring 2027")
    about = _text(
        "What the round is for",
        max_length=3000,
        rows=5,
        help_text="The kind of ideas you hope for, and who can pitch. Write it so anyone can understand it.",
    )
    budget = MoneyField(label="Budget", help_text="The money the round gives out in total, in pounds")
    largest_award = MoneyField(
        label="Most a pitch may ask for",
        required=False,
        help_text="Leave it empty if a pitch may ask for up to the whole budget",
    )
    pitches_close_on = NHSDateField(label="Pitches close on", help_text="For example, 27 3 2027")
    voting_closes_on = NHSDateField(label="Voting closes on", help_text="On or after the date pitches close")
    min_lived_experience_panel = forms.IntegerField(
        label="Panel members with lived experience, at least",
        min_value=1,
        max_value=20,
        initial=2,
        help_text="Members cannot vote until the panel has at least this many members with lived experience",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        messages = {
            "name": "Enter a name for the round",
            "about": "Say what the round is for",
            "pitches_close_on": "Enter the date pitches close",
            "voting_closes_on": "Enter the date voting closes",
            "min_lived_experience_panel": "Enter how many panel members must have lived experience",
        }
        for name, message in messages.items():
            self.fields[name].error_messages["required"] = message
        panel = self.fields["min_lived_experience_panel"]
        panel.error_messages.update(
            {
                "invalid": "Enter a whole number, like 2",
                "min_value": "At least 1 panel member must have lived experience",
                "max_value": "Enter 20 or fewer",
            }
        )

    def answers(self) -> RoundAnswers:
        data = self.cleaned_data
        return RoundAnswers(
            name=data["name"],
            about=data["about"],
            budget=data["budget"],
            largest_award=data.get("largest_award"),
            pitches_close_on=data["pitches_close_on"],
            voting_closes_on=data["voting_closes_on"],
            min_lived_experience_panel=data["min_lived_experience_panel"],
        )


class StageForm(forms.Form):
    to = forms.ChoiceField(choices=FundStage.choices, widget=forms.HiddenInput)


class PanelForm(forms.Form):
    members = forms.MultipleChoiceField(
        label="Who is on the panel",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose members with different perspectives, including people with lived experience",
    )
    chair = forms.ChoiceField(label="Who chairs the panel", required=False)

    def __init__(self, data: Any = None, *, members: Sequence[Member], initial: dict[str, Any] | None = None) -> None:
        super().__init__(data, initial=initial)
        self._members = {str(m.pk): m for m in members}
        choices = [(str(m.pk), _member_label(m)) for m in members]
        self.fields["members"].choices = choices  # type: ignore[attr-defined]
        self.fields["chair"].choices = [("", "No chair yet"), *[(str(m.pk), m.known_as) for m in members]]  # type: ignore[attr-defined]
        self.fields["members"].error_messages["invalid_choice"] = "Choose current members of the Collaborative"
        self.fields["chair"].error_messages["invalid_choice"] = "Choose a chair from the list"

    def chosen(self) -> list[Member]:
        return [self._members[i] for i in self.cleaned_data.get("members", [])]

    def chair_member(self) -> Member | None:
        chair = self.cleaned_data.get("chair")
        return self._members.get(chair) if chair else None


# ---- pitches ------------------------------------------------------------------------------------


class PitchForm(forms.Form):
    title = _text("Name of your idea", max_length=150, help_text="A few words, for example, Men's walk and talk")
    summary = _text("Your idea", max_length=5000, rows=6, help_text="What you want to do, in your own words")
    who_benefits = _text(
        "Who it is for and how it helps",
        max_length=3000,
        rows=4,
        help_text="Who will take part, and what difference you hope it makes",
    )
    how_money_is_spent = _text(
        "What the money pays for",
        max_length=3000,
        rows=4,
        help_text="For example, room hire £600, refreshments £200, travel for volunteers £150",
    )
    amount = MoneyField(label="How much you are asking for")
    peer_led = forms.BooleanField(
        label="This idea is peer-led: people with lived experience of mental health lead it", required=False
    )
    group_name = _text(
        "Who is behind it",
        max_length=200,
        required=False,
        help_text="A group, an organisation, or just you and some friends. On public pages we show this, or the name you chose to show",
    )
    wants_help = forms.BooleanField(label="I would like help to write or present my pitch", required=False)
    help_note = _text(
        "What help would be useful",
        max_length=500,
        required=False,
        rows=2,
        help_text="For example, someone to read it through, help with the budget, or to come with me to the panel",
    )

    def __init__(
        self, data: Any = None, *, initial: dict[str, Any] | None = None, versioned: bool = False, most: Decimal
    ) -> None:
        super().__init__(data, initial=initial)
        self.most = most
        if versioned:
            self.fields["version"] = VersionField()
        messages = {
            "title": "Enter the name of your idea",
            "summary": "Say what your idea is",
            "who_benefits": "Say who it is for and how it helps",
            "how_money_is_spent": "Say what the money pays for",
            "amount": "Enter how much you are asking for",
        }
        for name, message in messages.items():
            self.fields[name].error_messages["required"] = message

    def clean_amount(self) -> Decimal:
        amount: Decimal = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError("The amount must be more than £0")
        if amount > self.most:
            raise forms.ValidationError(f"The most a pitch may ask for in this round is £{self.most:,.0f}")
        return amount

    def answers(self) -> PitchAnswers:
        data = self.cleaned_data
        return PitchAnswers(
            title=data["title"],
            summary=data["summary"],
            who_benefits=data["who_benefits"],
            how_money_is_spent=data["how_money_is_spent"],
            amount=data["amount"],
            peer_led=bool(data.get("peer_led")),
            group_name=data.get("group_name", ""),
            wants_help=bool(data.get("wants_help")),
            help_note=data.get("help_note", ""),
        )


def pitch_initial(pitch: Pitch) -> dict[str, Any]:
    return {
        "title": pitch.title,
        "summary": pitch.summary,
        "who_benefits": pitch.who_benefits,
        "how_money_is_spent": pitch.how_money_is_spent,
        "amount": pitch.amount,
        "peer_led": pitch.peer_led,
        "group_name": pitch.group_name,
        "wants_help": pitch.wants_help,
        "help_note": pitch.help_note,
        "version": pitch.version,
    }


class HelperForm(forms.Form):
    helper = forms.ChoiceField(
        label="Who will help",
        help_text="A member who has pitched before, a peer worker, or someone who knows the panel",
        error_messages={"required": "Choose who will help", "invalid_choice": "Choose who will help from the list"},
    )

    def __init__(self, data: Any = None, *, members: Sequence[Member], initial: dict[str, Any] | None = None) -> None:
        super().__init__(data, initial=initial)
        self._members = {str(m.pk): m for m in members}
        self.fields["helper"].choices = [(str(m.pk), _member_label(m)) for m in members]  # type: ignore[attr-defined]

    def helper_member(self) -> Member:
        return self._members[self.cleaned_data["helper"]]


SHORTLIST_CHOICES = [("yes", "Yes, put it on the shortlist"), ("no", "No, not this time")]


class ShortlistForm(forms.Form):
    decision = forms.ChoiceField(
        label="Should members vote on this pitch?",
        choices=SHORTLIST_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the pitch goes on the shortlist"},
    )
    note = _text(
        "Note to the pitcher",
        max_length=3000,
        required=False,
        rows=4,
        help_text=(
            "The pitcher reads this. Needed when the pitch is not shortlisted: be kind and specific, say what "
            "was good about it and what would make it stronger next time"
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "no" and not data.get("note") and "note" not in self.errors:
            self.add_error("note", "Write a note to the pitcher saying why it is not on the shortlist")
        return data


class VoteForm(forms.Form):
    pitches = forms.MultipleChoiceField(
        label="Tick every idea you support",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="You can tick as many as you like, or none. You can change your approvals until voting closes.",
        error_messages={"invalid_choice": "Choose from the shortlisted pitches"},
    )

    def __init__(self, data: Any = None, *, ballot: Sequence[Pitch], initial: dict[str, Any] | None = None) -> None:
        super().__init__(data, initial=initial)
        self.fields["pitches"].choices = [(str(p.pk), p.title) for p in ballot]  # type: ignore[attr-defined]


class AwardForm(forms.Form):
    early = forms.BooleanField(label="Award now and close voting early", required=False)


# ---- after the award ----------------------------------------------------------------------------


class ReportForm(forms.Form):
    report_back = _text(
        "What happened",
        max_length=10000,
        rows=8,
        help_text="What you did, what went well, what you would do differently, and what people said",
    )
    spent = MoneyField(label="Money spent", required=False, help_text="In pounds")
    people_reached = forms.IntegerField(
        label="People who took part",
        required=False,
        min_value=0,
        max_value=1_000_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter a whole number of people, like 25",
            "min_value": "Enter 0 or more",
            "max_value": "Enter a smaller number",
        },
    )
    reported_on = NHSDateField(label="Date of this report", past_only=True)
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["report_back"].error_messages["required"] = "Say what happened"
        self.fields["reported_on"].error_messages["required"] = "Enter the date of this report"

    def answers(self) -> ReportAnswers:
        data = self.cleaned_data
        return ReportAnswers(
            report_back=data["report_back"],
            spent=data.get("spent"),
            people_reached=data.get("people_reached"),
            reported_on=data["reported_on"],
        )


def report_initial(pitch: Pitch) -> dict[str, Any]:
    return {
        "report_back": pitch.report_back,
        "spent": pitch.spent,
        "people_reached": pitch.people_reached,
        "reported_on": pitch.reported_on or timezone.localdate(),
        "version": pitch.version,
    }


FREE_CHOICES = [("yes", "Yes, it is free"), ("no", "No, there is a charge or we are not sure yet")]


class OfferForm(forms.Form):
    """A short form that puts a funded idea into the community directory."""

    name = _text(
        "Name of the offer", max_length=300, help_text="What people will search for, for example, Walk and talk"
    )
    organisation = _text("Who runs it", max_length=300, help_text="A group or organisation, or a name for your group")
    description = _text("What happens there", max_length=2500, rows=5, help_text="What someone going along can expect")
    who_for = _text("Who it is for", max_length=400, rows=2, help_text="For example, men aged over 18 in Brixton")
    informal = forms.BooleanField(
        label="This is an informal group: a group of people rather than a registered organisation", required=False
    )
    online = forms.BooleanField(label="It happens online or by phone only, not at a place", required=False)
    venue = _text("Name of the place", max_length=300, required=False)
    address_1 = _text("Address line 1", max_length=300, required=False)
    town = _text("Town or city", max_length=100, required=False)
    postcode = _text("Postcode", max_length=10, required=False, help_text="We use it to put the offer on the map")
    when = _text(
        "When it happens",
        max_length=500,
        rows=2,
        help_text="In words: for example, every Tuesday, 10am to midday",
    )
    free = forms.ChoiceField(
        label="Is it free?",
        choices=FREE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether it is free"},
    )
    email = forms.EmailField(
        label="Contact email",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )
    phone = _text("Contact phone", max_length=40, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, message in {
            "name": "Enter the name of the offer",
            "organisation": "Enter who runs it",
            "description": "Say what happens there",
            "who_for": "Say who it is for",
            "when": "Say when it happens",
        }.items():
            self.fields[name].error_messages["required"] = message

    def clean_postcode(self) -> str:
        text: str = self.cleaned_data.get("postcode", "")
        if text and not normalise_postcode(text):
            raise forms.ValidationError("Enter a real postcode, like SW9 8AB")
        return text

    def clean_phone(self) -> str:
        text: str = self.cleaned_data.get("phone", "")
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
        if not data.get("email") and not data.get("phone") and not {"email", "phone"} & set(self.errors):
            self.add_error("email", "Give an email address or a phone number people can contact")
        return data

    def answers(self) -> OfferAnswers:
        data = self.cleaned_data
        online = bool(data.get("online"))
        description = f"{data['description'].strip()}\n\nWho it is for: {data['who_for'].strip()}"
        return OfferAnswers(
            name=data["name"],
            organisation=data["organisation"],
            informal=bool(data.get("informal")),
            description=description,
            online=online,
            venue="" if online else data.get("venue", ""),
            address_1="" if online else data.get("address_1", ""),
            town="" if online else data.get("town", ""),
            postcode="" if online else data.get("postcode", ""),
            other_times=data["when"],
            cost=COST_FREE if data["free"] == "yes" else COST_UNKNOWN,
            phone=data.get("phone", ""),
            email=data.get("email", ""),
        )


def offer_initial(pitch: Pitch) -> dict[str, Any]:
    return {
        "name": pitch.title,
        "organisation": pitch.group_name,
        "description": pitch.summary[:2500],
        "who_for": pitch.who_benefits[:400],
        "informal": not pitch.group_name,
        "free": "yes",
    }
