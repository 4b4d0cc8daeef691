"""Fixtures for the network tests: signed-in clients that have passed two-factor, and a second site."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from livingwell.accounts.models import User
from livingwell.conftest import make_member
from livingwell.network.models import Locality, Membership, Organisation, Role, Sector, Site, Team


def sign_in_verified(user: User) -> Client:
    """A client signed in as `user`, with the second factor already given.

    Site administrators and privacy officers are sent to /two-factor/ until they have given one,
    so tests sign them in the way a finished two-factor step leaves the session.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=True
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def verified_client(db: None) -> Callable[[User], Client]:
    """`verified_client(user)`: a new client signed in as `user`, past two-factor."""
    return sign_in_verified


@dataclass
class OtherSite:
    site: Site
    admin: User
    organisation: Organisation
    team: Team
    locality: Locality
    worker: User
    membership: Membership


@pytest.fixture
def other_site(db: None) -> OtherSite:
    """Southwark: a second site with its own administrator, partner, team, locality and worker."""
    site = Site.objects.create(name="Southwark", slug="southwark")
    locality = Locality.objects.create(site=site, name="Peckham")
    organisation = Organisation.objects.create(site=site, name="Southwark Mind", sector=Sector.VOLUNTARY)
    team = Team.objects.create(site=site, name="Peckham Living Well team", locality=locality)
    admin = make_member(site, organisation, Role.SITE_ADMINISTRATOR, name="Southwark Admin")
    worker = make_member(site, organisation, Role.PEER_WORKER, team=team, name="Southwark Peer")
    membership = Membership.objects.get(user=worker)
    return OtherSite(
        site=site,
        admin=admin,
        organisation=organisation,
        team=team,
        locality=locality,
        worker=worker,
        membership=membership,
    )
