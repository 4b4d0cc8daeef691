"""Forms for each part of a person's record, with messages in the NHS service manual's style."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from livingwell.audit.models import Part
from livingwell.core.concurrency import VersionField
from livingwell.core.forms import NHSDateField
from livingwell.network.models import Organisation
from livingwell.people.models import (
    Connection,
    EthnicGroup,
    Gender,
    Person,
    RelationshipKind,
    Religion,
    SexualOrientation,
    YesNoPreferNot,
)
from livingwell.people.nhs_number import validate_nhs_number
from livingwell.people.services import normalise_postcode


def _radios(choices: Any, label: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, required=False, widget=forms.RadioSelect)


class IdentityForm(forms.Form):
    given_name = forms.CharField(
        label="First name",
        max_length=100,
        error_messages={"required": "Enter a first name", "max_length": "First name must be 100 characters or fewer"},
    )
    family_name = forms.CharField(label="Last name", max_length=100, required=False)
    date_of_birth = NHSDateField(
        label="Date of birth", past_only=True, required=False, help_text="For example, 15 3 1984"
    )
    nhs_number = forms.CharField(
        label="NHS number",
        max_length=14,
        required=False,
        help_text="This is a 10 digit number, like 999 123 4567",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "spellcheck": "false", "classes": "nhsuk-input--width-10"}
        ),
    )

    def clean_nhs_number(self) -> str:
        value: str = self.cleaned_data["nhs_number"]
        if value:
            validate_nhs_number(value)
        return value


class AboutForm(forms.Form):
    preferred_name = forms.CharField(label="What would you like to be called?", max_length=100, required=False)
    pronouns = forms.CharField(
        label="Pronouns", max_length=40, required=False, help_text="For example, she/her, he/him or they/them"
    )
    first_language = forms.CharField(label="First language", max_length=60, required=False)
    interpreter_needed = forms.BooleanField(label="An interpreter is needed", required=False)
    access_needs = forms.CharField(
        label="Access needs",
        required=False,
        help_text="Anything that makes it easier to meet or talk, such as step-free access or large print",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ContactForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address in the right format, like name@example.com"},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "classes": "nhsuk-input--width-20"}),
    )
    address_line_1 = forms.CharField(label="Address line 1", max_length=120, required=False)
    address_line_2 = forms.CharField(label="Address line 2", max_length=120, required=False)
    town = forms.CharField(
        label="Town or city",
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"classes": "nhsuk-u-width-two-thirds"}),
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "classes": "nhsuk-input--width-10"}),
    )
    may_phone = forms.BooleanField(label="We may phone", required=False)
    may_text = forms.BooleanField(label="We may send a text message", required=False)
    may_email = forms.BooleanField(label="We may email", required=False)
    may_write = forms.BooleanField(label="We may send a letter", required=False)
    may_leave_message = forms.BooleanField(label="We may leave a message", required=False)
    contact_times = forms.CharField(
        label="When is it OK to contact?", max_length=200, required=False, help_text="For example, weekday mornings"
    )

    def clean_postcode(self) -> str:
        value: str = self.cleaned_data["postcode"]
        return normalise_postcode(value) if value.strip() else ""

    def clean_phone(self) -> str:
        value: str = self.cleaned_data["phone"].strip()
        digits = value.replace(" ", "").replace("+", "").replace("(", "").replace(")", "").replace("-", "")
        if value and (not digits.isdigit() or not 10 <= len(digits) <= 13):
            raise ValidationError("Enter a phone number, like 07700 900 982 or 020 7946 0991", code="phone")
        return value


class EquityForm(forms.Form):
    ethnicity = forms.ChoiceField(
        label="Ethnic group", choices=EthnicGroup.choices, required=False, widget=forms.Select
    )
    gender = _radios(Gender.choices, "Gender")
    gender_description = forms.CharField(
        label="If in another way, how would you describe your gender?", max_length=60, required=False
    )
    gender_same_as_at_birth = _radios(
        YesNoPreferNot.choices, "Is your gender the same as the sex you were registered at birth?"
    )
    sexual_orientation = _radios(SexualOrientation.choices, "Sexual orientation")
    religion = forms.ChoiceField(label="Religion", choices=Religion.choices, required=False, widget=forms.Select)
    disability = _radios(YesNoPreferNot.choices, "Do you have a disability or long-term condition?")
    unpaid_carer = _radios(YesNoPreferNot.choices, "Do you look after someone without being paid?")
    armed_forces_veteran = _radios(YesNoPreferNot.choices, "Have you served in the armed forces?")


class StoryForm(forms.Form):
    what_brought_me_here = forms.CharField(
        label="What has brought you here?", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    going_well = forms.CharField(label="What is going well?", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    hard = forms.CharField(
        label="What is hard at the moment?", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    would_like_to_achieve = forms.CharField(
        label="What would you like to achieve?", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    who_can_help = forms.CharField(label="Who can help?", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.strip = False  # type: ignore[attr-defined]  # keep the person's words exactly as typed


PART_FORMS: dict[Part, type[forms.Form]] = {
    Part.IDENTITY: IdentityForm,
    Part.ABOUT: AboutForm,
    Part.CONTACT: ContactForm,
    Part.EQUITY: EquityForm,
}


def initial_for(part: Part, person: Person) -> dict[str, Any]:
    form_class = PART_FORMS[part]
    return {name: getattr(person, name) for name in form_class.base_fields}


class RelationshipForm(forms.Form):
    name = forms.CharField(label="Name", max_length=150, error_messages={"required": "Enter their name"})
    kind = forms.ChoiceField(
        label="Who are they to you?",
        choices=RelationshipKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who they are to you"},
    )
    part_they_play = forms.CharField(label="How do they help?", max_length=300, required=False)
    contact = forms.CharField(label="How to reach them", max_length=200, required=False)
    connection = forms.ChoiceField(
        label="How does the connection with them feel?",
        help_text="The map of the network draws a strong connection as a thick line and a strained one as a dashed line",
        choices=Connection.choices,
        initial=Connection.SOME,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select how the connection feels"},
    )
    wants_involved = forms.BooleanField(label="I want them involved in my support", required=False)

    def clean_connection(self) -> str:
        return str(self.cleaned_data.get("connection") or Connection.SOME)


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="The invitation goes to this address. They will sign in with it",
        max_length=254,
        error_messages={
            "required": "Enter the email address they want to use",
            "invalid": "Enter an email address in the right format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class ShareForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation to share with",
        queryset=Organisation.objects.none(),
        widget=forms.Select,
        error_messages={"required": "Select an organisation", "invalid_choice": "Select an organisation from the list"},
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        shared = person.sharing_consents.filter(withdrawn_at__isnull=True).values("organisation_id")
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            site=person.site, is_active=True
        ).exclude(pk__in=shared)


class SearchForm(forms.Form):
    q = forms.CharField(label="Name, NHS number or postcode", max_length=100, required=False)


class EmergencyLookupForm(forms.Form):
    nhs_number = forms.CharField(
        label="NHS number",
        max_length=14,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "classes": "nhsuk-input--width-10"}),
    )
    given_name = forms.CharField(label="First name", max_length=100, required=False)
    family_name = forms.CharField(label="Last name", max_length=100, required=False)
    date_of_birth = NHSDateField(label="Date of birth", past_only=True, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("nhs_number"):
            try:
                validate_nhs_number(data["nhs_number"])
            except ValidationError as error:
                self.add_error("nhs_number", error)
        elif not (data.get("given_name") and data.get("family_name") and data.get("date_of_birth")):
            raise ValidationError("Enter the NHS number, or the first name, last name and date of birth")
        return data


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to see this record now?",
        help_text="This is recorded, shown to the person, and checked by the privacy officer",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why you need emergency access"},
    )
