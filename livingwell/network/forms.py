"""Forms for the site administrator's pages. They parse; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from livingwell.core.forms import NHSDateField
from livingwell.network import selectors
from livingwell.network.models import Locality, Organisation, Role, Sector, Site, Team

_NUMBER = {"inputmode": "numeric", "spellcheck": "false", "classes": "nhsuk-input--width-3"}


class SiteSettingsForm(forms.Form):
    target_days_to_first_conversation = forms.IntegerField(
        label="Days from introduction to first conversation",
        help_text="How many days this site aims to take, from 1 to 365",
        min_value=1,
        max_value=365,
        widget=forms.TextInput(attrs=_NUMBER),
        error_messages={
            "required": "Enter the number of days to first conversation",
            "invalid": "Days to first conversation must be a whole number, like 28",
            "min_value": "Days to first conversation must be between 1 and 365",
            "max_value": "Days to first conversation must be between 1 and 365",
        },
    )
    weeks_before_not_seen_flag = forms.IntegerField(
        label="Weeks before someone is shown as not seen",
        help_text="Teams are prompted to get in touch after this many weeks without a conversation, from 1 to 52",
        min_value=1,
        max_value=52,
        widget=forms.TextInput(attrs=_NUMBER),
        error_messages={
            "required": "Enter the number of weeks before someone is shown as not seen",
            "invalid": "Weeks before someone is shown as not seen must be a whole number, like 6",
            "min_value": "Weeks before someone is shown as not seen must be between 1 and 52",
            "max_value": "Weeks before someone is shown as not seen must be between 1 and 52",
        },
    )
    weeks_between_plan_reviews = forms.IntegerField(
        label="Weeks between reviews of a Living Well plan",
        help_text="When a plan is next due for review, unless the review chooses another date, from 1 to 104",
        min_value=1,
        max_value=104,
        widget=forms.TextInput(attrs=_NUMBER),
        error_messages={
            "required": "Enter the number of weeks between reviews of a plan",
            "invalid": "Weeks between reviews must be a whole number, like 12",
            "min_value": "Weeks between reviews must be between 1 and 104",
            "max_value": "Weeks between reviews must be between 1 and 104",
        },
    )
    months_to_come_back = forms.IntegerField(
        label="Months in which someone who moved on is picked up where they left off",
        help_text="After this, coming back starts with a first conversation, from 1 to 60",
        min_value=1,
        max_value=60,
        widget=forms.TextInput(attrs=_NUMBER),
        error_messages={
            "required": "Enter the number of months in which someone is picked up where they left off",
            "invalid": "Months to come back must be a whole number, like 12",
            "min_value": "Months to come back must be between 1 and 60",
            "max_value": "Months to come back must be between 1 and 60",
        },
    )


class LocalityForm(forms.Form):
    name = forms.CharField(
        label="Locality name",
        help_text="For example, North Lambeth",
        max_length=120,
        error_messages={
            "required": "Enter a locality name",
            "max_length": "Locality name must be 120 characters or fewer",
        },
    )
    postcode_areas = forms.CharField(
        label="Postcode areas",
        help_text="The postcode districts (like SE1) and sectors (like SW9 0) the locality covers, one a line or"
        " separated by commas. Community offers are placed in the locality that covers their postcode most"
        " closely: a sector comes before its district.",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        error_messages={"max_length": "Postcode areas must be 4,000 characters or fewer"},
    )

    def clean_postcode_areas(self) -> list[str]:
        text: str = self.cleaned_data.get("postcode_areas") or ""
        return [part.strip() for part in text.replace(",", "\n").splitlines() if part.strip()]


class OrganisationForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={
            "required": "Enter the name of the organisation",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    sector = forms.ChoiceField(
        label="Kind of organisation",
        choices=Sector.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of organisation"},
    )
    ods_code = forms.CharField(
        label="ODS code",
        help_text="The NHS Organisation Data Service code, if it has one, like RV5",
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "classes": "nhsuk-input--width-10"}),
        error_messages={"max_length": "ODS code must be 10 characters or fewer"},
    )
    website = forms.CharField(
        label="Website",
        help_text="For example, https://www.example.org.uk",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "inputmode": "url"}),
        error_messages={"max_length": "Website address must be 200 characters or fewer"},
    )


class OrganisationChangeForm(OrganisationForm):
    is_active = forms.BooleanField(label="Still a partner in the network", required=False)


class TeamForm(forms.Form):
    name = forms.CharField(
        label="Team name",
        max_length=200,
        error_messages={"required": "Enter a team name", "max_length": "Team name must be 200 characters or fewer"},
    )
    locality: forms.ModelChoiceField[Locality] = forms.ModelChoiceField(
        label="Locality",
        queryset=None,  # set for the site in __init__
        required=False,
        error_messages={"invalid_choice": "Select a locality from the list"},
    )
    description = forms.CharField(
        label="Description",
        help_text="What the team does and where it meets people",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Description must be 2,000 characters or fewer"},
    )

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = selectors.locality_choices(site=site)  # type: ignore[attr-defined]


class TeamChangeForm(TeamForm):
    is_active = forms.BooleanField(label="This team is open", required=False)


class StaffForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="They will sign in with this. If they already have an account, the new role is added to it",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the right format, like name@example.com",
        },
    )
    display_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter their full name", "max_length": "Full name must be 150 characters or fewer"},
    )
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="Organisation they work for",
        queryset=None,
        error_messages={
            "required": "Select the organisation they work for",
            "invalid_choice": "Select an organisation from the list",
        },
    )
    role = forms.ChoiceField(label="Role", choices=Role.choices, error_messages={"required": "Select their role"})
    team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(
        label="Team",
        help_text="Leave this out for roles that are not part of one team, such as Hub coordinator",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": "Select a team from the list"},
    )
    job_title = forms.CharField(
        label="Job title",
        help_text="For example, Senior peer worker",
        max_length=120,
        required=False,
        error_messages={"max_length": "Job title must be 120 characters or fewer"},
    )
    started_on = NHSDateField(
        label="Start date",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date they start in this role"},
    )

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.open_organisations(site=site)  # type: ignore[attr-defined]
        self.fields["team"].queryset = selectors.open_teams(site=site)  # type: ignore[attr-defined]


class EndMembershipForm(forms.Form):
    ended_on = NHSDateField(
        label="Date the role ended",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the role ended"},
    )


class StaffFilterForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=[("", "All roles"), *Role.choices],
        required=False,
        error_messages={"invalid_choice": "Select a role from the list"},
    )
    team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(
        label="Team",
        queryset=None,
        required=False,
        empty_label="All teams",
        error_messages={"invalid_choice": "Select a team from the list"},
    )

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = selectors.all_teams(site=site)  # type: ignore[attr-defined]

    def select_items(self, name: str, everything: str) -> list[dict[str, Any]]:
        """The options for a filter, with `everything` in place of the usual 'Choose'."""
        bf = self[name]
        chosen = str(bf.value() or "")
        return [
            {
                "value": str(value),
                "text": everything if str(value) == "" else str(text),
                "selected": str(value) == chosen,
            }
            for value, text in bf.field.choices  # type: ignore[attr-defined]
        ]


class SiteChoiceForm(forms.Form):
    site = forms.ChoiceField(
        label="Which site do you want to manage?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select a site", "invalid_choice": "Select a site from the list"},
    )

    def __init__(self, *args: Any, sites: tuple[Site, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [(str(s.pk), s.name) for s in sites]  # type: ignore[attr-defined]
