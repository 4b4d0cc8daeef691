"""Reads of one person's support: their periods, workers, requests, flags and huddle decisions.

Every read is scoped by the access policy (or by the team role the page needs) and audited: a page
that shows something about a person records a look at their support.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch

from livingwell.audit import services as audit
from livingwell.audit.models import Action, Basis, Part
from livingwell.audit.policy import RecordAccess, access_to
from livingwell.network.models import SUPPORT_ROLES, Membership, Role, Team
from livingwell.people.models import Person
from livingwell.people.selectors import person_part
from livingwell.support.models import (
    Allocation,
    ChangeRequestStatus,
    Flag,
    HuddleDecision,
    SupportPeriod,
    WorkerChangeRequest,
)
from livingwell.support.selectors import is_team_leader, is_team_member
from livingwell.support.services.periods import honours_choice, may_flag

if TYPE_CHECKING:
    from django.http import HttpRequest

    from livingwell.accounts.models import User


# One person's support page --------------------------------------------------------------------------------


@dataclass
class PeriodDetail:
    """One support period with its history, and what the viewer may do with it."""

    period: SupportPeriod
    allocations: list[Allocation]  # newest first
    change_requests: list[WorkerChangeRequest]  # newest first
    flags: list[Flag]  # newest first
    decisions: list[HuddleDecision]  # newest first
    can_allocate: bool = False
    can_flag: bool = False
    can_ask: bool = False

    @property
    def current(self) -> Allocation | None:
        return next((a for a in self.allocations if a.ended_at is None), None)

    @property
    def open_request(self) -> WorkerChangeRequest | None:
        return next((r for r in self.change_requests if r.status == ChangeRequestStatus.OPEN), None)

    @property
    def open_flags(self) -> list[Flag]:
        return [f for f in self.flags if f.cleared_at is None]


@dataclass
class SupportOverview:
    person: Person
    access: RecordAccess
    own: bool
    periods: list[PeriodDetail] = field(default_factory=list)

    @property
    def current(self) -> list[PeriodDetail]:
        return [p for p in self.periods if p.period.is_open]

    @property
    def past(self) -> list[PeriodDetail]:
        return [p for p in self.periods if not p.period.is_open]


def _periods(person: Person) -> list[SupportPeriod]:
    return list(
        SupportPeriod.objects.filter(person=person)
        .select_related("person", "team", "wanted_worker", "resumed_from", "moving_on")
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=Allocation.objects.select_related("worker", "allocated_by").order_by("-started_at"),
            ),
            Prefetch(
                "change_requests",
                queryset=WorkerChangeRequest.objects.select_related(
                    "wanted_worker", "asked_by", "answered_by", "allocation__worker"
                ).order_by("-asked_at"),
            ),
            Prefetch("flags", queryset=Flag.objects.select_related("raised_by", "cleared_by").order_by("-raised_at")),
            Prefetch(
                "huddle_decisions",
                queryset=HuddleDecision.objects.select_related("recorded_by", "huddle").order_by("-recorded_at"),
            ),
        )
        .order_by("-started_at")
    )


def support_overview(*, user: User, person_id: uuid.UUID | str, request: HttpRequest | None = None) -> SupportOverview:
    """Everything about the person's support that `user` may read (refused and audited otherwise)."""
    found = person_part(user=user, person_id=person_id, part=Part.SUPPORT, request=request)
    person, access = found.person, found.access
    own = person.user_id is not None and person.user_id == user.pk
    details = []
    for period in _periods(person):
        allocations = list(period.allocations.all())
        detail = PeriodDetail(
            period=period,
            allocations=allocations,
            change_requests=list(period.change_requests.all()),
            flags=list(period.flags.all()),
            decisions=list(period.huddle_decisions.all()),
        )
        if period.is_open:
            allocated = any(a.ended_at is None and a.worker_id == user.pk for a in allocations)
            in_team = is_team_member(user, period.team_id)
            detail.can_allocate = is_team_leader(user, period.team_id)
            detail.can_flag = in_team or allocated
            detail.can_ask = Basis.SELF in access.bases or in_team or allocated
        details.append(detail)
    return SupportOverview(person=person, access=access, own=own, periods=details)


# Asking for a change, and what the person asked for -------------------------------------------------------


@dataclass(frozen=True)
class AskingFor:
    """The person, and the open periods for which `user` may ask for a change on their behalf (or their own)."""

    person: Person
    access: RecordAccess
    own: bool
    periods: list[SupportPeriod]
    current_workers: dict[uuid.UUID, Allocation]  # by period id
    open_requests: set[uuid.UUID]  # period ids with a request waiting for an answer


def asking_for(*, user: User, person_id: uuid.UUID | str, shown: bool, request: HttpRequest | None = None) -> AskingFor:
    """For the pages where the person (or a worker of their team) asks for a worker: refused when not allowed."""
    found = person_part(user=user, person_id=person_id, part=Part.SUPPORT, shown=False, request=request)
    person, access = found.person, found.access
    periods = list(
        SupportPeriod.objects.filter(person=person, ended_at__isnull=True)
        .select_related("team", "team__site", "wanted_worker")
        .order_by("started_at")
    )
    allocations = {
        a.support_period_id: a
        for a in Allocation.objects.filter(support_period__in=periods, ended_at__isnull=True).select_related("worker")
    }
    allowed = [
        p
        for p in periods
        if Basis.SELF in access.bases
        or is_team_member(user, p.team_id)
        or (p.pk in allocations and allocations[p.pk].worker_id == user.pk)
    ]
    if periods and not allowed:
        raise audit.refuse(
            actor=user,
            action=Action.VIEW if shown else Action.CHANGE,
            person_id=person.pk,
            parts=[Part.SUPPORT],
            reason="Not the person, nor a worker of their team",
            request=request,
            message="Only the person, or a worker of the team that supports them, can ask for a worker.",
        )
    open_requests = set(
        WorkerChangeRequest.objects.filter(support_period__in=allowed, status=ChangeRequestStatus.OPEN).values_list(
            "support_period_id", flat=True
        )
    )
    if shown:
        audit.record(
            actor=user,
            action=Action.VIEW,
            person_id=person.pk,
            parts=[Part.SUPPORT],
            basis=Basis.SELF if Basis.SELF in access.bases else access.basis_for(Part.SUPPORT),
            request=request,
        )
    return AskingFor(
        person=person,
        access=access,
        own=person.user_id is not None and person.user_id == user.pk,
        periods=allowed,
        current_workers={k: v for k, v in allocations.items() if k in {p.pk for p in allowed}},
        open_requests=open_requests,
    )


def team_workers(teams: list[Team]) -> list[tuple[User, str]]:
    """The current support-role workers of the teams, with their roles, by name (names of staff, not of the person)."""
    by_user: dict[uuid.UUID, tuple[User, set[str]]] = {}
    for m in (
        Membership.objects.current()
        .filter(team__in=teams, role__in=SUPPORT_ROLES)
        .select_related("user")
        .order_by("user__display_name", "user__email")
    ):
        by_user.setdefault(m.user_id, (m.user, set()))[1].add(m.get_role_display())
    return [(user, ", ".join(sorted(roles))) for user, roles in by_user.values()]


# Allocation -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    user: User
    roles: tuple[Role, ...]
    in_team: bool
    load: int  # people they are the worker of now
    fits: bool  # who, or what kind of worker, the person asked for
    named: bool  # the person asked for them by name


@dataclass(frozen=True)
class AllocationOptions:
    period: SupportPeriod
    person: Person
    current: Allocation | None
    open_request: WorkerChangeRequest | None
    candidates: list[Candidate]


def _period(period_id: uuid.UUID | str) -> SupportPeriod:
    return SupportPeriod.objects.select_related("person", "team", "team__site", "wanted_worker").get(pk=period_id)


def _record_view(user: User, period: SupportPeriod, request: HttpRequest | None) -> None:
    access = access_to(user, period.person)
    audit.record(
        actor=user,
        action=Action.VIEW,
        person_id=period.person_id,
        parts=[Part.IDENTITY, Part.SUPPORT],
        basis=access.basis_for(Part.SUPPORT),
        request=request,
    )


def allocation_options(
    *, user: User, period_id: uuid.UUID | str, shown: bool = True, request: HttpRequest | None = None
) -> AllocationOptions:
    """What a team leader needs to choose the worker: what the person asked for and the team's workers.

    Raises SupportPeriod.DoesNotExist for an unknown period; refused (and audited) for anyone but a
    team leader of the period's team.
    """
    period = _period(period_id)
    if not is_team_leader(user, period.team_id):
        raise audit.refuse(
            actor=user,
            action=Action.VIEW if shown else Action.CHANGE,
            person_id=period.person_id,
            parts=[Part.SUPPORT],
            reason="Only a team leader of the team allocates a worker",
            request=request,
            message=f"Only a team leader of {period.team.name} can choose the worker.",
        )
    memberships = list(
        Membership.objects.current().filter(team=period.team, role__in=SUPPORT_ROLES).select_related("user")
    )
    if period.wanted_worker_id is not None:
        memberships += list(
            Membership.objects.current()
            .filter(site_id=period.team.site_id, role__in=SUPPORT_ROLES, user_id=period.wanted_worker_id)
            .exclude(team=period.team)
            .select_related("user")
        )
    by_user: dict[uuid.UUID, list[Membership]] = {}
    for m in memberships:
        by_user.setdefault(m.user_id, []).append(m)
    loads = dict(
        Allocation.objects.filter(worker_id__in=by_user, ended_at__isnull=True, support_period__ended_at__isnull=True)
        .values("worker_id")
        .annotate(n=Count("id"))
        .values_list("worker_id", "n")
    )
    candidates = []
    for user_id, rows in by_user.items():
        roles = tuple(sorted({Role(m.role) for m in rows}, key=lambda r: r.label))
        candidates.append(
            Candidate(
                user=rows[0].user,
                roles=roles,
                in_team=any(m.team_id == period.team_id for m in rows),
                load=loads.get(user_id, 0),
                fits=honours_choice(period, user_id, roles),
                named=user_id == period.wanted_worker_id,
            )
        )
    candidates.sort(key=lambda c: (not c.named, not c.fits, c.load, c.user.name))
    current = (
        Allocation.objects.filter(support_period=period, ended_at__isnull=True)
        .select_related("worker", "allocated_by")
        .first()
    )
    open_request = (
        WorkerChangeRequest.objects.filter(support_period=period, status=ChangeRequestStatus.OPEN)
        .select_related("wanted_worker", "asked_by")
        .first()
    )
    if shown:
        _record_view(user, period, request)
    return AllocationOptions(
        period=period, person=period.person, current=current, open_request=open_request, candidates=candidates
    )


# Flags and answers ----------------------------------------------------------------------------------------


def _require_flag_worker(
    user: User, period: SupportPeriod, *, doing: str, posted: Action, shown: bool, request: HttpRequest | None
) -> None:
    """Urgent flags are raised and cleared by a worker of the team, or the person's own worker."""
    if not may_flag(user, period):
        raise audit.refuse(
            actor=user,
            action=Action.VIEW if shown else posted,
            person_id=period.person_id,
            parts=[Part.SUPPORT],
            reason="Not a worker of the team, nor the person's worker",
            request=request,
            message=f"Only a worker of the team that supports the person can {doing} an urgent flag.",
        )
    if shown:
        _record_view(user, period, request)


def period_to_flag(
    *, user: User, period_id: uuid.UUID | str, shown: bool = True, request: HttpRequest | None = None
) -> SupportPeriod:
    """The period a worker of the team (or the person's worker) raises an urgent flag on."""
    period = _period(period_id)
    _require_flag_worker(user, period, doing="raise", posted=Action.CREATE, shown=shown, request=request)
    return period


def flag_to_clear(
    *, user: User, flag_id: uuid.UUID | str, shown: bool = True, request: HttpRequest | None = None
) -> Flag:
    flag = Flag.objects.select_related(
        "support_period__person", "support_period__team", "support_period__team__site", "raised_by"
    ).get(pk=flag_id)
    _require_flag_worker(user, flag.support_period, doing="clear", posted=Action.CHANGE, shown=shown, request=request)
    return flag


def change_request_to_answer(
    *, user: User, request_id: uuid.UUID | str, shown: bool = True, request: HttpRequest | None = None
) -> WorkerChangeRequest:
    change_request = WorkerChangeRequest.objects.select_related(
        "support_period__person", "support_period__team", "wanted_worker", "asked_by"
    ).get(pk=request_id)
    period = change_request.support_period
    if not is_team_leader(user, period.team_id):
        raise audit.refuse(
            actor=user,
            action=Action.VIEW if shown else Action.CHANGE,
            person_id=period.person_id,
            parts=[Part.SUPPORT],
            reason="Only a team leader of the team answers a request for a change of worker",
            request=request,
            message=f"Only a team leader of {period.team.name} can answer a request for a change of worker.",
        )
    if shown:
        _record_view(user, period, request)
    return change_request
