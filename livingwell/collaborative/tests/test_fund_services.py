"""The ideas fund's services: rounds and their stages, the panel, pitches, the vote, the awards recorded
as a decision, report-back and publishing into the community directory; with audit and refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from livingwell.audit.models import AuditEvent, Outcome
from livingwell.audit.services import AccessRefused
from livingwell.collaborative import fund
from livingwell.collaborative import selectors_fund as selectors
from livingwell.collaborative.fund import PitchAnswers, ReportAnswers, RoundAnswers
from livingwell.collaborative.models import (
    ApprovalVote,
    DecisionMethod,
    DecisionParticipant,
    DecisionResult,
    DecisionStatus,
    FundStage,
    ParticipantRole,
    Pitch,
    PitchStatus,
    Stance,
)
from livingwell.collaborative.tests.conftest import Collab, make_collab_member
from livingwell.collaborative.tests.fund_helpers import approve, make_pitch, make_round, seat
from livingwell.community.curation import COST_FREE, OfferAnswers
from livingwell.community.models import Curation
from livingwell.core.concurrency import EditConflict
from livingwell.core.errors import DomainError
from livingwell.testing import refresh_user

pytestmark = pytest.mark.django_db


def events(what: str, outcome: str = Outcome.ALLOWED) -> list[AuditEvent]:
    return [
        e
        for e in AuditEvent.objects.filter(outcome=outcome).order_by("id")
        if e.detail.get("area") == "collaborative" and e.detail.get("what") == what
    ]


def answers(**changes: object) -> PitchAnswers:
    values: dict[str, object] = {
        "title": "Walk and talk",
        "summary": "A weekly walk in Brockwell Park, then tea.",
        "who_benefits": "Men who feel alone; walking side by side makes talking easier.",
        "how_money_is_spent": "Tea £300, a walk leader's training £200.",
        "amount": Decimal("500"),
        "peer_led": True,
        "group_name": "Brixton walkers",
        "wants_help": True,
        "help_note": "Help with the budget",
    }
    values.update(changes)
    return PitchAnswers(**values)  # type: ignore[arg-type]


# ---- rounds and stages --------------------------------------------------------------------------


def test_a_steward_opens_a_round_and_others_are_refused(collab: Collab) -> None:
    today = timezone.localdate()
    round_answers = RoundAnswers(
        name="Spring 2027",
        about="Ideas that bring neighbours together.",
        budget=Decimal("5000"),
        largest_award=Decimal("1500"),
        pitches_close_on=today + dt.timedelta(days=20),
        voting_closes_on=today + dt.timedelta(days=40),
        min_lived_experience_panel=2,
    )
    fund_round = fund.fund_round_open(actor=collab.chair.user, site=collab.site, answers=round_answers)
    assert (fund_round.stage, fund_round.budget, fund_round.largest_award) == (
        FundStage.PITCHING,
        Decimal("5000"),
        Decimal("1500"),
    )
    assert [e.detail["id"] for e in events("fund_round")] == [str(fund_round.pk)]

    with pytest.raises(AccessRefused):
        fund.fund_round_open(actor=collab.lived.user, site=collab.site, answers=round_answers)
    assert len(events("fund_round", Outcome.REFUSED)) == 1

    with pytest.raises(DomainError) as error:
        fund.fund_round_open(
            actor=collab.chair.user,
            site=collab.site,
            answers=RoundAnswers(**{**round_answers.__dict__, "name": "Other", "largest_award": Decimal("6000")}),
        )
    assert error.value.field == "largest_award"
    with pytest.raises(DomainError) as error:
        fund.fund_round_open(
            actor=collab.chair.user,
            site=collab.site,
            answers=RoundAnswers(**{**round_answers.__dict__, "name": "Other", "voting_closes_on": today}),
        )
    assert error.value.field == "voting_closes_on"
    with pytest.raises(DomainError) as error:
        fund.fund_round_open(actor=collab.chair.user, site=collab.site, answers=round_answers)
    assert error.value.code == "name_taken"


def test_voting_needs_the_lived_experience_minimum_and_a_shortlist(collab: Collab) -> None:
    fund_round = make_round(collab.site)
    chair = collab.chair.user
    fund.fund_round_stage(actor=chair, fund_round=fund_round, to=FundStage.PANEL)
    fund_round.refresh_from_db()
    assert fund_round.stage == FundStage.PANEL

    seat(fund_round, collab.co_chair)  # lived experience: 1 of the 2 needed
    seat(fund_round, collab.staff_member, chair=True)
    sent = make_pitch(fund_round, collab.carer, status=PitchStatus.SUBMITTED)
    assert fund.stage_problems(fund_round, FundStage.VOTING) == [
        "The panel needs at least 2 members with lived experience before members vote: it has 1",
        "Shortlist at least one pitch before members vote",
        "The panel has not decided on 1 pitch yet: each pitcher hears back before the vote",
    ]
    with pytest.raises(DomainError) as error:
        fund.fund_round_stage(actor=chair, fund_round=fund_round, to=FundStage.VOTING)
    assert error.value.message.startswith("The panel needs at least 2 members with lived experience")

    seat(fund_round, collab.lived)  # now 2 with lived experience
    fund.pitch_shortlist(actor=collab.staff_member.user, pitch=sent, shortlist=True, note="")
    assert fund.stage_problems(fund_round, FundStage.VOTING) == []
    fund.fund_round_stage(actor=chair, fund_round=fund_round, to=FundStage.VOTING)
    fund_round.refresh_from_db()
    assert fund_round.stage == FundStage.VOTING

    with pytest.raises(DomainError) as error:
        fund.fund_round_stage(actor=chair, fund_round=fund_round, to=FundStage.AWARDED)
    assert "awards page" in error.value.message
    with pytest.raises(DomainError):
        fund.fund_round_stage(actor=chair, fund_round=fund_round, to=FundStage.PITCHING)
    with pytest.raises(AccessRefused):
        fund.fund_round_stage(actor=collab.carer.user, fund_round=fund_round, to=FundStage.CLOSED)
    moves = [(e.detail["from"], e.detail["to"]) for e in events("fund_round_stage")]
    assert moves == [("pitching", "panel"), ("panel", "voting")]
    assert len(events("fund_round_stage", Outcome.REFUSED)) == 1


def test_a_panellist_who_left_the_collaborative_does_not_count(collab: Collab) -> None:
    fund_round = make_round(collab.site, stage=FundStage.PANEL, min_lived_experience_panel=1)
    gone = make_collab_member(collab.site, known_as="Gone", lived_experience=True)
    seat(fund_round, gone)
    gone.left_on = timezone.localdate()
    gone.save()
    assert fund.lived_experience_on_panel(fund_round) == 0


def test_the_panel_is_set_with_its_chair(collab: Collab) -> None:
    fund_round = make_round(collab.site)
    seat(fund_round, collab.citizen)
    panel = fund.panel_change(
        actor=collab.co_chair.user,
        fund_round=fund_round,
        members=[collab.lived, collab.carer, collab.co_chair],
        chair=collab.lived,
    )
    assert [(s.member.known_as, s.is_chair) for s in panel] == [
        ("Kim", False),
        ("Pat (co-chair)", False),
        ("Sunny", True),
    ]
    (event,) = events("fund_panel")
    assert event.detail["removed"] == [str(collab.citizen.pk)]
    assert event.detail["chair"] == str(collab.lived.pk)
    with pytest.raises(DomainError) as error:
        fund.panel_change(actor=collab.chair.user, fund_round=fund_round, members=[collab.carer], chair=collab.lived)
    assert error.value.field == "chair"
    with pytest.raises(AccessRefused):
        fund.panel_change(actor=collab.lived.user, fund_round=fund_round, members=[], chair=None)


# ---- pitches ------------------------------------------------------------------------------------


def test_a_member_drafts_changes_and_sends_a_pitch(collab: Collab) -> None:
    fund_round = make_round(collab.site, largest_award=Decimal("800"))
    pitch = fund.pitch_draft(actor=collab.lived.user, fund_round=fund_round, answers=answers())
    assert (pitch.status, pitch.pitched_by, pitch.peer_led, pitch.help_note) == (
        PitchStatus.DRAFT,
        collab.lived,
        True,
        "Help with the budget",
    )
    with pytest.raises(DomainError) as error:
        fund.pitch_draft(actor=collab.lived.user, fund_round=fund_round, answers=answers(amount=Decimal("801")))
    assert (error.value.field, error.value.message) == ("amount", "The most a pitch may ask for in this round is £800")
    with pytest.raises(DomainError) as error:
        fund.pitch_draft(actor=collab.lived.user, fund_round=fund_round, answers=answers(amount=Decimal("0")))
    assert error.value.field == "amount"

    changed = fund.pitch_change(
        actor=collab.lived.user,
        pitch=pitch,
        answers=answers(wants_help=False, amount=Decimal("650")),
        expected_version=1,
    )
    assert (changed.amount, changed.help_note, changed.version) == (Decimal("650"), "", 2)
    with pytest.raises(EditConflict):
        fund.pitch_change(actor=collab.lived.user, pitch=pitch, answers=answers(), expected_version=1)

    with pytest.raises(AccessRefused):
        fund.pitch_change(actor=collab.carer.user, pitch=pitch, answers=answers(), expected_version=2)
    with pytest.raises(AccessRefused):
        fund.pitch_submit(actor=collab.carer.user, pitch=pitch)
    sent = fund.pitch_submit(actor=collab.lived.user, pitch=pitch)
    assert sent.status == PitchStatus.SUBMITTED and sent.submitted_at is not None
    with pytest.raises(DomainError):
        fund.pitch_submit(actor=collab.lived.user, pitch=pitch)
    assert [e.detail["what"] for e in events("pitch")] == ["pitch", "pitch"]
    assert len(events("pitch_submit")) == 1
    assert len(events("pitch", Outcome.REFUSED)) == 1
    assert len(events("pitch_submit", Outcome.REFUSED)) == 1


def test_no_pitches_after_they_close_or_outside_pitching(collab: Collab) -> None:
    closed = make_round(
        collab.site,
        pitches_close_on=timezone.localdate() - dt.timedelta(days=1),
        voting_closes_on=timezone.localdate() + dt.timedelta(days=5),
    )
    with pytest.raises(DomainError) as error:
        fund.pitch_draft(actor=collab.lived.user, fund_round=closed, answers=answers())
    assert error.value.code == "pitches_closed"
    panel = make_round(collab.site, name="With panel", stage=FundStage.PANEL)
    with pytest.raises(DomainError):
        fund.pitch_draft(actor=collab.lived.user, fund_round=panel, answers=answers())
    with pytest.raises(AccessRefused):
        fund.pitch_draft(actor=collab.outsider, fund_round=panel, answers=answers())


def test_a_steward_finds_a_helper_who_may_then_change_the_draft(collab: Collab) -> None:
    fund_round = make_round(collab.site)
    pitch = make_pitch(fund_round, collab.lived, wants_help=True, help_note="Budget")
    with pytest.raises(AccessRefused):
        fund.pitch_helper_assign(actor=collab.carer.user, pitch=pitch, helper=collab.carer)
    with pytest.raises(DomainError):
        fund.pitch_helper_assign(actor=collab.chair.user, pitch=pitch, helper=collab.lived)
    assert [p.pk for p in selectors.help_waiting(fund_round)] == [pitch.pk]
    fund.pitch_helper_assign(actor=collab.chair.user, pitch=pitch, helper=collab.carer)
    assert selectors.help_waiting(fund_round) == []

    pitch = Pitch.objects.select_related("round__site").get(pk=pitch.pk)
    fund.pitch_change(
        actor=collab.carer.user, pitch=pitch, answers=answers(title="Walk, talk, tea"), expected_version=1
    )
    pitch.refresh_from_db()
    assert (pitch.title, pitch.updated_by) == ("Walk, talk, tea", collab.carer)
    with pytest.raises(AccessRefused):  # only the pitcher sends it
        fund.pitch_submit(actor=collab.carer.user, pitch=pitch)
    assert [e.detail["helper"] for e in events("pitch_help")] == [str(collab.carer.pk)]

    no_help = make_pitch(fund_round, collab.citizen, title="Other")
    with pytest.raises(DomainError) as error:
        fund.pitch_helper_assign(actor=collab.chair.user, pitch=no_help, helper=collab.carer)
    assert error.value.code == "help_not_asked"


def test_the_panel_shortlists_with_a_kind_note_and_never_its_own_pitch(collab: Collab) -> None:
    fund_round = make_round(collab.site, stage=FundStage.PANEL)
    seat(fund_round, collab.lived, chair=True)
    seat(fund_round, collab.co_chair)
    theirs = make_pitch(fund_round, collab.carer, status=PitchStatus.SUBMITTED)
    own = make_pitch(fund_round, collab.lived, title="Sunny's idea", status=PitchStatus.SUBMITTED)

    with pytest.raises(DomainError) as error:
        fund.pitch_shortlist(actor=collab.lived.user, pitch=theirs, shortlist=False, note="  ")
    assert error.value.field == "note"
    fund.pitch_shortlist(
        actor=collab.lived.user,
        pitch=theirs,
        shortlist=False,
        note="We liked the idea; the budget needs the cost of the room. Please pitch again.",
    )
    theirs.refresh_from_db()
    assert theirs.status == PitchStatus.NOT_SHORTLISTED
    with pytest.raises(AccessRefused):
        fund.pitch_shortlist(actor=collab.lived.user, pitch=own, shortlist=True, note="")
    with pytest.raises(AccessRefused):
        fund.pitch_shortlist(actor=collab.citizen.user, pitch=own, shortlist=True, note="")
    fund.pitch_shortlist(actor=collab.co_chair.user, pitch=own, shortlist=True, note="Clear and well costed.")
    own.refresh_from_db()
    assert own.status == PitchStatus.SHORTLISTED
    assert [e.detail["shortlisted"] for e in events("pitch_shortlist")] == [False, True]
    assert len(events("pitch_shortlist", Outcome.REFUSED)) == 2


# ---- voting -------------------------------------------------------------------------------------


def test_votes_replace_the_members_approvals(collab: Collab) -> None:
    fund_round = make_round(collab.site, stage=FundStage.VOTING)
    a = make_pitch(fund_round, collab.carer, title="A", status=PitchStatus.SHORTLISTED)
    b = make_pitch(fund_round, collab.citizen, title="B", status=PitchStatus.SHORTLISTED)
    out = make_pitch(fund_round, collab.citizen, title="Out", status=PitchStatus.NOT_SHORTLISTED)

    assert fund.votes_save(actor=collab.lived.user, fund_round=fund_round, pitch_ids=[a.pk, b.pk]) == 2
    assert fund.votes_save(actor=collab.lived.user, fund_round=fund_round, pitch_ids=[str(b.pk)]) == 1
    assert selectors.approvals_of(fund_round, collab.lived) == {b.pk}
    fund.votes_save(actor=collab.carer.user, fund_round=fund_round, pitch_ids=[a.pk, b.pk])
    # Hand count: Sunny approves B; Kim approves A and B → A 1, B 2; 2 voters.
    assert selectors.approval_counts(fund_round) == {a.pk: 1, b.pk: 2}
    assert selectors.voter_count(fund_round) == 2
    with pytest.raises(DomainError) as error:
        fund.votes_save(actor=collab.lived.user, fund_round=fund_round, pitch_ids=[out.pk])
    assert error.value.code == "not_on_ballot"
    assert [e.detail["approved"] for e in events("fund_vote")] == [2, 1, 2]
    with pytest.raises(AccessRefused):
        fund.votes_save(actor=collab.outsider, fund_round=fund_round, pitch_ids=[])

    fund_round.voting_closes_on = timezone.localdate() - dt.timedelta(days=1)
    fund_round.pitches_close_on = fund_round.voting_closes_on
    fund_round.save()
    with pytest.raises(DomainError) as error:
        fund.votes_save(actor=collab.lived.user, fund_round=fund_round, pitch_ids=[])
    assert error.value.code == "voting_closed"
    assert ApprovalVote.objects.filter(member=collab.lived).count() == 1


# ---- awards -------------------------------------------------------------------------------------


@pytest.fixture
def voted(collab: Collab) -> dict[str, object]:
    """Budget £2,000. Panel: Pat (co-chair, lived experience), Sunny (lived experience) and Sol (staff,
    chair). Approvals: A (£1,500) 3; B (£1,000, peer-led) 2; C (£400) 2; D (not shortlisted)."""
    today = timezone.localdate()
    fund_round = make_round(
        collab.site,
        stage=FundStage.VOTING,
        pitches_close_on=today - dt.timedelta(days=10),
        voting_closes_on=today - dt.timedelta(days=1),
    )
    seat(fund_round, collab.co_chair)
    seat(fund_round, collab.lived)
    seat(fund_round, collab.staff_member, chair=True)
    a = make_pitch(fund_round, collab.carer, title="A", amount="1500", status=PitchStatus.SHORTLISTED)
    b = make_pitch(fund_round, collab.citizen, title="B", amount="1000", peer_led=True, status=PitchStatus.SHORTLISTED)
    c = make_pitch(fund_round, collab.design_lead, title="C", amount="400", status=PitchStatus.SHORTLISTED)
    d = make_pitch(fund_round, collab.design_lead, title="D", amount="100", status=PitchStatus.NOT_SHORTLISTED)
    approve(a, collab.lived, collab.carer, collab.citizen)
    approve(b, collab.lived, collab.commissioner)
    approve(c, collab.carer, collab.citizen)
    return {"round": fund_round, "a": a, "b": b, "c": c, "d": d}


def test_awards_fund_by_the_rule_and_record_the_decision(collab: Collab, voted: dict[str, Pitch]) -> None:
    fund_round = voted["round"]
    with pytest.raises(AccessRefused):
        fund.awards_confirm(actor=collab.lived.user, fund_round=fund_round)  # on the panel, not its chair
    assert len(events("fund_awards", Outcome.REFUSED)) == 1

    decision = fund.awards_confirm(actor=collab.staff_member.user, fund_round=fund_round)  # the panel's chair

    # Ranking: A 3; B 2 (peer-led) before C 2. A £1,500: 2,000 → 500; B £1,000 > 500: skipped;
    # C £400: 500 → 100. Awarded £1,900.
    status = {p.title: (p.status, p.award) for p in Pitch.objects.filter(round=fund_round)}
    assert status == {
        "A": (PitchStatus.FUNDED, Decimal("1500")),
        "B": (PitchStatus.NOT_FUNDED, None),
        "C": (PitchStatus.FUNDED, Decimal("400")),
        "D": (PitchStatus.NOT_SHORTLISTED, None),
    }
    fund_round.refresh_from_db()
    assert (fund_round.stage, fund_round.decision_id) == (FundStage.AWARDED, decision.pk)

    assert decision.group == collab.whole
    assert decision.title == "Ideas fund: Spring ideas awards"
    assert (decision.method, decision.status, decision.result) == (
        DecisionMethod.VOTE,
        DecisionStatus.DECIDED,
        DecisionResult.AGREED,
    )
    assert (decision.money, decision.money_note, decision.is_public) == (Decimal("1900"), "the ideas fund", True)
    assert decision.decided_on == timezone.localdate()
    assert "- B (£1,000, peer-led)" in decision.proposal
    assert "4 members voted" in decision.why
    assert "2. B: 2 approvals. Not funded: £1,000 asked, £500 left." in decision.why
    assert "Awarded £1,900 of £2,000." in decision.why
    # Participants: the panel (Pat, Sunny, Sol) as facilitators; voters Sunny (on the panel), Kim, Ade,
    # Morgan C. Distinct people: Pat, Sunny, Sol, Kim, Ade, Morgan C = 6; lived experience: Pat, Sunny = 2.
    assert (decision.participant_count, decision.lived_experience_count) == (6, 2)
    people = {
        p.member.known_as: (p.role, p.stance)
        for p in DecisionParticipant.objects.filter(decision=decision).select_related("member")
    }
    assert people == {
        "Pat (co-chair)": (ParticipantRole.FACILITATOR, ""),
        "Sunny": (ParticipantRole.FACILITATOR, Stance.VOTE),
        "Sol": (ParticipantRole.FACILITATOR, ""),
        "Kim": (ParticipantRole.PARTICIPANT, Stance.VOTE),
        "Ade": (ParticipantRole.PARTICIPANT, Stance.VOTE),
        "Morgan C": (ParticipantRole.PARTICIPANT, Stance.VOTE),
    }
    assert [o.text for o in decision.options.all()] == ["A (£1,500)", "B (£1,000)", "C (£400)"]
    (event,) = events("fund_awards")
    assert Decimal(event.detail["awarded"]) == Decimal("1900") and event.detail["funded"] == 2
    assert event.detail["lived_experience"] == "2 of 6 (33%)"

    with pytest.raises(DomainError):
        fund.awards_confirm(actor=collab.chair.user, fund_round=fund_round)


def test_awarding_before_voting_closes_needs_a_deliberate_choice(collab: Collab, voted: dict[str, Pitch]) -> None:
    fund_round = voted["round"]
    fund_round.voting_closes_on = timezone.localdate() + dt.timedelta(days=3)
    fund_round.save()
    with pytest.raises(DomainError) as error:
        fund.awards_confirm(actor=collab.chair.user, fund_round=fund_round)
    assert error.value.field == "early"
    fund.awards_confirm(actor=collab.chair.user, fund_round=fund_round, early=True)
    assert events("fund_awards")[0].detail["early"] is True


# ---- report-back and publishing -----------------------------------------------------------------


def test_the_pitcher_reports_back_on_a_funded_idea(collab: Collab) -> None:
    fund_round = make_round(collab.site, stage=FundStage.AWARDED)
    pitch = make_pitch(fund_round, collab.lived, status=PitchStatus.FUNDED, award=Decimal("500"))
    report = ReportAnswers(
        report_back="Twelve walks; people keep coming.",
        spent=Decimal("480"),
        people_reached=23,
        reported_on=timezone.localdate(),
    )
    fund.pitch_report(actor=collab.lived.user, pitch=pitch, answers=report, expected_version=1)
    pitch.refresh_from_db()
    assert (pitch.report_back, pitch.spent, pitch.people_reached, pitch.version) == (
        "Twelve walks; people keep coming.",
        Decimal("480"),
        23,
        2,
    )
    with pytest.raises(EditConflict):
        fund.pitch_report(actor=collab.lived.user, pitch=pitch, answers=report, expected_version=1)
    with pytest.raises(AccessRefused):
        fund.pitch_report(actor=collab.carer.user, pitch=pitch, answers=report, expected_version=2)
    not_funded = make_pitch(fund_round, collab.lived, title="Other", status=PitchStatus.NOT_FUNDED)
    with pytest.raises(DomainError):
        fund.pitch_report(actor=collab.lived.user, pitch=not_funded, answers=report, expected_version=1)
    assert len(events("pitch_report")) == 1


def offer_answers(**changes: object) -> OfferAnswers:
    values: dict[str, object] = {
        "name": "Walk and talk",
        "organisation": "Brixton walkers",
        "informal": True,
        "description": "A gentle walk then tea.\n\nWho it is for: men over 18.",
        "venue": "Brockwell Park",
        "address_1": "Dulwich Road gate",
        "town": "London",
        "postcode": "SW9 8AB",
        "other_times": "Tuesdays, 10am to midday",
        "cost": COST_FREE,
        "email": "walk@example.org",
    }
    values.update(changes)
    return OfferAnswers(**values)  # type: ignore[arg-type]


def test_a_curator_publishes_a_funded_idea_straight_into_the_directory(collab: Collab) -> None:
    fund_round = make_round(collab.site, stage=FundStage.AWARDED)
    pitch = make_pitch(fund_round, collab.lived, status=PitchStatus.FUNDED, award=Decimal("500"))
    admin = refresh_user(collab.admin)  # a site administrator: a steward and a curator of the directory
    service = fund.pitch_publish(actor=admin, pitch=pitch, answers=offer_answers())
    pitch.refresh_from_db()
    assert pitch.offer_id == service.pk
    assert service.curation == Curation.PUBLISHED
    assert Client().get(f"/oruk/services/{service.pk}").status_code == 200
    (event,) = events("pitch_publish")
    assert (event.detail["offer"], event.detail["published"]) == (service.pk, True)
    with pytest.raises(DomainError) as error:
        fund.pitch_publish(actor=admin, pitch=pitch, answers=offer_answers())
    assert error.value.code == "already_published"


def test_a_member_sends_a_funded_idea_as_a_suggestion_for_a_curator(collab: Collab) -> None:
    fund_round = make_round(collab.site, stage=FundStage.AWARDED)
    pitch = make_pitch(fund_round, collab.lived, status=PitchStatus.FUNDED, award=Decimal("500"))
    with pytest.raises(AccessRefused):
        fund.pitch_publish(actor=collab.carer.user, pitch=pitch, answers=offer_answers())
    service = fund.pitch_publish(actor=collab.lived.user, pitch=pitch, answers=offer_answers())
    assert (service.curation, service.suggested_by) == (Curation.SUGGESTED, collab.lived.user)
    assert Client().get(f"/oruk/services/{service.pk}").status_code == 404
    assert events("pitch_publish")[0].detail["published"] is False
    assert len(events("pitch_publish", Outcome.REFUSED)) == 1


# ---- who sees which pitch -----------------------------------------------------------------------


def test_visibility_drafts_to_the_pitcher_sent_to_the_panel_shortlist_to_members(collab: Collab) -> None:
    fund_round = make_round(collab.site, stage=FundStage.PANEL)
    seat(fund_round, collab.co_chair)
    draft = make_pitch(fund_round, collab.lived, title="Draft")
    sent = make_pitch(fund_round, collab.carer, title="Sent", status=PitchStatus.SUBMITTED)
    listed = make_pitch(fund_round, collab.citizen, title="Listed", status=PitchStatus.SHORTLISTED)
    out = make_pitch(fund_round, collab.citizen, title="Out", status=PitchStatus.NOT_SHORTLISTED)

    def seen(member: object, user: object) -> list[str]:
        viewer = selectors.viewer_for(user, fund_round, member)  # type: ignore[arg-type]
        titles = sorted(p.title for p in selectors.pitches_seen_by(fund_round, viewer))
        every = sorted(p.title for p in (draft, sent, listed, out) if selectors.can_see_pitch(p, viewer))
        assert titles == every  # the list and the page agree
        return titles

    assert seen(collab.lived, collab.lived.user) == ["Draft", "Listed"]
    assert seen(collab.carer, collab.carer.user) == ["Listed", "Sent"]
    assert seen(collab.commissioner, collab.commissioner.user) == ["Listed"]
    assert seen(collab.co_chair, collab.co_chair.user) == ["Listed", "Out", "Sent"]  # panel: not drafts
    assert seen(None, refresh_user(collab.admin)) == ["Listed", "Out", "Sent"]  # a steward who is not a member
