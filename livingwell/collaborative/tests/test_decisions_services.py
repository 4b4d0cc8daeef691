"""Decisions: each method's rules, the tally, the counts stored when a decision is made, objections
and blocks, who may do what, and the audit of it; the log's totals against hand-computed figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from livingwell.audit.models import AuditEvent
from livingwell.audit.models import Outcome as AuditOutcome
from livingwell.audit.services import AccessRefused
from livingwell.collaborative import decisions as svc
from livingwell.collaborative import selectors_decisions as selectors
from livingwell.collaborative.decisions import Outcome, Proposal
from livingwell.collaborative.models import (
    ConsentLevel,
    Decision,
    DecisionMethod,
    DecisionOption,
    DecisionParticipant,
    DecisionResult,
    DecisionStatus,
    Group,
    ParticipantRole,
    Session,
    Stance,
    Story,
    StoryStatus,
)
from livingwell.collaborative.tests.conftest import Collab, add_to_group, make_collab_member
from livingwell.core.concurrency import EditConflict
from livingwell.core.errors import DomainError

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


def _events(what: str, outcome: str = AuditOutcome.ALLOWED) -> list[AuditEvent]:
    return [
        e
        for e in AuditEvent.objects.filter(outcome=outcome).order_by("id")
        if e.detail.get("area") == "collaborative" and e.detail.get("what") == what
    ]


def propose(collab: Collab, method: str = DecisionMethod.CONSENT, **kwargs: object) -> Decision:
    fields: dict[str, object] = {"title": "Where the spring open event is held", "proposal": "At the library."}
    if method == DecisionMethod.VOTE:
        fields["options"] = ("The library", "The park café")
    fields.update(kwargs)
    return svc.decision_propose(
        actor=collab.design_lead.user,
        group=collab.design,
        proposal=Proposal(method=method, **fields),  # type: ignore[arg-type]
    )


def outcome(**kwargs: object) -> Outcome:
    fields: dict[str, object] = {
        "result": DecisionResult.AGREED,
        "why": "It is step-free.",
        "decided_on": timezone.localdate(),
    }
    fields.update(kwargs)
    return Outcome(**fields)  # type: ignore[arg-type]


# ---- proposing -----------------------------------------------------------------------------------


def test_a_runner_proposes_and_is_recorded_as_proposer(collab: Collab) -> None:
    decision = propose(
        collab,
        DecisionMethod.VOTE,
        options=("  The library ", "", "The park café", "Online"),
        money=Decimal("250.00"),
        money_note="Events budget",
    )
    assert decision.status == DecisionStatus.OPEN
    assert [(o.text, o.position) for o in decision.options.all()] == [
        ("The library", 1),
        ("The park café", 2),
        ("Online", 3),
    ]
    proposer = DecisionParticipant.objects.get(decision=decision)
    assert (proposer.member, proposer.role, proposer.stance) == (collab.design_lead, ParticipantRole.PROPOSER, "")
    assert decision.proposed_by == collab.design_lead
    (event,) = _events("decision")
    assert event.detail["id"] == str(decision.pk)
    assert event.detail["method"] == "vote"


def test_only_runners_propose_and_the_refusal_is_recorded(collab: Collab) -> None:
    with pytest.raises(AccessRefused):
        svc.decision_propose(
            actor=collab.lived.user,
            group=collab.design,
            proposal=Proposal(title="T", proposal="P", method=DecisionMethod.CONSENT),
        )
    assert not Decision.objects.exists()
    assert len(_events("decision", AuditOutcome.REFUSED)) == 1


@pytest.mark.parametrize(
    ("method", "kwargs", "code"),
    [
        (DecisionMethod.VOTE, {"options": ("Only one",)}, "options_missing"),
        (DecisionMethod.VOTE, {"options": ("Same", "same ")}, "options_repeated"),
        (DecisionMethod.CONSENT, {"options": ("A", "B")}, "options_not_for_vote"),
        (DecisionMethod.CONSENT, {"is_public": False}, "not_public_why_missing"),
        (DecisionMethod.CONSENT, {"title": "  "}, "title_missing"),
        (DecisionMethod.CONSENT, {"money": Decimal("-1")}, "money_negative"),
        ("show_of_hands", {}, "method_missing"),
    ],
)
def test_proposal_rules(collab: Collab, method: str, kwargs: dict[str, object], code: str) -> None:
    with pytest.raises(DomainError) as error:
        propose(collab, method, **kwargs)
    assert error.value.code == code
    assert not Decision.objects.exists()


def test_a_linked_session_must_be_the_groups(collab: Collab) -> None:
    now = timezone.now()
    other = Session.objects.create(
        group=collab.whole, title="Open meeting", starts_at=now, ends_at=now + dt.timedelta(hours=2), place="Hall"
    )
    with pytest.raises(DomainError) as error:
        propose(collab, session=other)
    assert error.value.code == "session_other_group"


def test_a_private_decision_keeps_its_reason(collab: Collab) -> None:
    decision = propose(collab, is_public=False, not_public_why="It names a member's housing")
    assert not decision.is_public
    assert decision.not_public_why == "It names a member's housing"


# ---- saying where you stand ------------------------------------------------------------------------


def test_consent_stances_and_changing_your_mind(collab: Collab) -> None:
    decision = propose(collab)
    with pytest.raises(DomainError) as error:
        svc.decision_say(actor=collab.lived.user, decision=decision, stance=Stance.OBJECT, comment=" ")
    assert error.value.code == "reason_missing"
    with pytest.raises(DomainError) as error:
        svc.decision_say(actor=collab.lived.user, decision=decision, stance=Stance.AGREE)
    assert error.value.code == "stance_not_for_method"
    svc.decision_say(actor=collab.lived.user, decision=decision, stance=Stance.OBJECT, comment="Stairs at the door")
    svc.decision_say(actor=collab.lived.user, decision=decision, stance=Stance.CONSENT)
    row = DecisionParticipant.objects.get(decision=decision, member=collab.lived)
    assert (row.role, row.stance, row.comment) == (ParticipantRole.PARTICIPANT, Stance.CONSENT, "")
    # The proposer's role stays when they say where they stand.
    svc.decision_say(actor=collab.design_lead.user, decision=decision, stance=Stance.CONSENT)
    lead = DecisionParticipant.objects.get(decision=decision, member=collab.design_lead)
    assert (lead.role, lead.stance) == (ParticipantRole.PROPOSER, Stance.CONSENT)
    assert DecisionParticipant.objects.filter(decision=decision).count() == 2
    said = _events("decision_say")
    assert [e.detail["stance"] for e in said] == ["object", "consent", "consent"]
    assert [e.detail["changed"] for e in said] == [False, True, False]


def test_only_members_of_the_group_say_and_refusals_are_recorded(collab: Collab) -> None:
    decision = propose(collab)
    with pytest.raises(AccessRefused):
        svc.decision_say(actor=collab.carer.user, decision=decision, stance=Stance.CONSENT)  # not in the Design Team
    with pytest.raises(AccessRefused):
        svc.decision_say(actor=collab.outsider, decision=decision, stance=Stance.CONSENT)  # not a member at all
    assert not DecisionParticipant.objects.filter(decision=decision).exclude(role=ParticipantRole.PROPOSER).exists()
    assert len(_events("decision_say", AuditOutcome.REFUSED)) == 2


def test_every_member_may_say_on_a_decision_of_the_whole_collaborative(collab: Collab) -> None:
    newcomer = make_collab_member(collab.site, known_as="New", citizen=True)  # in no group yet
    decision = svc.decision_propose(
        actor=collab.chair.user,
        group=collab.whole,
        proposal=Proposal(title="Meet on Saturdays", proposal="Half our meetings.", method=DecisionMethod.CONSENSUS),
    )
    svc.decision_say(actor=newcomer.user, decision=decision, stance=Stance.AGREE)
    assert DecisionParticipant.objects.get(decision=decision, member=newcomer).stance == Stance.AGREE


def test_consensus_block_needs_a_reason(collab: Collab) -> None:
    decision = propose(collab, DecisionMethod.CONSENSUS)
    with pytest.raises(DomainError) as error:
        svc.decision_say(actor=collab.lived.user, decision=decision, stance=Stance.BLOCK)
    assert error.value.code == "reason_missing"
    with pytest.raises(DomainError):
        svc.decision_say(actor=collab.lived.user, decision=decision, stance=Stance.CONSENT)


def test_vote_needs_one_of_its_own_options_and_the_tally(collab: Collab) -> None:
    decision = propose(collab, DecisionMethod.VOTE)
    library, cafe = list(decision.options.all())
    stranger_option = DecisionOption.objects.create(decision=propose(collab, DecisionMethod.VOTE), text="Elsewhere")
    with pytest.raises(DomainError) as error:
        svc.decision_say(actor=collab.lived.user, decision=decision, stance=Stance.VOTE, option=stranger_option)
    assert error.value.code == "option_missing"
    svc.decision_say(actor=collab.lived.user, decision=decision, stance=Stance.VOTE, option=library)
    svc.decision_say(actor=collab.staff_member.user, decision=decision, stance=Stance.VOTE, option=cafe)
    svc.decision_say(actor=collab.design_lead.user, decision=decision, stance=Stance.ABSTAIN, option=library)
    # Sol changes their vote to the library.
    svc.decision_say(actor=collab.staff_member.user, decision=decision, stance=Stance.VOTE, option=library)
    participants = list(decision.participants.all())
    tally = svc.tally_of(decision, participants, [library, cafe])
    # Hand count: library = Sunny + Sol = 2, café = 0, abstain = Dee (whose option is dropped).
    assert tally.votes == {library.pk: 2, cafe.pk: 0}
    assert tally.stances == {Stance.VOTE: 2, Stance.ABSTAIN: 1}
    assert tally.most_votes() == [library.pk]
    assert DecisionParticipant.objects.get(decision=decision, member=collab.design_lead).option is None


def test_no_one_says_once_it_is_closed(collab: Collab) -> None:
    decision = propose(collab)
    svc.decision_withdraw(actor=collab.design_lead.user, decision=decision, reason="The venue closed")
    with pytest.raises(DomainError) as error:
        svc.decision_say(actor=collab.lived.user, decision=decision, stance=Stance.CONSENT)
    assert error.value.code == "decision_closed"


# ---- who took part in the room ---------------------------------------------------------------------


def test_a_runner_records_who_took_part_in_the_room(collab: Collab) -> None:
    decision = propose(collab)
    svc.participant_add(
        actor=collab.design_lead.user,
        decision=decision,
        member=collab.carer,  # not in the group: came to the meeting
        role=ParticipantRole.FACILITATOR,
    )
    svc.participant_add(
        actor=collab.design_lead.user,
        decision=decision,
        member=collab.citizen,
        role=ParticipantRole.PARTICIPANT,
        stance=Stance.OBJECT,
        comment="Too far from the bus",
    )
    rows = {p.member: p for p in decision.participants.all()}
    assert (rows[collab.carer].role, rows[collab.carer].stance) == (ParticipantRole.FACILITATOR, "")
    assert (rows[collab.citizen].stance, rows[collab.citizen].comment) == (Stance.OBJECT, "Too far from the bus")
    # The proposer stays the proposer when added again as facilitator.
    svc.participant_add(
        actor=collab.design_lead.user, decision=decision, member=collab.design_lead, role=ParticipantRole.FACILITATOR
    )
    assert decision.participants.get(member=collab.design_lead).role == ParticipantRole.PROPOSER
    assert [e.detail["added"] for e in _events("decision_participant")] == [True, True, False]


def test_a_runner_does_not_overwrite_what_a_member_said(collab: Collab) -> None:
    decision = propose(collab)
    svc.decision_say(actor=collab.lived.user, decision=decision, stance=Stance.CONSENT)
    with pytest.raises(DomainError) as error:
        svc.participant_add(
            actor=collab.design_lead.user,
            decision=decision,
            member=collab.lived,
            role=ParticipantRole.PARTICIPANT,
            stance=Stance.OBJECT,
            comment="Said so",
        )
    assert error.value.code == "stance_is_theirs"
    assert decision.participants.get(member=collab.lived).stance == Stance.CONSENT


def test_only_runners_add_participants(collab: Collab) -> None:
    decision = propose(collab)
    with pytest.raises(AccessRefused):
        svc.participant_add(
            actor=collab.lived.user, decision=decision, member=collab.carer, role=ParticipantRole.PARTICIPANT
        )
    assert len(_events("decision_participants", AuditOutcome.REFUSED)) == 1


def test_members_who_left_cannot_be_added(collab: Collab) -> None:
    decision = propose(collab)
    gone = make_collab_member(collab.site, known_as="Gone", carer=True)
    gone.left_on = dt.date(2025, 6, 1)
    gone.save()
    with pytest.raises(DomainError) as error:
        svc.participant_add(
            actor=collab.design_lead.user, decision=decision, member=gone, role=ParticipantRole.PARTICIPANT
        )
    assert error.value.code == "not_a_member"


# ---- recording the result --------------------------------------------------------------------------


def test_recording_stores_the_counts_once_per_member(collab: Collab) -> None:
    peer = make_collab_member(collab.site, known_as="Peer", lived_experience=True, staff=True)
    add_to_group(collab.design, peer)
    decision = propose(collab)
    svc.decision_say(actor=collab.lived.user, decision=decision, stance=Stance.CONSENT)
    svc.decision_say(actor=peer.user, decision=decision, stance=Stance.STAND_ASIDE)
    svc.decision_say(actor=collab.staff_member.user, decision=decision, stance=Stance.CONSENT)
    svc.participant_add(
        actor=collab.design_lead.user, decision=decision, member=collab.citizen, role=ParticipantRole.FACILITATOR
    )
    svc.decision_record(
        actor=collab.design_lead.user,
        decision=decision,
        outcome=outcome(money=Decimal("300"), money_note="Events budget"),
        expected_version=decision.version,
    )
    decision.refresh_from_db()
    # Hand count: Dee (proposer, carer), Sunny (lived), Peer (lived + staff), Sol (staff), Ade (citizen)
    # = 5 people, 2 with lived experience (40%).
    assert (decision.participant_count, decision.lived_experience_count) == (5, 2)
    assert decision.status == DecisionStatus.DECIDED
    assert decision.result == DecisionResult.AGREED
    assert decision.money == Decimal("300")
    assert decision.recorded_by == collab.design_lead
    assert decision.version == 2
    (event,) = _events("decision_record")
    assert (event.detail["participants"], event.detail["lived_experience"]) == (5, 2)
    # A later change of a member's perspectives does not change the stored counts.
    collab.lived.lived_experience = False
    collab.lived.citizen = True
    collab.lived.save()
    decision.refresh_from_db()
    assert decision.lived_experience_count == 2


def test_a_consent_decision_is_not_agreed_with_unaddressed_objections(collab: Collab) -> None:
    decision = propose(collab)
    svc.decision_say(actor=collab.lived.user, decision=decision, stance=Stance.OBJECT, comment="No step-free access")
    with pytest.raises(DomainError) as error:
        svc.decision_record(
            actor=collab.design_lead.user, decision=decision, outcome=outcome(), expected_version=decision.version
        )
    assert error.value.code == "objections_not_addressed"
    assert "Sunny" in error.value.message
    assert error.value.field == "objections_addressed"
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.OPEN
    svc.decision_record(
        actor=collab.design_lead.user,
        decision=decision,
        outcome=outcome(
            result=DecisionResult.AGREED_WITH_CHANGES, objections_addressed="We will use the side door with a ramp."
        ),
        expected_version=decision.version,
    )
    decision.refresh_from_db()
    assert decision.objections_addressed == "We will use the side door with a ramp."


def test_an_objection_does_not_stop_not_agreed(collab: Collab) -> None:
    decision = propose(collab)
    svc.decision_say(actor=collab.lived.user, decision=decision, stance=Stance.OBJECT, comment="No step-free access")
    svc.decision_record(
        actor=collab.design_lead.user,
        decision=decision,
        outcome=outcome(result=DecisionResult.NOT_AGREED),
        expected_version=decision.version,
    )
    decision.refresh_from_db()
    assert decision.result == DecisionResult.NOT_AGREED


def test_a_consensus_decision_is_not_agreed_while_anyone_blocks(collab: Collab) -> None:
    decision = propose(collab, DecisionMethod.CONSENSUS)
    svc.decision_say(actor=collab.staff_member.user, decision=decision, stance=Stance.BLOCK, comment="No budget")
    with pytest.raises(DomainError) as error:
        svc.decision_record(
            actor=collab.design_lead.user,
            decision=decision,
            outcome=outcome(objections_addressed="We talked."),
            expected_version=decision.version,
        )
    assert error.value.code == "blocked"
    assert "while anyone blocks (Sol)" in error.value.message
    # Sol changes their mind after the conversation: now it can be agreed.
    svc.decision_say(actor=collab.staff_member.user, decision=decision, stance=Stance.STAND_ASIDE)
    svc.decision_record(
        actor=collab.design_lead.user, decision=decision, outcome=outcome(), expected_version=decision.version
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DECIDED


def test_a_vote_chooses_the_option_with_most_votes(collab: Collab) -> None:
    decision = propose(collab, DecisionMethod.VOTE)
    library, cafe = list(decision.options.all())
    svc.decision_say(actor=collab.lived.user, decision=decision, stance=Stance.VOTE, option=cafe)
    svc.decision_say(actor=collab.staff_member.user, decision=decision, stance=Stance.VOTE, option=cafe)
    svc.decision_say(actor=collab.design_lead.user, decision=decision, stance=Stance.VOTE, option=library)
    # Choosing the library (1 vote) over the café (2 votes) needs a why.
    with pytest.raises(DomainError) as error:
        svc.decision_record(
            actor=collab.design_lead.user,
            decision=decision,
            outcome=outcome(chosen_option=library),
            expected_version=decision.version,
        )
    assert error.value.code == "chosen_why_missing"
    svc.decision_record(
        actor=collab.design_lead.user, decision=decision, outcome=outcome(), expected_version=decision.version
    )
    decision.refresh_from_db()
    assert decision.chosen_option == cafe
    assert decision.why == "It is step-free."


def test_choosing_another_option_keeps_the_reason_with_why(collab: Collab) -> None:
    decision = propose(collab, DecisionMethod.VOTE)
    library, cafe = list(decision.options.all())
    svc.decision_say(actor=collab.lived.user, decision=decision, stance=Stance.VOTE, option=cafe)
    svc.decision_record(
        actor=collab.design_lead.user,
        decision=decision,
        outcome=outcome(chosen_option=library, chosen_why="The café closed last week."),
        expected_version=decision.version,
    )
    decision.refresh_from_db()
    assert decision.chosen_option == library
    assert decision.why == (
        "It is step-free.\n\nWhy “The library” rather than “The park café”, which had most votes: "
        "The café closed last week."
    )
    assert _events("decision_record")[0].detail["chosen_over_most_votes"] is True


def test_a_tied_vote_needs_a_choice(collab: Collab) -> None:
    decision = propose(collab, DecisionMethod.VOTE)
    library, cafe = list(decision.options.all())
    svc.decision_say(actor=collab.lived.user, decision=decision, stance=Stance.VOTE, option=cafe)
    svc.decision_say(actor=collab.staff_member.user, decision=decision, stance=Stance.VOTE, option=library)
    with pytest.raises(DomainError) as error:
        svc.decision_record(
            actor=collab.design_lead.user, decision=decision, outcome=outcome(), expected_version=decision.version
        )
    assert error.value.code == "option_needed"
    assert "2 options have the same number of votes" in error.value.message


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"why": " "}, "why_missing"),
        ({"decided_on": None}, "decided_on_missing"),
        ({"decided_on": timezone.localdate() + dt.timedelta(days=1)}, "decided_on_future"),
        ({"result": "maybe"}, "result_missing"),
        ({"money": Decimal("-5")}, "money_negative"),
    ],
)
def test_record_rules(collab: Collab, changes: dict[str, object], code: str) -> None:
    decision = propose(collab)
    with pytest.raises(DomainError) as error:
        svc.decision_record(
            actor=collab.design_lead.user, decision=decision, outcome=outcome(**changes), expected_version=1
        )
    assert error.value.code == code


def test_a_decision_needs_people_who_took_part(collab: Collab) -> None:
    decision = svc.decision_propose(
        actor=collab.admin,  # a site administrator is a steward but not a member: no proposer row
        group=collab.design,
        proposal=Proposal(title="T", proposal="P", method=DecisionMethod.CONSENT),
    )
    assert not decision.participants.exists()
    with pytest.raises(DomainError) as error:
        svc.decision_record(actor=collab.admin, decision=decision, outcome=outcome(), expected_version=1)
    assert error.value.code == "no_participants"


def test_two_runners_recording_at_once_do_not_overwrite_each_other(collab: Collab) -> None:
    decision = propose(collab)
    opened_at = decision.version
    Decision.objects.filter(pk=decision.pk).update(version=opened_at + 1, updated_by=collab.chair)
    with pytest.raises(EditConflict) as error:
        svc.decision_record(
            actor=collab.design_lead.user, decision=decision, outcome=outcome(), expected_version=opened_at
        )
    assert error.value.changed_by == "Chris (chair)"
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.OPEN


def test_recording_twice_is_refused_and_only_runners_record(collab: Collab) -> None:
    decision = propose(collab)
    with pytest.raises(AccessRefused):
        svc.decision_record(actor=collab.lived.user, decision=decision, outcome=outcome(), expected_version=1)
    assert len(_events("decision_record", AuditOutcome.REFUSED)) == 1
    svc.decision_record(actor=collab.design_lead.user, decision=decision, outcome=outcome(), expected_version=1)
    with pytest.raises(DomainError) as error:
        svc.decision_record(actor=collab.design_lead.user, decision=decision, outcome=outcome(), expected_version=2)
    assert error.value.code == "decision_closed"


def test_withdraw_needs_a_reason_and_a_runner(collab: Collab) -> None:
    decision = propose(collab)
    with pytest.raises(DomainError):
        svc.decision_withdraw(actor=collab.design_lead.user, decision=decision, reason=" ")
    with pytest.raises(AccessRefused):
        svc.decision_withdraw(actor=collab.lived.user, decision=decision, reason="No")
    svc.decision_withdraw(actor=collab.design_lead.user, decision=decision, reason="The venue closed")
    decision.refresh_from_db()
    assert (decision.status, decision.why) == (DecisionStatus.WITHDRAWN, "The venue closed")
    assert len(_events("decision_withdraw")) == 1


# ---- what members may read ---------------------------------------------------------------------------


def test_who_may_read_a_private_decision(collab: Collab) -> None:
    decision = propose(collab, is_public=False, not_public_why="Names a venue owner")
    assert svc.may_read(collab.lived.user, collab.lived, decision)  # in the Design Team
    assert svc.may_read(collab.chair.user, collab.chair, decision)  # a steward
    assert svc.may_read(collab.admin, None, decision)  # the site administrator, a steward
    assert not svc.may_read(collab.carer.user, collab.carer, decision)
    assert not svc.may_read(collab.outsider, None, decision)
    readable = set(selectors.readable(collab.carer, collab.site, steward=False))
    assert decision not in readable
    decision.is_public = True
    decision.save()
    assert svc.may_read(collab.carer.user, collab.carer, decision)


# ---- the log's totals --------------------------------------------------------------------------------


def decided(
    group: Group,
    title: str,
    *,
    people: int,
    lived: int,
    on: dt.date,
    money: str | None = None,
    result: str = DecisionResult.AGREED,
    public: bool = True,
) -> Decision:
    return Decision.objects.create(
        group=group,
        title=title,
        proposal="A proposal.",
        method=DecisionMethod.CONSENT,
        status=DecisionStatus.DECIDED,
        result=result,
        why="Because.",
        decided_on=on,
        participant_count=people,
        lived_experience_count=lived,
        money=Decimal(money) if money else None,
        is_public=public,
        not_public_why="" if public else "Private",
    )


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([(3, 7)], 43),  # 3 of 7 = 42.86%
        ([(1, 4), (3, 4), (1, 2)], 50),  # 25%, 50%, 75%: the middle one
        ([(1, 4), (1, 3)], 29),  # (25% + 33.33%) / 2 = 29.17%
        ([(1, 8), (0, 0), (3, 8)], 25),  # no one counted is left out: (12.5% + 37.5%) / 2 = 25%
        ([(1, 3), (1, 2)], 42),  # (33.33% + 50%) / 2 = 41.67%
        ([(0, 0)], None),
        ([], None),
    ],
)
def test_median_share(pairs: list[tuple[int, int]], expected: int | None) -> None:
    assert selectors.median_share(pairs) == expected


def test_log_totals_against_hand_computed_figures(collab: Collab) -> None:
    decided(collab.design, "A", people=7, lived=3, on=dt.date(2026, 6, 1), money="1000")
    decided(collab.design, "B", people=4, lived=1, on=dt.date(2026, 1, 10), money="250.50")
    decided(
        collab.whole, "C", people=10, lived=6, on=dt.date(2025, 9, 1), money="400", result=DecisionResult.NOT_AGREED
    )
    decided(collab.whole, "D", people=5, lived=5, on=dt.date(2025, 6, 15), money="9999")  # exactly a year ago: out
    decided(collab.whole, "E", people=2, lived=0, on=dt.date(2026, 3, 1), money="5000", public=False)  # private: out
    totals = selectors.log_totals(collab.site, TODAY)
    # In: A (3/7 = 42.9%), B (1/4 = 25%), C (6/10 = 60%); the median is A's 42.86%, shown as 43%.
    # Money agreed: A £1,000 + B £250.50 (C was not agreed) = £1,250.50.
    assert totals.decisions == 3
    assert totals.median_share == 43
    assert totals.money_agreed == Decimal("1250.50")
    assert totals.since == dt.date(2025, 6, 15)
    assert selectors.year_before(dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)


def test_a_runner_removes_someone_added_by_mistake_but_not_an_objection(collab: Collab) -> None:
    decision = propose(collab)
    for member in (collab.carer, collab.citizen):
        svc.participant_add(
            actor=collab.design_lead.user, decision=decision, member=member, role=ParticipantRole.PARTICIPANT
        )
    svc.decision_say(actor=collab.lived.user, decision=decision, stance=Stance.OBJECT, comment="Stairs")
    svc.participant_remove(actor=collab.design_lead.user, decision=decision, member=collab.carer)
    assert not decision.participants.filter(member=collab.carer).exists()
    with pytest.raises(DomainError) as error:
        svc.participant_remove(actor=collab.design_lead.user, decision=decision, member=collab.lived)
    assert error.value.code == "objection_stays"
    with pytest.raises(DomainError) as error:
        svc.participant_remove(actor=collab.design_lead.user, decision=decision, member=collab.design_lead)
    assert error.value.code == "proposer_stays"
    with pytest.raises(AccessRefused):
        svc.participant_remove(actor=collab.lived.user, decision=decision, member=collab.citizen)
    assert decision.participants.filter(member=collab.citizen).exists()
    removed = [e for e in _events("decision_participant") if e.detail.get("removed")]
    assert [e.detail["member"] for e in removed] == [str(collab.carer.pk)]


def test_stories_linked_to_a_decision_are_shown_only_as_far_as_their_tellers_agreed(collab: Collab) -> None:
    decision = propose(collab)

    def story(title: str, level: str, status: str = StoryStatus.SHARED) -> Story:
        made = Story.objects.create(
            site=collab.site,
            group=collab.design,
            title=title,
            body="What happened.",
            gathered_by=collab.design_lead,
            gathered_on=dt.date(2026, 1, 5),
            consent_level=level,
            consent_note="Said yes at the café",
            status=status,
        )
        made.decisions.add(decision)
        return made

    story("Team only", ConsentLevel.TEAM)
    story("For members", ConsentLevel.COLLABORATIVE)
    story("For anyone", ConsentLevel.PUBLIC)
    story("Not checked yet", ConsentLevel.PUBLIC, StoryStatus.DRAFT)
    story("Taken back", ConsentLevel.PUBLIC, StoryStatus.WITHDRAWN)

    def titles(member: object, *, public: bool = False) -> set[str]:
        return {s.title for s in selectors.parts_of(decision, member, public=public).stories}  # type: ignore[arg-type]

    assert titles(collab.lived) == {"Team only", "For members", "For anyone"}  # in the Design Team
    assert titles(collab.carer) == {"For members", "For anyone"}
    assert titles(None, public=True) == {"For anyone"}
