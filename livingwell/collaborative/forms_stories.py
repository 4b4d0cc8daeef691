"""The story bank's forms: gathering and changing a story, its check, and withdrawing it."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms

from livingwell.collaborative.deidentify import Finding
from livingwell.collaborative.models import ConsentLevel, Insight, Perspective, StoryKind
from livingwell.collaborative.stories import MAX_THEMES, Acceptance, StoryAnswers, theme_names
from livingwell.core.concurrency import VersionField
from livingwell.core.forms import NHSDateField

CONSENT_HINT = (
    "Ask the teller, and share no further than they agreed. The group that gathered it can read it as soon as "
    "you share it. Before it goes to members of the Collaborative or onto the public pages, someone checks the "
    "words for anything that could identify the teller, such as names, dates, places and NHS numbers."
)


class StoryForm(forms.Form):
    kind = forms.ChoiceField(
        label="Is this a story or feedback?",
        choices=StoryKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose story or feedback"},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="A few words that say what the story is about. Do not use the teller's name.",
        error_messages={"required": "Enter a title"},
    )
    body = forms.CharField(
        label="The story",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="In the teller's own words, as they told it.",
        error_messages={"required": "Enter the story, in the teller's words"},
    )
    teller_perspective = forms.ChoiceField(
        label="The teller is",
        choices=Perspective.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Only if they told you and agreed you could say so.",
    )
    gathered_on = NHSDateField(
        label="Gathered on",
        past_only=True,
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the story was gathered"},
    )
    consent_level = forms.ChoiceField(
        label="How far did the teller agree it may be shared?",
        choices=ConsentLevel.choices,
        widget=forms.RadioSelect,
        help_text=CONSENT_HINT,
        error_messages={"required": "Choose how far the teller agreed it may be shared"},
    )
    consent_note = forms.CharField(
        label="How the teller agreed",
        max_length=300,
        help_text="For example, signed the consent form at the Tuesday group, or agreed out loud and asked for no names.",
        error_messages={"required": "Say how the teller agreed, for example in writing or out loud at the group"},
    )
    themes = forms.CharField(
        label="Themes",
        max_length=1000,
        required=False,
        help_text="Separate them with commas, for example: loneliness, housing, being listened to.",
    )
    prototypes = forms.MultipleChoiceField(
        label="Prototypes it tells us about", required=False, widget=forms.CheckboxSelectMultiple
    )
    decisions = forms.MultipleChoiceField(
        label="Decisions it tells us about", required=False, widget=forms.CheckboxSelectMultiple
    )
    insights = forms.MultipleChoiceField(
        label="Figures it speaks to",
        required=False,
        choices=Insight.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="The figures Living Well keeps that this story helps explain.",
    )

    def __init__(
        self,
        *args: Any,
        prototypes: list[tuple[str, str]] | None = None,
        decisions: list[tuple[str, str]] | None = None,
        known_themes: list[str] | None = None,
        versioned: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prototypes"].choices = prototypes or []  # type: ignore[attr-defined]
        self.fields["decisions"].choices = decisions or []  # type: ignore[attr-defined]
        if known_themes:
            self.fields["themes"].help_text += " Themes already used: " + ", ".join(known_themes) + "."
        if versioned:
            self.fields["version"] = VersionField()

    def clean_themes(self) -> tuple[str, ...]:
        names = theme_names(self.cleaned_data.get("themes") or "")
        if len(names) > MAX_THEMES:
            raise forms.ValidationError(f"Give {MAX_THEMES} themes or fewer")
        if any(len(name) > 80 for name in names):
            raise forms.ValidationError("Each theme must be 80 characters or fewer")
        return names

    def answers(self) -> StoryAnswers:
        data = self.cleaned_data
        return StoryAnswers(
            kind=data["kind"],
            title=data["title"],
            body=data["body"],
            gathered_on=data["gathered_on"],
            consent_level=data["consent_level"],
            consent_note=data["consent_note"],
            teller_perspective=data.get("teller_perspective") or "",
            themes=data.get("themes") or (),
            prototype_ids=tuple(uuid.UUID(v) for v in data.get("prototypes") or ()),
            decision_ids=tuple(uuid.UUID(v) for v in data.get("decisions") or ()),
            insights=tuple(data.get("insights") or ()),
        )


class CheckForm(forms.Form):
    """One reason box for each finding: a reason keeps it, an empty box means the words will change."""

    words = forms.CharField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, findings: list[Finding], previous: dict[tuple[str, str], str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.findings = findings
        for number, finding in enumerate(findings, start=1):
            self.fields[f"reason_{number}"] = forms.CharField(
                label=f"Finding {number}: why can “{finding.text}” stay? (leave empty to change the words instead)",
                max_length=300,
                required=False,
                initial=previous.get((str(finding.kind), finding.text), ""),
                help_text="For example, the teller asked for their first name to be used.",
            )

    def reason_fields(self) -> list[forms.BoundField]:
        return [self[f"reason_{n}"] for n in range(1, len(self.findings) + 1)]

    def acceptances(self) -> list[Acceptance]:
        return [
            Acceptance(reason=self.cleaned_data.get(f"reason_{n}", "") or "") for n in range(1, len(self.findings) + 1)
        ]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="How did the teller withdraw their consent?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, they rang the group's coordinator on Monday and asked for it to be taken down.",
        error_messages={"required": "Say how the teller withdrew their consent"},
    )


class StoryFilterForm(forms.Form):
    theme = forms.ChoiceField(label="Theme", required=False)
    group = forms.ChoiceField(label="Group", required=False)
    kind = forms.ChoiceField(label="Story or feedback", required=False, choices=[("", "Both"), *StoryKind.choices])
    linked = forms.ChoiceField(label="Linked to", required=False)

    def __init__(
        self,
        *args: Any,
        themes: list[tuple[str, str]],
        groups: list[tuple[str, str]],
        linked: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "Any theme"), *themes]  # type: ignore[attr-defined]
        self.fields["group"].choices = [("", "Any group"), *groups]  # type: ignore[attr-defined]
        self.fields["linked"].choices = [("", "Anything or nothing"), *linked]  # type: ignore[attr-defined]

    def uuid_of(self, name: str) -> uuid.UUID | None:
        value = self.cleaned_data.get(name) if self.is_valid() else None
        try:
            return uuid.UUID(value) if value else None
        except ValueError:
            return None

    def value_of(self, name: str) -> str:
        return str(self.cleaned_data.get(name) or "") if self.is_valid() else ""
