"""Forms for completing a measure, one question to a page.

The forms shape the answers; the services (livingwell.outcomes.services.measures) check them again
against the instrument and the person's plan, and their messages are shown by the field they name.
Words are never stripped: goals and the words of DIALOG+'s steps are kept exactly as typed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from livingwell.accounts.models import User
from livingwell.core.concurrency import VersionField
from livingwell.core.forms import NHSDateField
from livingwell.outcomes.instruments import Option
from livingwell.outcomes.models import Occasion
from livingwell.outcomes.services.measures import (
    GOAL_WORDS_MAX,
    MAX_ACTIONS_PER_TOPIC,
    MAX_GOALS,
    STEP_WORDS_MAX,
    AgreedAction,
    GoalWords,
)
from livingwell.support.models import ActionOwner, BigThree, Goal
from livingwell.support.services.plans import WORDS_MAX

NOT_TODAY = "none"


def _radios(label: str, choices: Any, *, missing: str, required: bool = True, hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        help_text=hint,
        choices=choices,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"required": missing, "invalid_choice": missing},
    )


# Starting -----------------------------------------------------------------------------------------------


class StartForm(forms.Form):
    """Which measure, and (for staff) when it is being completed."""

    instrument = forms.ChoiceField()
    occasion = forms.ChoiceField()

    def __init__(
        self,
        *args: Any,
        instruments: list[tuple[str, str]],
        own: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"] = _radios(
            "Which would you like to fill in?" if own else "Which measure?",
            instruments,
            missing="Choose a measure to complete",
        )
        if own:
            # The person is not asked when; a link from a review or moving on says it.
            self.fields["occasion"] = forms.ChoiceField(
                choices=Occasion.choices, required=False, widget=forms.HiddenInput
            )
        else:
            self.fields["occasion"] = _radios(
                "When is it being completed?",
                Occasion.choices,
                missing="Choose when the measure is being completed",
                required=False,
                hint="If you do not choose, the first of each measure counts as at the first conversation, "
                "and later ones as at another time.",
            )


# Goal Based Outcomes: the goals -------------------------------------------------------------------------


class _GoalChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.words)


class GoalsForm(forms.Form):
    """Up to three goals: goals from the Living Well plan, and new ones in the person's own words."""

    plan_goals = forms.ModelMultipleChoiceField(queryset=Goal.objects.none())
    new_1 = forms.CharField()
    outcome_1 = forms.ChoiceField()
    new_2 = forms.CharField()
    outcome_2 = forms.ChoiceField()
    new_3 = forms.CharField()
    outcome_3 = forms.ChoiceField()
    add_to_plan = forms.BooleanField()

    def __init__(self, *args: Any, own: bool, name: str, goals: QuerySet[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan_goals"] = _GoalChoice(
            label="Goals in your Living Well plan" if own else f"Goals in {name}'s Living Well plan",
            queryset=goals,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": "Choose goals from the Living Well plan"},
        )
        if not goals.exists():
            del self.fields["plan_goals"]
        for n in range(1, MAX_GOALS + 1):
            self.fields[f"new_{n}"] = forms.CharField(
                label=f"New goal {n}",
                required=False,
                strip=False,
                max_length=GOAL_WORDS_MAX,
                error_messages={"max_length": f"The goal must be {GOAL_WORDS_MAX} characters or fewer"},
            )
            self.fields[f"outcome_{n}"] = forms.ChoiceField(
                label=f"Which of the Big Three is new goal {n} for?",
                choices=BigThree.choices,
                required=False,
                initial=BigThree.RECOVER,
                error_messages={"invalid_choice": "Choose one of the Big Three"},
            )
        self.fields["add_to_plan"] = forms.BooleanField(
            label="Add new goals to my Living Well plan too"
            if own
            else f"Add new goals to {name}'s Living Well plan too",
            required=False,
            initial=True,
        )

    @property
    def first_field(self) -> str:
        """The first place to choose or write a goal: messages about the goals as a whole go by it."""
        return "plan_goals" if "plan_goals" in self.fields else "new_1"

    def new_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"new_{n}"], self[f"outcome_{n}"]) for n in range(1, MAX_GOALS + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = len(data.get("plan_goals") or []) + sum(
            1 for n in range(1, MAX_GOALS + 1) if (data.get(f"new_{n}") or "").strip()
        )
        where = self.first_field
        if not self.errors:
            if chosen == 0:
                self.add_error(where, ValidationError("Choose or write at least one goal", code="required"))
            elif chosen > MAX_GOALS:
                self.add_error(where, ValidationError(f"Choose up to {MAX_GOALS} goals altogether", code="too_many"))
        return data

    def goals(self) -> list[GoalWords]:
        """The chosen goals in order: plan goals first, then new words."""
        data = self.cleaned_data
        chosen = [GoalWords(words=g.words, goal_id=g.pk) for g in data.get("plan_goals") or []]
        for n in range(1, MAX_GOALS + 1):
            words = data.get(f"new_{n}") or ""
            if words.strip():
                chosen.append(GoalWords(words=words, outcome=data.get(f"outcome_{n}") or BigThree.RECOVER))
        return chosen


# One question -------------------------------------------------------------------------------------------


class QuestionForm(forms.Form):
    """One question: its answer, and DIALOG+'s "Do you need more help in this area?"."""

    answer = forms.ChoiceField()
    more_help = forms.ChoiceField()

    def __init__(
        self,
        *args: Any,
        question: str,
        options: list[Option],
        missing: str,
        follow_up: str | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer"] = _radios(question, [(str(o.value), o.label) for o in options], missing=missing)
        if follow_up:
            self.fields["more_help"] = _radios(
                follow_up, [("yes", "Yes"), ("no", "No")], missing="Choose yes or no", required=False
            )
        else:
            del self.fields["more_help"]

    def value(self) -> int:
        return int(self.cleaned_data["answer"])

    def wants_more_help(self) -> bool | None:
        said = self.cleaned_data.get("more_help")
        return {"yes": True, "no": False}.get(said or "")


# DIALOG+: the areas to talk about -----------------------------------------------------------------------


class TopicsForm(forms.Form):
    keys = forms.MultipleChoiceField()

    def __init__(self, *args: Any, choices: list[tuple[str, str]], limit: int, own: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit = limit
        self.fields["keys"] = forms.MultipleChoiceField(
            label="Which areas would you like to talk about?" if own else "Which areas would they like to talk about?",
            help_text=f"Choose up to {limit}.",
            choices=[*choices, (NOT_TODAY, "Not today")],
            required=True,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": f"Choose up to {limit} areas to talk about, or choose not today",
                "invalid_choice": "Choose areas from the list",
            },
        )

    def clean_keys(self) -> list[str]:
        keys: list[str] = self.cleaned_data["keys"]
        if NOT_TODAY in keys and len(keys) > 1:
            raise ValidationError("Choose areas to talk about, or choose not today, not both", code="both")
        if len(keys) > self.limit:
            raise ValidationError(f"Choose up to {self.limit} areas to talk about", code="too_many")
        return [key for key in keys if key != NOT_TODAY]


# DIALOG+: the four steps for one area -------------------------------------------------------------------


class _WorkerChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "name", obj))


class TopicForm(forms.Form):
    """The four steps for one area, and up to three agreed actions for the Living Well plan."""

    def __init__(
        self,
        *args: Any,
        steps: dict[str, str],
        own: bool,
        name: str,
        workers: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"] = VersionField()
        for key in ("understanding", "looking_forward", "exploring_options", "agreeing_actions"):
            self.fields[key] = forms.CharField(
                label=steps.get(key, key.replace("_", " ").capitalize()),
                required=False,
                strip=False,
                max_length=STEP_WORDS_MAX,
                error_messages={"max_length": f"This must be {STEP_WORDS_MAX} characters or fewer"},
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        owners = [
            (ActionOwner.PERSON.value, "Me" if own else name),
            (ActionOwner.WORKER.value, "A Living Well worker"),
        ]
        for n in range(1, MAX_ACTIONS_PER_TOPIC + 1):
            self.fields[f"action_{n}_what"] = forms.CharField(
                label="What will be done?",
                required=False,
                strip=False,
                max_length=WORDS_MAX,
                error_messages={"max_length": f"The action must be {WORDS_MAX} characters or fewer"},
            )
            self.fields[f"action_{n}_owner"] = _radios(
                "Who will do it?", owners, missing=f"Choose who will do action {n}", required=False
            )
            self.fields[f"action_{n}_owner"].initial = ActionOwner.PERSON.value
            self.fields[f"action_{n}_owner_worker"] = _WorkerChoice(
                label="If a Living Well worker, which worker?",
                queryset=workers,
                required=False,
                error_messages={"invalid_choice": "Choose a worker from the team"},
            )
            self.fields[f"action_{n}_due"] = NHSDateField(
                label="By when",
                required=False,
                help_text="For example, 27 3 2027. Leave it empty if there is no date.",
            )

    def action_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "number": n,
                "what": self[f"action_{n}_what"],
                "owner": self[f"action_{n}_owner"],
                "owner_worker": self[f"action_{n}_owner_worker"],
                "due": self[f"action_{n}_due"],
            }
            for n in range(1, MAX_ACTIONS_PER_TOPIC + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, MAX_ACTIONS_PER_TOPIC + 1):
            what = (data.get(f"action_{n}_what") or "").strip()
            owner = data.get(f"action_{n}_owner")
            worker = data.get(f"action_{n}_owner_worker")
            due = data.get(f"action_{n}_due")
            if not what:
                if (owner == ActionOwner.WORKER or worker or due) and f"action_{n}_what" not in self.errors:
                    self.add_error(f"action_{n}_what", f"Enter what will be done for action {n}")
                continue
            if owner == ActionOwner.WORKER and worker is None and f"action_{n}_owner_worker" not in self.errors:
                self.add_error(f"action_{n}_owner_worker", f"Choose the worker who will do action {n}")
            if due is not None and due < timezone.localdate() and f"action_{n}_due" not in self.errors:
                self.add_error(f"action_{n}_due", f"The date for action {n} must be today or in the future")
        return data

    def steps(self) -> dict[str, str]:
        return {
            key: self.cleaned_data.get(key) or ""
            for key in ("understanding", "looking_forward", "exploring_options", "agreeing_actions")
        }

    def action_numbers(self) -> list[int]:
        """The numbers of the rows with an action, in order (the service numbers only those)."""
        return [
            n for n in range(1, MAX_ACTIONS_PER_TOPIC + 1) if (self.cleaned_data.get(f"action_{n}_what") or "").strip()
        ]

    def actions(self) -> list[AgreedAction]:
        agreed = []
        for n in self.action_numbers():
            what = self.cleaned_data[f"action_{n}_what"]
            owner = self.cleaned_data.get(f"action_{n}_owner") or ActionOwner.PERSON
            agreed.append(
                AgreedAction(
                    what=what,
                    owner=owner,
                    owner_worker=self.cleaned_data.get(f"action_{n}_owner_worker")
                    if owner == ActionOwner.WORKER
                    else None,
                    due=self.cleaned_data.get(f"action_{n}_due"),
                )
            )
        return agreed
