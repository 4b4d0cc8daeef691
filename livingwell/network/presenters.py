"""Rows for the network pages' tables, formatted for display."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from livingwell.core.presenters import date
from livingwell.network.models import Locality, Membership, Organisation, Team


@dataclass(frozen=True)
class StaffRow:
    name: str
    email: str
    role: str
    job_title: str
    organisation: str
    team: str
    since: str
    end_href: str
    invitation_href: str  # empty once they have set a password


def staff_rows(memberships: Iterable[Membership]) -> list[StaffRow]:
    return [
        StaffRow(
            name=m.user.name,
            email=m.user.email,
            role=m.get_role_display(),
            job_title=m.job_title,
            organisation=m.organisation.name,
            team=m.team.name if m.team else "Not in a team",
            since=date(m.started_on),
            end_href=reverse("network:membership_end", args=[m.pk]),
            invitation_href="" if m.user.has_usable_password() else reverse("network:invitation", args=[m.pk]),
        )
        for m in memberships
    ]


@dataclass(frozen=True)
class OrganisationRow:
    name: str
    sector: str
    ods_code: str
    staff: int
    status: str
    change_href: str


def organisation_rows(organisations: Iterable[Organisation]) -> list[OrganisationRow]:
    return [
        OrganisationRow(
            name=o.name,
            sector=o.get_sector_display(),
            ods_code=o.ods_code or "None",
            staff=getattr(o, "staff_count", 0),
            status="Partner" if o.is_active else "No longer a partner",
            change_href=reverse("network:organisation_change", args=[o.pk]),
        )
        for o in organisations
    ]


@dataclass(frozen=True)
class TeamRow:
    name: str
    locality: str
    members: int
    status: str
    change_href: str


def team_rows(teams: Iterable[Team]) -> list[TeamRow]:
    return [
        TeamRow(
            name=t.name,
            locality=t.locality.name if t.locality else "Not set",
            members=getattr(t, "member_count", 0),
            status="Open" if t.is_active else "Closed",
            change_href=reverse("network:team_change", args=[t.pk]),
        )
        for t in teams
    ]


@dataclass(frozen=True)
class LocalityRow:
    name: str
    teams: int
    change_href: str
    postcode_areas: str = ""


def locality_rows(localities: Iterable[Locality]) -> list[LocalityRow]:
    return [
        LocalityRow(
            name=loc.name,
            teams=getattr(loc, "team_count", 0),
            change_href=reverse("network:locality_change", args=[loc.pk]),
            postcode_areas=", ".join(loc.postcode_areas or []) or "None yet",
        )
        for loc in localities
    ]


@dataclass(frozen=True)
class MemberRow:
    name: str
    role: str
    organisation: str
    since: str


def member_rows(memberships: Iterable[Membership]) -> list[MemberRow]:
    return [
        MemberRow(
            name=m.user.name,
            role=m.get_role_display(),
            organisation=m.organisation.name,
            since=date(m.started_on),
        )
        for m in memberships
    ]
