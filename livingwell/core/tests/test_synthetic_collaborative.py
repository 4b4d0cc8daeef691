"""A year of the Collaborative on the synthetic site: complete, consistent, and ready for the demo journeys."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.db.models import Count

from livingwell.accounts.models import User
from livingwell.collaborative.models import (
    LEAD_ROLES,
    ActionPoint,
    ActionStatus,
    ApprovalVote,
    BalconyPlacement,
    Cycle,
    CycleStage,
    Decision,
    DecisionStatus,
    FundRound,
    FundStage,
    Group,
    GroupKind,
    GroupMembership,
    JoinRequest,
    Member,
    Pitch,
    PitchStatus,
    PrincipleRating,
    ReflectionRound,
    Session,
    SessionStatus,
    Story,
)
from livingwell.core.synthetic import SITE_SLUG, build_site
from livingwell.core.synthetic.collaborative import (
    BALCONY_KEYS,
    COLLABORATIVE_CHAIR,
    COLLABORATIVE_MEMBER,
    DEMO_PERSON_KNOWN_AS,
)
from livingwell.core.synthetic.demo import DEMO_PASSWORD, demo_sign_in
from livingwell.network.models import Site
from livingwell.people.models import Person

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def site(django_db_setup: None, django_db_blocker: Any) -> Iterator[Site]:
    """A small site without offers, built once and rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        build_site(people=120, seed=11, today=TODAY, offers=0)
        yield Site.objects.get(slug=SITE_SLUG)
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_members_of_every_kind_and_the_demo_sign_ins(site: Site) -> None:
    members = Member.objects.filter(site=site)
    current = members.filter(left_on__isnull=True)
    for field in ("lived_experience", "carer", "staff", "commissioner", "citizen"):
        assert current.filter(**{field: True}).count() >= 2, field
    assert members.filter(left_on__isnull=False).exists()  # some moved on during the year
    for sign_in in (COLLABORATIVE_CHAIR, COLLABORATIVE_MEMBER):
        user = User.objects.get(email=sign_in.email)
        assert check_password(DEMO_PASSWORD, user.password)
        assert members.get(user=user).known_as == sign_in.known_as
        assert not hasattr(user, "person")  # no support record
    # Only the demo sign-ins can sign in; the other synthetic members have no usable password.
    others = User.objects.filter(email__startswith="member0")
    assert others.exists() and not any(u.has_usable_password() for u in others)


def test_the_demo_person_is_known_by_another_name(site: Site) -> None:
    person = Person.objects.get(user__email=demo_sign_in(None).email)
    member = Member.objects.get(site=site, user=person.user)
    assert member.known_as == DEMO_PERSON_KNOWN_AS
    assert person.given_name not in member.known_as and person.family_name not in member.known_as


def test_every_current_group_has_a_lead_and_roles_changed_hands(site: Site) -> None:
    groups = Group.objects.filter(site=site)
    assert {g.kind for g in groups} == set(GroupKind.values)
    for group in groups:
        assert GroupMembership.objects.filter(group=group, ended_on__isnull=True, role__in=LEAD_ROLES).exists(), group
    assert GroupMembership.objects.filter(group__site=site, ended_on__isnull=False, role__in=LEAD_ROLES).exists()


def test_open_breakfasts_every_month_hosted_in_turn(site: Site) -> None:
    breakfasts = list(
        Session.objects.filter(group__site=site, is_open_event=True)
        .order_by("starts_at")
        .select_related("host_organisation")
    )
    assert len(breakfasts) == 15
    months = [(s.starts_at.year, s.starts_at.month) for s in breakfasts]
    assert len(set(months)) == 15
    hosts = [s.host_organisation_id for s in breakfasts]
    assert all(a != b for a, b in itertools.pairwise(hosts))
    assert any(s.status == SessionStatus.PLANNED and s.starts_at.date() > TODAY for s in breakfasts)
    held = [s for s in breakfasts if s.status == SessionStatus.HELD]
    assert held and all(s.attendance.filter(attended=True).exists() for s in held)


def test_actions_are_followed_to_done(site: Site) -> None:
    actions = ActionPoint.objects.filter(group__site=site)
    done = actions.filter(status=ActionStatus.DONE).count()
    overdue = actions.filter(status=ActionStatus.OPEN, due_on__lt=TODAY).count()
    assert done > overdue > 0


def test_decisions_store_who_took_part(site: Site) -> None:
    decided = Decision.objects.filter(group__site=site, status=DecisionStatus.DECIDED).annotate(n=Count("participants"))
    assert decided.count() >= 10
    for decision in decided:
        participants = list(decision.participants.select_related("member"))
        assert decision.participant_count == len(participants) == decision.n
        assert decision.lived_experience_count == sum(1 for p in participants if p.member.lived_experience)
    assert decided.filter(is_public=False).exclude(not_public_why="").exists()
    assert Decision.objects.filter(group__site=site, status=DecisionStatus.OPEN).count() == 2


def test_prototypes_cycles_and_a_cycle_ready_to_close(site: Site) -> None:
    assert Cycle.objects.filter(prototype__site=site, stage=CycleStage.ACT).count() == 1
    assert Cycle.objects.filter(prototype__site=site, stage=CycleStage.CLOSED).exclude(lab_session=None).exists()


def test_stories_shared_at_every_level(site: Site) -> None:
    stories = Story.objects.filter(site=site)
    assert {s.consent_level for s in stories} == {"team", "collaborative", "public"}
    for story in stories.exclude(consent_level="team"):
        assert story.checked_hash and story.checked_at


def test_reflections_over_three_years(site: Site) -> None:
    rounds = ReflectionRound.objects.filter(site=site)
    assert rounds.count() == 3
    assert rounds.filter(opens_on__lte=TODAY, closes_on__gte=TODAY).count() == 1
    assert PrincipleRating.objects.filter(round__site=site).count() > 50
    assert set(BalconyPlacement.objects.filter(round__site=site).values_list("statement", flat=True)) == set(
        BALCONY_KEYS
    )


def test_the_ideas_fund(site: Site) -> None:
    rounds = {r.stage: r for r in FundRound.objects.filter(site=site)}
    assert set(rounds) == {FundStage.AWARDED, FundStage.VOTING, FundStage.PITCHING}
    awarded = rounds[FundStage.AWARDED]
    funded = Pitch.objects.filter(round=awarded, status=PitchStatus.FUNDED)
    assert funded.exists() and sum(p.award for p in funded) <= awarded.budget
    assert awarded.decision is not None and awarded.decision.money == sum(p.award for p in funded)
    assert funded.exclude(report_back="").exists()
    member = Member.objects.get(user__email=COLLABORATIVE_MEMBER.email)
    assert not ApprovalVote.objects.filter(round=rounds[FundStage.VOTING], member=member).exists()
    assert JoinRequest.objects.filter(site=site, status="new").count() == 3
