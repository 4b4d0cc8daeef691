"""The site's settings for measures. The form parses; the service (services.settings) decides what is allowed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from livingwell.outcomes.services.settings import CUTOFF_RANGE, RELIABLE_CHANGE

_DECIMAL = {"inputmode": "decimal", "spellcheck": "false", "classes": "nhsuk-input--width-4"}
_NUMBER = {"inputmode": "numeric", "spellcheck": "false", "classes": "nhsuk-input--width-3"}

# Each figure: the label, the hint (with NHS England's figure) and an example for the error messages.
_RELIABLE = {
    "dialog_reliable_change": (
        "DIALOG: points on an area for a reliable change",
        "The same figure is used for each of the 11 areas and for the two averages. NHS England uses 1.",
    ),
    "gbo_reliable_change": (
        "Goal Based Outcomes: points on a goal for a reliable change",
        "Used for each goal. NHS England uses 3.",
    ),
    "reqol10_reliable_change": (
        "ReQoL-10: points on the total for a reliable change",
        "NHS England uses 5.",
    ),
    "swemwbs_reliable_change": (
        "SWEMWBS: metric points for a reliable change",
        "On the metric score from the conversion table. NHS England uses 3.",
    ),
}


def _reliable_field(name: str) -> forms.DecimalField:
    low, high, words = RELIABLE_CHANGE[name]
    label, hint = _RELIABLE[name]
    between = f"{words} must be between {low} and {high}"
    return forms.DecimalField(
        label=label,
        help_text=f"{hint} From {low} to {high}.",
        min_value=low,
        max_value=high,
        max_digits=4,
        decimal_places=2,
        widget=forms.TextInput(attrs=_DECIMAL),
        error_messages={
            "required": f"Enter the {words}",
            "invalid": f"{words} must be a number, like 1.5",
            "min_value": between,
            "max_value": between,
            "max_digits": between,
            "max_decimal_places": f"{words} must have no more than 2 numbers after the decimal point",
            "max_whole_digits": between,
        },
    )


class MeasureSettingsForm(forms.Form):
    dialog_reliable_change = _reliable_field("dialog_reliable_change")
    gbo_reliable_change = _reliable_field("gbo_reliable_change")
    reqol10_reliable_change = _reliable_field("reqol10_reliable_change")
    swemwbs_reliable_change = _reliable_field("swemwbs_reliable_change")
    reqol10_cutoff = forms.IntegerField(
        label="ReQoL-10: clinical cut-off",
        help_text=(
            "A total below this is in the range where people often ask for help. NHS England uses 25. "
            f"A whole number from {CUTOFF_RANGE[0]} to {CUTOFF_RANGE[1]}."
        ),
        min_value=CUTOFF_RANGE[0],
        max_value=CUTOFF_RANGE[1],
        widget=forms.TextInput(attrs=_NUMBER),
        error_messages={
            "required": "Enter the ReQoL-10 cut-off",
            "invalid": "The ReQoL-10 cut-off must be a whole number, like 25",
            "min_value": f"The ReQoL-10 cut-off must be a whole number from {CUTOFF_RANGE[0]} to {CUTOFF_RANGE[1]}",
            "max_value": f"The ReQoL-10 cut-off must be a whole number from {CUTOFF_RANGE[0]} to {CUTOFF_RANGE[1]}",
        },
    )

    @staticmethod
    def initial_from(settings: Any) -> dict[str, Any]:
        """The form's starting values: the site's figures, written as people write them (1, not 1.00)."""
        initial: dict[str, Any] = {}
        for name in _RELIABLE:
            value = Decimal(str(getattr(settings, name))).normalize()
            initial[name] = format(value, "f")
        initial["reqol10_cutoff"] = int(settings.reqol10_cutoff)
        return initial
