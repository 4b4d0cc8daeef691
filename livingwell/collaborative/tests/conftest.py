"""The Collaborative's standing cast, built on the site's cast (`livingwell.testing.cast`).

`collab` gives:
- `whole`: the site's Collaborative, chaired by `chair` (staff, voluntary sector, Certitude) with
  `co_chair` (lived experience);
- `design`: a Design Team led by `design_lead` (a carer), with `lived` and `staff_member` in it;
- members: `lived` (lived experience, and **also the person Alex Morgan supported by the network**,
  known here only as "Sunny"), `carer`, `staff_member` (NHS trust), `commissioner` (local authority),
  `citizen`;
- `outsider`: signed in, not a member; `admin`: the site administrator (not a member; a steward).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest

from livingwell.accounts.models import User
from livingwell.collaborative.models import Group, GroupKind, GroupMembership, GroupRole, Member
from livingwell.network.models import Organisation, Sector, Site
from livingwell.testing import Cast, make_user

_n = itertools.count(1)
JOINED = dt.date(2025, 1, 6)


def make_collab_member(
    site: Site,
    *,
    user: User | None = None,
    known_as: str = "",
    organisation: Organisation | None = None,
    sector: str = "",
    joined_on: dt.date = JOINED,
    **perspectives: Any,
) -> Member:
    """A current member; perspectives as keywords (lived_experience=True, …), citizen if none given."""
    n = next(_n)
    if not any(perspectives.values()):
        perspectives = {"citizen": True}
    return Member.objects.create(
        site=site,
        user=user or make_user(f"Collab User {n}"),
        known_as=known_as or f"Member {n}",
        organisation=organisation,
        sector=sector or (organisation.sector if organisation else ""),
        joined_on=joined_on,
        **perspectives,
    )


def make_group(
    site: Site, *, name: str, kind: str = GroupKind.DESIGN_TEAM, purpose: str = "To co-design support."
) -> Group:
    return Group.objects.create(site=site, kind=kind, name=name, purpose=purpose, started_on=JOINED)


def add_to_group(
    group: Group, member: Member, role: str = GroupRole.MEMBER, started_on: dt.date = JOINED
) -> GroupMembership:
    return GroupMembership.objects.create(group=group, member=member, role=role, started_on=started_on)


@dataclass
class Collab:
    cast: Cast
    site: Site
    whole: Group
    design: Group
    chair: Member
    co_chair: Member
    design_lead: Member
    lived: Member
    carer: Member
    staff_member: Member
    commissioner: Member
    citizen: Member
    outsider: User
    admin: User


@pytest.fixture
def collab(cast: Cast) -> Collab:
    site = cast.site
    whole = make_group(
        site,
        name="Lambeth Living Well Collaborative",
        kind=GroupKind.COLLABORATIVE,
        purpose="Everyone who co-produces the network.",
    )
    design = make_group(site, name="Front door Design Team")
    chair = make_collab_member(site, known_as="Chris (chair)", organisation=cast.charity, staff=True)
    co_chair = make_collab_member(site, known_as="Pat (co-chair)", lived_experience=True)
    design_lead = make_collab_member(site, known_as="Dee", carer=True)
    lived = make_collab_member(site, user=cast.person_user, known_as="Sunny", lived_experience=True)
    carer = make_collab_member(site, known_as="Kim", carer=True)
    staff_member = make_collab_member(site, known_as="Sol", organisation=cast.trust, staff=True)
    commissioner = make_collab_member(site, known_as="Morgan C", commissioner=True, sector=Sector.LOCAL_AUTHORITY)
    citizen = make_collab_member(site, known_as="Ade", citizen=True)
    add_to_group(whole, chair, GroupRole.CHAIR)
    add_to_group(whole, co_chair, GroupRole.CO_CHAIR)
    for member in (design_lead, lived, carer, staff_member, commissioner, citizen):
        add_to_group(whole, member)
    add_to_group(design, design_lead, GroupRole.CHAIR)
    add_to_group(design, lived)
    add_to_group(design, staff_member)
    return Collab(
        cast=cast,
        site=site,
        whole=whole,
        design=design,
        chair=chair,
        co_chair=co_chair,
        design_lead=design_lead,
        lived=lived,
        carer=carer,
        staff_member=staff_member,
        commissioner=commissioner,
        citizen=citizen,
        outsider=cast.stranger,
        admin=cast.site_admin,
    )
