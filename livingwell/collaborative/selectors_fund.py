"""What the ideas fund's pages read, scoped to what the caller may see.

Who sees which pitch:
- a draft (and a withdrawn pitch): only its pitcher and the member helping with it;
- a pitch sent to the panel, and one not shortlisted: also the round's panel and the stewards;
- a shortlisted pitch, and one funded or not funded after the vote: every current member;
- on the public pages: only funded pitches of rounds that have been awarded.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When

from livingwell.collaborative import access
from livingwell.collaborative.awards import Candidate
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

SENT = (
    PitchStatus.SUBMITTED,
    PitchStatus.SHORTLISTED,
    PitchStatus.NOT_SHORTLISTED,
    PitchStatus.FUNDED,
    PitchStatus.NOT_FUNDED,
)
# Pitches every member may read: on the shortlist, and what the vote made of them.
FOR_MEMBERS = (PitchStatus.SHORTLISTED, PitchStatus.FUNDED, PitchStatus.NOT_FUNDED)
ON_BALLOT = FOR_MEMBERS
OPEN_STAGES = (FundStage.PITCHING, FundStage.PANEL, FundStage.VOTING)
PUBLIC_STAGES = (FundStage.AWARDED, FundStage.CLOSED)


@dataclass(frozen=True)
class FundViewer:
    """Who is looking at a round, and in what capacity."""

    member: Member | None
    steward: bool
    panellist: bool
    chair: bool

    @property
    def panel_or_steward(self) -> bool:
        return self.steward or self.panellist


def viewer_for(user: object, fund_round: FundRound, member: Member | None) -> FundViewer:
    seat = (
        FundPanelist.objects.filter(round=fund_round, member=member).values_list("is_chair", flat=True).first()
        if member is not None
        else None
    )
    return FundViewer(
        member=member,
        steward=access.is_steward(user, fund_round.site),  # type: ignore[arg-type]
        panellist=seat is not None,
        chair=bool(seat),
    )


# ---- rounds -------------------------------------------------------------------------------------


def rounds_for(site: Site) -> list[FundRound]:
    """The site's rounds, open ones first, with `sent_count` and `peer_led_count` (pitches sent to the
    panel) and `awarded_total`."""
    open_first = Case(When(stage__in=OPEN_STAGES, then=Value(0)), default=Value(1), output_field=IntegerField())
    return list(
        FundRound.objects.filter(site=site)
        .annotate(
            open_first=open_first,
            sent_count=Count("pitches", filter=Q(pitches__status__in=SENT), distinct=True),
            peer_led_count=Count("pitches", filter=Q(pitches__status__in=SENT, pitches__peer_led=True), distinct=True),
            awarded_total=Sum("pitches__award", filter=Q(pitches__status=PitchStatus.FUNDED)),
        )
        .order_by("open_first", "-pitches_close_on", "name")
    )


def round_for(site: Site, round_id: uuid.UUID) -> FundRound | None:
    return FundRound.objects.filter(site=site, pk=round_id).select_related("site", "decision").first()


def panel_of(fund_round: FundRound) -> list[FundPanelist]:
    return list(FundPanelist.objects.filter(round=fund_round).select_related("member").order_by("member__known_as"))


def current_members(site: Site) -> list[Member]:
    return list(Member.objects.current().filter(site=site).order_by("known_as", "id"))


# ---- pitches ------------------------------------------------------------------------------------


def _visible_q(viewer: FundViewer) -> Q:
    q = Q(status__in=FOR_MEMBERS)
    if viewer.member is not None:
        q |= Q(pitched_by=viewer.member) | Q(helper=viewer.member)
    if viewer.panel_or_steward:
        q |= Q(status__in=(PitchStatus.SUBMITTED, PitchStatus.NOT_SHORTLISTED))
    return q


def pitches_seen_by(fund_round: FundRound, viewer: FundViewer) -> list[Pitch]:
    """The round's pitches `viewer` may read, in the order they were sent (drafts last)."""
    return list(
        Pitch.objects.filter(round=fund_round)
        .filter(_visible_q(viewer))
        .select_related("pitched_by", "helper", "offer")
        .order_by("status", "submitted_at", "created_at")
    )


def can_see_pitch(pitch: Pitch, viewer: FundViewer) -> bool:
    if viewer.member is not None and viewer.member.pk in (pitch.pitched_by_id, pitch.helper_id):
        return True
    if pitch.status in FOR_MEMBERS:
        return True
    return viewer.panel_or_steward and pitch.status in (PitchStatus.SUBMITTED, PitchStatus.NOT_SHORTLISTED)


def pitch_for(site: Site, pitch_id: uuid.UUID) -> Pitch | None:
    return (
        Pitch.objects.filter(round__site=site, pk=pitch_id)
        .select_related("round", "round__site", "pitched_by", "helper", "offer", "updated_by")
        .first()
    )


def mine(fund_round: FundRound, member: Member) -> list[Pitch]:
    """Pitches the member made or is helping with."""
    return list(
        Pitch.objects.filter(round=fund_round)
        .filter(Q(pitched_by=member) | Q(helper=member))
        .select_related("pitched_by", "helper")
        .order_by("created_at")
    )


def help_waiting(fund_round: FundRound) -> list[Pitch]:
    """Pitches whose pitcher asked for help and no one has been asked to help yet."""
    return list(
        Pitch.objects.filter(
            round=fund_round,
            wants_help=True,
            helper__isnull=True,
            status__in=(PitchStatus.DRAFT, PitchStatus.SUBMITTED),
        )
        .select_related("pitched_by")
        .order_by("created_at")
    )


@dataclass(frozen=True)
class RoundCounts:
    sent: int
    peer_led: int
    drafts: int
    shortlisted: int


def counts_of(fund_round: FundRound) -> RoundCounts:
    row = Pitch.objects.filter(round=fund_round).aggregate(
        sent=Count("id", filter=Q(status__in=SENT)),
        peer_led=Count("id", filter=Q(status__in=SENT, peer_led=True)),
        drafts=Count("id", filter=Q(status=PitchStatus.DRAFT)),
        shortlisted=Count("id", filter=Q(status__in=ON_BALLOT)),
    )
    return RoundCounts(sent=row["sent"], peer_led=row["peer_led"], drafts=row["drafts"], shortlisted=row["shortlisted"])


def ballot(fund_round: FundRound) -> list[Pitch]:
    """The shortlisted pitches members vote on (and, after the award, what became of them)."""
    return list(
        Pitch.objects.filter(round=fund_round, status__in=ON_BALLOT)
        .select_related("pitched_by")
        .order_by("submitted_at", "created_at")
    )


# ---- votes --------------------------------------------------------------------------------------


def approvals_of(fund_round: FundRound, member: Member) -> set[uuid.UUID]:
    return set(ApprovalVote.objects.filter(round=fund_round, member=member).values_list("pitch_id", flat=True))


def approval_counts(fund_round: FundRound) -> dict[uuid.UUID, int]:
    rows = ApprovalVote.objects.filter(round=fund_round).values("pitch_id").annotate(n=Count("id"))
    return {row["pitch_id"]: row["n"] for row in rows}


def voters_of(fund_round: FundRound) -> list[Member]:
    """Every member who approved at least one pitch in the round."""
    return list(Member.objects.filter(approval_votes__round=fund_round).distinct().order_by("known_as", "id"))


def voter_count(fund_round: FundRound) -> int:
    return ApprovalVote.objects.filter(round=fund_round).values("member_id").distinct().count()


def candidates(fund_round: FundRound) -> list[Candidate]:
    """The shortlisted pitches with their approvals, as the award rule takes them."""
    counts = approval_counts(fund_round)
    return [
        Candidate(
            id=p.pk,
            title=p.title,
            approvals=counts.get(p.pk, 0),
            amount=p.amount,
            peer_led=p.peer_led,
            submitted_at=p.submitted_at,
        )
        for p in ballot(fund_round)
    ]


# ---- the public page ----------------------------------------------------------------------------


def funded_public(site: Site) -> QuerySet[Pitch]:
    """Funded pitches of rounds that have been awarded, newest round first."""
    return (
        Pitch.objects.filter(round__site=site, round__stage__in=PUBLIC_STAGES, status=PitchStatus.FUNDED)
        .select_related("round", "pitched_by", "offer")
        .order_by("-round__pitches_close_on", "round__name", "submitted_at", "created_at")
    )


@dataclass(frozen=True)
class PublicRoundTotals:
    round: FundRound
    budget: Decimal
    awarded: Decimal
    funded: int
    peer_led: int


def public_round_totals(site: Site) -> list[PublicRoundTotals]:
    rounds = (
        FundRound.objects.filter(site=site, stage__in=PUBLIC_STAGES)
        .annotate(
            awarded_total=Sum("pitches__award", filter=Q(pitches__status=PitchStatus.FUNDED)),
            funded_count=Count("pitches", filter=Q(pitches__status=PitchStatus.FUNDED)),
            peer_led_funded=Count("pitches", filter=Q(pitches__status=PitchStatus.FUNDED, pitches__peer_led=True)),
        )
        .order_by("-pitches_close_on", "name")
    )
    return [
        PublicRoundTotals(
            round=r,
            budget=r.budget,
            awarded=r.awarded_total or Decimal("0"),  # type: ignore[attr-defined]
            funded=r.funded_count,  # type: ignore[attr-defined]
            peer_led=r.peer_led_funded,  # type: ignore[attr-defined]
        )
        for r in rounds
    ]
