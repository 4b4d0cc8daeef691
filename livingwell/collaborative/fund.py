"""The ideas fund: rounds with a budget, pitches (peer-led ones, and help to write one), a panel with
lived experience on it, approval voting by every member, awards by a published rule, report-back, and
publishing a funded idea into the community directory.

Seed 003: "There used to be a pot of money where people could pitch ideas to commissioners … the
voluntary sector organisations were very well equipped … There's not many peer-led applications." So:
anyone can ask for help to write or present a pitch and a steward finds them a helper; the panel must
have members with lived experience before the vote opens; every member votes, not commissioners; ties
go to peer-led pitches; and the share of peer-led pitches is shown at every stage.

Every write is audited in its transaction (`access.record`, area "collaborative"); refusals are
recorded before the transaction opens (`access.refuse`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from livingwell.audit.models import Action
from livingwell.collaborative import access
from livingwell.collaborative import selectors_fund as selectors
from livingwell.collaborative.awards import Outcome, award, pounds, total_funded
from livingwell.collaborative.mix import share_text
from livingwell.collaborative.models import (
    ApprovalVote,
    Decision,
    DecisionMethod,
    DecisionOption,
    DecisionParticipant,
    DecisionResult,
    DecisionStatus,
    FundPanelist,
    FundRound,
    FundStage,
    Member,
    ParticipantRole,
    Pitch,
    PitchStatus,
    Stance,
)
from livingwell.community import curation
from livingwell.community.models import Curation, Service
from livingwell.core.concurrency import save_if_unchanged
from livingwell.core.errors import DomainError
from livingwell.network.models import Site

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from livingwell.accounts.models import User

    Actor = User | AnonymousUser

ZERO = Decimal("0")
PITCH_LABELS = {
    "title": "Name of your idea",
    "summary": "Your idea",
    "who_benefits": "Who it is for and how it helps",
    "how_money_is_spent": "What the money pays for",
    "amount": "How much you are asking for",
    "peer_led": "Peer-led",
    "group_name": "Who is behind it",
    "wants_help": "Would like help",
    "help_note": "What help would be useful",
}
REPORT_LABELS = {
    "report_back": "What happened",
    "spent": "Money spent",
    "people_reached": "People reached",
    "reported_on": "Reported on",
}
# The order a round moves in; AWARDED is reached only through `awards_confirm`.
NEXT_STAGE = {
    FundStage.PITCHING: FundStage.PANEL,
    FundStage.PANEL: FundStage.VOTING,
    FundStage.VOTING: FundStage.AWARDED,
    FundStage.AWARDED: FundStage.CLOSED,
}


def day(value: dt.date) -> str:
    """'22 November 2026'."""
    return f"{value.day} {value:%B %Y}"


# ---- rounds -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundAnswers:
    name: str
    about: str
    budget: Decimal
    pitches_close_on: dt.date
    voting_closes_on: dt.date
    min_lived_experience_panel: int = 2
    largest_award: Decimal | None = None


def _check_round(answers: RoundAnswers) -> None:
    if not answers.name.strip():
        raise DomainError("name_missing", "Enter a name for the round", field="name")
    if not answers.about.strip():
        raise DomainError("about_missing", "Say what the round is for", field="about")
    if answers.budget <= ZERO:
        raise DomainError("budget_zero", "The budget must be more than £0", field="budget")
    if answers.largest_award is not None:
        if answers.largest_award <= ZERO:
            raise DomainError(
                "largest_zero", "The most a pitch may ask for must be more than £0", field="largest_award"
            )
        if answers.largest_award > answers.budget:
            raise DomainError(
                "largest_over_budget",
                f"The most a pitch may ask for cannot be more than the budget ({pounds(answers.budget)})",
                field="largest_award",
            )
    if answers.pitches_close_on < timezone.localdate():
        raise DomainError(
            "closes_past", "The date pitches close must be today or in the future", field="pitches_close_on"
        )
    if answers.voting_closes_on < answers.pitches_close_on:
        raise DomainError(
            "voting_before_pitches",
            "Voting must close on or after the date pitches close",
            field="voting_closes_on",
        )
    if answers.min_lived_experience_panel < 1:
        raise DomainError(
            "panel_minimum",
            "At least 1 panel member must have lived experience",
            field="min_lived_experience_panel",
        )


def fund_round_open(
    *, actor: Actor, site: Site, answers: RoundAnswers, request: HttpRequest | None = None
) -> FundRound:
    """A steward opens a round for pitches."""
    access.require_steward(actor, site, what="fund_round", request=request)
    _check_round(answers)
    if FundRound.objects.filter(site=site, name__iexact=answers.name.strip()).exists():
        raise DomainError("name_taken", "There is already a round with this name", field="name")
    with transaction.atomic():
        fund_round = FundRound.objects.create(
            site=site,
            name=answers.name.strip(),
            about=answers.about.strip(),
            budget=answers.budget,
            largest_award=answers.largest_award,
            pitches_close_on=answers.pitches_close_on,
            voting_closes_on=answers.voting_closes_on,
            min_lived_experience_panel=answers.min_lived_experience_panel,
        )
        access.record(
            actor=actor,
            action=Action.CREATE,
            what="fund_round",
            obj_id=fund_round.pk,
            extra={"budget": str(answers.budget)},
            request=request,
        )
    return fund_round


def lived_experience_on_panel(fund_round: FundRound) -> int:
    """Panel members who are current members with lived experience."""
    return FundPanelist.objects.filter(
        round=fund_round, member__lived_experience=True, member__left_on__isnull=True
    ).count()


def stage_problems(fund_round: FundRound, to: FundStage) -> list[str]:
    """Why the round cannot move to `to` now (empty when it can)."""
    stage = FundStage(fund_round.stage)
    if to == FundStage.AWARDED:
        return ["Awards are made from the awards page, which shows what the rule funds before you confirm"]
    if NEXT_STAGE.get(stage) != to:
        return [f"A round that is {stage.label.lower()} cannot move to {to.label.lower()}"]
    problems: list[str] = []
    if to == FundStage.VOTING:
        lived = lived_experience_on_panel(fund_round)
        needed = fund_round.min_lived_experience_panel
        if lived < needed:
            problems.append(
                f"The panel needs at least {needed} members with lived experience before members vote: it has {lived}"
            )
        counts = selectors.counts_of(fund_round)
        if counts.shortlisted == 0:
            problems.append("Shortlist at least one pitch before members vote")
        waiting = Pitch.objects.filter(round=fund_round, status=PitchStatus.SUBMITTED).count()
        if waiting:
            problems.append(
                f"The panel has not decided on {waiting} pitch{'es' if waiting != 1 else ''} yet: "
                "each pitcher hears back before the vote"
            )
    return problems


def fund_round_stage(
    *, actor: Actor, fund_round: FundRound, to: FundStage, request: HttpRequest | None = None
) -> FundRound:
    """A steward moves the round on: pitching → with the panel → voting; awarded → closed."""
    access.require_steward(actor, fund_round.site, what="fund_round_stage", request=request)
    with transaction.atomic():
        locked = FundRound.objects.select_for_update().get(pk=fund_round.pk)
        problems = stage_problems(locked, to)
        if problems:
            raise DomainError("stage_not_ready", problems[0], field="stage")
        before = locked.stage
        locked.stage = to
        locked.version += 1
        locked.save(update_fields=["stage", "version", "updated_at"])
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="fund_round_stage",
            obj_id=locked.pk,
            extra={"from": before, "to": str(to)},
            request=request,
        )
    return locked


def panel_change(
    *,
    actor: Actor,
    fund_round: FundRound,
    members: Iterable[Member],
    chair: Member | None,
    request: HttpRequest | None = None,
) -> list[FundPanelist]:
    """A steward sets the round's panel to `members`, with `chair` (one of them) chairing it."""
    access.require_steward(actor, fund_round.site, what="fund_panel", request=request)
    chosen = {m.pk: m for m in members}
    if fund_round.stage in (FundStage.AWARDED, FundStage.CLOSED):
        raise DomainError("panel_closed", "The panel cannot change after the awards", field="members")
    if any(m.site_id != fund_round.site_id or not m.is_current for m in chosen.values()):
        raise DomainError("panel_not_member", "Choose current members of the Collaborative", field="members")
    if chair is not None and chair.pk not in chosen:
        raise DomainError("chair_not_on_panel", "Choose a chair from the panel", field="chair")
    with transaction.atomic():
        FundRound.objects.select_for_update().get(pk=fund_round.pk)
        seats = {s.member_id: s for s in FundPanelist.objects.filter(round=fund_round)}
        removed = [member_id for member_id in seats if member_id not in chosen]
        FundPanelist.objects.filter(round=fund_round, member_id__in=removed).delete()
        added = [member_id for member_id in chosen if member_id not in seats]
        FundPanelist.objects.bulk_create([FundPanelist(round=fund_round, member=chosen[m]) for m in added])
        FundPanelist.objects.filter(round=fund_round).update(is_chair=False)
        if chair is not None:
            FundPanelist.objects.filter(round=fund_round, member=chair).update(is_chair=True)
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="fund_panel",
            obj_id=fund_round.pk,
            extra={
                "added": [str(m) for m in added],
                "removed": [str(m) for m in removed],
                "chair": str(chair.pk) if chair else "",
            },
            request=request,
        )
    return selectors.panel_of(fund_round)


# ---- pitches ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PitchAnswers:
    title: str
    summary: str
    who_benefits: str
    how_money_is_spent: str
    amount: Decimal
    peer_led: bool = False
    group_name: str = ""
    wants_help: bool = False
    help_note: str = ""

    def values(self) -> dict[str, object]:
        return {
            "title": self.title.strip(),
            "summary": self.summary.strip(),
            "who_benefits": self.who_benefits.strip(),
            "how_money_is_spent": self.how_money_is_spent.strip(),
            "amount": self.amount,
            "peer_led": self.peer_led,
            "group_name": self.group_name.strip(),
            "wants_help": self.wants_help,
            "help_note": self.help_note.strip() if self.wants_help else "",
        }


def _check_pitch(answers: PitchAnswers, fund_round: FundRound) -> None:
    for name, message in (
        ("title", "Enter the name of your idea"),
        ("summary", "Say what your idea is"),
        ("who_benefits", "Say who it is for and how it helps"),
        ("how_money_is_spent", "Say what the money pays for"),
    ):
        if not str(getattr(answers, name)).strip():
            raise DomainError(f"{name}_missing", message, field=name)
    if answers.amount <= ZERO:
        raise DomainError("amount_zero", "The amount must be more than £0", field="amount")
    most = fund_round.largest_award if fund_round.largest_award is not None else fund_round.budget
    if answers.amount > most:
        raise DomainError(
            "amount_too_much",
            f"The most a pitch may ask for in this round is {pounds(most)}",
            field="amount",
        )


def _require_pitching(fund_round: FundRound) -> None:
    if fund_round.stage != FundStage.PITCHING:
        raise DomainError("not_pitching", "This round is not taking pitches now")
    if timezone.localdate() > fund_round.pitches_close_on:
        raise DomainError("pitches_closed", f"Pitches for this round closed on {day(fund_round.pitches_close_on)}")


def pitch_draft(
    *, actor: Actor, fund_round: FundRound, answers: PitchAnswers, request: HttpRequest | None = None
) -> Pitch:
    """A member starts a pitch. It stays a draft, seen only by them, until they send it to the panel."""
    member = access.require_member(actor, fund_round.site, what="pitch", request=request, action=Action.CREATE)
    _require_pitching(fund_round)
    _check_pitch(answers, fund_round)
    with transaction.atomic():
        pitch = Pitch.objects.create(round=fund_round, pitched_by=member, updated_by=member, **answers.values())  # type: ignore[arg-type]
        access.record(
            actor=actor,
            action=Action.CREATE,
            what="pitch",
            obj_id=pitch.pk,
            extra={"round": str(fund_round.pk), "peer_led": pitch.peer_led, "wants_help": pitch.wants_help},
            request=request,
        )
    return pitch


def _pitch_author(actor: Actor, pitch: Pitch, *, what: str, request: HttpRequest | None) -> Member:
    """The pitcher or their helper, or a recorded refusal."""
    member = access.require_member(actor, pitch.round.site, what=what, request=request, action=Action.CHANGE)
    if member.pk not in (pitch.pitched_by_id, pitch.helper_id):
        raise access.refuse(
            actor=actor,
            action=Action.CHANGE,
            what=what,
            obj_id=pitch.pk,
            reason="Not the pitcher or their helper",
            request=request,
            message="Only the member who made this pitch, or the member helping them, can do this.",
        )
    return member


def pitch_change(
    *,
    actor: Actor,
    pitch: Pitch,
    answers: PitchAnswers,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Pitch:
    """The pitcher (or their helper) changes the pitch while the round takes pitches. Raises
    EditConflict, saving nothing, when the other saved after `expected_version`."""
    member = _pitch_author(actor, pitch, what="pitch", request=request)
    _require_pitching(pitch.round)
    if pitch.status not in (PitchStatus.DRAFT, PitchStatus.SUBMITTED):
        raise DomainError("pitch_locked", "This pitch can no longer be changed")
    _check_pitch(answers, pitch.round)
    values = answers.values()
    changed = [name for name, value in values.items() if getattr(pitch, name) != value]
    with transaction.atomic():
        save_if_unchanged(
            pitch,
            expected_version=expected_version,
            values={**values, "updated_by": member},
            what="this pitch",
            labels=PITCH_LABELS,
        )
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="pitch",
            obj_id=pitch.pk,
            extra={"fields": changed, "version": pitch.version},
            request=request,
        )
    return pitch


def pitch_submit(*, actor: Actor, pitch: Pitch, request: HttpRequest | None = None) -> Pitch:
    """The pitcher sends their draft to the panel."""
    member = access.require_member(actor, pitch.round.site, what="pitch_submit", request=request, action=Action.CHANGE)
    if member.pk != pitch.pitched_by_id:
        raise access.refuse(
            actor=actor,
            action=Action.CHANGE,
            what="pitch_submit",
            obj_id=pitch.pk,
            reason="Not the pitcher",
            request=request,
            message="Only the member who made this pitch can send it to the panel.",
        )
    _require_pitching(pitch.round)
    with transaction.atomic():
        locked = Pitch.objects.select_for_update().get(pk=pitch.pk)
        if locked.status != PitchStatus.DRAFT:
            raise DomainError("pitch_sent", "This pitch has already been sent to the panel")
        locked.status = PitchStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.updated_by = member
        locked.save(update_fields=["status", "submitted_at", "updated_by", "updated_at"])
        access.record(actor=actor, action=Action.CHANGE, what="pitch_submit", obj_id=locked.pk, request=request)
    return locked


def pitch_helper_assign(*, actor: Actor, pitch: Pitch, helper: Member, request: HttpRequest | None = None) -> Pitch:
    """A steward asks a member to help the pitcher write or present their pitch. The helper may then
    change the pitch too."""
    access.require_steward(actor, pitch.round.site, what="pitch_help", request=request)
    if not pitch.wants_help:
        raise DomainError("help_not_asked", "The pitcher has not asked for help", field="helper")
    if pitch.status not in (PitchStatus.DRAFT, PitchStatus.SUBMITTED) or pitch.round.stage != FundStage.PITCHING:
        raise DomainError("help_too_late", "Help can only be arranged while the round takes pitches", field="helper")
    if helper.site_id != pitch.round.site_id or not helper.is_current:
        raise DomainError("helper_not_member", "Choose a current member of the Collaborative", field="helper")
    if helper.pk == pitch.pitched_by_id:
        raise DomainError("helper_is_pitcher", "Choose someone other than the pitcher", field="helper")
    with transaction.atomic():
        Pitch.objects.filter(pk=pitch.pk).update(helper=helper, updated_at=timezone.now())
        pitch.helper = helper
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="pitch_help",
            obj_id=pitch.pk,
            extra={"helper": str(helper.pk)},
            request=request,
        )
    return pitch


def can_shortlist(member: Member | None, steward: bool, pitch: Pitch, panellist: bool) -> bool:
    """Panel members and stewards decide on pitches, but never on their own or one they helped with."""
    if not (steward or panellist):
        return False
    return member is None or member.pk not in (pitch.pitched_by_id, pitch.helper_id)


def pitch_shortlist(
    *, actor: Actor, pitch: Pitch, shortlist: bool, note: str, request: HttpRequest | None = None
) -> Pitch:
    """The panel puts a pitch on the shortlist or not, with a note to the pitcher (needed when not)."""
    site = pitch.round.site
    member = access.member_of(actor, site)
    panellist = member is not None and FundPanelist.objects.filter(round=pitch.round, member=member).exists()
    if not can_shortlist(member, access.is_steward(actor, site), pitch, panellist):
        raise access.refuse(
            actor=actor,
            action=Action.CHANGE,
            what="pitch_shortlist",
            obj_id=pitch.pk,
            reason="Not on the panel, or their own pitch",
            request=request,
            message="Only members of the round's panel and the stewards decide on pitches, and never on their own.",
        )
    if pitch.round.stage != FundStage.PANEL:
        raise DomainError("not_panel", "The panel decides on pitches only while the round is with the panel")
    if pitch.status not in (PitchStatus.SUBMITTED, PitchStatus.SHORTLISTED, PitchStatus.NOT_SHORTLISTED):
        raise DomainError("pitch_not_sent", "Only pitches sent to the panel can be shortlisted")
    text = note.strip()
    if not shortlist and not text:
        raise DomainError(
            "note_missing",
            "Write a note to the pitcher saying why it is not on the shortlist",
            field="note",
        )
    status = PitchStatus.SHORTLISTED if shortlist else PitchStatus.NOT_SHORTLISTED
    with transaction.atomic():
        Pitch.objects.filter(pk=pitch.pk).update(status=status, panel_note=text, updated_at=timezone.now())
        pitch.status, pitch.panel_note = status, text
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="pitch_shortlist",
            obj_id=pitch.pk,
            extra={"shortlisted": shortlist},
            request=request,
        )
    return pitch


# ---- voting -------------------------------------------------------------------------------------


def voting_open(fund_round: FundRound) -> bool:
    return fund_round.stage == FundStage.VOTING and timezone.localdate() <= fund_round.voting_closes_on


def votes_save(
    *, actor: Actor, fund_round: FundRound, pitch_ids: Iterable[object], request: HttpRequest | None = None
) -> int:
    """A member approves every shortlisted pitch they support; saving again replaces their approvals.
    Returns how many they approved."""
    member = access.require_member(actor, fund_round.site, what="fund_vote", request=request, action=Action.CHANGE)
    if not voting_open(fund_round):
        raise DomainError("voting_closed", "Voting is not open for this round")
    ballot = {str(p.pk): p for p in selectors.ballot(fund_round) if p.status == PitchStatus.SHORTLISTED}
    wanted = {str(p) for p in pitch_ids}
    if wanted - ballot.keys():
        raise DomainError("not_on_ballot", "Choose from the shortlisted pitches", field="pitches")
    with transaction.atomic():
        # Locked so that a vote and the awards never cross: the awards count what is saved.
        if not voting_open(FundRound.objects.select_for_update().get(pk=fund_round.pk)):
            raise DomainError("voting_closed", "Voting is not open for this round")
        ApprovalVote.objects.filter(round=fund_round, member=member).delete()
        ApprovalVote.objects.bulk_create(
            [ApprovalVote(round=fund_round, pitch=ballot[p], member=member) for p in sorted(wanted)]
        )
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="fund_vote",
            obj_id=fund_round.pk,
            extra={"approved": len(wanted)},
            request=request,
        )
    return len(wanted)


# ---- awards -------------------------------------------------------------------------------------


def can_award(actor: Actor, fund_round: FundRound, member: Member | None) -> bool:
    """Stewards and the chair of the round's panel confirm the awards."""
    if access.is_steward(actor, fund_round.site):
        return True
    return member is not None and FundPanelist.objects.filter(round=fund_round, member=member, is_chair=True).exists()


def _proposal(fund_round: FundRound, outcomes: list[Outcome], peer_led: dict[object, bool]) -> str:
    lines = [
        f"Award the ideas fund round {fund_round.name} ({pounds(fund_round.budget)}) by approval voting. "
        "The shortlisted pitches were:"
    ]
    for o in sorted(outcomes, key=lambda o: o.candidate.title):
        tag = ", peer-led" if peer_led.get(o.candidate.id) else ""
        lines.append(f"- {o.candidate.title} ({pounds(o.candidate.amount)}{tag})")
    return "\n".join(lines)


def _why(fund_round: FundRound, outcomes: list[Outcome], voters: int, total: Decimal) -> str:
    lines = [
        f"{voters} member{'s' if voters != 1 else ''} voted, each approving as many shortlisted pitches as they "
        "supported. The pitches were ranked by approvals (ties: peer-led first, then the smaller amount, then "
        "the earlier pitch). Going down the ranking, each pitch was funded in full if it fitted in what was "
        "left of the budget; a pitch that did not fit was skipped and the next one considered.",
        "",
    ]
    for o in outcomes:
        approvals = f"{o.candidate.approvals} approval{'s' if o.candidate.approvals != 1 else ''}"
        lines.append(f"{o.rank}. {o.candidate.title}: {approvals}. {o.reason}.")
    lines += ["", f"Awarded {pounds(total)} of {pounds(fund_round.budget)}."]
    return "\n".join(lines)


def awards_confirm(
    *, actor: Actor, fund_round: FundRound, early: bool = False, request: HttpRequest | None = None
) -> Decision:
    """Confirm what the award rule funds: pitches become funded or not, the round is awarded, and the
    decision is recorded in the whole Collaborative with who took part (panel and voters)."""
    member = access.member_of(actor, fund_round.site)
    if not can_award(actor, fund_round, member):
        raise access.refuse(
            actor=actor,
            action=Action.CHANGE,
            what="fund_awards",
            obj_id=fund_round.pk,
            reason="Not a steward or the panel's chair",
            request=request,
            message="Only the stewards and the chair of the round's panel can confirm the awards.",
        )
    whole = access.whole_collaborative(fund_round.site)
    if whole is None:
        raise DomainError("no_collaborative", "The Collaborative has no group to record the decision in")
    today = timezone.localdate()
    with transaction.atomic():
        locked = FundRound.objects.select_for_update().get(pk=fund_round.pk)
        if locked.stage != FundStage.VOTING:
            raise DomainError("not_voting", "Awards are made once members have voted")
        if today <= locked.voting_closes_on and not early:
            raise DomainError(
                "voting_still_open",
                f"Voting is open until {day(locked.voting_closes_on)}: "
                "tick the box to award now and close voting early",
                field="early",
            )
        pitches = {p.pk: p for p in selectors.ballot(locked)}
        outcomes = award(selectors.candidates(locked), locked.budget)
        total = total_funded(outcomes)
        funded = [o.candidate.id for o in outcomes if o.funded]
        for pitch_id in funded:
            Pitch.objects.filter(pk=pitch_id).update(
                status=PitchStatus.FUNDED, award=pitches[pitch_id].amount, updated_at=timezone.now()
            )
        Pitch.objects.filter(round=locked, status=PitchStatus.SHORTLISTED).exclude(pk__in=funded).update(
            status=PitchStatus.NOT_FUNDED, award=None, updated_at=timezone.now()
        )
        panel = selectors.panel_of(locked)
        voters = selectors.voters_of(locked)
        people: dict[object, tuple[Member, ParticipantRole, str]] = {}
        voted = {v.pk for v in voters}
        for seat in panel:
            people[seat.member_id] = (
                seat.member,
                ParticipantRole.FACILITATOR,
                Stance.VOTE if seat.member_id in voted else "",
            )
        for voter in voters:
            people.setdefault(voter.pk, (voter, ParticipantRole.PARTICIPANT, Stance.VOTE))
        lived = sum(1 for m, _, _ in people.values() if m.lived_experience)
        decision = Decision.objects.create(
            group=whole,
            title=f"Ideas fund: {locked.name} awards"[:200],
            proposal=_proposal(locked, outcomes, {p.pk: p.peer_led for p in pitches.values()})[:5000],
            method=DecisionMethod.VOTE,
            status=DecisionStatus.DECIDED,
            result=DecisionResult.AGREED,
            why=_why(locked, outcomes, len(voters), total)[:5000],
            money=total,
            money_note="the ideas fund",
            decided_on=today,
            is_public=True,
            participant_count=len(people),
            lived_experience_count=lived,
            recorded_by=member,
            updated_by=member,
        )
        DecisionOption.objects.bulk_create(
            [
                DecisionOption(
                    decision=decision,
                    text=f"{o.candidate.title} ({pounds(o.candidate.amount)})"[:300],
                    position=o.rank,
                )
                for o in outcomes
            ]
        )
        DecisionParticipant.objects.bulk_create(
            [
                DecisionParticipant(decision=decision, member=m, role=role, stance=stance)
                for m, role, stance in people.values()
            ]
        )
        locked.stage = FundStage.AWARDED
        locked.decision = decision
        locked.version += 1
        locked.save(update_fields=["stage", "decision", "version", "updated_at"])
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="fund_awards",
            obj_id=locked.pk,
            extra={
                "decision": str(decision.pk),
                "funded": len(funded),
                "awarded": str(total),
                "voters": len(voters),
                "lived_experience": share_text(lived, len(people)),
                "early": bool(early and today <= locked.voting_closes_on),
            },
            request=request,
        )
    return decision


# ---- after the award ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportAnswers:
    report_back: str
    spent: Decimal | None
    people_reached: int | None
    reported_on: dt.date


def pitch_report(
    *,
    actor: Actor,
    pitch: Pitch,
    answers: ReportAnswers,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Pitch:
    """The pitcher or their helper reports back on a funded idea: what happened, what was spent and how
    many people it reached."""
    member = _pitch_author(actor, pitch, what="pitch_report", request=request)
    if pitch.status != PitchStatus.FUNDED:
        raise DomainError("not_funded", "Only funded ideas report back")
    if not answers.report_back.strip():
        raise DomainError("report_missing", "Say what happened", field="report_back")
    if answers.spent is not None and answers.spent < ZERO:
        raise DomainError("spent_negative", "The money spent cannot be less than £0", field="spent")
    if answers.reported_on > timezone.localdate():
        raise DomainError("reported_future", "The date must be today or in the past", field="reported_on")
    values = {
        "report_back": answers.report_back.strip(),
        "spent": answers.spent,
        "people_reached": answers.people_reached,
        "reported_on": answers.reported_on,
    }
    with transaction.atomic():
        save_if_unchanged(
            pitch,
            expected_version=expected_version,
            values={**values, "updated_by": member},
            what="the report",
            labels=REPORT_LABELS,
        )
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="pitch_report",
            obj_id=pitch.pk,
            extra={"version": pitch.version},
            request=request,
        )
    return pitch


def can_publish(actor: Actor, pitch: Pitch, member: Member | None) -> bool:
    if member is not None and member.pk in (pitch.pitched_by_id, pitch.helper_id):
        return True
    return access.is_steward(actor, pitch.round.site)


def pitch_publish(
    *, actor: Actor, pitch: Pitch, answers: curation.OfferAnswers, request: HttpRequest | None = None
) -> Service:
    """Put a funded idea into the community directory: straight in when the actor curates the
    directory, else as a suggestion that a Hub coordinator reviews."""
    site = pitch.round.site
    member = access.member_of(actor, site)
    if not can_publish(actor, pitch, member):
        raise access.refuse(
            actor=actor,
            action=Action.CHANGE,
            what="pitch_publish",
            obj_id=pitch.pk,
            reason="Not the pitcher, their helper or a steward",
            request=request,
            message="Only the member who made this pitch, the member helping them, or a steward can do this.",
        )
    if pitch.status != PitchStatus.FUNDED:
        raise DomainError("not_funded", "Only funded ideas can be put in the directory")
    if pitch.offer is not None and pitch.offer.curation in (Curation.PUBLISHED, Curation.SUGGESTED):
        raise DomainError("already_published", "This idea is already in the directory, or waiting for a curator")
    curation.check_answers(answers)
    published = curation.can_curate(actor, site)
    with transaction.atomic():
        if published:
            service = curation.offer_add(actor=actor, site=site, answers=answers, request=request)
        else:
            service = curation.offer_suggest(actor=actor, site=site, answers=answers, request=request)
        Pitch.objects.filter(pk=pitch.pk).update(offer=service, updated_at=timezone.now())
        pitch.offer = service
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="pitch_publish",
            obj_id=pitch.pk,
            extra={"offer": service.pk, "published": published},
            request=request,
        )
    return service
