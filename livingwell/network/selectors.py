"""Reads of the network for its administrators (no person data here).

Everything a site administrator sees is scoped to the sites they administer: `administration`
works out which those are, and the lookups by id raise `OutsideYourSites` for anything else, so
that a page cannot show or change another site's network by forgetting a filter.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from livingwell.audit import policy
from livingwell.network.models import Locality, Membership, Organisation, Role, Site, Team

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from livingwell.accounts.models import User


@dataclass(frozen=True)
class NetworkOverview:
    site: Site
    organisations: int
    teams: int
    staff: int
    localities: int


def network_overview(*, site: Site) -> NetworkOverview:
    return NetworkOverview(
        site=site,
        organisations=Organisation.objects.filter(site=site, is_active=True).count(),
        teams=Team.objects.filter(site=site, is_active=True).count(),
        staff=Membership.objects.current().filter(site=site).values("user_id").distinct().count(),
        localities=site.localities.count(),
    )


class OutsideYourSites(Exception):
    """The thing asked for exists, but belongs to a site the user does not administer."""


def administered_site_ids(user: User | AnonymousUser) -> frozenset[uuid.UUID]:
    """The sites where `user` holds a current site administrator role."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    # The memberships are cached on the user for the request (the header and middleware read them too).
    return frozenset(m.site_id for m in policy.current_memberships(user) if m.role == Role.SITE_ADMINISTRATOR)


@dataclass(frozen=True)
class Administration:
    """The sites a user administers, and the one that the network pages are about just now."""

    user: User
    sites: tuple[Site, ...]
    site: Site

    def administers(self, site_id: uuid.UUID) -> bool:
        return any(s.pk == site_id for s in self.sites)


def administration(*, user: User | AnonymousUser, site_id: str | None = None) -> Administration | None:
    """None when `user` administers no site; otherwise their sites, with `site_id` chosen if it is one."""
    ids = administered_site_ids(user)
    if not ids:
        return None
    sites = tuple(Site.objects.filter(pk__in=ids).order_by("name"))
    chosen = next((s for s in sites if str(s.pk) == site_id), sites[0])
    return Administration(user=user, sites=sites, site=chosen)  # type: ignore[arg-type]


def _in_sites[T: (Organisation, Team, Locality, Membership)](
    admin: Administration, queryset: QuerySet[T], pk: uuid.UUID
) -> T:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise queryset.model.DoesNotExist
    if not admin.administers(found.site_id):
        raise OutsideYourSites
    return found


def organisations(*, site: Site) -> QuerySet[Organisation]:
    return Organisation.objects.filter(site=site).annotate(
        staff_count=Count("memberships__user", filter=Q(memberships__ended_on__isnull=True), distinct=True)
    )


def organisation_for(*, admin: Administration, organisation_id: uuid.UUID) -> Organisation:
    return _in_sites(admin, Organisation.objects.select_related("site"), organisation_id)


def open_organisations(*, site: Site) -> QuerySet[Organisation]:
    return Organisation.objects.filter(site=site, is_active=True)


def teams(*, site: Site) -> QuerySet[Team]:
    return (
        Team.objects.filter(site=site)
        .select_related("locality")
        .annotate(member_count=Count("memberships__user", filter=Q(memberships__ended_on__isnull=True), distinct=True))
    )


def team_for(*, admin: Administration, team_id: uuid.UUID) -> Team:
    return _in_sites(admin, Team.objects.select_related("site", "locality"), team_id)


def open_teams(*, site: Site) -> QuerySet[Team]:
    return Team.objects.filter(site=site, is_active=True)


def all_teams(*, site: Site) -> QuerySet[Team]:
    return Team.objects.filter(site=site)


def team_members(*, team: Team) -> QuerySet[Membership]:
    return (
        Membership.objects.current()
        .filter(team=team)
        .select_related("user", "organisation")
        .order_by("user__display_name", "user__email", "role")
    )


def localities(*, site: Site) -> QuerySet[Locality]:
    return Locality.objects.filter(site=site).annotate(team_count=Count("teams"))


def locality_for(*, admin: Administration, locality_id: uuid.UUID) -> Locality:
    return _in_sites(admin, Locality.objects.select_related("site"), locality_id)


def locality_choices(*, site: Site) -> QuerySet[Locality]:
    return Locality.objects.filter(site=site)


def staff(*, site: Site, role: str = "", team: Team | None = None) -> QuerySet[Membership]:
    """Current roles at `site`, with everything a list shows loaded in the same query."""
    memberships = (
        Membership.objects.current()
        .filter(site=site)
        .select_related("user", "organisation", "team")
        .order_by("user__display_name", "user__email", "role", "pk")
    )
    if role:
        memberships = memberships.filter(role=role)
    if team is not None:
        memberships = memberships.filter(team=team)
    return memberships


def membership_for(*, admin: Administration, membership_id: uuid.UUID) -> Membership:
    return _in_sites(admin, Membership.objects.select_related("site", "user", "organisation", "team"), membership_id)
