"""Reads of moving on and coming back: the farewell summary, the page that ends support, and the offer to
pick up where someone left off.

- `come_back_offer(person)`: whether the person moved on less than the site's `months_to_come_back`
  ago, and what would be picked up (the team, the worker if still here, the plan). Pure: the caller
  has checked access and audits what it shows.
- `last_moved_on(person)`: the person's last ended support, however long ago (for the Hub's panel).
- `move_on_page`, `farewell`, `come_back_page`, `pick_up_page`, `come_back_for_introduction`: the pages,
  each checked against the access policy and audited.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

from livingwell.access.models import OPEN_STATES, Introduction
from livingwell.audit import services as audit
from livingwell.audit.models import Action, Basis, Part
from livingwell.audit.policy import RecordAccess, current_memberships
from livingwell.network.models import SUPPORT_ROLES, Membership, Role, Team
from livingwell.people.models import Person
from livingwell.people.selectors import person_part
from livingwell.support.models import Allocation, Goal, MovingOn, Plan, SafetyPlan, SupportPeriod

if TYPE_CHECKING:
    from django.http import HttpRequest

    from livingwell.access.selectors import IntroductionView
    from livingwell.accounts.models import User


# Time ---------------------------------------------------------------------------------------------------


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """The same local day and time `months` later (the 31st becomes the last day of a shorter month)."""
    local = timezone.localtime(moment)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def whole_months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from `start` to `end` (0 when less than a month)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


# Who works where ----------------------------------------------------------------------------------------


def works_with_period(user: User, period: SupportPeriod) -> bool:
    """A support-role member of the period's team now, or the person's current worker in it."""
    if any(m.team_id == period.team_id and m.role in SUPPORT_ROLES for m in current_memberships(user)):
        return True
    return Allocation.objects.filter(support_period=period, ended_at__isnull=True, worker_id=user.pk).exists()


def still_here(worker: User, site_id: uuid.UUID) -> bool:
    """The worker is active and works in a support role in this Living Well network now.

    The network, not only the team: a worker allocated from a partner (a peer worker of a charity,
    say) is often not a member of the team, and people come back to the worker they knew.
    """
    if not worker.is_active:
        return False
    return Membership.objects.current().filter(user=worker, site_id=site_id, role__in=SUPPORT_ROLES).exists()


def is_coordinator_at(user: User, site_id: object) -> bool:
    return any(m.role == Role.HUB_COORDINATOR and m.site_id == site_id for m in current_memberships(user))


# Coming back --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComeBack:
    """What picking up where someone left off would bring back."""

    person: Person
    period: SupportPeriod  # the support they moved on from
    moving_on: MovingOn | None
    team: Team
    moved_on_at: dt.datetime
    until: dt.datetime  # they can pick up until this moment
    months_ago: int
    months_allowed: int
    last_worker: User | None  # who supported them last, here or not
    worker: User | None  # the same worker, when they are still here
    plan: Plan | None

    @property
    def worker_left(self) -> bool:
        return self.last_worker is not None and self.worker is None


def last_moved_on(person: Person) -> SupportPeriod | None:
    """The person's most recently ended support period, with its team (None if they never moved on)."""
    return (
        SupportPeriod.objects.filter(person=person, ended_at__isnull=False)
        .select_related("team")
        .order_by("-ended_at")
        .first()
    )


def supported_now(person: Person) -> list[SupportPeriod]:
    return list(SupportPeriod.objects.filter(person=person, ended_at__isnull=True).select_related("team"))


def come_back_offer(person: Person, now: dt.datetime | None = None) -> ComeBack | None:
    """Whether `person` can pick up where they left off, and with what; None when they cannot.

    They can when they have no open support, moved on less than the site's `months_to_come_back`
    ago, and that team still works. Their worker comes too if still here (see `still_here`), and
    their Living Well plan always does (one plan per person, ADR 6).
    """
    now = now or timezone.now()
    if SupportPeriod.objects.filter(person=person, ended_at__isnull=True).exists():
        return None
    period = last_moved_on(person)
    if period is None or period.ended_at is None or not period.team.is_active:
        return None
    months = person.site.months_to_come_back
    until = add_months(period.ended_at, months)
    if now >= until:
        return None
    last = Allocation.objects.filter(support_period=period).select_related("worker").order_by("-started_at").first()
    last_worker = last.worker if last is not None else None
    return ComeBack(
        person=person,
        period=period,
        moving_on=MovingOn.objects.filter(support_period=period).first(),
        team=period.team,
        moved_on_at=period.ended_at,
        until=until,
        months_ago=whole_months_between(timezone.localtime(period.ended_at).date(), timezone.localtime(now).date()),
        months_allowed=months,
        last_worker=last_worker,
        worker=last_worker if last_worker is not None and still_here(last_worker, person.site_id) else None,
        plan=Plan.objects.filter(person=person).first(),
    )


# Moving on ----------------------------------------------------------------------------------------------


@dataclass
class MoveOnPage:
    """What the page that ends a support period needs."""

    person: Person
    access: RecordAccess
    period: SupportPeriod
    worker: User | None
    safety_plan: SafetyPlan | None = None
    goals: list[Goal] = field(default_factory=list)


def move_on_page(
    *,
    user: User,
    person_id: uuid.UUID | str,
    period_id: uuid.UUID | str,
    shown: bool = True,
    request: HttpRequest | None = None,
) -> MoveOnPage:
    """An open support period that `user` may end with the person: a worker of its team or their worker.

    Raises Person.DoesNotExist or SupportPeriod.DoesNotExist (unknown, or already ended), or an
    audited AccessRefused. The safety plan and goals are read to start the farewell's words, so a
    page that shows them records a look at the plan as well as the support.
    """
    part = person_part(user=user, person_id=person_id, part=Part.SUPPORT, change=True, shown=False, request=request)
    person, access = part.person, part.access
    period = (
        SupportPeriod.objects.select_related("team")
        .filter(pk=period_id, person_id=person.pk, ended_at__isnull=True)
        .first()
    )
    if period is None:
        raise SupportPeriod.DoesNotExist(f"No open support period {period_id}")
    if not works_with_period(user, period):
        raise audit.refuse(
            actor=user,
            action=Action.CHANGE,
            person_id=person.pk,
            parts=[Part.SUPPORT],
            reason=f"Not a worker of {period.team.name}, nor the person's worker",
            request=request,
            message=f"Only a worker of {period.team.name}, or {person.display_name}'s own worker, can end this support.",
        )
    current = Allocation.objects.filter(support_period=period, ended_at__isnull=True).select_related("worker").first()
    page = MoveOnPage(person=person, access=access, period=period, worker=current.worker if current else None)
    if access.can_read(Part.PLAN):
        plan = Plan.objects.filter(person=person).first()
        if plan is not None:
            page.safety_plan = SafetyPlan.objects.filter(plan=plan).first()
            page.goals = list(Goal.objects.filter(plan=plan))
    if shown:
        parts = [Part.SUPPORT, *([Part.PLAN] if page.safety_plan or page.goals else [])]
        audit.record(
            actor=user,
            action=Action.VIEW,
            person_id=person.pk,
            parts=parts,
            basis=access.basis_for(Part.SUPPORT, change=True),
            detail={"page": "moving on", "team": period.team.name},
            request=request,
        )
    return page


@dataclass(frozen=True)
class Farewell:
    person: Person
    access: RecordAccess
    moving_on: MovingOn
    period: SupportPeriod
    worker: User | None  # the last worker of that support
    offer: ComeBack | None  # when the person can still pick up where they left off


def farewell(
    *, user: User, person_id: uuid.UUID | str, period_id: uuid.UUID | str, request: HttpRequest | None = None
) -> Farewell:
    """The farewell summary of one support period, for anyone who may read the person's support.

    That is the person always, their team while it has a basis (an open support period), and a Hub
    coordinator while an introduction is open. Raises MovingOn.DoesNotExist for an unknown period.
    """
    part = person_part(user=user, person_id=person_id, part=Part.SUPPORT, shown=False, request=request)
    person, access = part.person, part.access
    moving_on = (
        MovingOn.objects.select_related("support_period__team", "recorded_by")
        .filter(support_period__pk=period_id, support_period__person_id=person.pk)
        .first()
    )
    if moving_on is None:
        raise MovingOn.DoesNotExist(f"No farewell summary for {period_id}")
    period = moving_on.support_period
    last = Allocation.objects.filter(support_period=period).select_related("worker").order_by("-started_at").first()
    audit.record(
        actor=user,
        action=Action.VIEW,
        person_id=person.pk,
        parts=[Part.SUPPORT],
        basis=access.basis_for(Part.SUPPORT),
        detail={"page": "farewell summary", "team": period.team.name},
        request=request,
    )
    return Farewell(
        person=person,
        access=access,
        moving_on=moving_on,
        period=period,
        worker=last.worker if last else None,
        offer=come_back_offer(person),
    )


# Coming back: the person's page, and the Hub's ----------------------------------------------------------


@dataclass(frozen=True)
class ComeBackPage:
    person: Person
    access: RecordAccess
    offer: ComeBack | None
    last: SupportPeriod | None  # the last support they moved on from, however long ago
    supported_now: list[SupportPeriod]
    open_introduction: Introduction | None


def come_back_page(
    *, user: User, person_id: uuid.UUID | str, shown: bool = True, request: HttpRequest | None = None
) -> ComeBackPage:
    """The person's own "Come back to Living Well" page. Only the person may open it (audited refusal)."""
    part = person_part(user=user, person_id=person_id, part=Part.SUPPORT, shown=False, request=request)
    person, access = part.person, part.access
    if Basis.SELF not in access.bases:
        raise audit.refuse(
            actor=user,
            action=Action.VIEW,
            person_id=person.pk,
            parts=[Part.SUPPORT],
            reason="Coming back from their own record is for the person themself",
            request=request,
            message="Only the person can use this page. A Hub coordinator picks someone up from their introduction.",
        )
    page = ComeBackPage(
        person=person,
        access=access,
        offer=come_back_offer(person),
        last=last_moved_on(person),
        supported_now=supported_now(person),
        open_introduction=Introduction.objects.filter(person=person, state__in=OPEN_STATES)
        .order_by("-introduced_at")
        .first(),
    )
    if shown:
        audit.record(
            actor=user,
            action=Action.VIEW,
            person_id=person.pk,
            parts=[Part.SUPPORT],
            basis=Basis.SELF,
            detail={"page": "come back"},
            request=request,
        )
    return page


@dataclass(frozen=True)
class PickUpPage:
    person: Person
    introduction: Introduction
    offer: ComeBack | None
    last: SupportPeriod | None


def _require_coordinating(user: User, introduction: Introduction, request: HttpRequest | None) -> None:
    if not (introduction.state in OPEN_STATES and is_coordinator_at(user, introduction.site_id)):
        raise audit.refuse(
            actor=user,
            action=Action.VIEW,
            person_id=introduction.person_id,
            parts=[Part.SUPPORT],
            reason="Only a Hub coordinator of the site, with the introduction open",
            request=request,
            message="Only a Hub coordinator working this introduction can pick the person up.",
        )


def pick_up_page(
    *,
    user: User,
    person_id: uuid.UUID | str,
    introduction_id: uuid.UUID | str,
    shown: bool = True,
    request: HttpRequest | None = None,
) -> PickUpPage:
    """A Hub coordinator, working an open introduction, sees what picking the person up would bring back.

    Raises Introduction.DoesNotExist when the introduction is not this person's.
    """
    introduction = (
        Introduction.objects.select_related("person", "person__site", "site")
        .filter(pk=introduction_id, person_id=person_id)
        .first()
    )
    if introduction is None:
        raise Introduction.DoesNotExist(f"No introduction {introduction_id} for {person_id}")
    _require_coordinating(user, introduction, request)
    person = introduction.person
    page = PickUpPage(
        person=person, introduction=introduction, offer=come_back_offer(person), last=last_moved_on(person)
    )
    if shown:
        audit.record(
            actor=user,
            action=Action.VIEW,
            person_id=person.pk,
            parts=[Part.SUPPORT],
            basis=Basis.FRONT_DOOR,
            detail={"page": "pick up where they left off", "introduction": introduction.reference},
            request=request,
        )
    return page


@dataclass(frozen=True)
class PastSupport:
    """For the Hub's introduction page: someone we supported before, and whether they can be picked up."""

    last: SupportPeriod
    offer: ComeBack | None


def come_back_for_introduction(
    *, user: User, view: IntroductionView, request: HttpRequest | None = None
) -> PastSupport | None:
    """What the coordinator of an open introduction should know about the person's earlier support.

    None unless the viewer coordinates the open introduction and the person moved on before (their
    support is then shown, and the look at it audited with the front-door basis).
    """
    introduction = view.introduction
    if not (view.can_coordinate and introduction.state in OPEN_STATES):
        return None
    last = last_moved_on(view.person)
    if last is None or supported_now(view.person):
        return None
    audit.record(
        actor=user,
        action=Action.VIEW,
        person_id=view.person.pk,
        parts=[Part.SUPPORT],
        basis=Basis.FRONT_DOOR,
        detail={"page": "earlier support", "introduction": introduction.reference},
        request=request,
    )
    return PastSupport(last=last, offer=come_back_offer(view.person))
