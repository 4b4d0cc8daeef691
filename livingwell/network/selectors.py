"""Reads of the network for its administrators (no person data here)."""

from __future__ import annotations

from dataclasses import dataclass

from livingwell.network.models import Membership, Organisation, Site, Team


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
