"""The access policy: the one place that decides who may read or change each part of a record.

A person's record is open to someone only through a *legitimate relationship* (a Basis):

| basis        | who                                                         | may read            | may change          |
|--------------|-------------------------------------------------------------|---------------------|---------------------|
| self         | the person themself                                         | everything (notes withheld with a reason show only that they exist) | about, contact, equity, story, network, sharing, plan, measures |
| team         | a support-role member of a team with an open support period | all but access log  | all but access log  |
| allocated    | a worker allocated to the person in an open support period  | all but access log  | all but access log  |
| consent      | support-role staff of an organisation the person shares with| identity, about, contact, story, network, plan | nothing |
| front_door   | a Hub coordinator of the site, or the worker booked for the first conversation, while an introduction is open | identity, about, contact, story, support | identity, about, contact, story |
| break_glass  | a named role, with a stated reason, for a limited time      | identity, about, contact, story, network, plan (with the safety plan) | nothing |

The person changes their plan by adding to it (goals, actions, words), never by deleting what others
wrote; asking for a change of worker and coming back are services of their own that check `self`.

Analysts, site administrators and privacy officers have no basis by role alone: analysts see
aggregates, administrators the network, privacy officers the audit trail. Everything else is
refused, and every refusal is audited by the caller (see livingwell.audit.services).

`people_visible_q(user)` is the same rule as a query, so that lists and searches can only ever
contain people whose record the caller may open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone

from livingwell.access.models import OPEN_STATES, Booking, BookingStatus, Introduction
from livingwell.audit.models import Basis, BreakGlass, Part
from livingwell.network.models import BREAK_GLASS_ROLES, SUPPORT_ROLES, Membership, Role
from livingwell.people.models import SharingConsent
from livingwell.support.models import Allocation, SupportPeriod

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from livingwell.accounts.models import User
    from livingwell.people.models import Person

ALL_PARTS = frozenset(Part)
_CARE_PARTS = ALL_PARTS - {Part.ACCESS_LOG}

READ: dict[Basis, frozenset[Part]] = {
    Basis.SELF: ALL_PARTS,
    Basis.TEAM: _CARE_PARTS,
    Basis.ALLOCATED: _CARE_PARTS,
    Basis.CONSENT: frozenset({Part.IDENTITY, Part.ABOUT, Part.CONTACT, Part.STORY, Part.NETWORK, Part.PLAN}),
    Basis.FRONT_DOOR: frozenset({Part.IDENTITY, Part.ABOUT, Part.CONTACT, Part.STORY, Part.SUPPORT}),
    Basis.BREAK_GLASS: frozenset({Part.IDENTITY, Part.ABOUT, Part.CONTACT, Part.STORY, Part.NETWORK, Part.PLAN}),
}
CHANGE: dict[Basis, frozenset[Part]] = {
    Basis.SELF: frozenset(
        {Part.ABOUT, Part.CONTACT, Part.EQUITY, Part.STORY, Part.NETWORK, Part.SHARING, Part.PLAN, Part.MEASURES}
    ),
    Basis.TEAM: _CARE_PARTS,
    Basis.ALLOCATED: _CARE_PARTS,
    Basis.CONSENT: frozenset(),
    Basis.FRONT_DOOR: frozenset({Part.IDENTITY, Part.ABOUT, Part.CONTACT, Part.STORY}),
    Basis.BREAK_GLASS: frozenset(),
}
# When several bases apply, the audit trail names the strongest.
_PRECEDENCE = (
    Basis.SELF,
    Basis.ALLOCATED,
    Basis.TEAM,
    Basis.FRONT_DOOR,
    Basis.CONSENT,
    Basis.BREAK_GLASS,
)


@dataclass(frozen=True)
class RecordAccess:
    """What one user may do with one person's record, worked out once per request."""

    bases: frozenset[Basis]

    @property
    def readable(self) -> frozenset[Part]:
        return frozenset().union(*(READ[b] for b in self.bases))

    @property
    def changeable(self) -> frozenset[Part]:
        return frozenset().union(*(CHANGE[b] for b in self.bases))

    @property
    def basis(self) -> Basis | None:
        """The basis that the audit trail records: the strongest one that applies."""
        return next((b for b in _PRECEDENCE if b in self.bases), None)

    def basis_for(self, part: Part, *, change: bool = False) -> Basis | None:
        table = CHANGE if change else READ
        return next((b for b in _PRECEDENCE if b in self.bases and part in table[b]), None)

    def can_read(self, part: Part) -> bool:
        return part in self.readable

    def can_change(self, part: Part) -> bool:
        return part in self.changeable


NO_ACCESS = RecordAccess(frozenset())


def current_memberships(user: User) -> list[Membership]:
    """The user's current memberships (with organisation, team and site), cached on the user for the request.

    Everything that asks about someone's roles uses this, so a page asks the database once.
    """
    cached: list[Membership] | None = getattr(user, "_lw_memberships", None)
    if cached is None:
        cached = list(Membership.objects.current().filter(user=user).select_related("organisation", "team", "site"))
        user._lw_memberships = cached  # type: ignore[attr-defined]
    return cached


def roles_of(user: User | AnonymousUser) -> frozenset[Role]:
    if not user.is_authenticated:
        return frozenset()
    return frozenset(Role(m.role) for m in current_memberships(user))  # type: ignore[arg-type]


def may_break_glass(user: User | AnonymousUser) -> bool:
    return bool(roles_of(user) & BREAK_GLASS_ROLES)


def _support_team_ids(user: User) -> set[Any]:
    return {m.team_id for m in current_memberships(user) if m.role in SUPPORT_ROLES and m.team_id}


def _support_organisation_ids(user: User) -> set[Any]:
    return {m.organisation_id for m in current_memberships(user) if m.role in SUPPORT_ROLES}


def _coordinator_site_ids(user: User) -> set[Any]:
    return {m.site_id for m in current_memberships(user) if m.role == Role.HUB_COORDINATOR}


def _basis_sources(user: User) -> list[tuple[Basis, QuerySet[Any], str]]:
    """For each basis (but self) the user could have: the rows that grant it, and their person field.

    A basis may have more than one source (a Hub coordinator and the worker booked for a first
    conversation both work at the front door).
    """
    now = timezone.now()
    sources: list[tuple[Basis, QuerySet[Any], str]] = []
    if team_ids := _support_team_ids(user):
        sources.append(
            (Basis.TEAM, SupportPeriod.objects.filter(ended_at__isnull=True, team_id__in=team_ids), "person_id")
        )
    sources.append(
        (
            Basis.ALLOCATED,
            Allocation.objects.filter(support_period__ended_at__isnull=True, ended_at__isnull=True, worker_id=user.pk),
            "support_period__person_id",
        )
    )
    if org_ids := _support_organisation_ids(user):
        sources.append(
            (
                Basis.CONSENT,
                SharingConsent.objects.filter(withdrawn_at__isnull=True, organisation_id__in=org_ids),
                "person_id",
            )
        )
    if site_ids := _coordinator_site_ids(user):
        sources.append(
            (Basis.FRONT_DOOR, Introduction.objects.filter(site_id__in=site_ids, state__in=OPEN_STATES), "person_id")
        )
    sources.append(
        (
            Basis.FRONT_DOOR,
            Booking.objects.filter(worker_id=user.pk, status=BookingStatus.BOOKED, introduction__state__in=OPEN_STATES),
            "introduction__person_id",
        )
    )
    if may_break_glass(user):
        sources.append((Basis.BREAK_GLASS, BreakGlass.objects.filter(user_id=user.pk, expires_at__gt=now), "person_id"))
    return sources


def people_visible_q(user: User | AnonymousUser) -> Q:
    """A filter on Person: the people whose record `user` may open (read at least one part).

    Each basis is an `IN (subquery)` that the database works out once for the whole list, rather than
    a correlated EXISTS per person row: at borough scale that is the difference between milliseconds
    and seconds (docs/benchmarks.md).
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    combined = Q(user_id=user.pk)
    for _basis, rows, person_field in _basis_sources(user):  # type: ignore[arg-type]
        combined |= Q(pk__in=rows.values(person_field))
    return combined


def people_by_basis_q(user: User | AnonymousUser, bases: frozenset[Basis]) -> Q:
    """A filter on Person: the people `user` reaches through one of `bases` (self is not a source here).

    Worklists use it to list only the people someone supports (team and allocated), leaving out those
    they may open by consent, at the front door or in an emergency."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    combined = Q(pk__in=[])
    for basis, rows, person_field in _basis_sources(user):  # type: ignore[arg-type]
        if basis in bases:
            combined |= Q(pk__in=rows.values(person_field))
    return combined


def access_to(user: User | AnonymousUser, person: Person) -> RecordAccess:
    """Which bases `user` has for `person`, in one query."""
    if not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    from livingwell.people.models import Person

    conditions: dict[Basis, Q] = {Basis.SELF: Q(user_id=user.pk)}
    for basis, rows, person_field in _basis_sources(user):  # type: ignore[arg-type]
        condition = Q(Exists(rows.filter(**{person_field: OuterRef("pk")})))
        conditions[basis] = conditions[basis] | condition if basis in conditions else condition
    flags = (
        Person.objects.filter(pk=person.pk)
        .annotate(
            **{
                f"has_{basis.value}": ExpressionWrapper(condition, output_field=BooleanField())
                for basis, condition in conditions.items()
            }
        )
        .values(*(f"has_{basis.value}" for basis in conditions))
        .first()
    )
    if flags is None:
        return NO_ACCESS
    return RecordAccess(frozenset(b for b in conditions if flags[f"has_{b.value}"]))
