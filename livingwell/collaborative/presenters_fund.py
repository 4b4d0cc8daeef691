"""How the ideas fund's pages show rounds, pitches, the panel and the results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse

from livingwell.collaborative.awards import Outcome
from livingwell.collaborative.mix import share_text
from livingwell.collaborative.models import FundPanelist, FundRound, FundStage, Pitch, PitchStatus
from livingwell.collaborative.presenters import member_href, money, perspectives_text, public_name
from livingwell.collaborative.selectors_fund import PublicRoundTotals
from livingwell.community.models import Curation


def _day(value: Any) -> str:
    return f"{value.day} {value:%B %Y}"


def stage_text(fund_round: FundRound) -> str:
    """What is happening in the round now, in a sentence anyone understands."""
    stage = fund_round.stage
    if stage == FundStage.PITCHING:
        return (
            f"Any member can pitch an idea until {_day(fund_round.pitches_close_on)}. "
            "You can ask for help to write or present your pitch."
        )
    if stage == FundStage.PANEL:
        return (
            "A panel of members, including people with lived experience, reads every pitch and chooses a "
            "shortlist. Every pitcher gets a note from the panel."
        )
    if stage == FundStage.VOTING:
        return (
            f"Every member can vote until {_day(fund_round.voting_closes_on)}: tick every shortlisted idea "
            "you support. The numbers are shown when voting ends."
        )
    if stage == FundStage.AWARDED:
        return (
            "The votes are counted. The ideas with most approvals were funded in full, in order, "
            "while the budget lasted."
        )
    return "This round is closed."


PITCH_STATUS_TEXT = {
    PitchStatus.DRAFT: "Only you (and anyone helping you) can see it until you send it to the panel.",
    PitchStatus.SUBMITTED: "The panel will read it after pitches close.",
    PitchStatus.SHORTLISTED: "Members vote on it.",
    PitchStatus.NOT_SHORTLISTED: "The panel did not put it on the shortlist this time.",
    PitchStatus.FUNDED: "Funded.",
    PitchStatus.NOT_FUNDED: "Members voted, and the budget did not stretch to it this time.",
    PitchStatus.WITHDRAWN: "Withdrawn.",
}


def peer_led_text(peer_led: int, total: int) -> str:
    """ "2 of 5 (40%) are peer-led", or "No pitches yet"."""
    if total == 0:
        return "No pitches sent yet"
    return f"{share_text(peer_led, total)} are peer-led"


def round_row(fund_round: FundRound) -> dict[str, Any]:
    sent = getattr(fund_round, "sent_count", 0)
    peer = getattr(fund_round, "peer_led_count", 0)
    awarded = getattr(fund_round, "awarded_total", None)
    return {
        "name": fund_round.name,
        "href": reverse("collaborative:fund_round", args=[fund_round.pk]),
        "stage": fund_round.get_stage_display(),
        "stage_text": stage_text(fund_round),
        "budget": money(fund_round.budget),
        "largest": money(fund_round.largest_award),
        "pitches_close_on": fund_round.pitches_close_on,
        "voting_closes_on": fund_round.voting_closes_on,
        "sent": sent,
        "peer_led": peer_led_text(peer, sent),
        "awarded": money(awarded) if awarded is not None else "",
        "open": fund_round.stage in (FundStage.PITCHING, FundStage.PANEL, FundStage.VOTING),
    }


def panel_rows(panel: Sequence[FundPanelist]) -> list[dict[str, Any]]:
    return [
        {
            "name": seat.member.known_as,
            "href": member_href(seat.member),
            "perspectives": perspectives_text(seat.member),
            "lived_experience": seat.member.lived_experience,
            "chair": seat.is_chair,
        }
        for seat in panel
    ]


def pitch_row(pitch: Pitch) -> dict[str, Any]:
    return {
        "title": pitch.title,
        "href": reverse("collaborative:pitch", args=[pitch.pk]),
        "help_href": reverse("collaborative:pitch_help", args=[pitch.pk]),
        "status": pitch.get_status_display(),
        "status_key": pitch.status,
        "amount": money(pitch.amount),
        "award": money(pitch.award),
        "spent": money(pitch.spent),
        "peer_led": pitch.peer_led,
        "by": pitch.group_name or pitch.pitched_by.known_as,
        "pitcher": pitch.pitched_by.known_as,
        "wants_help": pitch.wants_help,
        "helper": pitch.helper.known_as if pitch.helper_id and pitch.helper else "",
    }


def offer_state(pitch: Pitch) -> dict[str, Any] | None:
    """Where the funded idea is in the community directory."""
    offer = pitch.offer
    if offer is None:
        return None
    texts = {
        Curation.PUBLISHED: "It is in the community directory.",
        Curation.SUGGESTED: "It is waiting for a Hub coordinator to check it before it appears in the directory.",
        Curation.DECLINED: "A Hub coordinator did not add it to the directory.",
        Curation.WITHDRAWN: "It has been taken out of the directory.",
    }
    return {
        "name": offer.name,
        "href": reverse("community:offer", args=[offer.pk]),
        "published": offer.curation == Curation.PUBLISHED,
        "can_resend": offer.curation in (Curation.DECLINED, Curation.WITHDRAWN),
        "text": texts.get(Curation(offer.curation), ""),
        "note": offer.curator_note if offer.curation == Curation.DECLINED else "",
    }


@dataclass(frozen=True)
class RankingRow:
    rank: int
    title: str
    href: str
    approvals: int
    amount: str
    peer_led: bool
    funded: bool
    reason: str
    tie_break: str
    left_after: str


def ranking_rows(outcomes: Sequence[Outcome]) -> list[RankingRow]:
    return [
        RankingRow(
            rank=o.rank,
            title=o.candidate.title,
            href=reverse("collaborative:pitch", args=[o.candidate.id]),
            approvals=o.candidate.approvals,
            amount=money(o.candidate.amount),
            peer_led=o.candidate.peer_led,
            funded=o.funded,
            reason=o.reason,
            tie_break=o.tie_break,
            left_after=money(o.left_after),
        )
        for o in outcomes
    ]


def public_pitch(pitch: Pitch) -> dict[str, Any]:
    offer = pitch.offer
    return {
        "title": pitch.title,
        "summary": pitch.summary,
        "amount": money(pitch.award if pitch.award is not None else pitch.amount),
        "peer_led": pitch.peer_led,
        "by": pitch.group_name or public_name(pitch.pitched_by),
        "report_back": pitch.report_back,
        "reported_on": pitch.reported_on,
        "spent": money(pitch.spent),
        "people_reached": pitch.people_reached,
        "offer_href": reverse("community:offer", args=[offer.pk])
        if offer is not None and offer.curation == Curation.PUBLISHED
        else "",
        "offer_name": offer.name if offer is not None else "",
    }


def public_round(totals: PublicRoundTotals, pitches: Sequence[Pitch]) -> dict[str, Any]:
    return {
        "name": totals.round.name,
        "about": totals.round.about,
        "budget": money(totals.budget),
        "awarded": money(totals.awarded),
        "funded": totals.funded,
        "peer_led": share_text(totals.peer_led, totals.funded),
        "pitches": [public_pitch(p) for p in pitches],
    }


def total_text(values: Sequence[Decimal]) -> str:
    return money(sum(values, Decimal("0")))
