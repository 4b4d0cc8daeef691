"""The team huddle: starting today's huddle and recording its decisions about each person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from livingwell.audit.models import AuditEvent, Outcome
from livingwell.audit.services import AccessRefused
from livingwell.core.errors import DomainError
from livingwell.support.models import Huddle, HuddleDecision, HuddleTopic, SupportPeriod
from livingwell.support.services import huddle as services
from livingwell.testing import Cast, make_person, refresh_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(cast: Cast) -> SupportPeriod:
    return SupportPeriod.objects.select_related("person").get(person=cast.person)


@pytest.mark.parametrize("who", ["team_worker", "team_leader"])
def test_a_worker_of_the_team_starts_todays_huddle_once(cast: Cast, who: str) -> None:
    actor = getattr(cast, who)
    huddle = services.huddle_start(actor=actor, team=cast.team_a)
    assert (huddle.team, huddle.started_by) == (cast.team_a, actor)
    assert services.huddle_start(actor=refresh_user(cast.team_leader), team=cast.team_a) == huddle  # a double click
    assert Huddle.objects.count() == 1
    event = AuditEvent.objects.get(actor=actor, action="create")
    assert event.detail == {"huddle": str(huddle.pk), "team": "North Living Well team"}
    assert event.person_id is None  # a huddle is not about one person


def test_yesterdays_huddle_does_not_count_as_today(cast: Cast) -> None:
    yesterday = Huddle.objects.create(team=cast.team_a, started_at=timezone.now() - dt.timedelta(days=1))
    assert services.todays_huddle(cast.team_a) is None
    assert services.huddle_start(actor=cast.team_worker, team=cast.team_a) != yesterday


@pytest.mark.parametrize(
    "who", ["allocated_worker", "other_team_worker", "person_user", "consent_worker", "coordinator", "analyst"]
)
def test_nobody_outside_the_team_starts_its_huddle(cast: Cast, who: str) -> None:
    actor = getattr(cast, who)
    with pytest.raises(AccessRefused):
        services.huddle_start(actor=actor, team=cast.team_a)
    assert not Huddle.objects.exists()
    assert AuditEvent.objects.get(actor=actor).outcome == Outcome.REFUSED


def test_a_decision_is_recorded_against_the_person_under_its_topic(cast: Cast, period: SupportPeriod) -> None:
    huddle = services.huddle_start(actor=cast.team_leader, team=cast.team_a)
    decision = services.decision_record(
        actor=cast.team_worker,
        huddle=huddle,
        period=period,
        topic=HuddleTopic.NOT_SEEN,
        decision="  Team Worker phones Alex today and visits on Thursday.  ",
    )
    assert (decision.topic, decision.decision, decision.recorded_by) == (
        HuddleTopic.NOT_SEEN,
        "Team Worker phones Alex today and visits on Thursday.",
        cast.team_worker,
    )
    event = AuditEvent.objects.get(actor=cast.team_worker, action="create")
    assert (event.person_id, event.parts, event.basis) == (cast.person.pk, ["support"], "team")


def test_a_decision_needs_words_and_a_topic(cast: Cast, period: SupportPeriod) -> None:
    huddle = services.huddle_start(actor=cast.team_leader, team=cast.team_a)
    with pytest.raises(DomainError) as error:
        services.decision_record(actor=cast.team_leader, huddle=huddle, period=period, topic="new", decision=" ")
    assert error.value.field == "decision"
    with pytest.raises(DomainError) as error:
        services.decision_record(actor=cast.team_leader, huddle=huddle, period=period, topic="gossip", decision="x")
    assert error.value.field == "topic"
    assert not HuddleDecision.objects.exists()


def test_decisions_belong_to_todays_huddle_and_to_people_the_team_supports_now(
    cast: Cast, period: SupportPeriod
) -> None:
    old = Huddle.objects.create(team=cast.team_a, started_at=timezone.now() - dt.timedelta(days=1))
    with pytest.raises(DomainError) as error:
        services.decision_record(actor=cast.team_leader, huddle=old, period=period, topic="new", decision="x")
    assert error.value.code == "huddle_over"

    huddle = services.huddle_start(actor=cast.team_leader, team=cast.team_a)
    elsewhere = SupportPeriod.objects.create(
        person=make_person(cast.site, "Bo", "South"), team=cast.team_b, started_at=timezone.now()
    )
    with pytest.raises(AccessRefused):
        services.decision_record(actor=cast.team_leader, huddle=huddle, period=elsewhere, topic="new", decision="x")

    SupportPeriod.objects.filter(pk=period.pk).update(ended_at=timezone.now())
    period.refresh_from_db()
    with pytest.raises(DomainError) as error:
        services.decision_record(actor=cast.team_leader, huddle=huddle, period=period, topic="new", decision="x")
    assert error.value.code == "period_ended"


@pytest.mark.parametrize("who", ["allocated_worker", "other_team_worker", "person_user", "stranger"])
def test_nobody_outside_the_team_records_a_decision(cast: Cast, period: SupportPeriod, who: str) -> None:
    huddle = services.huddle_start(actor=cast.team_leader, team=cast.team_a)
    actor = getattr(cast, who)
    with pytest.raises(AccessRefused):
        services.decision_record(actor=actor, huddle=huddle, period=period, topic="new", decision="x")
    refusal = AuditEvent.objects.get(actor=actor, outcome=Outcome.REFUSED)
    assert (refusal.person_id, refusal.parts) == (cast.person.pk, ["support"])
