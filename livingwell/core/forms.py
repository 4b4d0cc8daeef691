"""Django forms rendered with the NHS.UK frontend macros, following the GOV.UK/NHS error pattern.

`nhs_field(bound_field)` turns a Django bound field into the component name and parameters for
the matching NHS.UK macro (input, textarea, radios, checkboxes, select, date input), with the
label, hint, "(optional)" marker and error message. `error_summary(form)` gives the summary box
parameters, linking each message to its field. Templates call the macro in `forms.jinja`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils import timezone

from livingwell.core.errors import DomainError


class DateInputWidget(forms.MultiWidget):
    """Day, month and year boxes, as the NHS date input component shows them."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class NHSDateField(forms.MultiValueField):
    """A date typed as day, month and year, with the NHS service manual's error messages."""

    widget = DateInputWidget

    def __init__(self, *, past_only: bool = False, **kwargs: Any) -> None:
        self.past_only = past_only
        fields = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> dt.date | None:
        if not data_list or not any(data_list):
            return None
        label = (self.label or "Date").capitalize()
        day, month, year = (str(part or "").strip() for part in data_list)
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise ValidationError(f"{label} must include a {' and '.join(missing)}", code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"{label} must be a real date", code="invalid")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers", code="invalid_year")
        try:
            value = dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{label} must be a real date", code="invalid") from None
        if self.past_only and value > timezone.localdate():
            raise ValidationError(f"{label} must be in the past", code="future")
        if value.year < 1900:
            raise ValidationError(f"{label} must be after 1900", code="too_old")
        return value


def _label_text(bf: BoundField) -> str:
    label = str(bf.label)
    if not bf.field.required and not isinstance(bf.field, forms.BooleanField):
        label += " (optional)"
    return label


def _error(bf: BoundField) -> dict[str, str] | None:
    return {"text": str(bf.errors[0])} if bf.errors else None


def _choices(bf: BoundField, *, multiple: bool) -> list[dict[str, Any]]:
    values = bf.value()
    chosen = {str(v) for v in values} if multiple and values else {str(values)} if values not in (None, "") else set()
    return [
        {"value": str(value), "text": str(text), "checked": str(value) in chosen, "selected": str(value) in chosen}
        for value, text in bf.field.choices  # type: ignore[attr-defined]
        if value != ""
    ]


def nhs_field(bf: BoundField, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The NHS.UK component and parameters that render `bf`."""
    widget = bf.field.widget
    hint = {"text": str(bf.help_text)} if bf.help_text else None
    base: dict[str, Any] = {"id": bf.id_for_label or bf.auto_id, "name": bf.html_name, "errorMessage": _error(bf)}
    if hint:
        base["hint"] = hint
    attrs = {k: v for k, v in widget.attrs.items() if k in ("autocomplete", "inputmode", "spellcheck")}
    component: str
    if isinstance(widget, DateInputWidget):
        component = "dateInput"
        day, month, year = (
            (bf.value() or [None, None, None]) if isinstance(bf.value(), list) else widget.decompress(bf.value())
        )
        base.pop("name")
        params = {
            **base,
            "id": bf.auto_id,
            "fieldset": {"legend": {"text": _label_text(bf), "size": "s"}},
            "items": [
                {"id": f"{bf.auto_id}_0", "name": f"{bf.html_name}_0", "label": "Day", "width": 2, "value": day or ""},
                {
                    "id": f"{bf.auto_id}_1",
                    "name": f"{bf.html_name}_1",
                    "label": "Month",
                    "width": 2,
                    "value": month or "",
                },
                {
                    "id": f"{bf.auto_id}_2",
                    "name": f"{bf.html_name}_2",
                    "label": "Year",
                    "width": 4,
                    "value": year or "",
                },
            ],
        }
    elif isinstance(widget, forms.CheckboxSelectMultiple):  # before RadioSelect: it is a subclass of it
        component = "checkboxes"
        params = {
            **base,
            "id": None,  # the first option has the prefix as its id; the group must not share it
            "idPrefix": bf.auto_id,
            "fieldset": {"legend": {"text": _label_text(bf), "size": "s"}},
            "items": _choices(bf, multiple=True),
        }
    elif isinstance(widget, forms.RadioSelect):
        component = "radios"
        params = {
            **base,
            "id": None,  # the first option has the prefix as its id; the group must not share it
            "idPrefix": bf.auto_id,
            "fieldset": {"legend": {"text": _label_text(bf), "size": "s"}},
            "items": _choices(bf, multiple=False),
        }
    elif isinstance(widget, forms.CheckboxInput):
        component = "checkboxes"
        params = {
            **base,
            "id": None,  # the first option has the prefix as its id; the group must not share it
            "idPrefix": bf.auto_id,
            "items": [{"value": "on", "text": str(bf.label), "checked": bool(bf.value()), "hint": hint}],
        }
        params.pop("hint", None)
    elif isinstance(widget, forms.Select):
        component = "select"
        params = {
            **base,
            "label": {"text": _label_text(bf)},
            "items": [{"value": "", "text": "Choose"}, *_choices(bf, multiple=False)],
        }
    elif isinstance(widget, forms.Textarea):
        component = "textarea"
        params = {
            **base,
            "label": {"text": _label_text(bf)},
            # Browsers drop one newline straight after <textarea>: start with one so that text that
            # itself starts with a new line comes back exactly as it was typed.
            "value": "\n" + (bf.value() or ""),
            "rows": widget.attrs.get("rows", 5),
            "attributes": attrs,
        }
    else:
        component = "input"
        input_type = getattr(widget, "input_type", "text")
        params = {
            **base,
            "label": {"text": _label_text(bf)},
            "value": "" if input_type == "password" else (bf.value() if bf.value() is not None else ""),
            "type": input_type,
            "attributes": attrs,
        }
        if "classes" in widget.attrs:
            params["classes"] = widget.attrs["classes"]
    if overrides:
        params.update(overrides)
    return {"component": component, "params": params}


def error_summary(form: forms.BaseForm) -> dict[str, Any] | None:
    """The error summary at the top of the page, each message linking to its field."""
    if not form.errors:
        return None
    items = []
    for name, errors in form.errors.items():
        if name == "__all__":
            items += [{"text": str(e), "href": "#"} for e in errors]
            continue
        bf = form[name]
        anchor = f"{bf.auto_id}_0" if isinstance(bf.field.widget, DateInputWidget) else (bf.id_for_label or bf.auto_id)
        if isinstance(bf.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.CheckboxInput):
            anchor = bf.auto_id  # the NHS.UK macros give the first option the prefix itself as its id
        items.append({"text": str(errors[0]), "href": f"#{anchor}"})
    return {"titleText": "There is a problem", "errorList": items}


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's domain error by the field it names (or at the top of the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
