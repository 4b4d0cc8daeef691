"""Forms for the Living Well plan, worded for the person ("you") or for staff (by the person's name).

Words are never stripped: goals and actions are kept exactly as typed. The services check the rules
again (who may own an action, whose words may change), so these forms only shape the answers.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from livingwell.accounts.models import User
from livingwell.core.concurrency import VersionField
from livingwell.core.forms import NHSDateField
from livingwell.people.models import Relationship
from livingwell.support.models import ActionOwner, ActionStatus, BigThree, Goal, GoalStatus
from livingwell.support.services.plans import COMMENT_MAX, OWNER_NAME_MAX, WORDS_MAX


def _words(label: str, *, hint: str = "", required: bool = True, missing: str = "", rows: int = 4) -> forms.CharField:
    messages = {"max_length": f"{label} must be {WORDS_MAX} characters or fewer"}
    if missing:
        messages["required"] = missing
    return forms.CharField(
        label=label,
        help_text=hint,
        required=required,
        strip=False,
        max_length=WORDS_MAX,
        error_messages=messages,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _radios(label: str, choices: Any, *, missing: str, hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        help_text=hint,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": missing, "invalid_choice": missing},
    )


class GoalForm(forms.Form):
    words = forms.CharField()
    outcome = forms.ChoiceField()

    def __init__(self, *args: Any, own: bool, name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["words"] = _words(
            "What is your goal?" if own else f"What is {name}'s goal?",
            hint="In your own words. It is kept exactly as you write it."
            if own
            else f"In {name}'s own words, exactly as they say it.",
            missing="Enter the goal",
        )
        self.fields["outcome"] = _radios(
            "Which of the Big Three is it for?",
            BigThree.choices,
            missing="Choose which of the Big Three the goal is for",
            hint="Every Living Well goal helps with at least one of these. Choose the one it helps with most.",
        )


class GoalChangeForm(GoalForm):
    status = forms.ChoiceField()
    version = VersionField()

    def __init__(self, *args: Any, own: bool, name: str, **kwargs: Any) -> None:
        super().__init__(*args, own=own, name=name, **kwargs)
        self.fields["status"] = _radios("How is it going?", GoalStatus.choices, missing="Choose how the goal is going")


def owner_labels(*, own: bool, name: str) -> list[tuple[str, str]]:
    """Who can do an action, as the radios say it."""
    return [
        (ActionOwner.PERSON.value, "Me" if own else name),
        (ActionOwner.WORKER.value, "A Living Well worker"),
        (ActionOwner.NETWORK.value, "Someone in my own network" if own else f"Someone in {name}'s own network"),
        (ActionOwner.COMMUNITY.value, "A community offer, such as a group, course or service"),
    ]


class _NameChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, Relationship):
            return f"{obj.name} ({obj.get_kind_display().lower()})"
        return str(getattr(obj, "name", obj))


class ActionForm(forms.Form):
    """What will be done, who does it (and which worker, who in the network, or which offer), by when."""

    what = forms.CharField()
    goal = forms.ModelChoiceField(queryset=Goal.objects.none())
    owner = forms.ChoiceField()
    owner_worker = forms.ModelChoiceField(queryset=User.objects.none())
    owner_relationship = forms.ModelChoiceField(queryset=Relationship.objects.none())
    owner_name = forms.CharField()
    due = NHSDateField(label="By when", required=False)

    def __init__(
        self,
        *args: Any,
        own: bool,
        name: str,
        workers: QuerySet[User],
        relationships: QuerySet[Relationship],
        goals: QuerySet[Goal],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["what"] = _words(
            "What will be done?",
            hint="One step, small enough to know when it is done. For example, ask at the leisure centre about swimming times.",
            missing="Enter what will be done",
            rows=3,
        )
        self.fields["goal"] = _NameChoice(
            label="Which goal is it for?",
            queryset=goals,
            required=False,
            error_messages={"invalid_choice": "Choose one of the goals in the plan"},
        )
        self.fields["owner"] = _radios(
            "Who will do it?", owner_labels(own=own, name=name), missing="Choose who will do it"
        )
        self.fields["owner_worker"] = _NameChoice(
            label="If a Living Well worker will do it, which worker?",
            queryset=workers,
            required=False,
            help_text="Someone from the team that supports you"
            if own
            else f"Someone from the team that supports {name}",
            error_messages={"invalid_choice": "Choose a worker from the team"},
        )
        self.fields["owner_relationship"] = _NameChoice(
            label="If someone in the network will do it, who?",
            queryset=relationships,
            required=False,
            error_messages={"invalid_choice": "Choose someone from the network"},
        )
        self.fields["owner_name"] = forms.CharField(
            label="If a community offer will do it, what is it called?",
            help_text="For example, Brixton men's walking group",
            max_length=OWNER_NAME_MAX,
            required=False,
            error_messages={"max_length": f"The name must be {OWNER_NAME_MAX} characters or fewer"},
        )
        self.fields["due"].help_text = "For example, 27 3 2027. Leave it empty if there is no date."
        self.own = own
        self.name = name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        owner = data.get("owner")
        needs = {
            ActionOwner.WORKER.value: ("owner_worker", "Choose the worker who will do it"),
            ActionOwner.NETWORK.value: ("owner_relationship", "Choose who in the network will do it"),
            ActionOwner.COMMUNITY.value: ("owner_name", "Enter the name of the community offer"),
        }
        if owner in needs:
            field, message = needs[owner]
            if not data.get(field) and field not in self.errors:
                self.add_error(field, ValidationError(message, code="required"))
        return data

    def owner_data(self) -> dict[str, Any]:
        """The answers for the service, with only the choice that goes with who does it."""
        owner = self.cleaned_data["owner"]
        return {
            "owner": owner,
            "owner_worker": self.cleaned_data.get("owner_worker") if owner == ActionOwner.WORKER else None,
            "owner_relationship": self.cleaned_data.get("owner_relationship") if owner == ActionOwner.NETWORK else None,
            "owner_name": self.cleaned_data.get("owner_name", "") if owner == ActionOwner.COMMUNITY else "",
        }


class ActionChangeForm(ActionForm):
    status = forms.ChoiceField()
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"] = _radios("Status", ActionStatus.choices, missing="Choose the status of the action")


class SafetyPlanForm(forms.Form):
    """The safety plan, in the person's words."""

    warning_signs = forms.CharField()
    what_helps = forms.CharField()
    people_and_places = forms.CharField()
    crisis_contacts = forms.CharField()
    version = VersionField()

    def __init__(self, *args: Any, own: bool, name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if own:
            questions = {
                "warning_signs": ("What are the signs that things are getting hard for you?", ""),
                "what_helps": ("What can you do that helps?", "Things you can do on your own to feel a bit better"),
                "people_and_places": (
                    "Which people and places help?",
                    "People you can be with or talk to, and places where you feel safer",
                ),
                "crisis_contacts": (
                    "Who can you contact in a crisis?",
                    "Names and phone numbers of people and services you can call",
                ),
            }
        else:
            questions = {
                "warning_signs": (f"What are the signs that things are getting hard for {name}?", ""),
                "what_helps": (
                    f"What can {name} do that helps?",
                    "Things they can do on their own to feel a bit better",
                ),
                "people_and_places": (
                    "Which people and places help?",
                    "People they can be with or talk to, and places where they feel safer",
                ),
                "crisis_contacts": (
                    f"Who can {name} contact in a crisis?",
                    "Names and phone numbers of people and services they can call",
                ),
            }
        for field, (label, hint) in questions.items():
            self.fields[field] = _words(label, hint=hint, required=False)


class ReviewForm(forms.Form):
    held_on = NHSDateField(
        label="When was the review?",
        past_only=True,
        help_text="For example, 27 3 2027",
        error_messages={"required": "Enter the date of the review"},
    )
    with_person = forms.ChoiceField()
    how_it_is_going = forms.CharField()
    what_changes = forms.CharField()
    next_review_due = NHSDateField(
        label="When is the next review?",
        help_text="For example, 27 6 2027",
        error_messages={"required": "Enter the date of the next review"},
    )

    def __init__(self, *args: Any, name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["with_person"] = _radios(
            f"Did {name} take part?",
            [("yes", "Yes"), ("no", "No")],
            missing=f"Choose yes if {name} took part in the review",
        )
        self.fields["how_it_is_going"] = _words(
            "How is it going?", hint=f"In {name}'s own words", required=False, rows=5
        )
        self.fields["what_changes"] = _words(
            "What changes in the plan?",
            hint="Change goals and actions on the plan itself; each change is kept as a new version",
            required=False,
        )


class AgreeForm(forms.Form):
    comment = forms.CharField()
    version = VersionField()

    def __init__(self, *args: Any, own: bool, name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comment"] = forms.CharField(
            label="Anything you want to add" if own else f"Anything {name} wants to add",
            help_text="" if own else "In their own words",
            required=False,
            strip=False,
            max_length=COMMENT_MAX,
            error_messages={"max_length": f"This must be {COMMENT_MAX} characters or fewer"},
            widget=forms.Textarea(attrs={"rows": 3}),
        )
