"""Test fixtures: the standing cast for access tests, and small factories every app's tests share.

The cast (see `cast`): a person supported by team A with an allocated worker; workers in team A and
team B; a worker of an organisation the person shares with; a Hub coordinator; an analyst; a site
administrator; a privacy officer; a psychiatrist who may break glass; and a stranger with no role.
A second person (`newcomer`) has only an open introduction at the front door.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import pytest
from django.utils import timezone

from livingwell.access.models import Introduction, IntroductionState, Source
from livingwell.accounts.models import User
from livingwell.network.models import Locality, Membership, Organisation, Role, Sector, Site, Team
from livingwell.people.models import Person, SharingConsent, Story
from livingwell.support.models import Allocation, SupportPeriod

_counter = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def make_user(name: str = "", *, email: str | None = None) -> User:
    n = next(_counter)
    name = name or f"User {n}"
    return User.objects.create_user(email or f"user{n}@example.test", PASSWORD, display_name=name)


def make_member(
    site: Site, organisation: Organisation, role: Role, *, team: Team | None = None, name: str = ""
) -> User:
    user = make_user(name or role.label)
    Membership.objects.create(
        user=user, site=site, organisation=organisation, team=team, role=role, started_on=dt.date(2024, 1, 1)
    )
    return user


def make_person(site: Site, given_name: str = "Alex", family_name: str = "Morgan", **fields: object) -> Person:
    person = Person.objects.create(site=site, given_name=given_name, family_name=family_name, **fields)
    Story.objects.create(person=person, what_brought_me_here="Feeling low since losing my job.")
    return person


@dataclass
class Cast:
    site: Site
    trust: Organisation
    council: Organisation
    charity: Organisation
    housing: Organisation
    team_a: Team
    team_b: Team
    person: Person
    person_user: User
    newcomer: Person
    team_worker: User
    team_leader: User
    allocated_worker: User
    other_team_worker: User
    consent_worker: User
    coordinator: User
    analyst: User
    site_admin: User
    privacy_officer: User
    psychiatrist: User
    stranger: User


@pytest.fixture
def cast(db: None) -> Cast:
    site = Site.objects.create(name="Lambeth", slug="lambeth")
    north = Locality.objects.create(site=site, name="North")
    trust = Organisation.objects.create(site=site, name="South London Trust", sector=Sector.NHS_TRUST)
    council = Organisation.objects.create(site=site, name="Lambeth Council", sector=Sector.LOCAL_AUTHORITY)
    charity = Organisation.objects.create(site=site, name="Certitude", sector=Sector.VOLUNTARY)
    housing = Organisation.objects.create(site=site, name="Homes for Lambeth", sector=Sector.HOUSING)
    team_a = Team.objects.create(site=site, name="North Living Well team", locality=north)
    team_b = Team.objects.create(site=site, name="South Living Well team")

    person_user = make_user("Alex Morgan", email="alex@example.test")
    person = make_person(site, user=person_user, nhs_number="9434765919", postcode="SW9 8AB")
    newcomer = make_person(site, "Sam", "Taylor")
    now = timezone.now()
    Introduction.objects.create(
        person=person,
        site=site,
        source=Source.GP,
        introduced_at=now - dt.timedelta(days=60),
        state=IntroductionState.MET,
        first_conversation_at=now - dt.timedelta(days=40),
    )
    Introduction.objects.create(
        person=newcomer,
        site=site,
        source=Source.SELF,
        introduced_at=now - dt.timedelta(days=3),
        state=IntroductionState.NEW,
    )

    team_worker = make_member(site, charity, Role.RECOVERY_WORKER, team=team_a, name="Team Worker")
    team_leader = make_member(site, trust, Role.TEAM_LEADER, team=team_a, name="Team Leader")
    allocated_worker = make_member(site, charity, Role.PEER_WORKER, team=team_b, name="Allocated Peer")
    other_team_worker = make_member(site, trust, Role.MENTAL_HEALTH_PRACTITIONER, team=team_b, name="Other Team")
    consent_worker = make_member(site, housing, Role.HOUSING_OFFICER, name="Housing Officer")
    coordinator = make_member(site, trust, Role.HUB_COORDINATOR, name="Hub Coordinator")
    analyst = make_member(site, council, Role.ANALYST, name="Analyst")
    site_admin = make_member(site, council, Role.SITE_ADMINISTRATOR, name="Site Admin")
    privacy_officer = make_member(site, trust, Role.PRIVACY_OFFICER, name="Privacy Officer")
    psychiatrist = make_member(site, trust, Role.PSYCHIATRIST, team=team_b, name="Psychiatrist")
    stranger = make_user("Stranger")

    period = SupportPeriod.objects.create(person=person, team=team_a, started_at=now - dt.timedelta(days=40))
    Allocation.objects.create(support_period=period, worker=allocated_worker, started_at=now - dt.timedelta(days=39))
    SharingConsent.objects.create(person=person, organisation=housing, given_at=now - dt.timedelta(days=30))

    return Cast(
        site=site,
        trust=trust,
        council=council,
        charity=charity,
        housing=housing,
        team_a=team_a,
        team_b=team_b,
        person=person,
        person_user=person_user,
        newcomer=newcomer,
        team_worker=team_worker,
        team_leader=team_leader,
        allocated_worker=allocated_worker,
        other_team_worker=other_team_worker,
        consent_worker=consent_worker,
        coordinator=coordinator,
        analyst=analyst,
        site_admin=site_admin,
        privacy_officer=privacy_officer,
        psychiatrist=psychiatrist,
        stranger=stranger,
    )


def refresh_user(user: User) -> User:
    """A fresh copy, without the per-request membership cache."""
    return User.objects.get(pk=user.pk)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A skipped test is a failed test: every suite must really run on every machine."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if reporter is not None and skipped and exitstatus == 0:
        reporter.write_line(f"{skipped} test(s) skipped: a skipped suite is a failed suite.", red=True)
        session.exitstatus = 1
