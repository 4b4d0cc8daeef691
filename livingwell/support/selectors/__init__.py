"""Reads of support: who a worker supports, a team's caseload, and aggregate figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch

from livingwell.audit import services as audit
from livingwell.audit.models import Action, Basis, Part
from livingwell.audit.policy import current_memberships
from livingwell.network.models import SUPPORT_ROLES, Role, Site, Team
from livingwell.people.models import Person
from livingwell.support.models import Allocation, SupportPeriod

if TYPE_CHECKING:
    import datetime as dt

    from django.http import HttpRequest

    from livingwell.accounts.models import User

LIST_PARTS = (Part.IDENTITY,)


def team_roles(user: User, team_id: object) -> frozenset[Role]:
    """The support roles `user` holds now in the team (from the per-request membership cache)."""
    return frozenset(
        Role(m.role) for m in current_memberships(user) if m.team_id == team_id and m.role in SUPPORT_ROLES
    )


def is_team_member(user: User, team_id: object) -> bool:
    """A current support-role member of the team (a team leader is one too)."""
    return bool(team_roles(user, team_id))


def is_team_leader(user: User, team_id: object) -> bool:
    return Role.TEAM_LEADER in team_roles(user, team_id)


def support_teams(user: User) -> list[Team]:
    """The teams in which `user` holds a support role now, by name."""
    teams = {m.team_id: m.team for m in current_memberships(user) if m.team is not None and m.role in SUPPORT_ROLES}
    return sorted(teams.values(), key=lambda t: t.name)  # type: ignore[arg-type,return-value]


@dataclass(frozen=True)
class CaseloadRow:
    person_id: object
    name: str
    since: dt.datetime
    worker: str | None


def people_i_support(*, user: User, request: HttpRequest | None = None) -> list[CaseloadRow]:
    """The people a worker is allocated to now."""
    allocations = (
        Allocation.objects.filter(worker=user, ended_at__isnull=True, support_period__ended_at__isnull=True)
        .select_related("support_period__person")
        .order_by("support_period__person__family_name", "support_period__person__given_name")
    )
    rows = [
        CaseloadRow(a.support_period.person_id, a.support_period.person.display_name, a.started_at, user.name)
        for a in allocations
    ]
    audit.record_many(
        actor=user,
        action=Action.LIST,
        people=[(r.person_id, Basis.ALLOCATED) for r in rows],  # type: ignore[misc]
        parts=LIST_PARTS,
        detail={"list": "people I support"},
        request=request,
    )
    return rows


@dataclass(frozen=True)
class Caseload:
    """One page of a team's caseload, with totals for the whole team."""

    rows: list[CaseloadRow]
    page: Page[Any]
    total: int
    waiting_for_worker: int


CASELOAD_PAGE_SIZE = 50


def team_caseload(*, user: User, team: Team, page: int | str = 1, request: HttpRequest | None = None) -> Caseload:
    """Everyone the team supports now, a page at a time, with their allocated worker (for the team leader)."""
    if not is_team_member(user, team.pk):
        raise audit.refuse(actor=user, action=Action.LIST, reason=f"Not a member of {team.name}", request=request)
    open_periods = SupportPeriod.objects.filter(team=team, ended_at__isnull=True)
    current_allocation = Allocation.objects.filter(support_period=OuterRef("pk"), ended_at__isnull=True)
    waiting = open_periods.exclude(Exists(current_allocation)).count()
    periods = (
        open_periods.select_related("person")
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=Allocation.objects.filter(ended_at__isnull=True).select_related("worker"),
                to_attr="current_allocations",
            )
        )
        .order_by("person__family_name", "person__given_name", "id")
    )
    result = Paginator(periods, CASELOAD_PAGE_SIZE).get_page(page)
    rows = [
        CaseloadRow(
            p.person_id,
            p.person.display_name,
            p.started_at,
            ", ".join(a.worker.name for a in p.current_allocations) or None,  # type: ignore[attr-defined]
        )
        for p in result.object_list
    ]
    audit.record_many(
        actor=user,
        action=Action.LIST,
        people=[(r.person_id, Basis.TEAM) for r in rows],  # type: ignore[misc]
        parts=LIST_PARTS,
        detail={"list": f"caseload of {team.name}"},
        request=request,
    )
    return Caseload(rows=rows, page=result, total=result.paginator.count, waiting_for_worker=waiting)


@dataclass(frozen=True)
class SupportFigures:
    people_known: int
    supported_now: int
    waiting_for_worker: int
    by_team: list[tuple[str, int]]


def support_figures(*, site: Site) -> SupportFigures:
    """Aggregates only: no person can be picked out from these."""
    open_periods = SupportPeriod.objects.filter(team__site=site, ended_at__isnull=True)
    by_team = open_periods.values("team__name").annotate(n=Count("id")).order_by("team__name")
    return SupportFigures(
        people_known=Person.objects.filter(site=site).count(),
        supported_now=open_periods.values("person_id").distinct().count(),
        waiting_for_worker=open_periods.exclude(
            Exists(Allocation.objects.filter(support_period=OuterRef("pk"), ended_at__isnull=True))
        ).count(),
        by_team=[(row["team__name"], row["n"]) for row in by_team],
    )
