"""Factories the ideas fund's tests share: rounds at any stage, panels and pitches, made directly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from livingwell.collaborative.models import (
    ApprovalVote,
    FundPanelist,
    FundRound,
    FundStage,
    Member,
    Pitch,
    PitchStatus,
)
from livingwell.network.models import Site


def make_round(site: Site, *, stage: str = FundStage.PITCHING, name: str = "Spring ideas", **fields: Any) -> FundRound:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "about": "Ideas that bring people together.",
        "budget": Decimal("2000"),
        "pitches_close_on": today + dt.timedelta(days=14),
        "voting_closes_on": today + dt.timedelta(days=28),
        "min_lived_experience_panel": 2,
    }
    values.update(fields)
    return FundRound.objects.create(site=site, name=name, stage=stage, **values)


def seat(fund_round: FundRound, member: Member, *, chair: bool = False) -> FundPanelist:
    return FundPanelist.objects.create(round=fund_round, member=member, is_chair=chair)


def make_pitch(
    fund_round: FundRound,
    by: Member,
    *,
    title: str = "Walk and talk",
    amount: str = "500",
    status: str = PitchStatus.DRAFT,
    peer_led: bool = False,
    minutes: int = 0,
    **fields: Any,
) -> Pitch:
    sent = status != PitchStatus.DRAFT
    return Pitch.objects.create(
        round=fund_round,
        pitched_by=by,
        title=title,
        summary=f"{title}: what we will do.",
        who_benefits="People who feel alone.",
        how_money_is_spent="Room hire and tea.",
        amount=Decimal(amount),
        peer_led=peer_led,
        status=status,
        submitted_at=timezone.now() - dt.timedelta(days=1) + dt.timedelta(minutes=minutes) if sent else None,
        **fields,
    )


def approve(pitch: Pitch, *members: Member) -> None:
    for member in members:
        ApprovalVote.objects.create(round=pitch.round, pitch=pitch, member=member)
