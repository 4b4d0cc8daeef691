"""Sessions, replies, attendance, notes, actions and the rota of open events (the services).

Every write checks who may do it before its transaction (so that a refusal is recorded), validates,
and writes one audit event with `area="collaborative"` in the same transaction. The audit detail
names the service (`"service": "session_plan"`) and the member who acted (`"by"`), so that an action's
history can be shown by the name members chose.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from livingwell.audit.models import Action
from livingwell.collaborative import access, rota
from livingwell.collaborative.models import (
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
from livingwell.core.concurrency import save_if_unchanged
from livingwell.core.errors import DomainError
from livingwell.network.models import Organisation, Site

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from livingwell.accounts.models import User

LONDON = ZoneInfo("Europe/London")
NOTES_LABELS = {"notes": "Notes"}
OPEN_EVENT_TITLE = "Collaborative open event"


@dataclass(frozen=True)
class SessionAnswers:
    """What the session form asks, cleaned."""

    title: str
    date: dt.date
    starts: dt.time
    ends: dt.time
    place: str
    postcode: str = ""
    online_link: str = ""
    how_to_get_there: str = ""
    agenda: str = ""
    is_open_event: bool = False
    host_organisation_id: uuid.UUID | None = None
    host_member_id: uuid.UUID | None = None


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """The moment `time` on `day` in London (the site's zone)."""
    return dt.datetime.combine(day, time, tzinfo=LONDON)


def _by(member: Member | None) -> str:
    return str(member.pk) if member is not None else ""


def _host_organisation(site: Site, organisation_id: uuid.UUID | None) -> Organisation | None:
    if organisation_id is None:
        return None
    organisation = Organisation.objects.filter(site=site, pk=organisation_id, is_active=True).first()
    if organisation is None:
        raise DomainError("no_such_organisation", "Choose an organisation from the list", field="host_organisation")
    return organisation


def _group_member(group: Group, member_id: uuid.UUID, *, field: str, message: str) -> Member:
    """A current member of `group`, else a domain error by `field`."""
    membership = (
        GroupMembership.objects.current()
        .filter(group=group, member_id=member_id, member__left_on__isnull=True)
        .select_related("member")
        .first()
    )
    if membership is None:
        raise DomainError("not_in_group", message, field=field)
    return membership.member


def _host_member(group: Group, member_id: uuid.UUID | None) -> Member | None:
    if member_id is None:
        return None
    return _group_member(group, member_id, field="host_member", message="Choose a member of the group as the host")


def _session_values(group: Group, answers: SessionAnswers) -> dict[str, Any]:
    if answers.ends <= answers.starts:
        raise DomainError("ends_before_start", "The end time must be after the start time", field="ends")
    title = answers.title.strip()
    place = answers.place.strip()
    if not title:
        raise DomainError("no_title", "Enter a title for the session", field="title")
    if not place and not answers.online_link:
        raise DomainError("no_place", "Say where the session is, or give a link to join online", field="place")
    return {
        "title": title,
        "starts_at": local_datetime(answers.date, answers.starts),
        "ends_at": local_datetime(answers.date, answers.ends),
        "place": place,
        "postcode": answers.postcode.strip().upper(),
        "online_link": answers.online_link,
        "how_to_get_there": answers.how_to_get_there,
        "agenda": answers.agenda,
        "is_open_event": answers.is_open_event,
        "host_organisation": _host_organisation(group.site, answers.host_organisation_id),
        "host_member": _host_member(group, answers.host_member_id),
    }


def session_plan(*, actor: User, group: Group, answers: SessionAnswers, request: HttpRequest | None = None) -> Session:
    """Plan a session of `group` (its chairs, co-chairs and coordinators, and the stewards), or add one
    that already happened so that its attendance and notes can be recorded."""
    member = access.require_run(actor, group, what="session", request=request)
    values = _session_values(group, answers)
    # A session that already happened may be added afterwards to record who came, but not years ago
    # (most often a mistyped year).
    if answers.date < timezone.localdate() - dt.timedelta(days=365):
        raise DomainError("too_long_ago", "The date must be in the last year or in the future", field="date")
    with transaction.atomic():
        session = Session.objects.create(group=group, updated_by=member, **values)
        access.record(
            actor=actor,
            action=Action.CREATE,
            what="session",
            obj_id=session.pk,
            extra={"service": "session_plan", "group": str(group.pk), "by": _by(member)},
            request=request,
        )
    return session


def session_change(
    *, actor: User, session: Session, answers: SessionAnswers, request: HttpRequest | None = None
) -> list[str]:
    """Change a planned or held session's details; returns the names of what changed."""
    member = access.require_run(actor, session.group, what="session", request=request)
    if session.status == SessionStatus.CANCELLED:
        raise DomainError("cancelled", "This session was cancelled, so it cannot be changed")
    values = _session_values(session.group, answers)
    changed = [name for name, value in values.items() if getattr(session, name) != value]
    if not changed:
        return []
    with transaction.atomic():
        for name, value in values.items():
            setattr(session, name, value)
        session.updated_by = member
        session.save()
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="session",
            obj_id=session.pk,
            extra={"service": "session_change", "fields": changed, "by": _by(member)},
            request=request,
        )
    return changed


def session_cancel(*, actor: User, session: Session, reason: str, request: HttpRequest | None = None) -> Session:
    """Cancel a planned session, with the reason members read."""
    member = access.require_run(actor, session.group, what="session", request=request)
    reason = reason.strip()
    if session.status != SessionStatus.PLANNED:
        raise DomainError("not_planned", "Only a planned session can be cancelled")
    if not reason:
        raise DomainError("no_reason", "Say why the session is cancelled: members will read this", field="reason")
    with transaction.atomic():
        session.status = SessionStatus.CANCELLED
        session.cancelled_reason = reason[:1000]
        session.updated_by = member
        session.save(update_fields=["status", "cancelled_reason", "updated_by", "updated_at"])
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="session",
            obj_id=session.pk,
            extra={"service": "session_cancel", "reason": reason[:1000], "by": _by(member)},
            request=request,
        )
    return session


def invited(member: Member, session: Session) -> bool:
    """Members of the session's group are invited to it; anyone in the Collaborative to an open event."""
    if member.site_id != session.group.site_id or not member.is_current:
        return False
    return session.is_open_event or access.in_group(member, session.group)


def session_reply(*, actor: User, session: Session, reply: str, request: HttpRequest | None = None) -> Attendance:
    """A member says they are coming, or sends apologies; they may change it until the session starts."""
    member = access.require_member(
        actor, session.group.site, what="session_reply", request=request, action=Action.CHANGE
    )
    if not invited(member, session):
        raise access.refuse(
            actor=actor,
            action=Action.CHANGE,
            what="session_reply",
            obj_id=session.pk,
            reason="Not invited to this session",
            request=request,
            message="This session is for the members of its group.",
        )
    if reply not in Reply.values:
        raise DomainError("no_reply", "Say whether you are coming", field="reply")
    if session.status != SessionStatus.PLANNED or session.starts_at <= timezone.now():
        raise DomainError("closed", "You can only reply to a planned session before it starts", field="reply")
    with transaction.atomic():
        attendance, _ = Attendance.objects.select_for_update().get_or_create(session=session, member=member)
        attendance.reply = reply
        attendance.save(update_fields=["reply", "updated_at"])
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="session",
            obj_id=session.pk,
            extra={"service": "session_reply", "reply": reply, "by": _by(member)},
            request=request,
        )
    return attendance


def attendance_record(
    *,
    actor: User,
    session: Session,
    attended: Iterable[uuid.UUID],
    guests: int,
    request: HttpRequest | None = None,
) -> Session:
    """Record who came (members of the site's Collaborative) and how many guests; the session is held."""
    member = access.require_run(actor, session.group, what="attendance", request=request)
    if session.status == SessionStatus.CANCELLED:
        raise DomainError("cancelled", "This session was cancelled")
    if session.starts_at > timezone.now():
        raise DomainError("not_started", "You can record who came once the session has started")
    if guests < 0 or guests > 10000:
        raise DomainError("guests", "Enter a number of guests from 0 to 10000", field="guests")
    wanted = set(attended)
    came = {m.pk: m for m in Member.objects.current().filter(site=session.group.site, pk__in=wanted)}
    if len(came) != len(wanted):
        raise DomainError("not_members", "Choose members of the Collaborative only", field="attended")
    with transaction.atomic():
        existing = {a.member_id: a for a in Attendance.objects.select_for_update().filter(session=session)}
        for attendance in existing.values():
            should = attendance.member_id in came
            if attendance.attended != should:
                attendance.attended = should
                attendance.save(update_fields=["attended", "updated_at"])
        Attendance.objects.bulk_create(
            [Attendance(session=session, member=m, attended=True) for pk, m in came.items() if pk not in existing]
        )
        session.status = SessionStatus.HELD
        session.guests = guests
        session.updated_by = member
        session.save(update_fields=["status", "guests", "updated_by", "updated_at"])
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="session",
            obj_id=session.pk,
            extra={"service": "attendance_record", "attended": len(came), "guests": guests, "by": _by(member)},
            request=request,
        )
    return session


def notes_change(
    *, actor: User, session: Session, notes: str, expected_version: int, request: HttpRequest | None = None
) -> Session:
    """Save the session's notes, unless someone else saved them since this editor opened them."""
    member = access.require_run(actor, session.group, what="session_notes", request=request)
    with transaction.atomic():
        save_if_unchanged(
            session,
            expected_version=expected_version,
            values={"notes": notes, "updated_by": member},
            what="the notes",
            labels=NOTES_LABELS,
        )
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="session",
            obj_id=session.pk,
            extra={"service": "notes_change", "version": session.version, "by": _by(member)},
            request=request,
        )
    return session


# ---- actions ---------------------------------------------------------------------------------------


def action_add(
    *,
    actor: User,
    group: Group,
    description: str,
    owner_id: uuid.UUID,
    due_on: dt.date,
    session: Session | None = None,
    decision: Decision | None = None,
    request: HttpRequest | None = None,
) -> ActionPoint:
    """Agree an action in `group`: what, who (a current member of the group) and by when; in a session,
    or to carry out one of the group's decisions (then it is followed on the decision's page too)."""
    member = access.require_run(actor, group, what="action", request=request)
    description = description.strip()
    if not description:
        raise DomainError("no_description", "Say what will be done", field="description")
    owner = _group_member(group, owner_id, field="owner", message="Choose a member of the group to do it")
    if due_on < timezone.localdate():
        raise DomainError("due_in_past", "The date must be today or in the future", field="due_on")
    if session is not None and session.group_id != group.pk:
        raise DomainError("other_group", "The session belongs to another group")
    if decision is not None:
        if decision.group_id != group.pk:
            raise DomainError("other_group", "The decision belongs to another group")
        if decision.status == DecisionStatus.WITHDRAWN:
            raise DomainError("withdrawn", "The decision was withdrawn, so it has no actions to carry out")
    with transaction.atomic():
        action = ActionPoint.objects.create(
            group=group,
            session=session,
            decision=decision,
            description=description,
            owner=owner,
            due_on=due_on,
            created_by=member,
        )
        ActionStep.objects.create(action=action, by=member, added=True, status=ActionStatus.OPEN)
        access.record(
            actor=actor,
            action=Action.CREATE,
            what="action",
            obj_id=action.pk,
            extra={
                "service": "action_add",
                "status": ActionStatus.OPEN,
                "by": _by(member),
                **({"decision": str(decision.pk)} if decision is not None else {}),
            },
            request=request,
        )
    return action


def can_update_action(user: User | AnonymousUser, action: ActionPoint) -> bool:
    """The owner of an action, and whoever runs its group, mark it done, dropped or open again."""
    member = access.member_of(user, action.group.site)
    return (member is not None and member.pk == action.owner_id) or access.can_run(user, action.group)


def action_update(
    *, actor: User, action: ActionPoint, status: str, outcome: str = "", request: HttpRequest | None = None
) -> ActionPoint:
    """Mark an action done (what happened, optional), dropped (why, required) or open again."""
    if not can_update_action(actor, action):
        raise access.refuse(
            actor=actor,
            action=Action.CHANGE,
            what="action",
            obj_id=action.pk,
            reason="Neither the owner nor running the group",
            request=request,
            message="Only the person who owns this action, or the group's chair, co-chair or coordinator, can change it.",
        )
    member = access.member_of(actor, action.group.site)
    outcome = outcome.strip()
    if status not in ActionStatus.values:
        raise DomainError("no_status", "Choose what happened", field="status")
    if status == action.status:
        raise DomainError(
            "same_status", f"The action is already marked {action.get_status_display().lower()}", field="status"
        )
    if status == ActionStatus.DROPPED and not outcome:
        raise DomainError("no_reason", "Say why the action is dropped", field="outcome")
    with transaction.atomic():
        action.status = status
        action.done_on = None if status == ActionStatus.OPEN else timezone.localdate()
        if status != ActionStatus.OPEN:
            action.outcome = outcome
        action.save(update_fields=["status", "done_on", "outcome", "updated_at"])
        ActionStep.objects.create(action=action, by=member, status=status, note=outcome)
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="action",
            obj_id=action.pk,
            extra={"service": "action_update", "status": status, "note": outcome[:1000], "by": _by(member)},
            request=request,
        )
    return action


# ---- the rota of open events -----------------------------------------------------------------------


@dataclass(frozen=True)
class RotaPlan:
    """The day rule and defaults for the monthly open events."""

    months: int
    weekday: int  # 0 is Monday
    nth: int  # 1 to 4, or -1 for the last
    starts: dt.time
    ends: dt.time
    place: str
    postcode: str = ""
    how_to_get_there: str = ""
    title: str = OPEN_EVENT_TITLE


def rota_history(group: Group) -> list[tuple[dt.date, uuid.UUID | None]]:
    """(date, host) of the whole Collaborative's open events that were not cancelled."""
    return [
        (timezone.localtime(starts_at).date(), host)
        for starts_at, host in Session.objects.filter(group=group, is_open_event=True)
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("starts_at")
        .values_list("starts_at", "host_organisation_id")
    ]


def rota_dates(plan: RotaPlan, today: dt.date) -> list[dt.date]:
    """The dates of the next `plan.months` monthly events after today, by the day rule."""
    first = today.replace(day=1)
    if rota.nth_weekday(first.year, first.month, plan.weekday, plan.nth) <= today:
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return [rota.nth_weekday(m.year, m.month, plan.weekday, plan.nth) for m in rota.month_starts(first, plan.months)]


def rota_plan(*, actor: User, site: Site, plan: RotaPlan, request: HttpRequest | None = None) -> list[Session]:
    """Create the missing monthly open events of the whole Collaborative for the next months, with hosts
    in turn (see `rota.next_hosts`). Months that already have an open event keep it."""
    member = access.require_steward(actor, site, what="rota", request=request)
    whole = access.whole_collaborative(site)
    if whole is None:
        raise DomainError("no_collaborative", "Set up the Collaborative's own group first")
    if not 1 <= plan.months <= 12:
        raise DomainError("months", "Plan from 1 to 12 months ahead", field="months")
    if plan.ends <= plan.starts:
        raise DomainError("ends_before_start", "The end time must be after the start time", field="ends")
    if not plan.place.strip():
        raise DomainError("no_place", "Say where the open events are", field="place")
    today = timezone.localdate()
    with transaction.atomic():
        history = rota_history(whole)
        taken = {(day.year, day.month) for day, _ in history}
        missing = [day for day in rota_dates(plan, today) if (day.year, day.month) not in taken]
        organisations = list(
            Organisation.objects.filter(site=site, is_active=True).order_by("name").values_list("pk", "name")
        )
        # Hosts go in date order: events already planned after a missing month still count as history.
        created: list[Session] = []
        for day in missing:
            before = [(d, h) for d, h in history if d < day]
            host = rota.next_hosts(before, organisations, 1)[0]
            after = [(d, h) for d, h in history if d > day]
            if host is not None and after and after[0][1] == host:
                # The next planned event has this host already: take the next one in turn instead.
                others = [(k, n) for k, n in organisations if k != host]
                host = rota.next_hosts(before, others, 1)[0]
            session = Session.objects.create(
                group=whole,
                title=plan.title,
                starts_at=local_datetime(day, plan.starts),
                ends_at=local_datetime(day, plan.ends),
                place=plan.place.strip(),
                postcode=plan.postcode.strip().upper(),
                how_to_get_there=plan.how_to_get_there,
                is_open_event=True,
                host_organisation_id=host,
                updated_by=member,
            )
            history = sorted([*history, (day, host)], key=lambda item: item[0])
            created.append(session)
        access.record(
            actor=actor,
            action=Action.CREATE,
            what="rota",
            obj_id=whole.pk,
            extra={
                "service": "rota_plan",
                "months": plan.months,
                "rule": rota.day_rule_text(plan.weekday, plan.nth),
                "created": [str(s.pk) for s in created],
                "by": _by(member),
            },
            request=request,
        )
    return created
