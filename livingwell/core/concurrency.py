"""No lost updates: optimistic concurrency for words that two people may edit at once.

A row that people edit (the story, a goal, an action, the safety plan) has a `version`. The edit
form carries the version it was opened at; the service saves with a conditional UPDATE
(`WHERE pk = … AND version = …`), which both SQLite and PostgreSQL apply atomically. When the row
moved on in between, nothing is saved and the service raises `EditConflict` with both versions:
what is saved now (theirs) and what this person typed (mine). The page shows both side by side,
keeps what they typed in the form, and moves the form's version on, so that saving again is a
deliberate choice to put their words over the others (ADR 6).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import F, Model
from django.utils import timezone

from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error

if TYPE_CHECKING:
    from django.forms import BaseForm

VERSION_FIELD = "version"


@dataclass(frozen=True)
class ConflictField:
    label: str
    theirs: str
    mine: str

    @property
    def differs(self) -> bool:
        return self.theirs != self.mine


class EditConflict(DomainError):
    """Someone else saved the same words after this person opened them. Nothing was saved."""

    def __init__(
        self,
        *,
        what: str,
        fields: Sequence[ConflictField],
        current_version: int,
        changed_by: str,
        changed_at: dt.datetime | None,
    ) -> None:
        who = changed_by or "Someone else"
        super().__init__(
            "edit_conflict",
            f"{who} changed {what} after you opened it, so your changes are not saved yet. "
            "Compare the two versions below, then save yours again or keep theirs",
            field=None,
        )
        self.what = what
        self.fields = list(fields)
        self.current_version = current_version
        self.changed_by = who
        self.changed_at = changed_at


class VersionField(forms.IntegerField):
    """The hidden field that carries the version an edit form was opened at."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("required", True)
        kwargs.setdefault(
            "error_messages", {"required": "Open the page again: it is missing what it needs to save safely"}
        )
        super().__init__(**kwargs)


def save_if_unchanged(
    instance: Model, *, expected_version: int, values: Mapping[str, Any], what: str, labels: Mapping[str, str]
) -> int:
    """Save `values` on `instance` only if its version is still `expected_version`; returns the new version.

    Raises EditConflict (nothing saved) when someone saved in between. Call inside the service's
    transaction; `instance` is updated in memory on success.
    """
    model = type(instance)
    now = timezone.now()
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(  # type: ignore[attr-defined]
        version=F("version") + 1, updated_at=now, **values
    )
    if updated != 1:
        raise conflict_for(instance, mine=values, what=what, labels=labels)
    for name, value in values.items():
        setattr(instance, name, value)
    instance.version = expected_version + 1  # type: ignore[attr-defined]
    instance.updated_at = now  # type: ignore[attr-defined]
    return expected_version + 1


def conflict_for(instance: Model, *, mine: Mapping[str, Any], what: str, labels: Mapping[str, str]) -> EditConflict:
    """The conflict between what is saved now and what this person typed."""
    current = type(instance)._default_manager.get(pk=instance.pk)  # type: ignore[attr-defined]
    changer = getattr(current, "updated_by", None)
    fields = [
        ConflictField(label=labels[name], theirs=_text(current, name), mine=_choice_label(current, name, mine[name]))
        for name in mine
        if name in labels
    ]
    return EditConflict(
        what=what,
        fields=fields,
        current_version=current.version,  # type: ignore[attr-defined]
        changed_by=getattr(changer, "name", "") if changer else "",
        changed_at=getattr(current, "updated_at", None),
    )


def _text(instance: Model, name: str) -> str:
    display = getattr(instance, f"get_{name}_display", None)
    if callable(display):
        return str(display())
    return _display(getattr(instance, name))


def _choice_label(instance: Model, name: str, value: Any) -> str:
    field = instance._meta.get_field(name)
    choices = dict(getattr(field, "flatchoices", None) or ())
    if choices and value in choices:
        return str(choices[value])
    return _display(value)


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, Model):
        return str(value)
    return str(value)


def show_conflict(form: BaseForm, error: EditConflict) -> None:
    """Keep what the person typed, say what happened, and move the form on to the saved version."""
    form.add_error(None, error.message)
    data = form.data.copy()  # type: ignore[attr-defined]
    data[form.add_prefix(VERSION_FIELD)] = str(error.current_version)
    form.data = data


@dataclass(frozen=True)
class Attempt[T]:
    """What came of saving an edit form: the service's result, or why nothing was saved."""

    saved: bool
    result: T | None = None
    conflict: EditConflict | None = None


def attempt_save[T](form: BaseForm, save: Callable[[], T]) -> Attempt[T]:
    """Call the service that saves an edit form; show a conflict with both versions, or a domain error by its field."""
    try:
        return Attempt(saved=True, result=save())
    except EditConflict as error:
        show_conflict(form, error)
        return Attempt(saved=False, conflict=error)
    except DomainError as error:
        add_domain_error(form, error)
        return Attempt(saved=False)
