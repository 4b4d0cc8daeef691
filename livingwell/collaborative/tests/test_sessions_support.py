"""Support for the sessions tests (no tests here): making sessions, replies and attendance, and
signing members in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from livingwell.accounts.models import User
from livingwell.collaborative.models import Attendance, Group, Member, Reply, Session, SessionStatus


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make_session(
    group: Group,
    *,
    title: str = "Design Team meeting",
    starts_at: dt.datetime | None = None,
    hours: float = 2,
    status: str = SessionStatus.PLANNED,
    **fields: Any,
) -> Session:
    """A session of `group`, by default a week from now."""
    starts = starts_at or timezone.now().replace(microsecond=0) + dt.timedelta(days=7)
    fields.setdefault("place", "Lambeth Civic Centre, 6 Brixton Hill")
    return Session.objects.create(
        group=group, title=title, starts_at=starts, ends_at=starts + dt.timedelta(hours=hours), status=status, **fields
    )


def came(session: Session, *members: Member, reply: str = "") -> None:
    for member in members:
        Attendance.objects.create(session=session, member=member, attended=True, reply=reply)


def replied(session: Session, member: Member, reply: str = Reply.COMING) -> None:
    Attendance.objects.create(session=session, member=member, reply=reply)
