"""Prototypes and their plan-do-study-act cycles: the services and the rules of the stages, the
figures' change from baseline worked out by hand, who may change what, and the audit of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from livingwell.audit.models import Action, AuditEvent, Outcome
from livingwell.audit.services import AccessRefused
from livingwell.collaborative import prototypes as services
from livingwell.collaborative.models import (
    ConsentLevel,
    Cycle,
    CycleAct,
    CycleStage,
    Decision,
    DecisionMethod,
    DecisionResult,
    DecisionStatus,
    Figure,
    Group,
    GroupKind,
    GroupRole,
    Insight,
    Member,
    Prototype,
    PrototypeStatus,
    Session,
    SessionStatus,
    Story,
    StoryStatus,
)
from livingwell.collaborative.presenters_prototypes import change_from_baseline, figure_row, percent_change
from livingwell.collaborative.prototypes import FigureAnswers, OutcomeAnswers, PrototypeAnswers
from livingwell.collaborative.tests.conftest import Collab, add_to_group, make_group
from livingwell.core.concurrency import EditConflict
from livingwell.core.errors import DomainError

pytestmark = pytest.mark.django_db

ANSWERS = PrototypeAnswers(
    title="Peer welcome at the café",
    idea="A peer worker welcomes people at the Brixton café on the day they are introduced.",
    hypothesis="We believe that a peer welcome will lead to shorter waits. We will know when the median wait falls.",
    measures="Days from introduction to first conversation; how many people come back.",
    insights=(Insight.GAPS.value, Insight.WAIT_TO_FIRST_CONVERSATION.value),
)


@dataclass
class Lab:
    """A Prototyping Team run by `lead` (the carer, Kim), a Prototyping Lab with a session, and a
    session of another group, which is not a place to share a cycle's learning."""

    team: Group
    lead: Member
    lab: Group
    lab_session: Session
    team_session: Session
    other_session: Session


def _session(group: Group, title: str, days: int, **fields: Any) -> Session:
    starts = timezone.now() + dt.timedelta(days=days)
    return Session.objects.create(
        group=group, title=title, starts_at=starts, ends_at=starts + dt.timedelta(hours=2), place="Hub", **fields
    )


@pytest.fixture
def lab(collab: Collab) -> Lab:
    return make_lab(collab)


def make_lab(collab: Collab) -> Lab:
    team = make_group(collab.site, name="Peer welcome Prototyping Team", kind=GroupKind.PROTOTYPING_TEAM)
    add_to_group(team, collab.carer, GroupRole.CHAIR)
    add_to_group(team, collab.lived)
    lab_group = make_group(collab.site, name="Prototyping Lab", kind=GroupKind.PROTOTYPING_LAB)
    return Lab(
        team=team,
        lead=collab.carer,
        lab=lab_group,
        lab_session=_session(lab_group, "March Lab", -3),
        team_session=_session(team, "Team huddle", -10),
        other_session=_session(collab.design, "Design Team meeting", -5),
    )


def start(lab: Lab, answers: PrototypeAnswers = ANSWERS) -> Prototype:
    return services.prototype_start(actor=lab.lead.user, group=lab.team, answers=answers)


def advance(lab: Lab, cycle: Cycle, to_stage: str, **values: Any) -> Cycle:
    cycle.refresh_from_db()
    return services.cycle_advance(
        actor=lab.lead.user, cycle=cycle, to_stage=to_stage, values=values, expected_version=cycle.version
    )


def closed_cycle(lab: Lab, prototype: Prototype, act: str = CycleAct.ADAPT) -> Cycle:
    cycle = services.cycle_start(actor=lab.lead.user, prototype=prototype, plan="Try it for two weeks.")
    advance(lab, cycle, "do", plan=cycle.plan, prediction="Waits fall by a third.")
    advance(lab, cycle, "study", do="Twelve people were welcomed.")
    advance(lab, cycle, "act", study="Waits fell by a quarter.", lab_session=lab.lab_session)
    return advance(lab, cycle, "closed", act=act, act_note="Try it in the south too.")


def events(what: str, outcome: str = Outcome.ALLOWED) -> list[AuditEvent]:
    return [
        e
        for e in AuditEvent.objects.filter(outcome=outcome).order_by("id")
        if e.detail.get("area") == "collaborative" and e.detail.get("what") == what
    ]


# ---- starting and changing ----------------------------------------------------------------------


def test_a_lead_starts_a_prototype_and_it_is_audited(lab: Lab, collab: Collab) -> None:
    prototype = start(lab)
    assert prototype.site == collab.site and prototype.group == lab.team
    assert prototype.status == PrototypeStatus.TESTING and prototype.ended_on is None
    # The figures are kept in the order of Insight, whatever order they were ticked in.
    assert prototype.insights == [Insight.WAIT_TO_FIRST_CONVERSATION.value, Insight.GAPS.value]
    assert prototype.created_by == lab.lead and prototype.updated_by == lab.lead
    [event] = events("prototype")
    assert event.action == Action.CREATE and event.detail["id"] == str(prototype.pk)
    assert event.actor == lab.lead.user


@pytest.mark.parametrize("who", ["lived", "design_lead", "outsider"])
def test_only_those_who_run_the_group_start_one_and_refusals_are_recorded(lab: Lab, collab: Collab, who: str) -> None:
    member = getattr(collab, who)
    user = member.user if isinstance(member, Member) else member
    with pytest.raises(AccessRefused):
        services.prototype_start(actor=user, group=lab.team, answers=ANSWERS)
    assert not Prototype.objects.exists()
    [refusal] = events("prototype", Outcome.REFUSED)
    assert refusal.actor == user


def test_a_steward_may_start_a_prototype_in_any_group(lab: Lab, collab: Collab) -> None:
    prototype = services.prototype_start(actor=collab.chair.user, group=lab.team, answers=ANSWERS)
    assert prototype.created_by == collab.chair


@pytest.mark.parametrize(
    ("field", "answers"),
    [
        ("title", PrototypeAnswers(title=" ", idea="x", hypothesis="x", measures="x")),
        ("hypothesis", PrototypeAnswers(title="x", idea="x", hypothesis="", measures="x")),
        ("insights", PrototypeAnswers(title="x", idea="x", hypothesis="x", measures="x", insights=("nonsense",))),
    ],
)
def test_starting_needs_every_answer_and_known_figures(lab: Lab, field: str, answers: PrototypeAnswers) -> None:
    with pytest.raises(DomainError) as error:
        start(lab, answers)
    assert error.value.field == field


def test_changing_a_prototype_saves_what_changed_and_conflicts_keep_both_versions(lab: Lab, collab: Collab) -> None:
    prototype = start(lab)
    opened_at = prototype.version
    changed = services.prototype_change(
        actor=lab.lead.user,
        prototype=prototype,
        answers=PrototypeAnswers(**{**ANSWERS.__dict__, "measures": "Median days to first conversation."}),
        expected_version=opened_at,
    )
    assert changed == ["measures"]
    assert Prototype.objects.get(pk=prototype.pk).version == opened_at + 1
    [_, change] = events("prototype")
    assert change.action == Action.CHANGE and change.detail["fields"] == ["measures"]

    # The chair opened it before the lead saved: nothing of theirs is saved, both versions are shown.
    stale = Prototype.objects.get(pk=prototype.pk)
    with pytest.raises(EditConflict) as conflict:
        services.prototype_change(
            actor=collab.chair.user,
            prototype=stale,
            answers=PrototypeAnswers(**{**ANSWERS.__dict__, "title": "Peer welcome"}),
            expected_version=opened_at,
        )
    assert conflict.value.changed_by == "Kim"
    [title] = [f for f in conflict.value.fields if f.label == "Title"]
    assert (title.theirs, title.mine) == ("Peer welcome at the café", "Peer welcome")
    assert Prototype.objects.get(pk=prototype.pk).title == "Peer welcome at the café"


# ---- cycles: the stages in order ----------------------------------------------------------------


def test_a_cycle_moves_through_plan_do_study_act_and_closes(lab: Lab) -> None:
    prototype = start(lab)
    cycle = services.cycle_start(
        actor=lab.lead.user, prototype=prototype, plan="Welcome people on Tuesdays.", prediction="Waits fall."
    )
    assert (cycle.number, cycle.stage, cycle.started_on) == (1, CycleStage.PLAN, timezone.localdate())
    advance(lab, cycle, "do", plan="Welcome people on Tuesdays and Thursdays.", prediction="Waits fall.")
    assert cycle.stage == CycleStage.DO and cycle.plan.endswith("Thursdays.")
    advance(lab, cycle, "study", do="Nine people were welcomed; two came back the next week.")
    advance(lab, cycle, "act", study="Fewer came than we predicted.", lab_session=lab.lab_session)
    assert cycle.lab_session == lab.lab_session
    advance(lab, cycle, "closed", act=CycleAct.ADAPT, act_note="Add Saturdays.")
    saved = Cycle.objects.get(pk=cycle.pk)
    assert (saved.stage, saved.act, saved.closed_on) == (CycleStage.CLOSED, CycleAct.ADAPT, timezone.localdate())
    assert saved.updated_by == lab.lead
    audited = events("cycle")
    assert [e.action for e in audited] == [Action.CREATE] + [Action.CHANGE] * 4
    assert [e.detail.get("stage") for e in audited[1:]] == ["do", "study", "act", "closed"]
    assert audited[-1].detail["act"] == "adapt"


def test_saving_without_moving_on_keeps_the_stage(lab: Lab) -> None:
    prototype = start(lab)
    cycle = services.cycle_start(actor=lab.lead.user, prototype=prototype, plan="Try it.")
    advance(lab, cycle, "do", plan="Try it.")
    advance(lab, cycle, "do", do="Half written.")
    saved = Cycle.objects.get(pk=cycle.pk)
    assert (saved.stage, saved.do) == (CycleStage.DO, "Half written.")


def test_study_cannot_be_skipped(lab: Lab) -> None:
    prototype = start(lab)
    cycle = services.cycle_start(actor=lab.lead.user, prototype=prototype, plan="Try it.")
    advance(lab, cycle, "do", plan="Try it.")
    # From do straight to act or closed: refused, one stage at a time.
    for target in ("act", "closed"):
        with pytest.raises(DomainError) as error:
            advance(lab, cycle, target, do="It happened.")
        assert error.value.code == "skip"
    advance(lab, cycle, "study", do="It happened.")
    # Moving on to act needs what was learnt.
    with pytest.raises(DomainError) as error:
        advance(lab, cycle, "act", study="  ")
    assert (error.value.field, error.value.message) == (
        "study",
        "Write what you learnt, compared with what you predicted, before you decide what to do next",
    )
    assert Cycle.objects.get(pk=cycle.pk).stage == CycleStage.STUDY


def test_do_needs_what_happened_and_closing_needs_adopt_adapt_or_abandon(lab: Lab) -> None:
    prototype = start(lab)
    cycle = services.cycle_start(actor=lab.lead.user, prototype=prototype, plan="Try it.")
    advance(lab, cycle, "do")
    with pytest.raises(DomainError) as error:
        advance(lab, cycle, "study", do="")
    assert error.value.field == "do"
    advance(lab, cycle, "study", do="It happened.")
    advance(lab, cycle, "act", study="We learnt a lot.")
    with pytest.raises(DomainError) as error:
        advance(lab, cycle, "closed", act="", act_note="Not sure yet.")
    assert (error.value.field, error.value.message) == ("act", "Choose whether to adopt, adapt or abandon it")
    saved = Cycle.objects.get(pk=cycle.pk)
    assert (saved.stage, saved.closed_on) == (CycleStage.ACT, None)


def test_a_stage_only_writes_its_own_words(lab: Lab) -> None:
    prototype = start(lab)
    cycle = services.cycle_start(actor=lab.lead.user, prototype=prototype, plan="Try it.")
    with pytest.raises(DomainError) as error:
        advance(lab, cycle, "do", study="Learnt before doing.")
    assert error.value.code == "fields"


def test_the_learning_is_shared_at_a_lab_or_the_groups_own_session(lab: Lab) -> None:
    prototype = start(lab)
    cycle = services.cycle_start(actor=lab.lead.user, prototype=prototype, plan="Try it.")
    advance(lab, cycle, "do")
    advance(lab, cycle, "study", do="It happened.")
    with pytest.raises(DomainError) as error:
        advance(lab, cycle, "study", study="Learnt.", lab_session=lab.other_session)
    assert error.value.field == "lab_session"
    advance(lab, cycle, "study", study="Learnt.", lab_session=lab.team_session)
    assert Cycle.objects.get(pk=cycle.pk).lab_session == lab.team_session
    lab.lab_session.status = SessionStatus.CANCELLED
    lab.lab_session.save()
    with pytest.raises(DomainError):
        advance(lab, cycle, "study", study="Learnt.", lab_session=lab.lab_session)


def test_a_cycle_cannot_start_while_one_is_open_and_numbers_follow_on(lab: Lab) -> None:
    prototype = start(lab)
    first = services.cycle_start(actor=lab.lead.user, prototype=prototype, plan="Try it.")
    with pytest.raises(DomainError) as error:
        services.cycle_start(actor=lab.lead.user, prototype=prototype, plan="Try more.")
    assert error.value.message == "Cycle 1 is still open: close it before starting the next one"
    first.delete()
    closed_cycle(lab, prototype)
    second = services.cycle_start(actor=lab.lead.user, prototype=prototype, plan="Try more.")
    assert second.number == 2


def test_two_people_moving_a_cycle_at_once_conflict(lab: Lab, collab: Collab) -> None:
    prototype = start(lab)
    cycle = services.cycle_start(actor=lab.lead.user, prototype=prototype, plan="Try it.")
    opened = cycle.version
    services.cycle_advance(
        actor=lab.lead.user, cycle=cycle, to_stage="do", values={"plan": "Try it."}, expected_version=opened
    )
    stale = Cycle.objects.get(pk=cycle.pk)
    stale.stage = CycleStage.PLAN  # as the chair's page was when they opened it
    with pytest.raises(EditConflict):
        services.cycle_advance(
            actor=collab.chair.user,
            cycle=stale,
            to_stage="do",
            values={"plan": "Try it again."},
            expected_version=opened,
        )
    assert Cycle.objects.get(pk=cycle.pk).plan == "Try it."


def test_only_runners_move_a_cycle(lab: Lab, collab: Collab) -> None:
    prototype = start(lab)
    cycle = services.cycle_start(actor=lab.lead.user, prototype=prototype, plan="Try it.")
    with pytest.raises(AccessRefused):
        services.cycle_advance(
            actor=collab.lived.user, cycle=cycle, to_stage="do", values={}, expected_version=cycle.version
        )
    with pytest.raises(AccessRefused):
        services.cycle_start(actor=collab.lived.user, prototype=prototype, plan="Mine.")
    assert len(events("cycle", Outcome.REFUSED)) == 2


# ---- figures ------------------------------------------------------------------------------------


def test_figures_are_recorded_against_the_prototype_and_its_cycle(lab: Lab) -> None:
    prototype = start(lab)
    cycle = closed_cycle(lab, prototype)
    figure = services.figure_add(
        actor=lab.lead.user,
        prototype=prototype,
        answers=FigureAnswers(
            label="Median days to first conversation",
            value=Decimal("10.5"),
            baseline=Decimal("14"),
            unit="days",
            measured_on=dt.date(2026, 3, 1),
            cycle_id=cycle.pk,
            insight=Insight.WAIT_TO_FIRST_CONVERSATION,
            source="The waiting figures page",
        ),
    )
    assert (figure.cycle, figure.insight) == (cycle, Insight.WAIT_TO_FIRST_CONVERSATION)
    [event] = events("figure")
    assert event.action == Action.CREATE and event.detail["prototype"] == str(prototype.pk)
    row = figure_row(figure)
    # 10.5 - 14 = -3.5 days; -3.5 / 14 = -25%.
    assert (row.baseline, row.value, row.change) == ("14 days", "10.5 days", "Down 3.5 days (25% less)")
    assert row.cycle == "Cycle 1"


def test_a_figure_names_only_its_own_prototypes_cycle(lab: Lab) -> None:
    other = start(lab, PrototypeAnswers(title="Other", idea="x", hypothesis="x", measures="x"))
    elsewhere = services.cycle_start(actor=lab.lead.user, prototype=other, plan="Try.")
    prototype = start(lab)
    with pytest.raises(DomainError) as error:
        services.figure_add(
            actor=lab.lead.user,
            prototype=prototype,
            answers=FigureAnswers(
                label="People", value=Decimal(3), measured_on=dt.date(2026, 3, 1), cycle_id=elsewhere.pk
            ),
        )
    assert error.value.field == "cycle"
    assert not Figure.objects.exists()


@pytest.mark.parametrize(
    ("value", "baseline", "unit", "expected"),
    [
        # 14 - 10 = +4; 4 / 10 = 40%.
        ("14", "10", "", "Up 4 (40% more)"),
        # 10.5 - 14 = -3.5; 3.5 / 14 = 25%.
        ("10.5", "14", "days", "Down 3.5 days (25% less)"),
        # 45 - 30 = +15 points; 15 / 30 = 50%.
        ("45", "30", "%", "Up 15% (50% more)"),
        # 7 - 3 = 4; 4 / 3 = 133.33…% → 133%.
        ("7", "3", "people", "Up 4 people (133% more)"),
        # 2 - 0 = 2; no percentage of nothing.
        ("2", "0", "people", "Up 2 people"),
        # 1 - 8 = -7; 7 / 8 = 87.5% → 88% (halves away from zero).
        ("1", "8", "", "Down 7 (88% less)"),
        ("5", "5", "", "No change"),
    ],
)
def test_change_from_baseline_by_hand(value: str, baseline: str, unit: str, expected: str) -> None:
    assert change_from_baseline(Decimal(value), Decimal(baseline), unit) == expected


def test_no_baseline_no_change() -> None:
    assert change_from_baseline(Decimal("3"), None) == ""
    assert percent_change(Decimal("3"), Decimal("0")) is None
    assert percent_change(Decimal("-2"), Decimal("-4")) == 50  # -2 - -4 = 2; 2 / |-4| = 50%


# ---- the outcome --------------------------------------------------------------------------------


def _decision(group: Group, *, status: str = DecisionStatus.DECIDED) -> Decision:
    return Decision.objects.create(
        group=group,
        title="Keep the peer welcome",
        proposal="Fund it for a year.",
        method=DecisionMethod.CONSENT,
        status=status,
        result=DecisionResult.AGREED if status == DecisionStatus.DECIDED else "",
        decided_on=timezone.localdate() if status == DecisionStatus.DECIDED else None,
    )


def _story(collab: Collab, group: Group, title: str, consent: str, status: str = StoryStatus.SHARED) -> Story:
    return Story.objects.create(
        site=collab.site,
        group=group,
        title=title,
        body="What happened.",
        gathered_by=collab.carer,
        gathered_on=dt.date(2026, 2, 1),
        consent_level=consent,
        consent_note="Said yes at the café.",
        status=status,
    )


def conclude(lab: Lab, prototype: Prototype, **answers: Any) -> Prototype:
    prototype.refresh_from_db()
    return services.prototype_conclude(
        actor=lab.lead.user,
        prototype=prototype,
        answers=OutcomeAnswers(**{"status": PrototypeStatus.ADOPTED, "why": "It worked.", **answers}),
        expected_version=prototype.version,
    )


def test_concluding_needs_no_open_cycle(lab: Lab) -> None:
    prototype = start(lab)
    services.cycle_start(actor=lab.lead.user, prototype=prototype, plan="Try it.")
    with pytest.raises(DomainError) as error:
        conclude(lab, prototype)
    assert error.value.code == "cycle_open"
    assert Prototype.objects.get(pk=prototype.pk).status == PrototypeStatus.TESTING


def test_adopting_with_a_decision_and_evidence(lab: Lab, collab: Collab) -> None:
    prototype = start(lab)
    closed_cycle(lab, prototype, act=CycleAct.ADOPT)
    decision = _decision(collab.whole)
    shared = _story(collab, collab.design, "Shared with everyone", ConsentLevel.COLLABORATIVE)
    own = _story(collab, lab.team, "Our own", ConsentLevel.TEAM, status=StoryStatus.DRAFT)
    conclude(lab, prototype, decision_id=decision.pk, story_ids=(shared.pk, own.pk))
    saved = Prototype.objects.get(pk=prototype.pk)
    assert (saved.status, saved.ended_on, saved.outcome_why) == (
        PrototypeStatus.ADOPTED,
        timezone.localdate(),
        "It worked.",
    )
    assert saved.outcome_decision == decision
    assert set(saved.stories.all()) == {shared, own}
    [_, event] = events("prototype")
    assert event.detail["outcome"] == "adopted" and event.detail["decision"] == str(decision.pk)
    # It has ended: no more cycles, no second outcome.
    with pytest.raises(DomainError):
        services.cycle_start(actor=lab.lead.user, prototype=saved, plan="Again.")
    with pytest.raises(DomainError):
        conclude(lab, saved)


def test_evidence_is_only_what_the_collaborative_may_read(lab: Lab, collab: Collab) -> None:
    prototype = start(lab)
    team_only = _story(collab, collab.design, "Another team's", ConsentLevel.TEAM)
    draft = _story(collab, collab.design, "Not shared yet", ConsentLevel.PUBLIC, status=StoryStatus.DRAFT)
    for story in (team_only, draft):
        with pytest.raises(DomainError) as error:
            conclude(lab, prototype, story_ids=(story.pk,))
        assert error.value.field == "stories"


def test_only_a_decision_that_was_made_is_linked(lab: Lab, collab: Collab) -> None:
    prototype = start(lab)
    with pytest.raises(DomainError) as error:
        conclude(lab, prototype, decision_id=_decision(collab.whole, status=DecisionStatus.OPEN).pk)
    assert error.value.field == "decision"


def test_why_is_needed(lab: Lab) -> None:
    prototype = start(lab)
    with pytest.raises(DomainError) as error:
        conclude(lab, prototype, why="  ")
    assert error.value.field == "why"


def test_adapting_starts_a_new_prototype_with_the_same_idea(lab: Lab) -> None:
    prototype = start(lab)
    closed_cycle(lab, prototype)
    conclude(
        lab,
        prototype,
        status=PrototypeStatus.ADAPTED,
        why="Works, but not on weekdays.",
        adapted_title="Weekend welcome",
    )
    saved = Prototype.objects.get(pk=prototype.pk)
    new = saved.adapted_into
    assert new is not None and saved.status == PrototypeStatus.ADAPTED
    assert (new.title, new.group, new.idea, new.status) == ("Weekend welcome", lab.team, ANSWERS.idea, "testing")
    assert new.insights == prototype.insights
    assert [e.action for e in events("prototype")] == [Action.CREATE, Action.CREATE, Action.CHANGE]


def test_a_new_title_only_when_adapting(lab: Lab) -> None:
    prototype = start(lab)
    with pytest.raises(DomainError) as error:
        conclude(lab, prototype, status=PrototypeStatus.STOPPED, adapted_title="Something")
    assert error.value.field == "adapted_title"
    assert Prototype.objects.count() == 1


def test_only_runners_conclude(lab: Lab, collab: Collab) -> None:
    prototype = start(lab)
    with pytest.raises(AccessRefused):
        services.prototype_conclude(
            actor=collab.lived.user,
            prototype=prototype,
            answers=OutcomeAnswers(status=PrototypeStatus.STOPPED, why="No."),
            expected_version=prototype.version,
        )
    assert Prototype.objects.get(pk=prototype.pk).status == PrototypeStatus.TESTING
