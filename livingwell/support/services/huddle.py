"""The team huddle: the daily multidisciplinary meeting, and the decisions it takes about each person.

A worker of the team starts today's huddle (once a day: starting it again gives the same huddle), and
records what the team decided about someone the team supports, under the topic that brought them up.
The person reads the decisions about them on their support page.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from livingwell.audit import services as audit
from livingwell.audit.models import Action, Basis, Part
from livingwell.core.errors import DomainError
from livingwell.network.models import Team
from livingwell.support.models import Huddle, HuddleDecision, HuddleTopic, SupportPeriod
from livingwell.support.selectors import is_team_member

if TYPE_CHECKING:
    from django.http import HttpRequest

    from livingwell.accounts.models import User

DECISION_MAX = 5000


class HuddleError(DomainError):
    pass


def start_of_today(now: dt.datetime | None = None) -> dt.datetime:
    """Midnight at the start of today, in the site's time zone."""
    local = timezone.localdate(now or timezone.now())
    return timezone.make_aware(dt.datetime.combine(local, dt.time.min))


def todays_huddle(team: Team, now: dt.datetime | None = None) -> Huddle | None:
    """The team's huddle of today, if it has started."""
    return (
        Huddle.objects.filter(team=team, started_at__gte=start_of_today(now))
        .select_related("started_by")
        .order_by("-started_at")
        .first()
    )


def huddle_start(*, actor: User, team: Team, request: HttpRequest | None = None) -> Huddle:
    """Start today's huddle of `team` (a worker of the team). Starting it twice gives the same huddle."""
    if not is_team_member(actor, team.pk):
        raise audit.refuse(
            actor=actor,
            action=Action.CREATE,
            reason=f"Not a worker of {team.name}",
            request=request,
            message=f"Only workers of {team.name} can start its huddle.",
        )
    with transaction.atomic():
        Team.objects.select_for_update().filter(pk=team.pk).first()  # one huddle a day, even on a double click
        existing = todays_huddle(team)
        if existing is not None:
            return existing
        huddle = Huddle.objects.create(team=team, started_at=timezone.now(), started_by=actor)
        audit.record(
            actor=actor,
            action=Action.CREATE,
            detail={"huddle": str(huddle.pk), "team": team.name},
            request=request,
        )
    return huddle


def decision_record(
    *,
    actor: User,
    huddle: Huddle,
    period: SupportPeriod,
    topic: HuddleTopic | str,
    decision: str,
    request: HttpRequest | None = None,
) -> HuddleDecision:
    """Record what the team decided about the person of `period` at today's huddle."""
    if not is_team_member(actor, huddle.team_id) or period.team_id != huddle.team_id:
        raise audit.refuse(
            actor=actor,
            action=Action.CREATE,
            person_id=period.person_id,
            parts=[Part.SUPPORT],
            reason="Not a worker of the team whose huddle this is, or not a person the team supports",
            request=request,
            message="Only workers of the team can record its huddle's decisions about the people it supports.",
        )
    if not period.is_open:
        raise HuddleError("period_ended", "This support has ended, so the huddle cannot record a decision", field=None)
    if huddle.started_at < start_of_today():
        raise HuddleError(
            "huddle_over", "This huddle was on another day: start today's huddle to record a decision", field=None
        )
    try:
        chosen = HuddleTopic(topic)
    except ValueError:
        raise HuddleError("topic_missing", "Select what the decision is about", field="topic") from None
    words = decision.strip()
    if not words:
        raise HuddleError("decision_missing", "Enter what the team decided", field="decision")
    if len(words) > DECISION_MAX:
        raise HuddleError(
            "decision_too_long", f"The decision must be {DECISION_MAX} characters or fewer", field="decision"
        )
    with transaction.atomic():
        recorded = HuddleDecision.objects.create(
            huddle=huddle,
            support_period=period,
            topic=chosen,
            decision=words,
            recorded_at=max(timezone.now(), huddle.started_at),
            recorded_by=actor,
        )
        audit.record(
            actor=actor,
            action=Action.CREATE,
            person_id=period.person_id,
            parts=[Part.SUPPORT],
            basis=Basis.TEAM,
            detail={"huddle": str(huddle.pk), "decision": str(recorded.pk), "topic": chosen.value},
            request=request,
        )
    return recorded
