from __future__ import annotations

from django import forms

from livingwell.audit.models import Outcome, ReviewOutcome


class LogFilterForm(forms.Form):
    person = forms.UUIDField(
        label="Person reference",
        required=False,
        error_messages={"invalid": "Enter a person reference in the right format"},
    )
    actor = forms.CharField(label="Staff email address", max_length=200, required=False)
    outcome = forms.ChoiceField(
        label="Outcome", choices=[("", "All"), *Outcome.choices], required=False, widget=forms.Select
    )


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Was the emergency access justified?",
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the access was justified"},
    )
    note = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4}))
