"""The form for adding or changing a directory feed (the rules are checked again in `feeds`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from livingwell.network.models import Site

from .feeds import LOCATION_LENGTH, MAX_REFRESH_HOURS, NAME_LENGTH, URL_MESSAGE, URL_VALIDATOR

_NUMBER = {"inputmode": "numeric", "spellcheck": "false", "classes": "nhsuk-input--width-3"}


class FeedForm(forms.Form):
    name = forms.CharField(
        label="Name",
        help_text="What staff will call this feed, like Lambeth Council community directory",
        max_length=NAME_LENGTH,
        error_messages={
            "required": "Enter a name for the feed",
            "max_length": f"Name must be {NAME_LENGTH} characters or fewer",
        },
    )
    location = forms.CharField(
        label="Address of the ORUK API",
        help_text="The base address of the council's ORUK API, like https://directory.example.gov.uk/api",
        max_length=LOCATION_LENGTH,
        widget=forms.TextInput(attrs={"spellcheck": "false", "inputmode": "url"}),
        error_messages={
            "required": "Enter the address of the ORUK API",
            "max_length": f"Address must be {LOCATION_LENGTH} characters or fewer",
        },
    )
    refresh_hours = forms.IntegerField(
        label="Hours between refreshes",
        help_text=(
            f"How often to read the feed again, from 1 to {MAX_REFRESH_HOURS} hours (24 is once a day). "
            "Leave empty to refresh only when you ask."
        ),
        required=False,
        min_value=1,
        max_value=MAX_REFRESH_HOURS,
        widget=forms.TextInput(attrs=_NUMBER),
        error_messages={
            "invalid": "Hours between refreshes must be a whole number, like 24",
            "min_value": f"Hours between refreshes must be between 1 and {MAX_REFRESH_HOURS}, or left empty",
            "max_value": f"Hours between refreshes must be between 1 and {MAX_REFRESH_HOURS}, or left empty",
        },
    )

    def __init__(self, *args: Any, files_allowed: bool = False, sites: list[Site] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.files_allowed = files_allowed
        if sites is not None and len(sites) > 1:
            self.fields["site"] = forms.ChoiceField(
                label="Site",
                help_text="The site whose directory this feed fills",
                choices=[(str(s.pk), s.name) for s in sites],
                error_messages={"required": "Select the site", "invalid_choice": "Select one of your sites"},
            )
            self.order_fields(["site", "name", "location", "refresh_hours"])
        if files_allowed:
            self.fields["location"].label = "Address of the ORUK API, or a file on the server"
            self.fields["location"].help_text = (
                "The base address of the council's ORUK API, like https://directory.example.gov.uk/api. "
                "As a site administrator you may instead give the full path of a JSON file or folder on the server."
            )

    def clean_location(self) -> str:
        """Checked here too, so that every mistake is shown at once (the service checks it again)."""
        value = str(self.cleaned_data["location"]).strip()
        if "://" in value or not self.files_allowed:
            try:
                URL_VALIDATOR(value)
            except ValidationError:
                raise ValidationError(URL_MESSAGE, code="invalid") from None
        return value
