"""Forms for decisions: proposing one, saying where you stand, adding who took part, recording the
result, withdrawing, and the public log's filter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from livingwell.collaborative.decisions import MAX_OPTIONS, STANCES, Outcome, Proposal
from livingwell.collaborative.models import (
    Decision,
    DecisionMethod,
    DecisionOption,
    DecisionResult,
    Group,
    Member,
    ParticipantRole,
    Session,
    Stance,
)
from livingwell.core.concurrency import VersionField
from livingwell.core.forms import NHSDateField
from livingwell.core.presenters import date

# How each method works, in plain English (shown on the form and the decision's page).
METHOD_HELP: dict[str, str] = {
    DecisionMethod.CONSENT: (
        "Consent: it goes ahead unless someone has a reasoned objection. People can consent, stand aside, "
        "or object and say why. Objections are talked through until they are addressed."
    ),
    DecisionMethod.CONSENSUS: (
        "Consensus: everyone agrees. People can agree, stand aside, or block and say why. "
        "It cannot go ahead while anyone blocks."
    ),
    DecisionMethod.VOTE: "Vote: people vote for one of the options, or abstain. The option with most votes is chosen.",
}

# What someone says, in the first person, for each stance (the say form's choices).
STANCE_CHOICE: dict[str, str] = {
    Stance.CONSENT: "I consent: it can go ahead",
    Stance.AGREE: "I agree",
    Stance.STAND_ASIDE: "I stand aside: I will not stop it, but I do not want to be part of it",
    Stance.OBJECT: "I object: I have a reason it should not go ahead as it is",
    Stance.BLOCK: "I block: I cannot accept it",
    Stance.ABSTAIN: "I abstain",
}
ABSTAIN = "abstain"
OPTION_PREFIX = "option:"
NOT_RECORDED = "none"
MOST_VOTES = "most"


def _limits(form: forms.Form) -> None:
    for bound in form.fields.values():
        if isinstance(bound, forms.CharField) and bound.max_length:
            bound.error_messages["max_length"] = f"{bound.label} must be {bound.max_length} characters or fewer"


def _money_field(label: str) -> forms.DecimalField:
    field = forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text="In pounds, for example 2500 or 150.50",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "classes": "nhsuk-input--width-10"}),
    )
    field.error_messages.update(
        {
            "invalid": "Money involved must be an amount in pounds, like 2500 or 150.50",
            "min_value": "Money involved must be £0 or more",
            "max_digits": "Money involved must be less than £10,000,000,000",
            "max_decimal_places": "Money involved can have up to 2 numbers after the point, for pence",
            "max_whole_digits": "Money involved must be less than £10,000,000,000",
        }
    )
    return field


def _stance_choices(decision: Decision, options: Sequence[DecisionOption]) -> list[tuple[str, str]]:
    if decision.method == DecisionMethod.VOTE:
        return [(f"{OPTION_PREFIX}{o.pk}", o.text) for o in options] + [(ABSTAIN, STANCE_CHOICE[Stance.ABSTAIN])]
    return [(str(s), STANCE_CHOICE[s]) for s in STANCES[decision.method]]


def _stance_of(value: str, options: Sequence[DecisionOption]) -> tuple[str, DecisionOption | None]:
    if value.startswith(OPTION_PREFIX):
        chosen = next((o for o in options if str(o.pk) == value.removeprefix(OPTION_PREFIX)), None)
        return Stance.VOTE, chosen
    return (Stance.ABSTAIN if value == ABSTAIN else value), None


def stance_value(stance: str, option: DecisionOption | None) -> str:
    """The form value for a saved stance (to show someone what they said before)."""
    if stance == Stance.VOTE and option is not None:
        return f"{OPTION_PREFIX}{option.pk}"
    return ABSTAIN if stance == Stance.ABSTAIN else stance


class ProposeForm(forms.Form):
    title = forms.CharField(
        label="What is being decided",
        max_length=200,
        help_text="In a few words, for example: Where the spring open event is held",
    )
    proposal = forms.CharField(
        label="The proposal",
        max_length=5000,
        help_text="What is proposed, why, and what happens if it is agreed",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    method = forms.ChoiceField(
        label="How will it be decided?",
        choices=[(m, METHOD_HELP[m]) for m in (DecisionMethod.CONSENT, DecisionMethod.CONSENSUS, DecisionMethod.VOTE)],
        widget=forms.RadioSelect,
    )
    money = _money_field("Money involved (£)")
    money_note = forms.CharField(
        label="Where the money comes from",
        max_length=300,
        required=False,
        help_text="For example: the ideas fund, or the Collaborative's events budget",
    )
    session = forms.ChoiceField(label="The session where it is decided", required=False)
    is_public = forms.ChoiceField(
        label="Show it in the public decisions log once it is decided?",
        choices=[("yes", "Yes, anyone can read it"), ("no", "No, keep it to members")],
        widget=forms.RadioSelect,
        initial="yes",
    )
    not_public_why = forms.CharField(
        label="If not, why not",
        max_length=300,
        required=False,
        help_text="Decisions are public unless there is a good reason, such as someone's privacy",
    )

    def __init__(self, data: Any = None, *, sessions: Sequence[Session]) -> None:
        super().__init__(data)
        for n in range(1, MAX_OPTIONS + 1):
            self.fields[f"option_{n}"] = forms.CharField(label=f"Option {n}", max_length=300, required=False)
        self.fields["session"].choices = [("", "Not linked to a session")] + [  # type: ignore[attr-defined]
            (str(s.pk), f"{s.title}, {date(s.starts_at)}") for s in sessions
        ]
        self._sessions = {str(s.pk): s for s in sessions}
        self.fields["title"].error_messages["required"] = "Enter what is being decided"
        self.fields["proposal"].error_messages["required"] = "Enter the proposal"
        self.fields["method"].error_messages["required"] = "Choose how it will be decided"
        self.fields["is_public"].error_messages["required"] = "Say whether to show it in the public decisions log"
        _limits(self)

    def option_fields(self) -> list[forms.BoundField]:
        return [self[f"option_{n}"] for n in range(1, MAX_OPTIONS + 1)]

    def answers(self) -> Proposal:
        data = self.cleaned_data
        return Proposal(
            title=data["title"],
            proposal=data["proposal"],
            method=data["method"],
            options=tuple(data.get(f"option_{n}", "") for n in range(1, MAX_OPTIONS + 1)),
            money=data.get("money"),
            money_note=data.get("money_note", ""),
            session=self._sessions.get(data.get("session") or ""),
            is_public=data["is_public"] == "yes",
            not_public_why=data.get("not_public_why", ""),
        )


class SayForm(forms.Form):
    stance = forms.ChoiceField(label="Where do you stand?", widget=forms.RadioSelect)
    comment = forms.CharField(
        label="Why",
        max_length=3000,
        required=False,
        help_text="Needed if you object or block, so the group can address it. Everyone in the group can read it.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self, data: Any = None, *, decision: Decision, options: Sequence[DecisionOption], initial: Any = None
    ) -> None:
        super().__init__(data, initial=initial)
        self._options = options
        self.fields["stance"].choices = _stance_choices(decision, options)  # type: ignore[attr-defined]
        if decision.method == DecisionMethod.VOTE:
            self.fields["stance"].label = "Which option do you vote for?"
            self.fields["comment"].help_text = "Everyone in the group can read it."
        self.fields["stance"].error_messages["required"] = "Choose where you stand"
        _limits(self)

    def say(self) -> tuple[str, DecisionOption | None, str]:
        stance, option = _stance_of(self.cleaned_data["stance"], self._options)
        return stance, option, self.cleaned_data.get("comment", "")


class ParticipantForm(forms.Form):
    member = forms.ChoiceField(label="Who took part")
    role = forms.ChoiceField(
        label="The part they played",
        choices=[(ParticipantRole.PARTICIPANT, "Took part"), (ParticipantRole.FACILITATOR, "Facilitated")],
        widget=forms.RadioSelect,
        initial=ParticipantRole.PARTICIPANT,
    )
    stance = forms.ChoiceField(
        label="Where they stood, if they said in the room", required=False, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="What they said",
        max_length=3000,
        required=False,
        help_text="Needed for an objection or a block: their reason, in their words",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, data: Any = None, *, decision: Decision, options: Sequence[DecisionOption], members: Sequence[Member]
    ) -> None:
        super().__init__(data)
        self._options = options
        self._members = {str(m.pk): m for m in members}
        self.fields["member"].choices = [(str(m.pk), m.known_as) for m in members]  # type: ignore[attr-defined]
        choices = _stance_choices(decision, options)
        if decision.method == DecisionMethod.VOTE:
            choices = [(value, f"Voted for: {text}" if value != ABSTAIN else "Abstained") for value, text in choices]
        else:
            choices = [(value, str(Stance(value).label).replace("I ", "", 1).capitalize()) for value, _ in choices]
        self.fields["stance"].choices = [*choices, (NOT_RECORDED, "Not recorded")]  # type: ignore[attr-defined]
        self.fields["member"].error_messages["required"] = "Choose who took part"
        self.fields["member"].error_messages["invalid_choice"] = "Choose a current member of the Collaborative"
        self.fields["role"].error_messages["required"] = "Choose the part they played"
        _limits(self)

    def answers(self) -> dict[str, Any]:
        stance, option = ("", None)
        if self.cleaned_data.get("stance") not in ("", NOT_RECORDED):
            stance, option = _stance_of(self.cleaned_data["stance"], self._options)
        return {
            "member": self._members[self.cleaned_data["member"]],
            "role": self.cleaned_data["role"],
            "stance": stance,
            "option": option,
            "comment": self.cleaned_data.get("comment", ""),
        }


class RecordForm(forms.Form):
    result = forms.ChoiceField(label="The result", choices=DecisionResult.choices, widget=forms.RadioSelect)
    chosen_option = forms.ChoiceField(
        label="The option agreed", required=False, widget=forms.RadioSelect, initial=MOST_VOTES
    )
    chosen_why = forms.CharField(
        label="If it is not the option with most votes, why",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    why = forms.CharField(
        label="Why",
        max_length=4000,
        help_text="What was decided and the reasons, in words anyone can follow",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    objections_addressed = forms.CharField(
        label="How objections were addressed",
        max_length=5000,
        required=False,
        help_text="Needed if an objection still stands and it is agreed: what changed, or why it can go ahead",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    decided_on = NHSDateField(label="Date it was decided", help_text="For example, 15 3 2026")
    money = _money_field("Money involved (£)")
    money_note = forms.CharField(label="Where the money comes from", max_length=300, required=False)

    def __init__(
        self,
        data: Any = None,
        *,
        decision: Decision,
        options: Sequence[DecisionOption],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        self.fields["version"] = VersionField()
        self._options = {str(o.pk): o for o in options}
        if decision.method == DecisionMethod.VOTE:
            self.fields["chosen_option"].choices = [  # type: ignore[attr-defined]
                (MOST_VOTES, "The option with most votes"),
                *[(str(o.pk), o.text) for o in options],
            ]
            self.fields[
                "chosen_option"
            ].help_text = "Leave it as the option with most votes unless the group chose another"
        else:
            del self.fields["chosen_option"]
            del self.fields["chosen_why"]
        self.fields["result"].error_messages["required"] = "Choose the result"
        self.fields["why"].error_messages["required"] = "Say why: what was decided and the reasons"
        self.fields["decided_on"].error_messages["required"] = "Enter the date it was decided"
        _limits(self)

    def outcome(self) -> Outcome:
        data = self.cleaned_data
        return Outcome(
            result=data["result"],
            why=data["why"],
            decided_on=data["decided_on"],
            objections_addressed=data.get("objections_addressed", ""),
            chosen_option=self._options.get(data.get("chosen_option") or ""),
            chosen_why=data.get("chosen_why", ""),
            money=data.get("money"),
            money_note=data.get("money_note", ""),
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is it withdrawn?",
        max_length=3000,
        help_text="Members of the group can read this",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        self.fields["reason"].error_messages["required"] = "Say why the decision is withdrawn"
        _limits(self)


def select_items(bound: forms.BoundField) -> list[dict[str, Any]]:
    """The items of a select whose empty choice has its own words ("All groups"), for the select macro."""
    value = str(bound.value() or "")
    return [{"value": v, "text": t, "selected": v == value} for v, t in bound.field.choices]  # type: ignore[attr-defined]


class GroupFilterForm(forms.Form):
    group = forms.ChoiceField(label="Group", required=False)

    def __init__(self, data: Any = None, *, groups: Sequence[Group]) -> None:
        super().__init__(data)
        self.fields["group"].choices = [("", "All groups")] + [(str(g.pk), g.name) for g in groups]  # type: ignore[attr-defined]


class LogFilterForm(GroupFilterForm):
    year = forms.ChoiceField(label="Year", required=False)

    def __init__(self, data: Any = None, *, groups: Sequence[Group], years: Sequence[int]) -> None:
        super().__init__(data, groups=groups)
        self.fields["year"].choices = [("", "All years")] + [(str(y), str(y)) for y in years]  # type: ignore[attr-defined]
