"""Decisions with their power made visible: a group's runners propose a decision, its members say
where they stand (or a runner records what people said in the room), and a runner records the result
and why. Everything that shaped the decision stays on it: who took part and in what role, their
stance and reasons, the method, the money, and the share of people with lived experience, counted
when the decision is made so the public log stays true when members change later.

The three methods, in plain English (the pages use the same words):
- consent: it goes ahead unless someone has a reasoned objection. People consent, stand aside, or
  object and say why; a decision cannot be agreed until the objections still standing are addressed.
- consensus: everyone agrees. People agree, stand aside, or block and say why; a decision cannot be
  agreed while anyone blocks.
- vote: most votes. People vote for one option or abstain; the option with most votes is chosen,
  and choosing another needs a reason.

Every write is audited with `area="collaborative"` in the same transaction; refusals are recorded
before the transaction opens.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from livingwell.audit.models import Action
from livingwell.collaborative import access
from livingwell.collaborative.mix import mix_of
from livingwell.collaborative.models import (
    Decision,
    DecisionMethod,
    DecisionOption,
    DecisionParticipant,
    DecisionResult,
    DecisionStatus,
    Group,
    GroupKind,
    Member,
    ParticipantRole,
    Session,
    Stance,
)
from livingwell.core.concurrency import save_if_unchanged
from livingwell.core.errors import DomainError

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from livingwell.accounts.models import User

MAX_OPTIONS = 6

# Where someone may stand, for each method (the order the pages offer them in).
STANCES: dict[str, tuple[Stance, ...]] = {
    DecisionMethod.CONSENT: (Stance.CONSENT, Stance.STAND_ASIDE, Stance.OBJECT),
    DecisionMethod.CONSENSUS: (Stance.AGREE, Stance.STAND_ASIDE, Stance.BLOCK),
    DecisionMethod.VOTE: (Stance.VOTE, Stance.ABSTAIN),
}
# Stances that need a reason, and stop a decision being agreed until they are dealt with.
STANDING_AGAINST = frozenset({Stance.OBJECT, Stance.BLOCK})
AGREED_RESULTS = frozenset({DecisionResult.AGREED, DecisionResult.AGREED_WITH_CHANGES})

RECORD_LABELS = {
    "result": "The result",
    "chosen_option": "The option chosen",
    "why": "Why",
    "objections_addressed": "How objections were addressed",
    "money": "Money involved (£)",
    "money_note": "Where the money comes from",
    "decided_on": "Decided on",
}


# ---- who may take part ---------------------------------------------------------------------------


def may_say(member: Member | None, decision: Decision) -> bool:
    """Whether `member` may say where they stand: members of the decision's group (every current member
    for a decision of the whole Collaborative), while the decision is open."""
    if member is None or not member.is_current or decision.status != DecisionStatus.OPEN:
        return False
    if member.site_id != decision.group.site_id:
        return False
    return decision.group.kind == GroupKind.COLLABORATIVE or access.in_group(member, decision.group)


def may_read(user: User | AnonymousUser, member: Member | None, decision: Decision) -> bool:
    """Members read the decisions of their groups and of the whole Collaborative, and any public one;
    a decision kept out of the public log only by its group's members and the stewards."""
    group = decision.group
    if access.is_steward(user, group.site):
        return True
    if member is None or member.site_id != group.site_id:
        return False
    if decision.is_public or group.kind == GroupKind.COLLABORATIVE:
        return True
    return access.in_group(member, group)


# ---- proposing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    title: str
    proposal: str
    method: str
    options: tuple[str, ...] = ()
    money: Decimal | None = None
    money_note: str = ""
    session: Session | None = None
    is_public: bool = True
    not_public_why: str = ""


def _tidy(text: str) -> str:
    return " ".join(text.split())


def _check_money(money: Decimal | None) -> None:
    if money is not None and money < 0:
        raise DomainError("money_negative", "Money involved must be £0 or more", field="money")


def check_proposal(group: Group, proposal: Proposal) -> tuple[str, ...]:
    """The rules a proposal must meet; returns its options, tidied."""
    if not _tidy(proposal.title):
        raise DomainError("title_missing", "Enter what is being decided", field="title")
    if not proposal.proposal.strip():
        raise DomainError("proposal_missing", "Enter the proposal", field="proposal")
    if proposal.method not in STANCES:
        raise DomainError("method_missing", "Choose how the decision will be made", field="method")
    options = tuple(_tidy(o) for o in proposal.options if _tidy(o))
    if len(options) > MAX_OPTIONS:
        raise DomainError("too_many_options", f"Give up to {MAX_OPTIONS} options", field="option_1")
    if proposal.method == DecisionMethod.VOTE:
        if len(options) < 2:
            raise DomainError("options_missing", "Give at least 2 options to vote on", field="option_1")
        if len({o.casefold() for o in options}) != len(options):
            raise DomainError("options_repeated", "Each option must be different", field="option_1")
    elif options:
        raise DomainError(
            "options_not_for_vote",
            "Options are only for a vote: choose vote, or put the options in the proposal",
            field="option_1",
        )
    _check_money(proposal.money)
    if proposal.session is not None and proposal.session.group_id != group.pk:
        raise DomainError("session_other_group", "Choose one of the group's sessions", field="session")
    if not proposal.is_public and not _tidy(proposal.not_public_why):
        raise DomainError(
            "not_public_why_missing",
            "Say why the decision is kept out of the public decisions log",
            field="not_public_why",
        )
    return options


def decision_propose(*, actor: User, group: Group, proposal: Proposal, request: HttpRequest | None = None) -> Decision:
    """A runner of `group` puts a decision to it; they are recorded as its proposer."""
    proposer = access.require_run(actor, group, what="decision", request=request)
    if group.ended_on is not None:
        raise DomainError("group_ended", f"{group.name} has ended, so it cannot make new decisions")
    options = check_proposal(group, proposal)
    with transaction.atomic():
        decision = Decision.objects.create(
            group=group,
            session=proposal.session,
            title=_tidy(proposal.title),
            proposal=proposal.proposal.strip(),
            method=proposal.method,
            money=proposal.money,
            money_note=_tidy(proposal.money_note),
            is_public=proposal.is_public,
            not_public_why="" if proposal.is_public else _tidy(proposal.not_public_why),
            proposed_by=proposer,
            updated_by=proposer,
        )
        DecisionOption.objects.bulk_create(
            [DecisionOption(decision=decision, text=text, position=n) for n, text in enumerate(options, start=1)]
        )
        if proposer is not None:
            DecisionParticipant.objects.create(decision=decision, member=proposer, role=ParticipantRole.PROPOSER)
        access.record(
            actor=actor,
            action=Action.CREATE,
            what="decision",
            obj_id=decision.pk,
            extra={"group": str(group.pk), "method": decision.method, "options": len(options)},
            request=request,
        )
    return decision


# ---- saying where you stand ------------------------------------------------------------------------


def check_stance(decision: Decision, stance: str, option: DecisionOption | None, comment: str) -> None:
    """A stance must fit the decision's method; an objection or a block needs a reason, a vote an option."""
    allowed = STANCES[decision.method]
    if stance not in allowed:
        words = ", ".join(str(s.label).lower() for s in allowed)
        raise DomainError("stance_not_for_method", f"Choose where you stand: {words}", field="stance")
    if stance in STANDING_AGAINST and not comment.strip():
        what = "object" if stance == Stance.OBJECT else "block"
        raise DomainError("reason_missing", f"Say why you {what}, so the group can address it", field="comment")
    if stance == Stance.VOTE and (option is None or option.decision_id != decision.pk):
        raise DomainError("option_missing", "Choose the option you vote for, or abstain", field="stance")


def _open(decision: Decision) -> Decision:
    """The decision, locked for this transaction, if it is still open for views."""
    locked = Decision.objects.select_for_update().select_related("group").get(pk=decision.pk)
    if locked.status != DecisionStatus.OPEN:
        raise DomainError("decision_closed", f"This decision is {locked.get_status_display().lower()}: it is closed")
    return locked


def decision_say(
    *,
    actor: User,
    decision: Decision,
    stance: str,
    option: DecisionOption | None = None,
    comment: str = "",
    request: HttpRequest | None = None,
) -> DecisionParticipant:
    """A member of the group says where they stand; changing their mind updates their say (their role stays)."""
    site = decision.group.site
    member = access.require_member(actor, site, what="decision_say", request=request, action=Action.CHANGE)
    if not may_say(member, decision) and decision.status == DecisionStatus.OPEN:
        raise access.refuse(
            actor=actor,
            action=Action.CHANGE,
            what="decision_say",
            obj_id=decision.pk,
            reason="Not a member of the decision's group",
            request=request,
            message=f"Only members of {decision.group.name} can say where they stand on its decisions.",
        )
    check_stance(decision, stance, option, comment)
    with transaction.atomic():
        _open(decision)
        say, _ = DecisionParticipant.objects.get_or_create(
            decision=decision, member=member, defaults={"role": ParticipantRole.PARTICIPANT}
        )
        changed = bool(say.stance)
        say.stance = stance
        say.option = option if stance == Stance.VOTE else None
        say.comment = comment.strip()
        say.save(update_fields=["stance", "option", "comment", "updated_at"])
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="decision_say",
            obj_id=decision.pk,
            extra={"stance": stance, "changed": changed},
            request=request,
        )
    return say


def participant_add(
    *,
    actor: User,
    decision: Decision,
    member: Member,
    role: str,
    stance: str = "",
    option: DecisionOption | None = None,
    comment: str = "",
    request: HttpRequest | None = None,
) -> DecisionParticipant:
    """A runner records a member who took part in the meeting, and where they stood if it was said in the room.

    A stance the member gave themselves is theirs to change: the runner may add a role, not overwrite it.
    """
    access.require_run(actor, decision.group, what="decision_participants", request=request)
    if member.site_id != decision.group.site_id or not member.is_current:
        raise DomainError("not_a_member", "Choose a current member of the Collaborative", field="member")
    if role not in (ParticipantRole.FACILITATOR, ParticipantRole.PARTICIPANT):
        raise DomainError("role_missing", "Choose the part they played", field="role")
    if stance:
        check_stance(decision, stance, option, comment)
    with transaction.atomic():
        _open(decision)
        existing = DecisionParticipant.objects.select_for_update().filter(decision=decision, member=member).first()
        if existing is not None and existing.stance and stance:
            raise DomainError(
                "stance_is_theirs",
                f"{member.known_as} has already said where they stand. Only they can change it",
                field="stance",
            )
        row = existing or DecisionParticipant(decision=decision, member=member)
        if row.role != ParticipantRole.PROPOSER:
            row.role = role
        if stance:
            row.stance = stance
            row.option = option if stance == Stance.VOTE else None
            row.comment = comment.strip()
        row.save()
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="decision_participant",
            obj_id=decision.pk,
            extra={"member": str(member.pk), "role": row.role, "stance": row.stance, "added": existing is None},
            request=request,
        )
    return row


def participant_remove(*, actor: User, decision: Decision, member: Member, request: HttpRequest | None = None) -> None:
    """A runner takes off someone recorded by mistake. The proposer stays, and an objection or a block is
    only ever taken back by the person who made it, so no one can be silenced by a runner."""
    access.require_run(actor, decision.group, what="decision_participants", request=request)
    with transaction.atomic():
        _open(decision)
        row = DecisionParticipant.objects.select_for_update().filter(decision=decision, member=member).first()
        if row is None:
            raise DomainError("not_taking_part", f"{member.known_as} is not recorded as taking part")
        if row.role == ParticipantRole.PROPOSER:
            raise DomainError("proposer_stays", "The person who proposed it stays on the decision")
        if row.stance in STANDING_AGAINST:
            raise DomainError(
                "objection_stays",
                f"{member.known_as} {'objects' if row.stance == Stance.OBJECT else 'blocks'}. "
                "Only they can take that back, by changing where they stand",
            )
        row.delete()
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="decision_participant",
            obj_id=decision.pk,
            extra={"member": str(member.pk), "removed": True, "stance": row.stance},
            request=request,
        )


# ---- the tally and the result ---------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """Where people stand: counts by stance, votes by option, and who still stands against it."""

    stances: dict[str, int]
    votes: dict[uuid.UUID, int]  # option id → votes
    not_said: int
    standing_against: tuple[DecisionParticipant, ...]

    def most_votes(self) -> list[uuid.UUID]:
        """The option ids with most votes (several if tied; none if no one voted)."""
        top = max(self.votes.values(), default=0)
        if top == 0:
            return []
        return [option_id for option_id, count in self.votes.items() if count == top]


def tally_of(
    decision: Decision, participants: Sequence[DecisionParticipant], options: Sequence[DecisionOption]
) -> Tally:
    stances: Counter[str] = Counter(p.stance for p in participants if p.stance)
    votes: dict[uuid.UUID, int] = {o.pk: 0 for o in options}
    for p in participants:
        if p.stance == Stance.VOTE and p.option_id in votes:
            votes[p.option_id] += 1
    return Tally(
        stances=dict(stances),
        votes=votes,
        not_said=sum(1 for p in participants if not p.stance),
        standing_against=tuple(p for p in participants if p.stance in STANDING_AGAINST),
    )


@dataclass(frozen=True)
class Outcome:
    result: str
    why: str
    decided_on: dt.date | None
    objections_addressed: str = ""
    chosen_option: DecisionOption | None = None
    chosen_why: str = ""
    money: Decimal | None = None
    money_note: str = ""


def _chosen(
    decision: Decision, outcome: Outcome, tally: Tally, options: Sequence[DecisionOption]
) -> tuple[DecisionOption | None, str]:
    """The option a vote chose (the one with most votes unless the runner says why another), and any
    words to add to why."""
    if decision.method != DecisionMethod.VOTE or outcome.result not in AGREED_RESULTS:
        return None, ""
    by_id = {o.pk: o for o in options}
    top = tally.most_votes()
    chosen = outcome.chosen_option
    if chosen is not None and chosen.pk not in by_id:
        raise DomainError("option_other_decision", "Choose one of this decision's options", field="chosen_option")
    if chosen is None:
        if len(top) == 1:
            return by_id[top[0]], ""
        problem = "No one has voted yet" if not top else f"{len(top)} options have the same number of votes"
        raise DomainError("option_needed", f"{problem}: choose the option agreed and say why", field="chosen_option")
    if top == [chosen.pk]:
        return chosen, ""
    if not outcome.chosen_why.strip():
        raise DomainError(
            "chosen_why_missing",
            "Say why this option was chosen rather than the one with most votes",
            field="chosen_why",
        )
    if len(top) == 1:
        lead = f"Why “{chosen.text}” rather than “{by_id[top[0]].text}”, which had most votes"
    elif top:
        lead = f"Why “{chosen.text}”, when options had the same number of votes"
    else:
        lead = f"Why “{chosen.text}”, when no one had voted"
    return chosen, f"{lead}: {outcome.chosen_why.strip()}"


def check_outcome(decision: Decision, outcome: Outcome, tally: Tally, participant_count: int) -> None:
    if outcome.result not in DecisionResult.values:
        raise DomainError("result_missing", "Choose the result", field="result")
    if not outcome.why.strip():
        raise DomainError("why_missing", "Say why: what was decided and the reasons", field="why")
    if outcome.decided_on is None:
        raise DomainError("decided_on_missing", "Enter the date it was decided", field="decided_on")
    if outcome.decided_on > timezone.localdate():
        raise DomainError(
            "decided_on_future", "The date it was decided must be today or in the past", field="decided_on"
        )
    _check_money(outcome.money)
    if participant_count == 0:
        raise DomainError("no_participants", "Add the people who took part before recording the result", field="result")
    against = tally.standing_against
    if outcome.result in AGREED_RESULTS and against:
        names = ", ".join(p.member.known_as for p in against)
        if decision.method == DecisionMethod.CONSENSUS:
            raise DomainError(
                "blocked",
                f"A consensus decision cannot be agreed while anyone blocks ({names}). "
                "Talk it through until they change their stance, or record it as not agreed or put off",
                field="result",
            )
        if not outcome.objections_addressed.strip():
            raise DomainError(
                "objections_not_addressed",
                f"Objections still stand ({names}). Say how each was addressed, or record it as not agreed or put off",
                field="objections_addressed",
            )


def decision_record(
    *,
    actor: User,
    decision: Decision,
    outcome: Outcome,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Decision:
    """A runner records the result and why. The participants and those with lived experience are
    counted now and stored, each member once."""
    recorder = access.require_run(actor, decision.group, what="decision_record", request=request)
    with transaction.atomic():
        locked = _open(decision)
        participants = list(DecisionParticipant.objects.filter(decision=decision).select_related("member"))
        options = list(DecisionOption.objects.filter(decision=decision))
        tally = tally_of(locked, participants, options)
        mix = mix_of(p.member for p in participants)
        check_outcome(locked, outcome, tally, mix.total)
        chosen, extra_why = _chosen(locked, outcome, tally, options)
        why = outcome.why.strip() + (f"\n\n{extra_why}" if extra_why else "")
        save_if_unchanged(
            decision,
            expected_version=expected_version,
            values={
                "status": DecisionStatus.DECIDED,
                "result": outcome.result,
                "chosen_option": chosen,
                "why": why,
                "objections_addressed": outcome.objections_addressed.strip(),
                "money": outcome.money,
                "money_note": _tidy(outcome.money_note),
                "decided_on": outcome.decided_on,
                "participant_count": mix.total,
                "lived_experience_count": mix.lived_experience,
                "recorded_by": recorder,
                "updated_by": recorder,
            },
            what="the decision",
            labels=RECORD_LABELS,
        )
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="decision_record",
            obj_id=decision.pk,
            extra={
                "result": outcome.result,
                "participants": mix.total,
                "lived_experience": mix.lived_experience,
                "chosen_over_most_votes": bool(extra_why),
            },
            request=request,
        )
    return decision


def decision_withdraw(*, actor: User, decision: Decision, reason: str, request: HttpRequest | None = None) -> Decision:
    """A runner withdraws an open decision, saying why (shown where the result would be)."""
    runner = access.require_run(actor, decision.group, what="decision_withdraw", request=request)
    if not reason.strip():
        raise DomainError("reason_missing", "Say why the decision is withdrawn", field="reason")
    with transaction.atomic():
        locked = _open(decision)
        save_if_unchanged(
            decision,
            expected_version=locked.version,
            values={"status": DecisionStatus.WITHDRAWN, "why": reason.strip(), "updated_by": runner},
            what="the decision",
            labels={"why": "Why"},
        )
        access.record(actor=actor, action=Action.CHANGE, what="decision_withdraw", obj_id=decision.pk, request=request)
    return decision
