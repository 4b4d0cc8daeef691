"""Reading sessions, attendance, actions and the rota, scoped to what the caller may see."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from livingwell.collaborative import access
from livingwell.collaborative.models import (
    LEAD_ROLES,
    ActionPoint,
    ActionStatus,
    ActionStep,
    Attendance,
    Decision,
    DecisionStatus,
    Group,
    GroupMembership,
    Member,
    Reply,
    Session,
    SessionStatus,
)
from livingwell.network.models import Organisation, Site

PAST_PAGE_SIZE = 20
ROTA_MONTHS_BACK = 12
ROTA_MONTHS_AHEAD = 6


def my_group_ids(member: Member) -> list[uuid.UUID]:
    return list(
        GroupMembership.objects.current()
        .filter(member=member, group__ended_on__isnull=True)
        .values_list("group_id", flat=True)
    )


def my_groups(member: Member) -> list[Group]:
    return list(Group.objects.filter(pk__in=my_group_ids(member)).order_by("name"))


def groups_run_by(user: Any, member: Member, groups: list[Group]) -> set[uuid.UUID]:
    """Which of `groups` the user runs: all of them for a steward, else those the member leads (one query)."""
    if access.is_steward(user, member.site):
        return {g.pk for g in groups}
    return set(
        GroupMembership.objects.current()
        .filter(member=member, group__in=groups, role__in=LEAD_ROLES)
        .values_list("group_id", flat=True)
    )


def _visible(member: Member) -> QuerySet[Session]:
    """Sessions of the member's groups, and every open event of the site."""
    reply = Attendance.objects.filter(session=OuterRef("pk"), member=member).values("reply")[:1]
    return (
        Session.objects.filter(group__site=member.site_id)
        .filter(Q(group_id__in=my_group_ids(member)) | Q(is_open_event=True))
        .select_related("group", "host_organisation")
        .annotate(my_reply=Subquery(reply))
    )


def upcoming_and_past(member: Member, *, group_id: uuid.UUID | None = None) -> tuple[list[Session], QuerySet[Session]]:
    """The member's upcoming sessions (soonest first, cancelled ones too) and a query of past ones (latest first)."""
    now = timezone.now()
    sessions = _visible(member)
    if group_id is not None:
        sessions = sessions.filter(group_id=group_id)
    upcoming = list(sessions.filter(ends_at__gte=now).order_by("starts_at", "id"))
    past = sessions.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    return upcoming, past


def session_by_id(site: Site, session_id: uuid.UUID) -> Session | None:
    return (
        Session.objects.filter(group__site=site, pk=session_id)
        .select_related("group", "group__site", "host_organisation", "host_member", "updated_by")
        .first()
    )


def session_opener(user: Any, member: Member | None, site: Site) -> Callable[[Session], bool]:
    """Whether the viewer can open a session's page, as `may_see` decides, for linking many sessions at
    one query: stewards open every session, members open open events and their own groups' sessions."""
    if access.is_steward(user, site):
        return lambda session: True
    ids = (
        set(GroupMembership.objects.current().filter(member=member).values_list("group_id", flat=True))
        if member is not None
        else set()
    )
    return lambda session: session.is_open_event or session.group_id in ids


def may_see(member: Member, session: Session, *, runs: bool) -> bool:
    """Open events are for every member; other sessions for the members of the group and its runners."""
    return session.is_open_event or runs or access.in_group(member, session.group)


def attendance_of(session: Session) -> list[Attendance]:
    return list(Attendance.objects.filter(session=session).select_related("member").order_by("member__known_as", "id"))


def my_reply(member: Member | None, session: Session) -> str:
    if member is None:
        return ""
    return Attendance.objects.filter(session=session, member=member).values_list("reply", flat=True).first() or ""


def cancel_reason(session: Session) -> str:
    """Why the session was cancelled, as the runner wrote it."""
    return session.cancelled_reason


def session_actions(session: Session) -> list[ActionPoint]:
    return list(ActionPoint.objects.filter(session=session).select_related("owner").order_by("due_on", "id"))


def session_decisions(session: Session) -> list[Decision]:
    return list(Decision.objects.filter(session=session).order_by("-decided_on", "-created_at"))


def group_members(group: Group) -> list[Member]:
    """The group's current members, by name."""
    return list(
        Member.objects.current()
        .filter(group_memberships__group=group, group_memberships__ended_on__isnull=True)
        .distinct()
        .order_by("known_as", "id")
    )


def site_members(site: Site) -> list[Member]:
    return list(Member.objects.current().filter(site=site).order_by("known_as", "id"))


def site_organisations(site: Site) -> list[Organisation]:
    return list(Organisation.objects.filter(site=site, is_active=True).order_by("name"))


def group_by_id(site: Site, group_id: uuid.UUID) -> Group | None:
    return Group.objects.filter(site=site, pk=group_id).select_related("site").first()


# ---- actions ---------------------------------------------------------------------------------------


@dataclass
class GroupActions:
    group: Group
    actions: list[ActionPoint] = field(default_factory=list)
    overdue: int = 0


def my_actions(member: Member) -> list[ActionPoint]:
    """The member's own actions: open ones first (soonest due first), then the rest (latest first)."""
    actions = list(
        ActionPoint.objects.filter(owner=member).select_related("group", "session", "owner").order_by("due_on", "id")
    )
    open_ = [a for a in actions if a.status == ActionStatus.OPEN]
    closed = sorted(
        (a for a in actions if a.status != ActionStatus.OPEN), key=lambda a: a.done_on or a.due_on, reverse=True
    )
    return open_ + closed


def groups_open_actions(member: Member, today: dt.date) -> list[GroupActions]:
    """The open actions of the member's groups, by group, with how many are overdue."""
    ids = my_group_ids(member)
    groups = {g.pk: GroupActions(group=g) for g in Group.objects.filter(pk__in=ids).order_by("name")}
    for action in (
        ActionPoint.objects.filter(group_id__in=ids, status=ActionStatus.OPEN)
        .select_related("owner", "session")
        .order_by("due_on", "id")
    ):
        row = groups[action.group_id]
        row.actions.append(action)
        if action.due_on < today:
            row.overdue += 1
    return [row for row in groups.values() if row.actions]


def action_by_id(site: Site, action_id: uuid.UUID) -> ActionPoint | None:
    return (
        ActionPoint.objects.filter(group__site=site, pk=action_id)
        .select_related("group", "group__site", "owner", "session", "decision", "created_by")
        .first()
    )


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime
    who: str
    status: str
    note: str


def group_decision(group: Group, decision_id: uuid.UUID | None) -> Decision | None:
    """One of `group`'s decisions that is not withdrawn (for an action to carry it out), or None."""
    if decision_id is None:
        return None
    return Decision.objects.filter(group=group, pk=decision_id).exclude(status=DecisionStatus.WITHDRAWN).first()


def action_history(action: ActionPoint) -> list[HistoryRow]:
    """Who added and changed the action and when, by the names members chose."""
    labels = dict(ActionStatus.choices)
    return [
        HistoryRow(
            at=step.at,
            who=step.by.known_as if step.by else "A site administrator",
            status="Added" if step.added else str(labels.get(step.status, step.status)),
            note=step.note,
        )
        for step in ActionStep.objects.filter(action=action).select_related("by").order_by("at", "id")
    ]


# ---- the rota of open events -----------------------------------------------------------------------


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


@dataclass(frozen=True)
class OrganisationTurns:
    organisation: Organisation
    hosted_last_year: int
    last_hosted: dt.date | None
    next_hosting: dt.date | None


@dataclass(frozen=True)
class Rota:
    group: Group | None
    events: list[Session]
    organisations: list[OrganisationTurns]
    since: dt.date
    until: dt.date


def rota_of(site: Site, today: dt.date) -> Rota:
    """The whole Collaborative's open events from 12 months back to 6 months ahead, and each
    organisation's turns: times hosted in the last 12 months, when it last hosted and next hosts."""
    whole = access.whole_collaborative(site)
    first_of_month = today.replace(day=1)
    since = _add_months(first_of_month, -ROTA_MONTHS_BACK)
    until = _add_months(first_of_month, ROTA_MONTHS_AHEAD + 1)
    events: list[Session] = []
    if whole is not None:
        events = list(
            Session.objects.filter(
                group=whole,
                is_open_event=True,
                starts_at__date__gte=since,
                starts_at__date__lt=until,
            )
            .select_related("host_organisation")
            .order_by("starts_at", "id")
        )
    now = timezone.now()
    turns: dict[uuid.UUID, dict[str, Any]] = defaultdict(lambda: {"count": 0, "last": None, "next": None})
    for event in events:
        if event.host_organisation_id is None or event.status == SessionStatus.CANCELLED:
            continue
        row = turns[event.host_organisation_id]
        day = timezone.localtime(event.starts_at).date()
        if event.starts_at < now:  # every past event here is in the last 12 months (from `since`)
            row["last"] = day
            row["count"] += 1
        elif row["next"] is None:
            row["next"] = day
    organisations = [
        OrganisationTurns(
            organisation=o,
            hosted_last_year=turns[o.pk]["count"] if o.pk in turns else 0,
            last_hosted=turns[o.pk]["last"] if o.pk in turns else None,
            next_hosting=turns[o.pk]["next"] if o.pk in turns else None,
        )
        for o in Organisation.objects.filter(site=site, is_active=True).order_by("name")
    ]
    organisations.sort(key=lambda t: (t.last_hosted is not None, t.last_hosted or dt.date.min, t.organisation.name))
    return Rota(group=whole, events=events, organisations=organisations, since=since, until=until)


# ---- public open events ----------------------------------------------------------------------------


def public_events(site: Site) -> list[Session]:
    """Open events that have not finished: planned ones, and cancelled ones so people know not to come."""
    return list(
        Session.objects.filter(group__site=site, is_open_event=True, ends_at__gte=timezone.now())
        .exclude(status=SessionStatus.HELD)
        .select_related("host_organisation", "host_member")
        .order_by("starts_at", "id")
    )


def public_event(site: Site, session_id: uuid.UUID) -> Session | None:
    """An open event anyone may read: not a cancelled one that is over."""
    session = (
        Session.objects.filter(group__site=site, pk=session_id, is_open_event=True)
        .select_related("host_organisation", "host_member")
        .first()
    )
    if session is None:
        return None
    if session.status == SessionStatus.CANCELLED and session.ends_at < timezone.now():
        return None
    return session


def coming_members(session: Session) -> list[Member]:
    return [a.member for a in attendance_of(session) if a.reply == Reply.COMING]


def attended_members(session: Session) -> list[Member]:
    return [a.member for a in attendance_of(session) if a.attended]
