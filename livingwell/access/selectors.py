"""Reads of the front door, each scoped to what the caller may see and audited.

- `waiting_figures`: the public waiting clock (aggregates only, for anyone).
- `front_door_queue`, `introduction_view`, `handovers_due`, `outbox`: the Hub coordinator's work.
- `booking_view`: what the worker booked for a first conversation needs.
- `my_introductions`: what happened to the introductions a member of staff made, and nothing more.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from livingwell.access import clock
from livingwell.access.models import (
    OPEN_STATES,
    REOPENABLE_STATES,
    Booking,
    BookingStatus,
    ContactAttempt,
    FirstConversation,
    Handover,
    Introduction,
    IntroductionEvent,
    IntroductionState,
    MatchStatus,
    PossibleMatch,
    WorkerPreference,
)
from livingwell.audit import services as audit
from livingwell.audit.models import Action, Basis, Part
from livingwell.audit.policy import access_to, current_memberships, roles_of
from livingwell.messaging.models import Message
from livingwell.network.models import SUPPORT_ROLES, Membership, Role, Site
from livingwell.support.models import SupportPeriod

if TYPE_CHECKING:
    from django.http import HttpRequest

    from livingwell.accounts.models import User
    from livingwell.people.models import Person

PAGE_SIZE = 50


# ---- the waiting clock (public) -----------------------------------------------------------------


def waiting_figures(*, site: Site, days: int = 90, now: dt.datetime | None = None) -> clock.WaitingFigures:
    """How long people waited for a first conversation over the last `days` days, and who is waiting now."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    since = now - dt.timedelta(days=days)
    met = Introduction.objects.filter(
        site=site, first_conversation_at__gte=since, first_conversation_at__lte=now
    ).values_list("introduced_at", "first_conversation_at")
    waits = [clock.wait_days(introduced, first) for introduced, first in met if first is not None]
    seconds = Introduction.objects.filter(
        site=site, second_contact_at__gte=since, second_contact_at__lte=now
    ).values_list("introduced_at", "second_contact_at")
    second_waits = [clock.wait_days(introduced, second) for introduced, second in seconds if second is not None]
    waiting = Introduction.objects.filter(site=site, state__in=OPEN_STATES, introduced_at__lte=now).values_list(
        "introduced_at", "urgent"
    )
    open_waits: list[int] = []
    urgent = 0
    for introduced, is_urgent in waiting:
        open_waits.append(clock.wait_days(introduced, now))
        urgent += is_urgent
    return clock.figures(
        waits=waits,
        second_contact_waits=second_waits,
        open_waits=open_waits,
        urgent_waiting_now=urgent,
        target_days=site.target_days_to_first_conversation,
        window_days=days,
        today=today,
    )


def public_site() -> Site | None:
    """The site that the public front door serves (LIVINGWELL_PUBLIC_SITE, or the only site)."""
    from django.conf import settings

    if settings.LIVINGWELL_PUBLIC_SITE:
        return Site.objects.filter(slug=settings.LIVINGWELL_PUBLIC_SITE).first()
    sites = list(Site.objects.all()[:2])
    return sites[0] if len(sites) == 1 else None


# ---- the Hub coordinator ---------------------------------------------------------------------------


def coordinator_site_ids(user: User) -> set[uuid.UUID]:
    return {m.site_id for m in current_memberships(user) if m.role == Role.HUB_COORDINATOR}


def _require_coordinator(user: User, request: HttpRequest | None, action: Action = Action.LIST) -> set[uuid.UUID]:
    site_ids = coordinator_site_ids(user)
    if not site_ids:
        raise audit.refuse(actor=user, action=action, reason="Not a Hub coordinator", request=request)
    return site_ids


# Coordinators can see closed introductions for this long, so that they can reopen them.
REOPEN_WINDOW = dt.timedelta(days=183)


@dataclass(frozen=True)
class QueueFilters:
    locality: str = ""
    source: str = ""
    language: str = ""
    state: str = ""  # "" means every open state
    urgent_only: bool = False


@dataclass(frozen=True)
class QueueRow:
    introduction_id: uuid.UUID
    reference: str
    person_id: uuid.UUID
    name: str
    source: str
    locality: str
    language: str
    interpreter: bool
    introduced_at: dt.datetime
    days_waiting: int
    urgent: bool
    state: str
    state_label: str
    attempts: int
    next_booking: dt.datetime | None
    possible_matches: int


def queue_states() -> list[tuple[str, str]]:
    """The states a coordinator can filter the queue by (never 'met': that has left the front door)."""
    return [(s.value, s.label) for s in (*OPEN_STATES, *REOPENABLE_STATES)]


def _queue(site_ids: set[uuid.UUID], filters: QueueFilters, now: dt.datetime) -> QuerySet[Introduction]:
    if filters.state in {s.value for s in REOPENABLE_STATES}:
        rows = Introduction.objects.filter(state=filters.state, state_changed_at__gte=now - REOPEN_WINDOW)
    elif filters.state in {s.value for s in OPEN_STATES}:
        rows = Introduction.objects.filter(state=filters.state)
    else:
        rows = Introduction.objects.filter(state__in=OPEN_STATES)
    rows = rows.filter(site_id__in=site_ids)
    if filters.locality:
        try:
            rows = rows.filter(locality_id=uuid.UUID(filters.locality))
        except ValueError:
            rows = rows.none()
    if filters.source:
        rows = rows.filter(source=filters.source)
    if filters.language:
        rows = rows.filter(person__first_language__iexact=filters.language.strip())
    if filters.urgent_only:
        rows = rows.filter(urgent=True)
    return rows


def front_door_queue(
    *,
    user: User,
    filters: QueueFilters | None = None,
    page: int | str = 1,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> tuple[Page[QueueRow], int]:
    """Introductions at the coordinator's sites: urgent first, then longest waiting. Returns (page, total)."""
    site_ids = _require_coordinator(user, request)
    filters = filters or QueueFilters()
    now = now or timezone.now()
    rows = (
        _queue(site_ids, filters, now)
        .select_related("person", "locality")
        .annotate(
            attempt_count=Count("attempts", distinct=True),
            match_count=Count(
                "possible_matches", filter=Q(possible_matches__status=MatchStatus.PENDING), distinct=True
            ),
        )
        .order_by("-urgent", "introduced_at", "id")
    )
    paginator = Paginator(rows, PAGE_SIZE)
    current = paginator.get_page(page)
    introductions: Sequence[Introduction] = list(current.object_list)
    bookings = {
        b.introduction_id: b.starts_at
        for b in Booking.objects.filter(
            introduction__in=[i.pk for i in introductions], status=BookingStatus.BOOKED
        ).only("introduction_id", "starts_at")
    }
    result = [
        QueueRow(
            introduction_id=i.pk,
            reference=i.reference,
            person_id=i.person_id,
            name=i.person.display_name,
            source=i.get_source_display(),
            locality=i.locality.name if i.locality else "",
            language=i.person.first_language,
            interpreter=i.person.interpreter_needed,
            introduced_at=i.introduced_at,
            days_waiting=clock.wait_days(i.introduced_at, now),
            urgent=i.urgent,
            state=i.state,
            state_label=i.get_state_display(),
            attempts=i.attempt_count,  # type: ignore[attr-defined]
            next_booking=bookings.get(i.pk),
            possible_matches=i.match_count,  # type: ignore[attr-defined]
        )
        for i in introductions
    ]
    current.object_list = result  # type: ignore[assignment]
    audit.record_many(
        actor=user,
        action=Action.LIST,
        people=[(r.person_id, Basis.FRONT_DOOR) for r in result],
        parts=(Part.IDENTITY, Part.ABOUT),
        detail={"list": "front door queue"},
        request=request,
    )
    return current, paginator.count  # type: ignore[return-value]


@dataclass(frozen=True)
class Clock:
    """One introduction's clock: days waited (or waiting so far) for the first conversation and second contact."""

    days_to_first_conversation: int | None
    days_waiting_so_far: int | None
    days_to_second_contact: int | None
    target_days: int

    @property
    def beyond_target(self) -> bool:
        days = (
            self.days_to_first_conversation if self.days_to_first_conversation is not None else self.days_waiting_so_far
        )
        return days is not None and days > self.target_days


def introduction_clock(introduction: Introduction, now: dt.datetime | None = None) -> Clock:
    now = now or timezone.now()
    first = introduction.first_conversation_at
    second = introduction.second_contact_at
    return Clock(
        days_to_first_conversation=clock.wait_days(introduction.introduced_at, first) if first else None,
        days_waiting_so_far=clock.wait_days(introduction.introduced_at, now)
        if first is None and introduction.state in OPEN_STATES
        else None,
        days_to_second_contact=clock.wait_days(introduction.introduced_at, second) if second else None,
        target_days=introduction.site.target_days_to_first_conversation,
    )


@dataclass(frozen=True)
class MatchView:
    match: PossibleMatch
    name: str
    date_of_birth: dt.date | None
    postcode: str
    last_introduced_at: dt.datetime | None
    supported_before: bool


@dataclass
class IntroductionView:
    introduction: Introduction
    person: Person
    clock: Clock
    attempts: list[ContactAttempt]
    bookings: list[Booking]
    current_booking: Booking | None
    events: list[IntroductionEvent]
    matches: list[MatchView]
    first_conversation: FirstConversation | None
    can_coordinate: bool
    is_booked_worker: bool
    earlier_introductions: list[Introduction] = field(default_factory=list)


def introduction_view(
    *, user: User, introduction_id: uuid.UUID | str, request: HttpRequest | None = None
) -> IntroductionView:
    """One introduction, for its coordinator or the worker booked to meet the person.

    Raises Introduction.DoesNotExist, or AccessRefused (audited) for anyone else.
    """
    introduction = Introduction.objects.select_related("person", "site", "locality", "introducing_organisation").get(
        pk=introduction_id
    )
    person = introduction.person
    can_coordinate = introduction.site_id in coordinator_site_ids(user) and (
        introduction.state in OPEN_STATES
        or (
            introduction.state in REOPENABLE_STATES
            and introduction.state_changed_at is not None
            and introduction.state_changed_at >= timezone.now() - REOPEN_WINDOW
        )
    )
    current_booking = Booking.objects.filter(introduction=introduction, status=BookingStatus.BOOKED).first()
    is_booked_worker = current_booking is not None and current_booking.worker_id == user.pk
    access = access_to(user, person)
    if not (can_coordinate or is_booked_worker or access.can_read(Part.STORY)):
        raise audit.refuse(
            actor=user,
            action=Action.VIEW,
            person_id=person.pk,
            parts=[Part.IDENTITY],
            reason="No legitimate relationship to this introduction",
            request=request,
        )
    matches: list[MatchView] = []
    if can_coordinate:
        # Each candidate's last introduction and whether they were supported, in the same query (no N+1).
        pending = list(
            PossibleMatch.objects.filter(introduction=introduction, status=MatchStatus.PENDING)
            .select_related("candidate")
            .annotate(
                last_introduced_at=Max("candidate__introductions__introduced_at"),
                supported_before=Exists(SupportPeriod.objects.filter(person_id=OuterRef("candidate_id"))),
            )
        )
        matches = [
            MatchView(
                match=m,
                name=m.candidate.display_name,
                date_of_birth=m.candidate.date_of_birth,
                postcode=m.candidate.postcode,
                last_introduced_at=m.last_introduced_at,  # type: ignore[attr-defined]
                supported_before=m.supported_before,  # type: ignore[attr-defined]
            )
            for m in pending
        ]
        if pending:
            # A narrow look at someone the coordinator has no other relationship with: audited as such.
            audit.record_many(
                actor=user,
                action=Action.VIEW,
                people=[(m.match.candidate_id, Basis.FRONT_DOOR) for m in matches],
                parts=(Part.IDENTITY,),
                detail={"possible_match_for": introduction.reference},
                request=request,
            )
    audit.record(
        actor=user,
        action=Action.VIEW,
        person_id=person.pk,
        parts=[Part.IDENTITY, Part.ABOUT, Part.CONTACT, Part.STORY],
        basis=Basis.FRONT_DOOR if (can_coordinate or is_booked_worker) else access.basis,
        detail={"introduction": introduction.reference},
        request=request,
    )
    return IntroductionView(
        introduction=introduction,
        person=person,
        clock=introduction_clock(introduction),
        attempts=list(introduction.attempts.select_related("recorded_by")),
        bookings=list(introduction.bookings.select_related("worker")),
        current_booking=current_booking,
        events=list(introduction.events.all()),
        matches=matches,
        first_conversation=FirstConversation.objects.filter(introduction=introduction)
        .select_related("worker", "team")
        .first(),
        can_coordinate=can_coordinate,
        is_booked_worker=is_booked_worker,
        earlier_introductions=list(
            Introduction.objects.filter(person=person).exclude(pk=introduction.pk).order_by("-introduced_at")[:10]
        ),
    )


@dataclass(frozen=True)
class WorkerFit:
    user_id: uuid.UUID
    name: str
    roles: str
    team: str
    fits: tuple[str, ...]
    upcoming: int


def worker_suggestions(introduction: Introduction, now: dt.datetime | None = None) -> list[WorkerFit]:
    """Workers at the site, those who fit what the person asked for first, then the least busy."""
    now = now or timezone.now()
    wanted = set(introduction.worker_preferences)
    language = introduction.person.first_language.strip().casefold()
    memberships = (
        Membership.objects.current()
        .filter(site_id=introduction.site_id, role__in=SUPPORT_ROLES)
        .select_related("user", "team")
        .order_by("user__display_name")
    )
    by_user: dict[uuid.UUID, list[Membership]] = {}
    for m in memberships:
        by_user.setdefault(m.user_id, []).append(m)
    upcoming = dict(
        Booking.objects.filter(worker_id__in=by_user, status=BookingStatus.BOOKED, starts_at__gte=now)
        .values_list("worker_id")
        .annotate(n=Count("id"))
        .values_list("worker_id", "n")
    )
    result = []
    for user_id, roles in by_user.items():
        user = roles[0].user
        fits: list[str] = []
        if WorkerPreference.PEER in wanted and any(m.role == Role.PEER_WORKER for m in roles):
            fits.append("peer worker")
        if WorkerPreference.WOMAN in wanted and user.gender == "woman":
            fits.append("a woman")
        if WorkerPreference.MAN in wanted and user.gender == "man":
            fits.append("a man")
        if language and language != "english" and language in {x.casefold() for x in user.language_list}:
            fits.append(f"speaks {introduction.person.first_language}")
        if introduction.locality_id and any(m.team and m.team.locality_id == introduction.locality_id for m in roles):
            fits.append("works in their area")
        result.append(
            WorkerFit(
                user_id=user_id,
                name=user.name,
                roles=", ".join(sorted({m.get_role_display() for m in roles})),
                team=", ".join(sorted({m.team.name for m in roles if m.team})),
                fits=tuple(fits),
                upcoming=upcoming.get(user_id, 0),
            )
        )
    return sorted(result, key=lambda w: (-len(w.fits), w.upcoming, w.name))


def support_workers(site_id: uuid.UUID) -> list[tuple[str, str]]:
    """Everyone working in a support role in the network now, as (user id, "name, roles, teams") choices.

    For the person to choose someone by name at the first conversation (names of staff, not of people).
    """
    memberships = (
        Membership.objects.current()
        .filter(site_id=site_id, role__in=SUPPORT_ROLES, user__is_active=True)
        .select_related("user", "team")
        .order_by("user__display_name", "user__email")
    )
    by_user: dict[uuid.UUID, list[Membership]] = {}
    for m in memberships:
        by_user.setdefault(m.user_id, []).append(m)
    choices = []
    for user_id, roles in by_user.items():
        parts = [roles[0].user.name, ", ".join(sorted({m.get_role_display() for m in roles}))]
        if teams := ", ".join(sorted({m.team.name for m in roles if m.team})):
            parts.append(teams)
        choices.append((str(user_id), ", ".join(parts)))
    return choices


def my_first_conversations(*, user: User, request: HttpRequest | None = None) -> list[Booking]:
    """The worker's own booked first conversations, soonest first (their names are audited as a list)."""
    rows = list(
        Booking.objects.filter(worker=user, status=BookingStatus.BOOKED, introduction__state=IntroductionState.BOOKED)
        .select_related("introduction", "introduction__person")
        .order_by("starts_at")[:PAGE_SIZE]
    )
    audit.record_many(
        actor=user,
        action=Action.LIST,
        people=[(b.introduction.person_id, Basis.FRONT_DOOR) for b in rows],
        parts=(Part.IDENTITY,),
        detail={"list": "my first conversations"},
        request=request,
    )
    return rows


def handovers_due(*, user: User, request: HttpRequest | None = None) -> list[Handover]:
    """Warm handovers not yet followed up, soonest due first."""
    site_ids = _require_coordinator(user, request)
    rows = list(
        Handover.objects.filter(site_id__in=site_ids, followed_up_at__isnull=True)
        .select_related("person")
        .order_by("follow_up_due")[:PAGE_SIZE]
    )
    audit.record_many(
        actor=user,
        action=Action.LIST,
        people=[(h.person_id, Basis.FRONT_DOOR) for h in rows],
        parts=(Part.IDENTITY,),
        detail={"list": "handovers to follow up"},
        request=request,
    )
    return rows


def outbox(*, user: User, page: int | str = 1, request: HttpRequest | None = None) -> Page[Message]:
    """Messages to people at the coordinator's sites, newest first (what the default sender kept)."""
    site_ids = _require_coordinator(user, request)
    paginator = Paginator(Message.objects.filter(site_id__in=site_ids).order_by("-created_at", "id"), PAGE_SIZE)
    current = paginator.get_page(page)
    audit.record_many(
        actor=user,
        action=Action.LIST,
        people=[(m.person_id, Basis.FRONT_DOOR) for m in current.object_list if m.person_id],
        parts=(Part.CONTACT,),
        detail={"list": "outbox"},
        request=request,
    )
    return current


# ---- introducers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MadeIntroduction:
    reference: str
    name: str
    introduced_at: dt.datetime
    state: str
    state_label: str
    first_conversation_on: dt.date | None


def may_introduce(user: User) -> bool:
    """Any signed-in member of staff of a partner organisation may introduce someone."""
    return bool(roles_of(user))


def my_introductions(*, user: User, page: int | str = 1, request: HttpRequest | None = None) -> Page[MadeIntroduction]:
    """What happened to the introductions `user` made: the name they gave, the dates and the state. Nothing more."""
    paginator = Paginator(
        Introduction.objects.filter(introduced_by=user).select_related("person").order_by("-introduced_at", "id"),
        PAGE_SIZE,
    )
    current = paginator.get_page(page)
    rows = [
        MadeIntroduction(
            reference=i.reference,
            name=i.person.display_name,
            introduced_at=i.introduced_at,
            state=i.state,
            state_label=i.get_state_display(),
            first_conversation_on=timezone.localtime(i.first_conversation_at).date()
            if i.first_conversation_at
            else None,
        )
        for i in current.object_list
    ]
    audit.record_many(
        actor=user,
        action=Action.LIST,
        people=[(i.person_id, Basis.INTRODUCER) for i in current.object_list],
        parts=(Part.IDENTITY,),
        detail={"list": "introductions I made"},
        request=request,
    )
    current.object_list = rows  # type: ignore[assignment]
    return current  # type: ignore[return-value]


def person_introductions(person: Person) -> list[tuple[Introduction, Clock]]:
    """A person's introductions with their clocks, for their record (the caller has checked access)."""
    rows = Introduction.objects.filter(person=person).select_related("site").order_by("-introduced_at")
    return [(i, introduction_clock(i)) for i in rows]
