"""Reads for the groups pages and "who holds which role", scoped to one site, in a bounded number of
queries whatever the number of groups and members."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, QuerySet
from django.utils import timezone

from livingwell.collaborative import resilience
from livingwell.collaborative.models import (
    LEAD_ROLES,
    ActionPoint,
    ActionStatus,
    Group,
    GroupMembership,
    Member,
    Session,
    SessionStatus,
)
from livingwell.network.models import Locality, Site

ROLE_ORDER = {"chair": 0, "co_chair": 1, "coordinator": 2, "member": 3}


def _current_rows() -> QuerySet[GroupMembership]:
    return GroupMembership.objects.current().select_related("member")


def site_groups(site: Site) -> list[Group]:
    """The site's groups, each with `current_rows` (its current memberships, with their members)."""
    return list(
        Group.objects.filter(site=site)
        .select_related("locality")
        .prefetch_related(Prefetch("memberships", queryset=_current_rows(), to_attr="current_rows"))
        .order_by("name")
    )


def current_groups(site: Site) -> list[Group]:
    """The site's groups that have not ended, by name."""
    return list(Group.objects.filter(site=site, ended_on__isnull=True).order_by("name"))


def group_in(site: Site, group_id: uuid.UUID | str) -> Group | None:
    """One of the site's groups, with `current_rows`, or None."""
    return (
        Group.objects.filter(site=site, pk=group_id)
        .select_related("locality", "site")
        .prefetch_related(Prefetch("memberships", queryset=_current_rows(), to_attr="current_rows"))
        .first()
    )


def sorted_rows(rows: list[GroupMembership]) -> list[GroupMembership]:
    """Leads first (chair, co-chair, coordinator), then members, each by name."""
    return sorted(rows, key=lambda r: (ROLE_ORDER.get(r.role, 9), r.member.known_as.lower(), str(r.pk)))


def history(group: Group) -> list[GroupMembership]:
    """Every membership the group has had, newest first (current rows before ended ones that started the same day)."""
    rows = list(GroupMembership.objects.filter(group=group).select_related("member"))
    return sorted(rows, key=lambda r: (r.started_on, r.ended_on is None, r.member.known_as.lower()), reverse=True)


def membership_in(group: Group, membership_id: uuid.UUID | str) -> GroupMembership | None:
    return GroupMembership.objects.filter(group=group, pk=membership_id).select_related("member", "group").first()


def current_members(site: Site) -> list[Member]:
    """The site's current Collaborative members, by name (for choosing chairs and giving roles)."""
    return list(Member.objects.current().filter(site=site).order_by("known_as", "id"))


def localities(site: Site) -> list[Locality]:
    return list(Locality.objects.filter(site=site).order_by("name"))


def lead_counts(site: Site, member_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """How many of the site's current groups each of `member_ids` leads now."""
    rows = (
        GroupMembership.objects.current()
        .filter(group__site=site, group__ended_on__isnull=True, role__in=LEAD_ROLES, member_id__in=member_ids)
        .values("member_id")
        .annotate(n=Count("group_id", distinct=True))
    )
    return {row["member_id"]: row["n"] for row in rows}


# ---- facts for the resilience checks -------------------------------------------------------------


def group_facts(groups: list[Group], today: dt.date) -> list[resilience.GroupFacts]:
    """The facts the checks read for `groups` (current ones), in five queries whatever their number."""
    if not groups:
        return []
    ids = [g.pk for g in groups]
    # Every row of these groups: current rows are the seats, earlier ones give the spell in lead roles.
    rows_by_group: dict[uuid.UUID, list[GroupMembership]] = defaultdict(list)
    for row in GroupMembership.objects.filter(group_id__in=ids).select_related("member"):
        rows_by_group[row.group_id].append(row)
    owners: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for action in ActionPoint.objects.filter(group_id__in=ids, status=ActionStatus.OPEN).values("group_id", "owner_id"):
        owners[action["group_id"]].append(action["owner_id"])
    end_of_today = _start_of(today + dt.timedelta(days=1))
    window_start = _start_of(resilience.add_months(today, -resilience.HOSTING_MONTHS))
    held = Session.objects.filter(group_id__in=ids).exclude(status=SessionStatus.CANCELLED)
    meetings: dict[uuid.UUID, list[resilience.Meeting]] = defaultdict(list)
    hosts: dict[uuid.UUID, dict[uuid.UUID, str]] = defaultdict(dict)
    for session in held.filter(starts_at__gte=window_start, starts_at__lt=end_of_today).values(
        "group_id", "starts_at", "host_member_id", "host_member__known_as"
    ):
        meetings[session["group_id"]].append(
            resilience.Meeting(on=timezone.localdate(session["starts_at"]), host_id=session["host_member_id"])
        )
        if session["host_member_id"]:
            hosts[session["group_id"]][session["host_member_id"]] = session["host_member__known_as"]
    earlier = held.filter(starts_at__lt=window_start).values("group_id").annotate(last=Max("starts_at")).order_by()
    for last in earlier:
        meetings[last["group_id"]].append(resilience.Meeting(on=timezone.localdate(last["last"]), host_id=None))
    facts = []
    for group in groups:
        rows = rows_by_group.get(group.pk, [])
        by_member: dict[uuid.UUID, list[GroupMembership]] = defaultdict(list)
        for row in rows:
            by_member[row.member_id].append(row)
        seats = []
        for row in rows:
            if row.ended_on is not None:
                continue
            spell = resilience.lead_spell_start((r.role, r.started_on, r.ended_on) for r in by_member[row.member_id])
            seats.append(
                resilience.Seat(
                    person=resilience.Person(
                        id=row.member_id, known_as=row.member.known_as, lived_experience=row.member.lived_experience
                    ),
                    role=row.role,
                    started_on=row.started_on,
                    lead_since=spell,
                )
            )
        facts.append(
            resilience.GroupFacts(
                id=group.pk,
                name=group.name,
                started_on=group.started_on,
                seats=tuple(sorted(seats, key=lambda s: (ROLE_ORDER.get(s.role, 9), s.person.known_as.lower()))),
                open_action_owners=tuple(owners.get(group.pk, [])),
                meetings=tuple(sorted(meetings.get(group.pk, []), key=lambda m: m.on)),
                hosts=hosts.get(group.pk, {}),
            )
        )
    return facts


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# ---- people who moved on -------------------------------------------------------------------------


@dataclass(frozen=True)
class EndedLead:
    row: GroupMembership
    now_role: str  # the member's current role in the group, "" if they are no longer in it
    successors: list[str]  # who holds the same role in the group now


def moved_on(site: Site, today: dt.date) -> tuple[list[Member], list[EndedLead]]:
    """Members who left the Collaborative, and lead roles that ended, in the last `MOVED_ON_MONTHS`
    months (newest first), with who holds each role now: three queries."""
    since = resilience.add_months(today, -resilience.MOVED_ON_MONTHS)
    left = list(
        Member.objects.filter(site=site, left_on__gte=since, left_on__lte=today).order_by("-left_on", "known_as")
    )
    ended = list(
        GroupMembership.objects.filter(group__site=site, role__in=LEAD_ROLES, ended_on__gte=since, ended_on__lte=today)
        .select_related("member", "group")
        .order_by("-ended_on", "group__name")
    )
    group_ids = {row.group_id for row in ended}
    now: dict[uuid.UUID, list[GroupMembership]] = defaultdict(list)
    for row in _current_rows().filter(group_id__in=group_ids):
        now[row.group_id].append(row)
    result = []
    for row in ended:
        current = now.get(row.group_id, [])
        mine = next((r.role for r in current if r.member_id == row.member_id), "")
        successors = sorted(r.member.known_as for r in current if r.role == row.role and r.member_id != row.member_id)
        result.append(EndedLead(row=row, now_role=mine, successors=successors))
    return left, result
