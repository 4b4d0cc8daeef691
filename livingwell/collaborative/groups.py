"""Groups and who is in them, over time: starting and changing groups, joining and leaving, giving
roles and ending memberships.

A membership row holds one role from a date; a change of role ends the row and starts another the
same day, so a group's history shows who held which role and for how long. Every group keeps at
least one person in a lead role (chair, co-chair or coordinator): the last lead cannot leave or be
moved without someone taking over. Stewards (see `access`) start and change groups; a group's
leads and the stewards give roles; members join open groups and leave any group themselves.

Each service checks who may do it before opening its transaction (so that a refusal is recorded),
validates, writes and records the change in the audit trail in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from livingwell.audit.models import Action
from livingwell.collaborative import access
from livingwell.collaborative.models import LEAD_ROLES, Group, GroupKind, GroupMembership, GroupRole, Member
from livingwell.core.errors import DomainError
from livingwell.network.models import Locality, Site

if TYPE_CHECKING:
    from django.http import HttpRequest

    from livingwell.accounts.models import User


@dataclass(frozen=True)
class GroupAnswers:
    kind: str
    name: str
    purpose: str
    locality: Locality | None
    anyone_can_join: bool
    started_on: dt.date


def _tidy(text: str) -> str:
    return " ".join(text.split())


def _check_answers(site: Site, answers: GroupAnswers, *, today: dt.date, group: Group | None = None) -> None:
    if answers.kind not in GroupKind.values:
        raise DomainError("kind_invalid", "Choose what kind of group it is", field="kind")
    name = _tidy(answers.name)
    if not name:
        raise DomainError("name_missing", "Enter the group's name", field="name")
    same_name = Group.objects.filter(site=site, name__iexact=name)
    if group is not None:
        same_name = same_name.exclude(pk=group.pk)
    if same_name.exists():
        raise DomainError("name_taken", f"There is already a group called {name}: choose another name", field="name")
    if not answers.purpose.strip():
        raise DomainError("purpose_missing", "Say what the group is for", field="purpose")
    if answers.kind == GroupKind.COLLABORATIVE:
        whole = access.whole_collaborative(site)
        if whole is not None and (group is None or whole.pk != group.pk):
            raise DomainError(
                "one_collaborative",
                f"There can be only one Collaborative: {whole.name} is it. Choose another kind of group.",
                field="kind",
            )
    if group is not None and group.kind == GroupKind.COLLABORATIVE and answers.kind != GroupKind.COLLABORATIVE:
        raise DomainError(
            "collaborative_kind",
            "The Collaborative itself stays of kind \u201cThe Collaborative\u201d: its leads are its stewards",
            field="kind",
        )
    if answers.locality is not None and answers.locality.site_id != site.pk:
        raise DomainError("locality_invalid", "Choose one of the site's localities", field="locality")
    if answers.started_on > today:
        raise DomainError(
            "started_in_future", "The date the group started must be today or in the past", field="started_on"
        )


def _current_member(site: Site, member: Member | None, *, field: str, what: str) -> Member:
    if member is None or member.site_id != site.pk or not member.is_current:
        raise DomainError(f"{field}_invalid", f"Choose {what} from the Collaborative's current members", field=field)
    return member


def group_start(
    *,
    actor: User,
    site: Site,
    answers: GroupAnswers,
    chair: Member | None,
    co_chair: Member | None = None,
    request: HttpRequest | None = None,
) -> Group:
    """A steward starts a group with its first chair (and, if they like, a co-chair)."""
    access.require_steward(actor, site, what="group", request=request)
    today = timezone.localdate()
    with transaction.atomic():
        _check_answers(site, answers, today=today)
        chair = _current_member(site, chair, field="chair", what="the chair")
        if co_chair is not None:
            co_chair = _current_member(site, co_chair, field="co_chair", what="the co-chair")
            if co_chair.pk == chair.pk:
                raise DomainError("co_chair_same", "Choose a different person as co-chair, or no one", field="co_chair")
        group = Group.objects.create(
            site=site,
            kind=answers.kind,
            name=_tidy(answers.name),
            purpose=answers.purpose.strip(),
            locality=answers.locality,
            anyone_can_join=answers.anyone_can_join,
            started_on=answers.started_on,
        )
        for member, role in ((chair, GroupRole.CHAIR), (co_chair, GroupRole.CO_CHAIR)):
            if member is not None:
                GroupMembership.objects.create(
                    group=group, member=member, role=role, started_on=max(answers.started_on, member.joined_on)
                )
        access.record(
            actor=actor,
            action=Action.CREATE,
            what="group",
            obj_id=group.pk,
            extra={"kind": group.kind, "chair": str(chair.pk), "co_chair": str(co_chair.pk) if co_chair else ""},
            request=request,
        )
    return group


def group_change(
    *,
    actor: User,
    group: Group,
    answers: GroupAnswers,
    ended_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Group:
    """A steward changes a group; giving it an end date ends every current membership on that date."""
    access.require_steward(actor, group.site, what="group", request=request)
    today = timezone.localdate()
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        _check_answers(group.site, answers, today=today, group=group)
        rows = list(GroupMembership.objects.current().filter(group=group).select_for_update())
        first_start = (
            GroupMembership.objects.filter(group=group)
            .order_by("started_on")
            .values_list("started_on", flat=True)
            .first()
        )
        if first_start is not None and answers.started_on > first_start:
            raise DomainError(
                "started_after_members",
                f"Someone was in the group from {first_start.day} {first_start:%B %Y}: it must have started by then",
                field="started_on",
            )
        ending = ended_on is not None and group.ended_on is None
        if ended_on is not None:
            if group.kind == GroupKind.COLLABORATIVE:
                raise DomainError("collaborative_ends", "The Collaborative itself cannot be ended", field="ended_on")
            if ended_on > today:
                raise DomainError(
                    "ended_in_future", "The date the group ended must be today or in the past", field="ended_on"
                )
            if ended_on < answers.started_on:
                raise DomainError(
                    "ended_before_start", "The group must end on or after the day it started", field="ended_on"
                )
            latest = max((r.started_on for r in rows), default=None)
            if latest is not None and ended_on < latest:
                raise DomainError(
                    "ended_before_members",
                    f"Someone joined on {latest.day} {latest:%B %Y}: the group can end on that day or later",
                    field="ended_on",
                )
        changed = [
            name
            for name, new in (
                ("kind", answers.kind),
                ("name", _tidy(answers.name)),
                ("purpose", answers.purpose.strip()),
                ("locality", answers.locality.pk if answers.locality else None),
                ("anyone_can_join", answers.anyone_can_join),
                ("started_on", answers.started_on),
                ("ended_on", ended_on),
            )
            if (group.locality_id if name == "locality" else getattr(group, name)) != new
        ]
        group.kind = answers.kind
        group.name = _tidy(answers.name)
        group.purpose = answers.purpose.strip()
        group.locality = answers.locality
        group.anyone_can_join = answers.anyone_can_join
        group.started_on = answers.started_on
        group.ended_on = ended_on
        group.save()
        if ending:
            for row in rows:
                row.ended_on = ended_on
                row.save(update_fields=["ended_on", "updated_at"])
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="group",
            obj_id=group.pk,
            extra={"changed": changed, "memberships_ended": len(rows) if ending else 0},
            request=request,
        )
    return group


def _open(group: Group) -> None:
    if group.ended_on is not None:
        raise DomainError("group_ended", f"{group.name} ended on {group.ended_on.day} {group.ended_on:%B %Y}")


def _leads_after(group: Group, *, without: GroupMembership) -> int:
    return GroupMembership.objects.current().filter(group=group, role__in=LEAD_ROLES).exclude(pk=without.pk).count()


def group_join(*, actor: User, group: Group, request: HttpRequest | None = None) -> GroupMembership:
    """A member joins a group that any member may join."""
    member = access.require_member(actor, group.site, what="group_membership", request=request, action=Action.CREATE)
    today = timezone.localdate()
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        _open(group)
        if GroupMembership.objects.current().filter(group=group, member=member).exists():
            raise DomainError("already_in", f"You are already in {group.name}")
        if not group.anyone_can_join:
            raise DomainError("ask_to_join", f"Ask one of the leads of {group.name} to add you")
        row = GroupMembership.objects.create(group=group, member=member, role=GroupRole.MEMBER, started_on=today)
        access.record(
            actor=actor,
            action=Action.CREATE,
            what="group_membership",
            obj_id=row.pk,
            extra={"group": str(group.pk), "role": row.role, "how": "joined"},
            request=request,
        )
    return row


def _end(row: GroupMembership, today: dt.date) -> None:
    row.ended_on = max(today, row.started_on)
    row.save(update_fields=["ended_on", "updated_at"])


def group_leave(*, actor: User, group: Group, request: HttpRequest | None = None) -> GroupMembership:
    """A member leaves a group (their row ends today). The last lead hands over first."""
    member = access.require_member(actor, group.site, what="group_membership", request=request, action=Action.CHANGE)
    today = timezone.localdate()
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        row = GroupMembership.objects.current().select_for_update().filter(group=group, member=member).first()
        if row is None:
            raise DomainError("not_in", f"You are not in {group.name}")
        if row.role in LEAD_ROLES and _leads_after(group, without=row) == 0:
            raise DomainError(
                "last_lead",
                f"You are the only person in a lead role in {group.name}. Give your role to someone else "
                "before you leave, so that the group is not left without a lead.",
            )
        _end(row, today)
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="group_membership",
            obj_id=row.pk,
            extra={"group": str(group.pk), "role": row.role, "how": "left"},
            request=request,
        )
    return row


def role_give(
    *, actor: User, group: Group, member: Member | None, role: str, request: HttpRequest | None = None
) -> GroupMembership:
    """A group's runner or a steward adds a member in a role, or changes their role (the current row
    ends today and a new one starts today)."""
    access.require_run(actor, group, what="group_membership", request=request)
    today = timezone.localdate()
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        _open(group)
        if role not in GroupRole.values:
            raise DomainError("role_invalid", "Choose a role", field="role")
        member = _current_member(group.site, member, field="member", what="someone")
        current = GroupMembership.objects.current().select_for_update().filter(group=group, member=member).first()
        if current is not None and current.role == role:
            raise DomainError(
                "same_role",
                f"{member.known_as} is already {GroupRole(role).label.lower()} of {group.name}",
                field="role",
            )
        if (
            current is not None
            and current.role in LEAD_ROLES
            and role not in LEAD_ROLES
            and _leads_after(group, without=current) == 0
        ):
            raise DomainError(
                "last_lead",
                f"{member.known_as} is the only person in a lead role. Give someone else a lead role first.",
                field="role",
            )
        previous = current.role if current is not None else ""
        if current is not None and current.started_on >= today:
            # A correction on the day the row started: there is no spell in the old role to keep.
            current.role = role
            current.save(update_fields=["role", "updated_at"])
            row = current
        else:
            if current is not None:
                _end(current, today)
            row = GroupMembership.objects.create(
                group=group, member=member, role=role, started_on=max(today, member.joined_on)
            )
        access.record(
            actor=actor,
            action=Action.CHANGE if current is not None else Action.CREATE,
            what="group_membership",
            obj_id=row.pk,
            extra={
                "group": str(group.pk),
                "member": str(member.pk),
                "role": role,
                "previous_role": previous,
            },
            request=request,
        )
    return row


def membership_end(*, actor: User, membership: GroupMembership, request: HttpRequest | None = None) -> GroupMembership:
    """A group's runner or a steward ends someone's membership today. The last lead stays until
    someone else has a lead role."""
    group = membership.group
    access.require_run(actor, group, what="group_membership", request=request)
    today = timezone.localdate()
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        row = GroupMembership.objects.select_for_update().select_related("member").get(pk=membership.pk)
        if row.ended_on is not None:
            raise DomainError("already_ended", f"{row.member.known_as} is no longer in {group.name}")
        if row.role in LEAD_ROLES and _leads_after(group, without=row) == 0:
            raise DomainError(
                "last_lead",
                f"{row.member.known_as} is the only person in a lead role. Give someone else a lead role first.",
            )
        _end(row, today)
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="group_membership",
            obj_id=row.pk,
            extra={"group": str(group.pk), "member": str(row.member_id), "role": row.role, "how": "ended"},
            request=request,
        )
    return row
