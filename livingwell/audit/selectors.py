"""Reads of the audit trail: a person's own access log, and the privacy officer's views."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from livingwell.audit.models import AuditEvent, BreakGlass, Outcome

if TYPE_CHECKING:
    import uuid
from collections.abc import Sequence


def access_log_for_person(person_id: uuid.UUID, *, joined: Sequence[uuid.UUID] = ()) -> QuerySet[AuditEvent]:
    """What happened to one person's record, newest first (the caller checks who may see it).

    `joined` are the ids of records that were folded into this one (a returning person recognised at
    the front door): what happened to those is part of the person's log too.
    """
    return AuditEvent.objects.filter(person_id__in=[person_id, *joined]).order_by("-occurred_at", "-id")


@dataclass(frozen=True)
class PrivacyOverview:
    break_glass_to_review: int
    refusals_last_7_days: int
    events_last_7_days: int


def privacy_overview(now: dt.datetime | None = None) -> PrivacyOverview:
    now = now or timezone.now()
    week = now - dt.timedelta(days=7)
    return PrivacyOverview(
        break_glass_to_review=BreakGlass.objects.filter(reviewed_at__isnull=True).count(),
        refusals_last_7_days=AuditEvent.objects.filter(outcome=Outcome.REFUSED, occurred_at__gte=week).count(),
        events_last_7_days=AuditEvent.objects.filter(occurred_at__gte=week).count(),
    )
