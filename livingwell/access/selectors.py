"""Reads of the front door: the coordinator's queue and the waiting-time figures."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from livingwell.access.models import OPEN_STATES, Introduction
from livingwell.audit import services as audit
from livingwell.audit.models import Action, Basis, Part
from livingwell.audit.policy import current_memberships, roles_of
from livingwell.network.models import Role, Site

if TYPE_CHECKING:
    from django.http import HttpRequest

    from livingwell.accounts.models import User


@dataclass(frozen=True)
class QueueRow:
    introduction_id: object
    person_id: object
    name: str
    source: str
    introduced_at: dt.datetime
    days_waiting: int
    urgent: bool
    state: str


def front_door_queue(*, user: User, request: HttpRequest | None = None, limit: int = 50) -> list[QueueRow]:
    """Open introductions at the coordinator's sites: urgent first, then longest waiting."""
    if Role.HUB_COORDINATOR not in roles_of(user):
        raise audit.refuse(actor=user, action=Action.LIST, reason="Not a Hub coordinator", request=request)
    site_ids = {m.site_id for m in current_memberships(user) if m.role == Role.HUB_COORDINATOR}
    introductions = (
        Introduction.objects.filter(site_id__in=site_ids, state__in=OPEN_STATES)
        .select_related("person")
        .order_by("-urgent", "introduced_at")[:limit]
    )
    today = timezone.localdate()
    rows = [
        QueueRow(
            i.pk,
            i.person_id,
            i.person.display_name,
            i.get_source_display(),
            i.introduced_at,
            (today - timezone.localtime(i.introduced_at).date()).days,
            i.urgent,
            i.get_state_display(),
        )
        for i in introductions
    ]
    audit.record_many(
        actor=user,
        action=Action.LIST,
        people=[(r.person_id, Basis.FRONT_DOOR) for r in rows],  # type: ignore[misc]
        parts=(Part.IDENTITY,),
        detail={"list": "front door queue"},
        request=request,
    )
    return rows


@dataclass(frozen=True)
class WaitingFigures:
    """How long people waited from introduction to first conversation (aggregates only)."""

    days: int
    met: int
    median_days: float | None
    p90_days: float | None
    within_target_share: float | None
    within_28_days_share: float | None
    target_days: int
    waiting_now: int


def _percentile(sorted_values: list[int], fraction: float) -> float:
    """Linear interpolation between closest ranks (the 'inclusive' method, as spreadsheets do)."""
    if len(sorted_values) == 1:
        return float(sorted_values[0])
    return float(statistics.quantiles(sorted_values, n=100, method="inclusive")[round(fraction * 100) - 1])


def waiting_figures(*, site: Site, days: int = 90, now: dt.datetime | None = None) -> WaitingFigures:
    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    waits = sorted(
        (row["first_conversation_at"] - row["introduced_at"]).days
        for row in Introduction.objects.filter(
            site=site, first_conversation_at__gte=since, first_conversation_at__lte=now
        ).values("introduced_at", "first_conversation_at")
        if row["first_conversation_at"] is not None
    )
    target = site.target_days_to_first_conversation
    waiting_now = Introduction.objects.filter(site=site, state__in=OPEN_STATES).count()
    if not waits:
        return WaitingFigures(days, 0, None, None, None, None, target, waiting_now)
    return WaitingFigures(
        days=days,
        met=len(waits),
        median_days=float(statistics.median(waits)),
        p90_days=_percentile(waits, 0.9),
        within_target_share=sum(w <= target for w in waits) / len(waits),
        within_28_days_share=sum(w <= 28 for w in waits) / len(waits),
        target_days=target,
        waiting_now=waiting_now,
    )
