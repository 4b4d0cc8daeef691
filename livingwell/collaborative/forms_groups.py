"""Forms for starting and changing groups and giving roles. Choices of people show only `known_as`."""

from __future__ import annotations

from typing import Any

from django import forms

from livingwell.collaborative.groups import GroupAnswers
from livingwell.collaborative.models import GroupKind, GroupRole, Member
from livingwell.core.forms import NHSDateField
from livingwell.network.models import Locality

ROLE_CHOICES = [
    (GroupRole.CHAIR.value, "Chair"),
    (GroupRole.CO_CHAIR.value, "Co-chair"),
    (GroupRole.COORDINATOR.value, "Coordinator"),
    (GroupRole.MEMBER.value, "Member"),
]


def _member_choices(members: list[Member]) -> list[tuple[str, str]]:
    return [(str(m.pk), m.known_as) for m in members]


class GroupForm(forms.Form):
    """What a group is. Starting one also asks for its first chair and, if wanted, a co-chair;
    changing one asks whether it has ended."""

    kind = forms.ChoiceField(
        label="What kind of group is it?",
        choices=GroupKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of group it is"},
    )
    name = forms.CharField(
        label="Name of the group", max_length=150, error_messages={"required": "Enter the group's name"}
    )
    purpose = forms.CharField(
        label="What the group is for",
        help_text="A sentence or two that a new member would understand, for example: co-designing how people first get in touch.",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what the group is for"},
    )
    locality = forms.ChoiceField(
        label="Locality",
        required=False,
        help_text="If the group works in one part of the borough.",
    )
    anyone_can_join = forms.BooleanField(
        label="Any member can join",
        required=False,
        help_text="If not, members ask its chair, co-chair or coordinator to add them.",
    )
    started_on = NHSDateField(
        label="When the group started",
        help_text="For example, 6 1 2025",
        past_only=True,
        error_messages={"required": "Enter the date the group started"},
    )
    chair = forms.ChoiceField(
        label="Its first chair",
        help_text="The chair plans the group's sessions and follows up its actions.",
        error_messages={"required": "Choose the group's first chair"},
    )
    co_chair = forms.ChoiceField(
        label="A co-chair",
        required=False,
        help_text="Sharing the lead means the group does not rest on one person.",
    )
    ended_on = NHSDateField(
        label="When the group ended",
        required=False,
        past_only=True,
        help_text="Only if the group has finished its work. Everyone's membership ends on that day.",
    )

    def __init__(
        self,
        data: Any = None,
        *,
        localities: list[Locality],
        members: list[Member] | None = None,
        starting: bool,
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        self.starting = starting
        self._localities = {str(loc.pk): loc for loc in localities}
        self.fields["locality"].choices = [  # type: ignore[attr-defined]
            ("", "Not one locality"),
            *((k, v.name) for k, v in self._localities.items()),
        ]
        if not localities:
            del self.fields["locality"]
        self._members = {str(m.pk): m for m in members or []}
        if starting:
            choices = _member_choices(members or [])
            self.fields["chair"].choices = [("", "Choose"), *choices]  # type: ignore[attr-defined]
            self.fields["co_chair"].choices = [("", "No co-chair for now"), *choices]  # type: ignore[attr-defined]
            del self.fields["ended_on"]
        else:
            del self.fields["chair"]
            del self.fields["co_chair"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chair, co_chair = data.get("chair"), data.get("co_chair")
        if self.starting and chair and co_chair and chair == co_chair and "co_chair" not in self.errors:
            self.add_error("co_chair", "Choose a different person as co-chair, or no one")
        return data

    def answers(self) -> GroupAnswers:
        data = self.cleaned_data
        return GroupAnswers(
            kind=data["kind"],
            name=data["name"],
            purpose=data["purpose"],
            locality=self._localities.get(data.get("locality") or ""),
            anyone_can_join=bool(data.get("anyone_can_join")),
            started_on=data["started_on"],
        )

    def chair_member(self) -> Member | None:
        return self._members.get(self.cleaned_data.get("chair") or "")

    def co_chair_member(self) -> Member | None:
        return self._members.get(self.cleaned_data.get("co_chair") or "")


class RoleForm(forms.Form):
    """Give a member a role in a group: adds them if they are not in it, else changes their role."""

    member = forms.ChoiceField(label="Who", error_messages={"required": "Choose who to give a role to"})
    role = forms.ChoiceField(
        label="Role",
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role"},
    )

    def __init__(self, data: Any = None, *, members: list[Member], roles_now: dict[str, str]) -> None:
        super().__init__(data)
        self._members = {str(m.pk): m for m in members}
        self.fields["member"].choices = [  # type: ignore[attr-defined]
            ("", "Choose"),
            *(
                (
                    str(m.pk),
                    f"{m.known_as} ({roles_now[str(m.pk)].lower()} now)" if str(m.pk) in roles_now else m.known_as,
                )
                for m in members
            ),
        ]

    def chosen(self) -> Member | None:
        return self._members.get(self.cleaned_data.get("member") or "")


class EndForm(forms.Form):
    """Which membership to end (the page asks to confirm first)."""

    membership = forms.UUIDField(widget=forms.HiddenInput)
