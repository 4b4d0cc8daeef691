"""Forms for prototypes, their cycles, figures and outcome (rendered with the NHS.UK macros)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms

from livingwell.collaborative.models import (
    Cycle,
    CycleAct,
    CycleStage,
    Decision,
    Insight,
    PrototypeStatus,
    Session,
    Story,
)
from livingwell.collaborative.prototypes import FigureAnswers, OutcomeAnswers, PrototypeAnswers
from livingwell.core.concurrency import VersionField
from livingwell.core.forms import NHSDateField
from livingwell.core.presenters import date as date_text

HYPOTHESIS_HINT = "We believe that … will lead to … We will know when …"


def _textarea(
    label: str, *, max_length: int, required: bool = True, help_text: str = "", rows: int = 5
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class _Form(forms.Form):
    required_messages: dict[str, str] = {}

    def _messages(self) -> None:
        for name, bound in self.fields.items():
            if name in self.required_messages:
                bound.error_messages["required"] = self.required_messages[name]
            if isinstance(bound, forms.CharField) and bound.max_length:
                bound.error_messages["max_length"] = f"{bound.label} must be {bound.max_length} characters or fewer"


class PrototypeForm(_Form):
    title = forms.CharField(label="Title", max_length=200, help_text="A short name people will recognise")
    idea = _textarea("The idea", max_length=5000, help_text="What you will try, for whom, and why")
    hypothesis = _textarea("What we think will happen", max_length=3000, help_text=HYPOTHESIS_HINT, rows=4)
    measures = _textarea(
        "What we will measure",
        max_length=3000,
        help_text="The numbers you will count and the stories you will gather to know whether it works",
        rows=4,
    )
    insights = forms.MultipleChoiceField(
        label="Figures it should move",
        required=False,
        choices=Insight.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose the figures the network already keeps that this prototype should change, if any",
    )
    required_messages = {
        "title": "Enter a title for the prototype",
        "idea": "Describe the idea",
        "hypothesis": "Say what you think will happen",
        "measures": "Say what you will measure",
    }

    def __init__(self, data: Any = None, *, initial: dict[str, Any] | None = None, versioned: bool = False) -> None:
        super().__init__(data, initial=initial)
        if versioned:
            self.fields["version"] = VersionField()
        self._messages()

    def answers(self) -> PrototypeAnswers:
        data = self.cleaned_data
        return PrototypeAnswers(
            title=data["title"],
            idea=data["idea"],
            hypothesis=data["hypothesis"],
            measures=data["measures"],
            insights=tuple(data.get("insights") or ()),
        )


class CycleStartForm(_Form):
    plan = _textarea(
        "Plan: what we will try, with whom, where and when",
        max_length=5000,
        help_text="Keep it small: a test you can run in a few weeks",
    )
    prediction = _textarea(
        "What we predict will happen",
        max_length=3000,
        required=False,
        help_text="Write it down now, so that you can compare it with what happens",
        rows=3,
    )
    started_on = NHSDateField(label="Start date", help_text="For example, 15 3 2026")
    required_messages = {
        "plan": "Say what you will try, with whom, where and when",
        "started_on": "Enter the start date",
    }

    def __init__(self, data: Any = None, *, initial: dict[str, Any] | None = None) -> None:
        super().__init__(data, initial=initial)
        self._messages()


def _session_label(session: Session) -> str:
    return f"{session.title}, {session.group.name} ({date_text(session.starts_at)})"


class CycleStageForm(_Form):
    """The form of a cycle's current stage. The button pressed says whether to move on (`to_stage`)."""

    required_messages = {
        "plan": "Say what you will try, with whom, where and when",
        "do": "Write what happened",
        "study": "Write what you learnt, compared with what you predicted",
        "act": "Choose whether to adopt, adapt or abandon it",
    }

    def __init__(
        self,
        data: Any = None,
        *,
        cycle: Cycle,
        sessions: Iterable[Session] = (),
    ) -> None:
        self.cycle = cycle
        stage = CycleStage(cycle.stage)
        initial: dict[str, Any] = {"version": cycle.version}
        super().__init__(data, initial=initial)
        self.fields["version"] = VersionField()
        self.sessions = {str(s.pk): s for s in sessions}
        if stage == CycleStage.PLAN:
            self.fields["plan"] = _textarea("Plan: what we will try, with whom, where and when", max_length=5000)
            self.fields["prediction"] = _textarea(
                "What we predict will happen", max_length=3000, required=False, rows=3
            )
        elif stage == CycleStage.DO:
            self.fields["do"] = _textarea(
                "Do: what happened, including what we did not expect",
                max_length=5000,
                help_text="What you did, who took part, and anything that surprised you",
            )
        elif stage == CycleStage.STUDY:
            self.fields["study"] = _textarea(
                "Study: what we learnt, compared with what we predicted",
                max_length=5000,
                help_text="What happened compared with what you predicted, and what surprised you",
            )
            self.fields["lab_session"] = forms.ChoiceField(
                label="The Lab session where the learning was shared",
                required=False,
                choices=[(pk, _session_label(s)) for pk, s in self.sessions.items()],
                help_text="Sessions of the Prototyping Labs, and of the group running the prototype",
            )
        elif stage == CycleStage.ACT:
            self.fields["act"] = forms.ChoiceField(
                label="What happens to the idea now",
                choices=CycleAct.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields["act_note"] = _textarea("Act: what we will do next", max_length=3000, required=False, rows=3)
        for name in self.fields:
            if name != "version":
                self.initial.setdefault(name, self._initial_value(name))
        self._messages()

    def _initial_value(self, name: str) -> Any:
        if name == "lab_session":
            return str(self.cycle.lab_session_id) if self.cycle.lab_session_id else ""
        return getattr(self.cycle, name)

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {}
        for name in self.fields:
            if name == "version":
                continue
            if name == "lab_session":
                values[name] = self.sessions.get(data.get(name) or "")
            else:
                values[name] = data.get(name) or ""
        return values


class FigureForm(_Form):
    label = forms.CharField(
        label="What was measured", max_length=200, help_text="For example, days from introduction to first conversation"
    )
    value = forms.DecimalField(label="The figure", max_digits=14, decimal_places=2)
    baseline = forms.DecimalField(
        label="The figure before the test",
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text="So that others can see what changed",
    )
    unit = forms.CharField(label="Unit", max_length=40, required=False, help_text="For example, days, people or %")
    measured_on = NHSDateField(label="Date it was measured", past_only=True, help_text="For example, 15 3 2026")
    cycle = forms.ChoiceField(label="The cycle it belongs to", required=False)
    insight = forms.ChoiceField(
        label="The figure the network keeps that it is about",
        required=False,
        choices=Insight.choices,
    )
    source = forms.CharField(
        label="Where the figure comes from",
        max_length=300,
        required=False,
        help_text="For example, the sign-in sheet at the café, or the waiting figures page",
    )
    required_messages = {
        "label": "Say what was measured",
        "value": "Enter the figure",
        "measured_on": "Enter the date it was measured",
    }

    def __init__(self, data: Any = None, *, cycles: Iterable[Cycle] = ()) -> None:
        super().__init__(data)
        self.fields["cycle"].choices = [(str(c.pk), f"Cycle {c.number}") for c in cycles]  # type: ignore[attr-defined]
        for name in ("value", "baseline"):
            label = self.fields[name].label
            self.fields[name].error_messages.update(
                {
                    "invalid": f"{label} must be a number, like 12 or 3.5",
                    "max_digits": f"{label} must be 12 digits or fewer before the decimal point",
                    "max_decimal_places": f"{label} must have 2 decimal places or fewer",
                    "max_whole_digits": f"{label} must be 12 digits or fewer before the decimal point",
                }
            )
        self._messages()

    def answers(self) -> FigureAnswers:
        data = self.cleaned_data
        baseline: Decimal | None = data.get("baseline")
        cycle = data.get("cycle") or ""
        return FigureAnswers(
            label=data["label"],
            value=data["value"],
            baseline=baseline,
            unit=data.get("unit") or "",
            measured_on=data["measured_on"],
            cycle_id=uuid.UUID(cycle) if cycle else None,
            insight=data.get("insight") or "",
            source=data.get("source") or "",
        )


OUTCOME_CHOICES = [
    (PrototypeStatus.ADOPTED.value, "Adopt it: it works, so it becomes part of how the network works"),
    (PrototypeStatus.ADAPTED.value, "Adapt it: change it and test the new version"),
    (PrototypeStatus.STOPPED.value, "Stop it: it did not work, and we say what we learnt"),
]


class OutcomeForm(_Form):
    status = forms.ChoiceField(label="What happens to the prototype", choices=OUTCOME_CHOICES, widget=forms.RadioSelect)
    why = _textarea(
        "Why",
        max_length=5000,
        help_text="What the evidence showed, so that others can learn from it",
    )
    adapted_title = forms.CharField(
        label="If you adapt it, the title of the new prototype",
        max_length=200,
        required=False,
        help_text="We start the new prototype in the same group, with the same idea for you to change",
    )
    decision = forms.ChoiceField(
        label="The decision that settled it",
        required=False,
        help_text="A decision the Collaborative or a group has made, if there was one",
    )
    stories = forms.MultipleChoiceField(
        label="Stories that are evidence",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    required_messages = {
        "status": "Choose whether to adopt, adapt or stop it",
        "why": "Say why, so that others can learn from it",
    }

    def __init__(
        self,
        data: Any = None,
        *,
        version: int,
        decisions: Iterable[Decision] = (),
        stories: Iterable[Story] = (),
        linked: Iterable[uuid.UUID] = (),
    ) -> None:
        super().__init__(data, initial={"version": version, "stories": [str(pk) for pk in linked]})
        self.fields["version"] = VersionField()
        self.fields["decision"].choices = [  # type: ignore[attr-defined]
            (str(d.pk), f"{d.title} ({d.group.name}, {date_text(d.decided_on)})") for d in decisions
        ]
        self.fields["stories"].choices = [  # type: ignore[attr-defined]
            (str(s.pk), f"{s.title} ({s.get_kind_display()}, {s.group.name})") for s in stories
        ]
        self._messages()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            (data.get("adapted_title") or "").strip()
            and data.get("status") not in (None, "", PrototypeStatus.ADAPTED)
            and "adapted_title" not in self.errors
        ):
            self.add_error("adapted_title", "Only name a new prototype when you adapt it")
        return data

    def answers(self) -> OutcomeAnswers:
        data = self.cleaned_data
        return OutcomeAnswers(
            status=data["status"],
            why=data["why"],
            decision_id=uuid.UUID(data["decision"]) if data.get("decision") else None,
            story_ids=tuple(uuid.UUID(s) for s in data.get("stories") or ()),
            adapted_title=data.get("adapted_title") or "",
        )
